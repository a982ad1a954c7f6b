package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/lebot-dev/lebot/internal/metrics"
)

// Entry is a job on a schedule: on a cron spec, or in a loop that runs
// every Every and at once when triggered.
type Entry struct {
	Name string   // lock and log name: "reminders", "digest", "escalations"
	Spec string   // 5-field cron spec or a descriptor such as "@every 30s"
	Tick TickFunc // the job
	// AtStart also runs the job once when the scheduler starts, to catch
	// up on moments that passed while lebot was down.
	AtStart bool
	// Every makes the entry a loop instead of a cron entry (Spec is then
	// ignored): it runs at start, then every Every and whenever Trigger
	// names it, one run at a time.
	Every time.Duration
	// Timeout bounds one run; 0 is the runner's. Unlocked runs take no
	// store lock (see Job).
	Timeout  time.Duration
	Unlocked bool
}

func (e Entry) job() Job {
	return Job{Name: e.Name, Tick: e.Tick, Timeout: e.Timeout, Unlocked: e.Unlocked}
}

// Scheduler runs entries on robfig/cron in the team's zone, with the
// chain Recover and SkipIfStillRunning, and loop entries on their own
// tickers; every run goes through the Runner.
type Scheduler struct {
	c      *cron.Cron
	runner *Runner
	now    func() time.Time
	log    *slog.Logger
	after  func()
	met    *metrics.Metrics
	start  []Entry
	loops  []Entry
	wake   map[string]chan struct{} // loop entry name -> its trigger
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// SchedulerConfig configures a Scheduler.
type SchedulerConfig struct {
	Location *time.Location // TIMEZONE; required
	Runner   *Runner        // required
	Entries  []Entry
	Now      func() time.Time // default time.Now
	Logger   *slog.Logger
	// AfterRun is called after each run that did its work (kick the
	// outbox dispatcher so reminders go out at once).
	AfterRun func()
	// Metrics counts runs by job and result and times them; nil: none.
	Metrics *metrics.Metrics
}

// NewScheduler validates every entry's spec and builds the schedule.
func NewScheduler(cfg SchedulerConfig) (*Scheduler, error) {
	if cfg.Location == nil || cfg.Runner == nil {
		return nil, errors.New("jobs: scheduler needs a location and a runner")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = discard()
	}
	if cfg.AfterRun == nil {
		cfg.AfterRun = func() {}
	}
	cl := cronLogger{cfg.Logger}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Scheduler{runner: cfg.Runner, now: cfg.Now, log: cfg.Logger, after: cfg.AfterRun, met: cfg.Metrics, ctx: ctx, cancel: cancel,
		wake: map[string]chan struct{}{},
		c: cron.New(cron.WithLocation(cfg.Location), cron.WithLogger(cl),
			cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))}
	for _, e := range cfg.Entries {
		if e.Tick == nil {
			continue
		}
		if e.Every > 0 {
			s.loops = append(s.loops, e)
			s.wake[e.Name] = make(chan struct{}, 1)
			continue
		}
		if _, err := s.c.AddFunc(e.Spec, func() { s.run(e) }); err != nil {
			cancel()
			return nil, fmt.Errorf("jobs: %s schedule %q: %w", e.Name, e.Spec, err)
		}
		if e.AtStart {
			s.start = append(s.start, e)
		}
	}
	return s, nil
}

// run runs e once through the runner, counts and times it, and calls
// AfterRun when it did its work. A run cut short by Stop is not counted.
func (s *Scheduler) run(e Entry) {
	start := time.Now()
	err := s.runner.Do(s.ctx, e.job(), s.now())
	if s.ctx.Err() != nil {
		return
	}
	s.met.JobRun(e.Name, RunResult(err), time.Since(start))
	if err == nil {
		s.after()
	}
}

// RunResult names the outcome of Runner.Do for the metrics: "ok",
// "error" or "skipped" (ErrBusy: another replica or run held the job).
func RunResult(err error) string {
	switch {
	case errors.Is(err, ErrBusy):
		return "skipped"
	case err != nil:
		return "error"
	}
	return "ok"
}

// Start runs the AtStart entries once and starts the loops, then starts
// the schedule; it returns at once.
func (s *Scheduler) Start() {
	s.c.Start()
	s.wg.Go(func() {
		for _, e := range s.start {
			s.run(e)
		}
	})
	for _, e := range s.loops {
		s.wg.Go(func() { s.loop(e) })
	}
}

// loop runs e now, then every e.Every and whenever it is triggered,
// until Stop.
func (s *Scheduler) loop(e Entry) {
	t := time.NewTicker(e.Every)
	defer t.Stop()
	for {
		s.run(e)
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		case <-s.wake[e.Name]:
		}
	}
}

// Trigger makes the loop entry name run now rather than at its next
// tick (an emergency arrived, someone paged by hand); a run in progress
// is followed by one more. It never blocks, and does nothing for a name
// that is not a loop entry.
func (s *Scheduler) Trigger(name string) {
	select {
	case s.wake[name] <- struct{}{}:
	default:
	}
}

// Stop stops the schedule, cancels runs in progress and waits for them
// (at most until ctx ends).
func (s *Scheduler) Stop(ctx context.Context) {
	done := s.c.Stop()
	s.cancel()
	all := make(chan struct{})
	go func() { <-done.Done(); s.wg.Wait(); close(all) }()
	select {
	case <-all:
	case <-ctx.Done():
	}
}

// cronLogger sends robfig/cron's logging to slog; cron's Info is
// per-run chatter, so it goes to Debug.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
