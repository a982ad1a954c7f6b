package jobs

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestConcurrentTicks: three replicas (each its own store connection,
// runner and lock owner) run the same tick at once; every reminder is
// sent once. With the lock one replica does the work; without it (a lock
// that expired mid-run) the sent markers alone still keep it to once.
func TestConcurrentTicks(t *testing.T) {
	for _, withLock := range []bool{true, false} {
		t.Run(fmt.Sprintf("lock=%v", withLock), func(t *testing.T) {
			e := newEnv(t, "redis")
			e.clock.Set(at(2026, 3, 2, 10, 0))
			var reqs []*legal.Request
			for i := range 20 {
				reqs = append(reqs, e.create(func(r *legal.Request) { r.Assignee = fmt.Sprintf("U%d", i) }))
			}
			now := at(2026, 3, 11, 9, 0) // 3 business days before they are due
			e.clock.Set(now)
			var wg sync.WaitGroup
			var mu sync.Mutex
			ran, sent := 0, 0
			for i := range 3 {
				st := mustOpen(t, store.Config{RedisURL: e.url, KeyPrefix: e.prefix, Now: e.clock.Now})
				rem, err := NewReminders(st, e.cal, nil)
				if err != nil {
					t.Fatal(err)
				}
				runner, err := NewRunner(st, fmt.Sprintf("replica-%d", i), 0, nil)
				if err != nil {
					t.Fatal(err)
				}
				wg.Go(func() {
					run := func(ctx context.Context) {
						res, err := rem.Run(ctx, now, false)
						if err != nil {
							t.Errorf("replica %d: %v", i, err)
						}
						mu.Lock()
						ran++
						sent += res.Sent
						mu.Unlock()
					}
					if !withLock {
						run(context.Background())
						return
					}
					_, err := runner.Run(context.Background(), "reminders", now, func(ctx context.Context, _ time.Time) error {
						run(ctx)
						return nil
					})
					if err != nil {
						t.Errorf("replica %d: %v", i, err)
					}
				})
			}
			wg.Wait()
			e.drain()
			if sent != len(reqs) {
				t.Errorf("got %d reminders enqueued by %d runs, want %d", sent, ran, len(reqs))
			}
			if withLock && ran < 1 {
				t.Errorf("got %d runs, want at least 1", ran)
			}
			for _, r := range reqs {
				if got := e.reminders(r); len(got) != 2 {
					t.Errorf("%s: got %v, want one thread note and one DM", r.ID, got)
				}
			}
		})
	}
}
