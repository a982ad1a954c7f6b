package jobs

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/lebot-dev/lebot/internal/metrics"
)

// EscalationPoll is how often the escalation loop looks for due steps
// when nothing triggers it. A step is due ESCALATION_DELAY after the last
// one, so this bounds how late a step can be.
const EscalationPoll = 15 * time.Second

// escalationTimeout bounds one escalation tick: far under EscalationPoll
// times two, so a stuck store call cannot hold up the next step long.
const escalationTimeout = 30 * time.Second

// RetentionSchedule is when the retention job runs, in TIMEZONE: daily
// at 03:00, out of working hours. With RETENTION_DAYS=0 it does nothing.
const RetentionSchedule = "0 3 * * *"

// EscalationJob is the escalator's tick as a job: unlocked, because every
// replica may take due steps at once (each step is claimed by the
// request's version, so it is taken once) and a page must not wait for
// another replica's run; bounded by 30 s.
func EscalationJob(esc *Escalator) Job {
	return Job{Name: "escalations", Tick: esc.Tick, Timeout: escalationTimeout, Unlocked: true}
}

// EngineConfig configures an Engine. The jobs are built by their own
// constructors; the engine decides when they run.
type EngineConfig struct {
	Location *time.Location // TIMEZONE; required
	Runner   *Runner        // required
	// Reminders run on ReminderSchedule and once at start.
	Reminders        *Reminders
	ReminderSchedule string
	// Digest runs on DigestSchedule, and is checked on each reminder tick
	// and at start, so a digest missed while lebot was down goes out at
	// the next tick.
	Digest         *Digest
	DigestSchedule string
	Retention      *Retention // daily at RetentionSchedule; nil: none
	// Escalator runs in a loop every EscalationPoll and on Trigger; nil:
	// no escalations.
	Escalator *Escalator
	// AfterRun is called after each run that did its work (kick the
	// outbox dispatcher so what it enqueued goes out at once).
	AfterRun func()
	Metrics  *metrics.Metrics // runs by job and result, and their durations; nil: none
	Logger   *slog.Logger
	Now      func() time.Time // default time.Now
}

// Engine owns lebot's periodic work: the cron jobs (reminders, digest,
// retention) and the escalation loop, each run isolated by the Runner
// (its lock, its own timeout, panics recovered) and counted and timed in
// the metrics. Several replicas may run an engine on one store.
type Engine struct {
	s    *Scheduler
	stop sync.Once
}

// NewEngine validates cfg and builds the schedule; Start starts it.
func NewEngine(cfg EngineConfig) (*Engine, error) {
	if cfg.Reminders == nil || cfg.Digest == nil {
		return nil, errors.New("jobs: engine needs the reminders and the digest")
	}
	entries := []Entry{
		{Name: "reminders", Spec: cfg.ReminderSchedule, Tick: cfg.Reminders.Tick, AtStart: true},
		{Name: "digest", Spec: cfg.DigestSchedule, Tick: cfg.Digest.Tick},
		{Name: "digest", Spec: cfg.ReminderSchedule, Tick: cfg.Digest.Tick, AtStart: true},
	}
	if cfg.Retention != nil {
		entries = append(entries, Entry{Name: "retention", Spec: RetentionSchedule, Tick: cfg.Retention.Tick})
	}
	if cfg.Escalator != nil {
		j := EscalationJob(cfg.Escalator)
		entries = append(entries, Entry{Name: j.Name, Tick: j.Tick, Every: EscalationPoll, Timeout: j.Timeout, Unlocked: j.Unlocked})
	}
	s, err := NewScheduler(SchedulerConfig{Location: cfg.Location, Runner: cfg.Runner, Entries: entries,
		Now: cfg.Now, Logger: cfg.Logger, AfterRun: cfg.AfterRun, Metrics: cfg.Metrics})
	if err != nil {
		return nil, err
	}
	return &Engine{s: s}, nil
}

// Start runs the catch-up runs and the escalation loop, and starts the
// schedule; it returns at once.
func (e *Engine) Start() { e.s.Start() }

// Trigger makes the escalation loop look for due steps now (an emergency
// arrived, /legal page). It never blocks.
func (e *Engine) Trigger() { e.s.Trigger("escalations") }

// Stop cancels runs in progress, which release their locks as they
// return, and waits for them at most until ctx ends. Later calls do
// nothing.
func (e *Engine) Stop(ctx context.Context) {
	e.stop.Do(func() { e.s.Stop(ctx) })
}
