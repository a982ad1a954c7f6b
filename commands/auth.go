package commands

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// refreshTimeout bounds a membership read made in the background.
const refreshTimeout = 10 * time.Second

// authorizer decides who may use /legal: members of the legal user group
// (read through usergroups.users.list) and the users listed in
// LEGAL_USERS.
//
// The group's members are cached for ttl, so a removal takes effect
// within ttl. Commands never wait on Slack for a cache that is merely
// ageing: from half the ttl on, the next command starts one read in the
// background and is answered from the cache meanwhile. Only a cache
// older than ttl (or none yet) is read while the command waits, one read
// at a time.
type authorizer struct {
	api   SlackAPI
	group string
	fixed map[string]bool
	ttl   time.Duration
	now   func() time.Time

	mu         sync.Mutex
	members    map[string]bool
	fetched    time.Time
	refreshing bool

	fetch sync.Mutex // one read of the group at a time
}

func newAuthorizer(api SlackAPI, group string, users []string, ttl time.Duration, now func() time.Time) *authorizer {
	fixed := map[string]bool{}
	for _, u := range users {
		fixed[u] = true
	}
	return &authorizer{api: api, group: group, fixed: fixed, ttl: ttl, now: now}
}

// allowed reports whether user may read and change requests. It fails
// closed: when the group cannot be read and the cache is older than ttl,
// only LEGAL_USERS get in.
func (a *authorizer) allowed(ctx context.Context, user string) (bool, error) {
	if user == "" {
		return false, nil
	}
	if a.fixed[user] {
		return true, nil
	}
	if a.group == "" {
		return false, nil
	}
	if ok, fresh := a.cached(ctx, user); fresh {
		return ok, nil
	}
	a.fetch.Lock()
	defer a.fetch.Unlock()
	if ok, fresh := a.cached(ctx, user); fresh { // read by the command before us
		return ok, nil
	}
	if err := a.read(ctx); err != nil {
		return false, err
	}
	ok, _ := a.cached(ctx, user)
	return ok, nil
}

// cached answers from the cache when it is younger than ttl (fresh), and
// starts a background read when it is past half of it.
func (a *authorizer) cached(ctx context.Context, user string) (ok, fresh bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.members == nil {
		return false, false
	}
	age := a.now().Sub(a.fetched)
	if age >= a.ttl {
		return false, false
	}
	if age >= a.ttl/2 && !a.refreshing {
		a.refreshing = true
		go a.refresh(context.WithoutCancel(ctx))
	}
	return a.members[user], true
}

// refresh reads the group in the background. A failure leaves the cache
// as it was: it keeps serving until ttl, then commands read (and fail
// closed) themselves.
func (a *authorizer) refresh(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	a.fetch.Lock()
	_ = a.read(ctx)
	a.fetch.Unlock()
	a.mu.Lock()
	a.refreshing = false
	a.mu.Unlock()
}

// read fetches the group's members into the cache; the caller holds
// a.fetch.
func (a *authorizer) read(ctx context.Context) error {
	ids, err := a.api.GetUserGroupMembersContext(ctx, a.group)
	if err != nil {
		return fmt.Errorf("usergroups.users.list: %w", err)
	}
	members := make(map[string]bool, len(ids))
	for _, id := range ids {
		members[id] = true
	}
	a.mu.Lock()
	a.members, a.fetched = members, a.now()
	a.mu.Unlock()
	return nil
}
