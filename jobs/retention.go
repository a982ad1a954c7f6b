package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// RetentionStore is the part of the store the retention job uses;
// store.Store satisfies it.
type RetentionStore interface {
	Range(ctx context.Context, idx store.Index, from, to time.Time, limit int) ([]*legal.Request, error)
	GetRequest(ctx context.Context, id string) (*legal.Request, error)
	PurgeRaw(ctx context.Context, id string) error
	UpdateRequest(ctx context.Context, req *legal.Request, audit store.AuditEntry, outbox ...store.OutboxItem) error
}

var _ RetentionStore = store.Store(nil)

// retentionPage is how many requests one Range of the retention job reads.
const retentionPage = 100

// Retention deletes what lebot need not keep about requests that stopped
// being open more than Days days ago: the raw message (and with it the
// attached legal process) and the target identifiers and agent's e-mail
// and phone. It keeps the request's id, kinds, status, dates, checklist
// outcomes and audit trail: a record that the request existed and how it
// was handled. Days <= 0 keeps everything (legal holds make deletion a
// deliberate choice). Each run walks IndexClosed up to the cut-off, so
// its cost grows with the requests it purges, not with all requests; a
// purged request leaves the index, so a second run does nothing.
type Retention struct {
	st   RetentionStore
	days int
	log  *slog.Logger
}

// NewRetention returns the retention job keeping days days (0: all).
func NewRetention(st RetentionStore, days int, log *slog.Logger) (*Retention, error) {
	if st == nil {
		return nil, errors.New("jobs: retention needs a store")
	}
	if days < 0 {
		return nil, fmt.Errorf("jobs: retention days must be 0 or more, got %d", days)
	}
	if log == nil {
		log = discard()
	}
	return &Retention{st: st, days: days, log: log}, nil
}

// Tick runs the retention job as of now (for the scheduler).
func (r *Retention) Tick(ctx context.Context, now time.Time) error {
	ids, err := r.Run(ctx, now, false)
	if len(ids) > 0 {
		r.log.Info("retention: purged raw messages and identifiers", "count", len(ids), "days", r.days)
	}
	return err
}

// Run purges every request closed before now minus the retention days
// and returns their ids; a dry run only lists them.
func (r *Retention) Run(ctx context.Context, now time.Time, dry bool) ([]string, error) {
	if r.days <= 0 {
		return nil, nil
	}
	cutoff := now.AddDate(0, 0, -r.days)
	var done []string
	seen := map[string]bool{}
	from, limit := time.Unix(0, 0), retentionPage
	for {
		page, err := r.st.Range(ctx, store.IndexClosed, from, cutoff, limit)
		if err != nil {
			return done, fmt.Errorf("retention: %w", err)
		}
		fresh := 0
		for _, p := range page {
			if seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			fresh++
			ok, err := r.purge(ctx, p.ID, now, cutoff, dry)
			if err != nil {
				return done, fmt.Errorf("retention: %s: %w", p.ID, err)
			}
			if ok {
				done = append(done, p.ID)
			}
		}
		if len(page) < limit {
			return done, nil
		}
		if fresh == 0 { // a page of one instant, all seen: widen it
			limit += retentionPage
			continue
		}
		// Resume at the last instant read (inclusive): purged requests
		// have left the index, a dry run's and skipped ones are in seen.
		if t, ok := store.IndexTime(page[len(page)-1], store.IndexClosed); ok {
			from = t
		}
		limit = retentionPage
	}
}

// purge re-reads id and, if it is still closed before cutoff and not yet
// purged, deletes its raw message, redacts it and records that.
func (r *Retention) purge(ctx context.Context, id string, now, cutoff time.Time, dry bool) (bool, error) {
	for range 5 { // retried on a concurrent edit
		req, err := r.st.GetRequest(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		closed, in := store.IndexTime(req, store.IndexClosed)
		if req.Status.Open() || !req.Purged.IsZero() || !in || !closed.Before(cutoff) {
			return false, nil // reopened, already purged, or closed again since
		}
		if dry {
			return true, nil
		}
		// The raw message goes first: should the update fail, the request
		// stays in the index and the next run finishes the job.
		if err := r.st.PurgeRaw(ctx, id); err != nil {
			return false, err
		}
		Redact(req, now)
		err = r.st.UpdateRequest(ctx, req, store.AuditEntry{At: now, Actor: "lebot", Action: "retention",
			Note: fmt.Sprintf("raw message and identifiers deleted after %d days", r.days)},
			bot.CardUpdateItem(id))
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		return err == nil, err
	}
	return false, fmt.Errorf("kept changing while being purged; the next run retries")
}

// Redact removes the target identifiers and the agent's e-mail and phone
// (also as the message's From and Reply-To; the sender domain stays), and
// the same of its follow-ups and replies (redactCorrespondence), from req
// and sets Purged. The checklist outcomes that depend on them
// (account identifier, agent contact) are first recorded as decisions by
// lebot, unless a person already decided them, so the record still shows
// how the request measured up.
func Redact(req *legal.Request, now time.Time) {
	for _, res := range legal.Evaluate(req.Facts, req.Decisions) {
		if res.Decision != nil || (res.Item != legal.ItemAccountIdentifier && res.Item != legal.ItemAgentContact) {
			continue
		}
		if req.Decisions == nil {
			req.Decisions = map[legal.ItemID]legal.Decision{}
		}
		req.Decisions[res.Item] = legal.Decision{Outcome: res.Outcome, By: "lebot", At: now,
			Note: "automatic result kept at retention: " + res.Reason}
	}
	req.Facts.Identifiers = nil
	req.Facts.Agent.Email = ""
	req.Facts.Agent.Phone = ""
	// The subject line often names a target number or account too.
	req.From, req.ReplyTo, req.Subject = "", "", ""
	redactCorrespondence(req)
	req.Purged = now
}

// redactCorrespondence removes from the follow-ups and replies recorded
// on req what came from or went to the agency's mail, as Redact does for
// the request's own message: each follow-up's sender and subject, and
// each reply's recipients, subject and the mail server's words when it
// was refused (they quote the address). What happened stays: when each
// follow-up came and what it met, and who sent which kind of reply when.
func redactCorrespondence(req *legal.Request) {
	for i := range req.FollowUps {
		req.FollowUps[i].From, req.FollowUps[i].Subject = "", ""
	}
	for i := range req.Replies {
		x := &req.Replies[i]
		x.To, x.Subject = nil, ""
		if x.Refused != "" {
			x.Refused = RefusalDeleted
		}
	}
}

// RefusalDeleted stands for a refused reply's server words once
// retention deleted them: the reply still reads as refused.
const RefusalDeleted = "the mail server's words were deleted under the retention policy"
