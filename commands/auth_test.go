package commands

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// TestMembershipRefreshAhead: the legal group's members are read once,
// then served from the cache; from half the ttl on, a command is
// answered at once while the group is read again in the background (a
// member removed meanwhile is refused once that read lands, within the
// ttl); a failed background read leaves the cache serving until the ttl;
// past the ttl a group Slack cannot read fails closed.
func TestMembershipRefreshAhead(t *testing.T) {
	fake := fakeslack.New(t)
	fake.SetUserGroup(group, member, member2)
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()))
	var clock atomic.Int64
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock.Store(t0.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	set := func(d time.Duration) { clock.Store(t0.Add(d).UnixNano()) }
	const ttl = time.Minute
	a := newAuthorizer(api, group, []string{"U0FIXED"}, ttl, now)
	ctx := context.Background()
	reads := func() int { return len(fake.Calls("usergroups.users.list")) }
	check := func(user string, want bool) {
		t.Helper()
		got, err := a.allowed(ctx, user)
		if err != nil || got != want {
			t.Fatalf("allowed(%s) = %v, %v; want %v", user, got, err, want)
		}
	}
	settled := func(n int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			a.mu.Lock()
			done := !a.refreshing
			a.mu.Unlock()
			if done && reads() >= n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the background read did not finish: %d reads", reads())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	check("U0FIXED", true)
	if reads() != 0 {
		t.Fatal("a LEGAL_USERS member made lebot read the group")
	}
	check(member, true)
	check(outsider, false)
	set(20 * time.Second)
	check(member2, true)
	if n := reads(); n != 1 {
		t.Fatalf("group read %d times within the first half of the ttl, want 1", n)
	}

	fake.SetUserGroup(group, member2) // member leaves the team
	set(40 * time.Second)
	check(member, true) // answered from the cache; the group is read behind it
	settled(2)
	check(member, false)
	check(member2, true)

	// The next background read fails (40s + 30s): the cache still serves.
	set(75 * time.Second)
	fake.Fail("usergroups.users.list", 1)
	check(member2, true)
	settled(3)
	set(95 * time.Second)
	check(member2, true)
	settled(4) // another background read, this one answered

	// Past the ttl with Slack refusing: fail closed, LEGAL_USERS still in.
	fake.Fail("usergroups.users.list", 5)
	set(200 * time.Second)
	if ok, err := a.allowed(ctx, member2); ok || err == nil {
		t.Fatalf("stale cache and the group unreadable: got %v, %v; want refused with an error", ok, err)
	}
	check("U0FIXED", true)
}
