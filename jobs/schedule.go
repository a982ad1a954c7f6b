package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/lebot-dev/lebot/internal/metrics"
)

// TickFunc runs one job as of now.
type TickFunc func(ctx context.Context, now time.Time) error

// Locker takes the store lock that makes a tick run on one replica;
// store.Store is one.
type Locker interface {
	AcquireLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)
	ReleaseLock(ctx context.Context, name, owner string) error
}

// DefaultTimeout bounds one run of a job.
const DefaultTimeout = 5 * time.Minute

// Runner runs jobs in isolation: under the store lock "job:NAME" (held
// for the run, at most Timeout), with a context of its own that ends after
// Timeout, recovering a panic into an error, and logging with the job's
// name. It is safe for concurrent use.
type Runner struct {
	locker  Locker
	owner   string
	timeout time.Duration
	log     *slog.Logger

	mu   sync.Mutex
	busy map[string]bool // jobs running in this process
}

// NewRunner returns a Runner. owner names this process in locks (default:
// host name, pid and random bytes); timeout <= 0 means DefaultTimeout.
func NewRunner(locker Locker, owner string, timeout time.Duration, log *slog.Logger) (*Runner, error) {
	if locker == nil {
		return nil, errors.New("jobs: runner needs a store for its locks")
	}
	if owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if log == nil {
		log = discard()
	}
	return &Runner{locker: locker, owner: owner, timeout: timeout, log: log, busy: map[string]bool{}}, nil
}

// Run runs fn as of now if this process gets the job's lock; ran is false
// when another replica holds it, or this process is already running the
// job (the store lock is re-entrant for its owner), which is not an error.
func (r *Runner) Run(ctx context.Context, name string, now time.Time, fn TickFunc) (ran bool, err error) {
	log := r.log.With("job", name)
	if !r.enter(name) {
		log.Debug("job already running in this process; skipped")
		return false, nil
	}
	defer r.leave(name)
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	lock := "job:" + name
	ok, err := r.locker.AcquireLock(ctx, lock, r.owner, r.timeout)
	if err != nil {
		log.Warn("job lock failed", "err", err)
		return false, fmt.Errorf("job %s: lock: %w", name, err)
	}
	if !ok {
		log.Debug("job running on another replica; skipped")
		return false, nil
	}
	defer func() {
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer rcancel()
		if err := r.locker.ReleaseLock(rctx, lock, r.owner); err != nil {
			log.Warn("job unlock failed", "err", err)
		}
	}()
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", name, p)
		}
		if err != nil {
			log.Error("job failed", "err", err, "took", time.Since(start))
			return
		}
		log.Debug("job done", "took", time.Since(start))
	}()
	ran = true // before fn, so a panic still reports that the job ran
	return ran, fn(ctx, now)
}

func (r *Runner) enter(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.busy[name] {
		return false
	}
	r.busy[name] = true
	return true
}

func (r *Runner) leave(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.busy, name)
}

// Entry is a job on a schedule.
type Entry struct {
	Name string   // lock and log name: "reminders", "digest", "escalations"
	Spec string   // 5-field cron spec or a descriptor such as "@every 30s"
	Tick TickFunc // the job
	// AtStart also runs the job once when the scheduler starts, to catch
	// up on moments that passed while lebot was down.
	AtStart bool
}

// Scheduler runs entries on robfig/cron in the team's zone, with the
// chain Recover and SkipIfStillRunning, each run through a Runner.
type Scheduler struct {
	c      *cron.Cron
	runner *Runner
	now    func() time.Time
	log    *slog.Logger
	after  func()
	met    *metrics.Metrics
	start  []Entry
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
		c: cron.New(cron.WithLocation(cfg.Location), cron.WithLogger(cl),
			cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))}
	for _, e := range cfg.Entries {
		if e.Tick == nil {
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

func (s *Scheduler) run(e Entry) {
	start := time.Now()
	ran, err := s.runner.Run(s.ctx, e.Name, s.now(), e.Tick)
	s.met.JobRun(e.Name, RunResult(ran, err), time.Since(start))
	if ran && err == nil {
		s.after()
	}
}

// RunResult names the outcome of Runner.Run for the metrics: "ok",
// "error" or "skipped" (another replica or run held the job).
func RunResult(ran bool, err error) string {
	switch {
	case err != nil:
		return "error"
	case !ran:
		return "skipped"
	}
	return "ok"
}

// Start runs the AtStart entries once, then starts the schedule; it
// returns at once.
func (s *Scheduler) Start() {
	s.c.Start()
	s.wg.Go(func() {
		for _, e := range s.start {
			s.run(e)
		}
	})
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
