package jobs

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lebot-dev/lebot/internal/metrics"
)

// TestRunnerDo: one path for every run. A job another replica holds is
// ErrBusy and does not run; an unlocked job runs whatever the lock says;
// a job's own timeout bounds its context.
func TestRunnerDo(t *testing.T) {
	ctx := context.Background()
	lk := &memLocker{owner: map[string]string{"job:held": "other"}}
	r, err := NewRunner(lk, "me", time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := at(2026, 3, 2, 9, 0)
	var ran bool
	tick := func(context.Context, time.Time) error { ran = true; return nil }
	tests := []struct {
		name    string
		job     Job
		wantRan bool
		wantErr error
	}{
		{"held elsewhere", Job{Name: "held", Tick: tick}, false, ErrBusy},
		{"unlocked runs anyway", Job{Name: "held", Tick: tick, Unlocked: true}, true, nil},
		{"free", Job{Name: "free", Tick: tick}, true, nil},
		{"own timeout", Job{Name: "short", Timeout: time.Minute, Tick: func(ctx context.Context, _ time.Time) error {
			ran = true
			if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > time.Minute {
				return errors.New("context not bounded by the job's timeout")
			}
			return nil
		}}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran = false
			err := r.Do(ctx, tt.job, now)
			if ran != tt.wantRan || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("got ran=%v err=%v, want ran=%v err=%v", ran, err, tt.wantRan, tt.wantErr)
			}
		})
	}
	if lk.owner["job:held"] != "other" {
		t.Errorf("the other replica's lock was taken over or released: owner %q", lk.owner["job:held"])
	}
}

// TestEscalationLoop runs the engine's loop entry on synctest's clock: it
// runs at start and every Every, at once when triggered, on after a
// panic, and is counted and timed like the cron jobs.
func TestEscalationLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := metrics.New()
		r, _ := NewRunner(&memLocker{owner: map[string]string{}}, "me", time.Hour, nil)
		var runs atomic.Int32
		s, err := NewScheduler(SchedulerConfig{Location: la, Runner: r, Metrics: m, Entries: []Entry{
			{Name: "escalations", Every: 15 * time.Second, Timeout: 30 * time.Second, Unlocked: true,
				Tick: func(ctx context.Context, _ time.Time) error {
					if n := runs.Add(1); n == 2 {
						panic("boom")
					}
					return nil
				}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		synctest.Wait()
		if got := runs.Load(); got != 1 {
			t.Fatalf("runs at start: got %d, want 1", got)
		}
		time.Sleep(15 * time.Second) // the second run panics
		synctest.Wait()
		time.Sleep(5 * time.Second)
		s.Trigger("escalations")
		synctest.Wait()
		if got := runs.Load(); got != 3 {
			t.Fatalf("runs after a tick and a trigger 5 s later: got %d, want 3", got)
		}
		s.Trigger("no such loop") // does nothing, does not block
		time.Sleep(60 * time.Second)
		synctest.Wait()
		s.Stop(context.Background())
		if got := runs.Load(); got != 7 {
			t.Errorf("runs after another minute: got %d, want 7 (one every 15 s)", got)
		}
		want := `
# HELP lebot_job_runs_total Job runs, by job and result (ok, error, skipped: another replica or run held the lock).
# TYPE lebot_job_runs_total counter
lebot_job_runs_total{job="digest",result="error"} 0
lebot_job_runs_total{job="digest",result="ok"} 0
lebot_job_runs_total{job="digest",result="skipped"} 0
lebot_job_runs_total{job="escalations",result="error"} 1
lebot_job_runs_total{job="escalations",result="ok"} 6
lebot_job_runs_total{job="escalations",result="skipped"} 0
lebot_job_runs_total{job="reminders",result="error"} 0
lebot_job_runs_total{job="reminders",result="ok"} 0
lebot_job_runs_total{job="reminders",result="skipped"} 0
`
		if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "lebot_job_runs_total"); err != nil {
			t.Error(err)
		}
	})
}

func TestNewEngineNeedsItsJobs(t *testing.T) {
	r, _ := NewRunner(&memLocker{owner: map[string]string{}}, "me", 0, nil)
	if _, err := NewEngine(EngineConfig{Location: la, Runner: r}); err == nil {
		t.Error("got no error, want one: the engine has no reminders or digest")
	}
}
