package jobs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lebot-dev/lebot/internal/metrics"
)

// TestSchedulerMetrics: each scheduled run is counted by job and result,
// and only the runs that did their work are timed.
func TestSchedulerMetrics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := metrics.New()
		lk := &memLocker{owner: map[string]string{"job:held": "other-replica"}}
		r, _ := NewRunner(lk, "me", time.Hour, nil)
		s, err := NewScheduler(SchedulerConfig{Location: la, Runner: r, Metrics: m, Entries: []Entry{
			{Name: "fine", Spec: "@every 1m", Tick: func(context.Context, time.Time) error { return nil }},
			{Name: "broken", Spec: "@every 1m", Tick: func(context.Context, time.Time) error { return errors.New("store down") }},
			{Name: "held", Spec: "@every 1m", Tick: func(context.Context, time.Time) error { return nil }},
		}})
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		time.Sleep(3*time.Minute + time.Second)
		synctest.Wait()
		s.Stop(context.Background())

		want := `
# HELP lebot_job_runs_total Job runs, by job and result (ok, error, skipped: another replica or run held the lock).
# TYPE lebot_job_runs_total counter
lebot_job_runs_total{job="broken",result="error"} 3
lebot_job_runs_total{job="fine",result="ok"} 3
lebot_job_runs_total{job="held",result="skipped"} 3
`
		if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "lebot_job_runs_total"); err != nil {
			t.Error(err)
		}
		if n := testutil.CollectAndCount(m.Registry(), "lebot_job_duration_seconds"); n != 2 {
			t.Errorf("timed jobs: got %d, want 2 (not the skipped one)", n)
		}
	})
}
