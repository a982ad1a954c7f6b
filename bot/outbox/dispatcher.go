package outbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"sync"
	"time"

	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/store"
)

// Store is the part of the store the dispatcher uses; store.Store
// satisfies it. Implementations are safe for concurrent use and honour
// ctx.
type Store interface {
	Claim(ctx context.Context, now time.Time, lease time.Duration, max int) ([]store.OutboxItem, error)
	Ack(ctx context.Context, id string) error
	Retry(ctx context.Context, id string, next time.Time, lastErr string, maxAttempts int) error
}

var _ Store = store.Store(nil)

// Config configures a Dispatcher; zero fields take the defaults.
type Config struct {
	Store       Store            // required
	Logger      *slog.Logger     // default discards
	Now         func() time.Time // default time.Now
	Lease       time.Duration    // how long a claimed item is ours; default 2m
	Batch       int              // items claimed at once; default 10
	MaxAttempts int              // attempts before dead-lettering; default 12
	MinBackoff  time.Duration    // first retry delay; default 5s
	MaxBackoff  time.Duration    // longest retry delay; default 30m
	Poll        time.Duration    // Run's polling interval; default 2s
	SendTimeout time.Duration    // per item; default 1m (must stay under Lease)
	// Jitter returns a number in [0, 1); default math/rand/v2.Float64.
	Jitter func() float64
	// Metrics counts deliveries by target and result; nil: none.
	Metrics *metrics.Metrics
}

// Dispatcher drains the outbox: it claims due items with a lease, sends
// each through the SendFunc registered for its Kind, acknowledges the
// delivered ones and retries the rest with exponential backoff and
// jitter, honouring Slack's Retry-After. Several dispatchers (replicas)
// may drain one store; the lease keeps an item with one of them.
type Dispatcher struct {
	cfg  Config
	log  *slog.Logger
	kick chan struct{}

	mu       sync.RWMutex
	handlers map[string]handler
}

// handler is the SendFunc of a kind and where its items go.
type handler struct {
	target string
	send   SendFunc
}

// New validates cfg and fills its defaults.
func New(cfg Config) (*Dispatcher, error) {
	if cfg.Store == nil {
		return nil, errors.New("outbox: dispatcher needs a store")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Lease, 2*time.Minute)
	def(&cfg.MinBackoff, 5*time.Second)
	def(&cfg.MaxBackoff, 30*time.Minute)
	def(&cfg.Poll, 2*time.Second)
	def(&cfg.SendTimeout, time.Minute)
	if cfg.SendTimeout >= cfg.Lease {
		return nil, fmt.Errorf("outbox: send timeout %v must be shorter than the lease %v", cfg.SendTimeout, cfg.Lease)
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 10
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 12
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Jitter == nil {
		cfg.Jitter = rand.Float64
	}
	d := &Dispatcher{cfg: cfg, log: cfg.Logger, kick: make(chan struct{}, 1), handlers: map[string]handler{}}
	return d, nil
}

// Handle registers fn for items of kind, replacing any earlier one;
// target names where they go in the metrics ("slack", "pagerduty",
// "email").
func (d *Dispatcher) Handle(kind, target string, fn SendFunc) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.handlers[kind] = handler{target, fn}
}

// Kick makes a running Run drain now instead of at its next poll (call it
// after enqueueing something urgent). It never blocks.
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run drains the outbox until ctx is cancelled, then returns nil after
// finishing the item in hand.
func (d *Dispatcher) Run(ctx context.Context) error {
	t := time.NewTicker(d.cfg.Poll)
	defer t.Stop()
	for {
		n, err := d.DrainOnce(ctx, d.cfg.Now())
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			d.log.Warn("outbox drain failed", "error", err)
		}
		if n > 0 {
			// More may be waiting: a full batch's rest, or items ordered
			// behind one just delivered (a card's update, then its thread
			// note), which were not due until it was.
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-d.kick:
		}
	}
}

// DrainOnce claims the items due at now and sends them one by one. It
// returns how many it delivered, and the store errors met (delivery
// failures are not errors: those items are retried). When ctx is
// cancelled it finishes the item in hand and releases the rest.
func (d *Dispatcher) DrainOnce(ctx context.Context, now time.Time) (int, error) {
	items, err := d.cfg.Store.Claim(ctx, now, d.cfg.Lease, d.cfg.Batch)
	if err != nil {
		return 0, fmt.Errorf("claim outbox items: %w", err)
	}
	delivered := 0
	var errs []error
	for i, it := range items {
		if ctx.Err() != nil {
			errs = append(errs, d.release(ctx, items[i:], now))
			break
		}
		ok, err := d.dispatch(ctx, it, now)
		if ok {
			delivered++
		}
		errs = append(errs, err)
	}
	return delivered, errors.Join(errs...)
}

