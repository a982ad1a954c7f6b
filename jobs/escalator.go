package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// EscalationStore is the part of the store the escalator uses;
// store.Store satisfies it. Implementations are safe for concurrent use,
// honour ctx and wrap store.ErrConflict and store.ErrNotFound.
type EscalationStore interface {
	Range(ctx context.Context, idx store.Index, from, to time.Time, limit int) ([]*legal.Request, error)
	GetRequest(ctx context.Context, id string) (*legal.Request, error)
	UpdateRequest(ctx context.Context, req *legal.Request, audit store.AuditEntry, outbox ...store.OutboxItem) error
	OnCall(ctx context.Context) (store.OnCall, error)
}

var _ EscalationStore = store.Store(nil)

// EscalatorConfig configures an Escalator.
type EscalatorConfig struct {
	Store  EscalationStore    // required
	Policy legal.OnCallPolicy // ONCALL_USERS and ONCALL_ROTATION
	Delay  time.Duration      // ESCALATION_DELAY; default 5m
	// Rounds is ESCALATION_REPEAT: how many times the levels are paged in
	// turn before the channel is told nobody answered; default 3, and
	// at least 1.
	Rounds    int
	PagerDuty bool   // enqueue PagerDuty events (PAGERDUTY_ROUTING_KEY set)
	Email     bool   // enqueue page e-mails (OUTBOUND_SMTP_URL set)
	Kick      func() // wakes the outbox dispatcher after a step; may be nil
	Logger    *slog.Logger
	Batch     int // requests handled per tick; default 100
}

// Escalator takes due escalation steps: each tick it pages the next
// level of every emergency whose NextEscalation has come and nobody has
// acknowledged. It is safe to run on several replicas at once: a step is
// claimed by the request's version (UpdateRequest fails with ErrConflict
// for all but one replica), and the step's pages, its audit entry and the
// next step's time are written in that one atomic update, so a crash
// either took the whole step or none of it.
type Escalator struct {
	cfg EscalatorConfig
	log *slog.Logger
}

// NewEscalator validates cfg and fills its defaults.
func NewEscalator(cfg EscalatorConfig) (*Escalator, error) {
	if cfg.Store == nil {
		return nil, errors.New("jobs: escalator needs a store")
	}
	if cfg.Delay <= 0 {
		cfg.Delay = 5 * time.Minute
	}
	if cfg.Rounds <= 0 {
		cfg.Rounds = 3
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Escalator{cfg: cfg, log: cfg.Logger}, nil
}

// Tick takes every escalation step due at now. It returns the store
// errors met; the steps it could not take are taken by a later tick.
func (e *Escalator) Tick(ctx context.Context, now time.Time) error {
	due, err := e.cfg.Store.Range(ctx, store.IndexEscalation, time.Unix(0, 0), now.Add(time.Millisecond), e.cfg.Batch)
	if err != nil {
		return fmt.Errorf("escalations due: %w", err)
	}
	var (
		errs  []error
		taken int
	)
	for _, r := range due {
		ok, err := e.step(ctx, r, now)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			taken++
		}
	}
	if taken > 0 && e.cfg.Kick != nil {
		e.cfg.Kick()
	}
	return errors.Join(errs...)
}

// step takes r's due step, re-reading it on a conflict: if another
// replica took the step meanwhile, its NextEscalation is no longer due
// and nothing is done. It reports whether it enqueued pages.
func (e *Escalator) step(ctx context.Context, r *legal.Request, now time.Time) (bool, error) {
	log := e.log.With("request", r.ID)
	for attempt := 0; ; attempt++ {
		if r.NextEscalation.IsZero() || r.NextEscalation.After(now) {
			return false, nil
		}
		audit, items, err := e.plan(ctx, r, now)
		if err != nil {
			return false, err
		}
		err = e.cfg.Store.UpdateRequest(ctx, r, audit, items...)
		if err == nil {
			log.Info("escalation step taken", "action", audit.Action, "step", r.EscalationStep)
			return len(items) > 0, nil
		}
		if !errors.Is(err, store.ErrConflict) || attempt >= 5 {
			return false, fmt.Errorf("escalation step of %s: %w", r.ID, err)
		}
		if r, err = e.cfg.Store.GetRequest(ctx, r.ID); err != nil {
			return false, fmt.Errorf("re-read %s: %w", r.ID, err)
		}
	}
}

// plan changes r for its due step and returns the audit entry and the
// outbox items to write with it.
func (e *Escalator) plan(ctx context.Context, r *legal.Request, now time.Time) (store.AuditEntry, []store.OutboxItem, error) {
	audit := store.AuditEntry{RequestID: r.ID, At: now, Actor: "lebot"}
	if r.AckedBy != "" || !r.Status.Open() {
		// Acknowledged or finished since it was scheduled: stop quietly.
		r.NextEscalation = time.Time{}
		audit.Action, audit.Note = "escalation_stopped", "acknowledged or finished before the next step"
		return audit, nil, nil
	}
	oc, err := e.cfg.Store.OnCall(ctx)
	if err != nil {
		return audit, nil, fmt.Errorf("on-call settings: %w", err)
	}
	levels := e.cfg.Policy.Effective(onCallSettings(oc), now)
	total := len(levels) * e.cfg.Rounds
	step := r.EscalationStep
	pg := bot.Page{Step: step, Levels: len(levels), Rounds: e.cfg.Rounds}
	if step >= total {
		pg.Final = true
		if len(levels) == 0 {
			pg.Reason = "nobody is on call (set the levels with `/legal oncall set`)"
		}
		r.NextEscalation, r.EscalationStep = time.Time{}, step+1
		audit.Action, audit.Note = "page_unanswered", "nobody acknowledged: alerted the channel with @here"
		if pg.Reason != "" {
			audit.Note = "nobody is on call: alerted the channel with @here"
		}
		return audit, bot.PageItems(r.ID, pg, e.cfg.PagerDuty, false), nil
	}
	pg.Level, pg.Round = step%len(levels)+1, step/len(levels)+1
	pg.Targets = levels[step%len(levels)]
	pg.Next = shortDuration(e.cfg.Delay)
	r.NextEscalation, r.EscalationStep = now.Add(e.cfg.Delay), step+1
	audit.Action = "page"
	audit.After = strings.Join(pg.Targets, ",")
	audit.Note = fmt.Sprintf("step %d: paged level %d of %d (round %d of %d)", step+1, pg.Level, pg.Levels, pg.Round, pg.Rounds)
	return audit, bot.PageItems(r.ID, pg, e.cfg.PagerDuty, e.cfg.Email), nil
}

// shortDuration writes 5m0s as 5m and 1h30m0s as 1h30m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// onCallSettings is the stored on-call state in legal's terms.
func onCallSettings(oc store.OnCall) legal.OnCallSettings {
	s := legal.OnCallSettings{Levels: oc.Levels}
	for _, o := range oc.Overrides {
		s.Overrides = append(s.Overrides, legal.OnCallOverride{User: o.User, Until: o.Until})
	}
	return s
}
