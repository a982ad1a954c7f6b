package jobs

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// Run: go test -run x -bench Reminder -benchtime 20x ./jobs/
//
// A reminder tick over N open requests of which 100 are overdue (the rest
// due a year out). "send" moves the clock a business day per iteration,
// so each tick enqueues 100 new reminders; "steady" repeats a tick whose
// reminders are all sent. roundtrips/op counts Redis commands and
// pipelines through a go-redis hook: it must not grow with N.

// countHook counts round trips to Redis.
type countHook struct{ n atomic.Int64 }

func (h *countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}

const benchDue = 100

// seedOpen stores n open requests, benchDue of them overdue since
// 2026-01-05, the others due in 2027. Requests are spread over receipt
// years so parallel creates do not contend on one year's sequence.
func seedOpen(b *testing.B, st store.Store, n int) {
	b.Helper()
	ctx := context.Background()
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for range 16 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				recv := time.Date(2000+i%26, 1, 2, 10, 0, 0, 0, la)
				due := time.Date(2027, 6, 1, 17, 0, 0, 0, la)
				if i < benchDue {
					recv, due = time.Date(2025, 12, 1, 10, 0, 0, 0, la), time.Date(2026, 1, 5, 17, 0, 0, 0, la)
				}
				_, _, err := st.CreateRequest(ctx, store.Incoming{
					Raw: fmt.Appendf(nil, "Message-ID: <b%d@agency.gov>\r\n\r\nx\r\n", i), MessageID: fmt.Sprintf("b%d@agency.gov", i),
					ReceivedAt: recv, Audit: store.AuditEntry{Actor: "smtp", Action: "created"},
					Request: legal.Request{Source: "smtp", Assignee: "U1", Due: due,
						Facts: legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}}},
				})
				if err != nil {
					failed.Store(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatalf("seed: %v", err)
	}
}

func BenchmarkReminderTick(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("open=%d", n), func(b *testing.B) {
			url := testredis.URL(b)
			st := mustOpen(b, store.Config{RedisURL: url, KeyPrefix: testredis.PrefixCleanup(b, url)})
			seedStart := time.Now()
			seedOpen(b, st, n)
			b.Logf("seeded %d requests in %v", n, time.Since(seedStart).Round(time.Millisecond))
			hook := &countHook{}
			st.(*store.Redis).Client().AddHook(hook)
			cal := legal.NewCalendar(la)
			rem, err := NewReminders(st, cal, nil)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			day := legal.DateOf(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
			b.Run("send", func(b *testing.B) {
				hook.n.Store(0)
				for b.Loop() {
					day = cal.AddBusinessDays(day, 1)
					res, err := rem.Run(ctx, morning(cal, day), false)
					if err != nil || res.Sent != benchDue {
						b.Fatalf("tick on %v: sent %d, %v, want %d", day, res.Sent, err, benchDue)
					}
				}
				b.ReportMetric(float64(hook.n.Load())/float64(b.N), "roundtrips/op")
			})
			b.Run("steady", func(b *testing.B) {
				if _, err := rem.Run(ctx, morning(cal, day).Add(time.Hour), false); err != nil { // prime
					b.Fatal(err)
				}
				hook.n.Store(0)
				for b.Loop() {
					res, err := rem.Run(ctx, morning(cal, day).Add(time.Hour), false)
					if err != nil || res.Sent != 0 {
						b.Fatalf("steady tick: sent %d, %v, want 0", res.Sent, err)
					}
				}
				b.ReportMetric(float64(hook.n.Load())/float64(b.N), "roundtrips/op")
			})
		})
	}
}
