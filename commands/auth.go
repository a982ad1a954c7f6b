package commands

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// authorizer decides who may use /legal: members of the legal user group
// (read through usergroups.users.list and cached for ttl, so a removal
// takes effect within ttl) and the users listed in LEGAL_USERS.
type authorizer struct {
	api   SlackAPI
	group string
	fixed map[string]bool
	ttl   time.Duration
	now   func() time.Time

	mu      sync.Mutex
	members map[string]bool
	fetched time.Time
}

func newAuthorizer(api SlackAPI, group string, users []string, ttl time.Duration, now func() time.Time) *authorizer {
	fixed := map[string]bool{}
	for _, u := range users {
		fixed[u] = true
	}
	return &authorizer{api: api, group: group, fixed: fixed, ttl: ttl, now: now}
}

// allowed reports whether user may read and change requests. It fails
// closed: when the group cannot be read, only LEGAL_USERS get in.
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
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.members == nil || a.now().Sub(a.fetched) >= a.ttl {
		ids, err := a.api.GetUserGroupMembersContext(ctx, a.group)
		if err != nil {
			return false, fmt.Errorf("usergroups.users.list: %w", err)
		}
		a.members = make(map[string]bool, len(ids))
		for _, id := range ids {
			a.members[id] = true
		}
		a.fetched = a.now()
	}
	return a.members[user], nil
}
