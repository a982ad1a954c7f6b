package jobs

import (
	"context"
	"errors"
	"maps"
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
		lk := &memLocker{owner: map[string]string{"job:escalations": "other-replica"}}
		r, _ := NewRunner(lk, "me", time.Hour, nil)
		s, err := NewScheduler(SchedulerConfig{Location: la, Runner: r, Metrics: m, Entries: []Entry{
			{Name: "reminders", Spec: "@every 1m", Tick: func(context.Context, time.Time) error { return nil }},
			{Name: "digest", Spec: "@every 1m", Tick: func(context.Context, time.Time) error { return errors.New("store down") }},
			{Name: "escalations", Spec: "@every 1m", Tick: func(context.Context, time.Time) error { return nil }},
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
lebot_job_runs_total{job="digest",result="error"} 3
lebot_job_runs_total{job="digest",result="ok"} 0
lebot_job_runs_total{job="digest",result="skipped"} 0
lebot_job_runs_total{job="escalations",result="error"} 0
lebot_job_runs_total{job="escalations",result="ok"} 0
lebot_job_runs_total{job="escalations",result="skipped"} 3
lebot_job_runs_total{job="reminders",result="error"} 0
lebot_job_runs_total{job="reminders",result="ok"} 3
lebot_job_runs_total{job="reminders",result="skipped"} 0
`
		if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "lebot_job_runs_total"); err != nil {
			t.Error(err)
		}
		timed := map[string]uint64{}
		mfs, _ := m.Registry().Gather()
		for _, mf := range mfs {
			if mf.GetName() != "lebot_job_duration_seconds" {
				continue
			}
			for _, s := range mf.GetMetric() {
				timed[s.GetLabel()[0].GetValue()] = s.GetHistogram().GetSampleCount()
			}
		}
		if want := map[string]uint64{"reminders": 3, "digest": 3, "escalations": 0}; !maps.Equal(timed, want) {
			t.Errorf("timed runs: got %v, want %v (skipped runs are not timed)", timed, want)
		}
	})
}