// release hands claimed items back at once, without counting against
// their attempts, so another dispatcher need not wait for the lease.
func (d *Dispatcher) release(ctx context.Context, items []store.OutboxItem, now time.Time) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	var errs []error
	for _, it := range items {
		if err := d.cfg.Store.Retry(ctx, it.ID, now, "released at shutdown", 0); err != nil {
			errs = append(errs, fmt.Errorf("release outbox item %s: %w", it.ID, err))
		}
	}
	return errors.Join(errs...)
}

// dispatch sends one item and records the outcome. The send runs on a
// context that survives ctx's cancellation (bounded by SendTimeout), so a
// shutdown never abandons a post between Slack and the store.
func (d *Dispatcher) dispatch(ctx context.Context, it store.OutboxItem, now time.Time) (bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.cfg.SendTimeout)
	defer cancel()
	log := d.log.With("outbox_id", it.ID, "kind", it.Kind, "request", it.RequestID, "attempt", it.Attempts)
	target, err := d.send(ctx, it)
	if err == nil {
		if err := d.cfg.Store.Ack(ctx, it.ID); err != nil {
			return true, fmt.Errorf("ack outbox item %s: %w", it.ID, err)
		}
		log.Debug("outbox item delivered")
		d.cfg.Metrics.Send(target, "ok")
		return true, nil
	}
	next, maxAttempts := d.schedule(it, err, now)
	code := Code(err)
	if rerr := d.cfg.Store.Retry(ctx, it.ID, next, truncate(err.Error(), 500), maxAttempts); rerr != nil {
		return false, fmt.Errorf("retry outbox item %s: %w", it.ID, rerr)
	}
	if maxAttempts > 0 && it.Attempts >= maxAttempts {
		log.Error("outbox item dead-lettered", "code", code, "permanent", IsPermanent(err), "error", logErrText(err))
		d.cfg.Metrics.Send(target, "dead")
		return false, nil
	}
	log.Warn("outbox item failed; will retry", "code", code, "next", next, "error", logErrText(err))
	result := "retry"
	if code == "ratelimited" {
		result = "ratelimited"
	}
	d.cfg.Metrics.Send(target, result)
	return false, nil
}

// send runs the kind's SendFunc, recovering a panic into an error, and
// says where the item went for the metrics.
func (d *Dispatcher) send(ctx context.Context, it store.OutboxItem) (target string, err error) {
	d.mu.RLock()
	h, ok := d.handlers[it.Kind]
	d.mu.RUnlock()
	if !ok {
		// An older replica may meet a kind a newer one enqueued: retry
		// rather than drop it.
		return "slack", fmt.Errorf("no handler for outbox kind %q", it.Kind)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("outbox %s handler panicked: %v", it.Kind, p)
		}
	}()
	return h.target, h.send(ctx, it)
}

// schedule decides when a failed item is tried again and the attempt
// limit to pass to Retry (0: never dead-letter).
func (d *Dispatcher) schedule(it store.OutboxItem, err error, now time.Time) (time.Time, int) {
	var (
		th *throttledError
		ra *retryAfterError
	)
	switch {
	case IsPermanent(err):
		return now, 1
	case errors.As(err, &th):
		// Being throttled is not a failure of the item: it waits as long
		// as the service asks, plus up to a second so a burst does not
		// return in lockstep, and never dead-letters for it.
		return now.Add(th.after + time.Duration(d.cfg.Jitter()*float64(time.Second))), 0
	case errors.As(err, &ra):
		return now.Add(ra.after), d.cfg.MaxAttempts
	}
	return now.Add(d.backoff(it.Attempts)), d.cfg.MaxAttempts
}

// backoff is MinBackoff doubled per attempt, capped at MaxBackoff, with
// "equal jitter": a random point in its upper half.
func (d *Dispatcher) backoff(attempt int) time.Duration {
	b := d.cfg.MinBackoff
	for i := 1; i < attempt && b < d.cfg.MaxBackoff; i++ {
		b *= 2
	}
	b = min(b, d.cfg.MaxBackoff)
	return b/2 + time.Duration(d.cfg.Jitter()*float64(b/2))
}

// reAddress matches an e-mail address in a delivery error: a mail relay's
// refusal may quote the recipient, and logs never carry addresses.
var reAddress = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)

// logErrText is a delivery error as logged: the service's own words,
// shortened, with e-mail addresses masked.
func logErrText(err error) string {
	return truncate(reAddress.ReplaceAllString(err.Error(), "<address>"), 300)
}

// truncate shortens s to n runes, ending with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
