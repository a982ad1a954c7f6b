package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot/pagerduty"
	"github.com/lebot-dev/lebot/internal/fakepagerduty"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

const routingKey = "R0123456789abcdef0123456789abcde" // 32 characters

// TestFaultPagerDutyDown: PagerDuty answers 500 and 503 and drops
// connections while paged mail arrives. Cards are not held up by it, and
// after recovery every request has exactly one accepted trigger and a
// triggered alert, besides its one card.
func TestFaultPagerDutyDown(t *testing.T) {
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
	pdFake := fakepagerduty.New(t)
	pdFake.Fail(15, http.StatusInternalServerError)
	pdFake.Drop(5)
	pdFake.Fail(10, http.StatusServiceUnavailable)
	pd, err := pagerduty.New(pagerduty.Config{RoutingKey: routingKey, URL: pdFake.URL(),
		HTTPClient: &http.Client{Timeout: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	p := startPipeline(t, st, fake, pd)

	const n = 20
	o := newOutcomes()
	ids := burst(t, p.addr, "pd", n, 3, o, time.Now().Add(60*time.Second))
	if t.Failed() {
		return
	}
	waitCarded(t, st, fake, n, 60*time.Second)
	reqs, err := st.ListByStatus(context.Background(), legal.StatusNew, 0)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a PagerDuty alert for every request", 90*time.Second, func() bool {
		for _, r := range reqs {
			if pdFake.State(routingKey, r.ID) != fakepagerduty.Triggered {
				return false
			}
		}
		return true
	})
	triggers := map[string]int{}
	for _, ev := range pdFake.Accepted("trigger") {
		triggers[ev.DedupKey]++
	}
	for _, r := range reqs {
		if triggers[r.ID] != 1 {
			t.Errorf("request %s: got %d accepted triggers, want 1", r.ID, triggers[r.ID])
		}
	}
	if refused := len(pdFake.Calls()) - len(pdFake.Accepted("")); refused != 30 {
		t.Errorf("got %d failed PagerDuty calls, want all 30 injected faults served", refused)
	}
	accepted := o.acceptedIDs()
	if len(accepted) != len(ids) {
		t.Errorf("got %d messages accepted, want %d", len(accepted), len(ids))
	}
	checkExactlyOnce(t, st, fake, accepted)
}
