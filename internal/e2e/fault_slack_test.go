package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/store"
)

// TestFaultSlackOutage: Slack answers 500s (some after posting, so the
// card exists but lebot never hears so), then 429 with Retry-After, and
// its history search fails for a while, all during a burst of mail.
// Once Slack recovers, every accepted message has exactly one card.
func TestFaultSlackOutage(t *testing.T) {
	t.Parallel() // each on its own store, fakes and ports
	if testing.Short() {
		t.Skip("fault suite")
	}
	redisURL := testredis.URL(t)
	st, err := store.Open(context.Background(), store.Config{RedisURL: redisURL,
		KeyPrefix: testredis.PrefixCleanup(t, redisURL)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fake := fakeslack.New(t)
	// Queued in order: the outage, lost answers, then throttling.
	fake.Fail("chat.postMessage", 20)
	fake.Inject("chat.postMessage", 4, fakeslack.Fault{Status: http.StatusBadGateway, AfterApply: true})
	fake.RateLimit("chat.postMessage", 10, time.Second)
	fake.Fail("conversations.history", 3)
	// Each 429 pauses the channel for its Retry-After, a whole second at
	// least, so the ten take ten seconds of lebot's clock: run it ten
	// times as fast.
	p := startPipelineWith(t, st, fake, nil, pipeOpts{speed: 10})

	const n = 30
	o := newOutcomes()
	burst(t, p.addr, "slack", n, 3, o, time.Now().Add(60*time.Second))
	if t.Failed() {
		return
	}
	waitFor(t, "every request's card", 90*time.Second, func() bool { return allCarded(st, n) })

	faults := map[int]int{}
	for _, c := range fake.Calls("") {
		if c.Fault != nil {
			faults[c.Fault.Status]++
		}
	}
	if faults[500] != 23 || faults[502] != 4 || faults[429] != 10 {
		t.Errorf("got injected faults served %v, want all 23 500s, 4 502s and 10 429s", faults)
	}
	if n := len(fake.Calls("conversations.history")); n == 0 {
		t.Error("no card was looked for in history after a lost answer")
	}
	checkExactlyOnce(t, st, fake, o.acceptedIDs())
}
