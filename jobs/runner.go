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

// ErrBusy means a job did not run because it is running already: on
// another replica (which holds its store lock) or in this process.
var ErrBusy = errors.New("running elsewhere")

// Job is one named piece of periodic work and how it runs.
type Job struct {
	Name string // lock and log name: "reminders", "digest", "escalations"
	Tick TickFunc
	// Timeout bounds one run (and the lock); 0 is the runner's timeout.
	Timeout time.Duration
	// Unlocked jobs take no store lock: every replica runs them at once,
	// for work that is safe so (the escalator takes each step by the
	// request's version) and must not wait for another replica's run.
	Unlocked bool
}

// Runner runs jobs in isolation — the one path every run takes, from the
// schedule or `lebot jobs run`: under the store lock "job:NAME" (held
// for the run, at most its timeout), with a context of its own that ends
// after the timeout, recovering a panic into an error, and logging with
// the job's name. It is safe for concurrent use.
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

// Do runs job as of now. It returns ErrBusy, doing nothing, when another
// replica holds the job's lock or this process is already running it
// (the store lock is re-entrant for its owner, so this process keeps
// its own count); otherwise the job's error, a panic turned into one.
func (r *Runner) Do(ctx context.Context, job Job, now time.Time) (err error) {
	log := r.log.With("job", job.Name)
	if !r.enter(job.Name) {
		log.Debug("job already running in this process; skipped")
		return fmt.Errorf("job %s: %w", job.Name, ErrBusy)
	}
	defer r.leave(job.Name)
	timeout := job.Timeout
	if timeout <= 0 {
		timeout = r.timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if !job.Unlocked {
		release, err := r.lock(ctx, log, job.Name, timeout)
		if err != nil {
			return err
		}
		defer release()
	}
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", job.Name, p)
		}
		if err != nil {
			log.Error("job failed", "err", err, "took", time.Since(start))
			return
		}
		log.Debug("job done", "took", time.Since(start))
	}()
	return job.Tick(ctx, now)
}

// lock takes the job's store lock for ttl; release gives it back.
func (r *Runner) lock(ctx context.Context, log *slog.Logger, name string, ttl time.Duration) (release func(), err error) {
	lock := "job:" + name
	ok, err := r.locker.AcquireLock(ctx, lock, r.owner, ttl)
	if err != nil {
		log.Warn("job lock failed", "err", err)
		return nil, fmt.Errorf("job %s: lock: %w", name, err)
	}
	if !ok {
		log.Debug("job running on another replica; skipped")
		return nil, fmt.Errorf("job %s: %w", name, ErrBusy)
	}
	return func() {
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer rcancel()
		if err := r.locker.ReleaseLock(rctx, lock, r.owner); err != nil {
			log.Warn("job unlock failed", "err", err)
		}
	}, nil
}

// Run runs fn as job name as of now, like Do; ran is false, with no
// error, when the job is busy elsewhere (ErrBusy), which for a scheduled
// tick is no failure.
func (r *Runner) Run(ctx context.Context, name string, now time.Time, fn TickFunc) (ran bool, err error) {
	err = r.Do(ctx, Job{Name: name, Tick: fn}, now)
	if errors.Is(err, ErrBusy) {
		return false, nil
	}
	return true, err
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
