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

// Look-back of the expiry indexes: an expiry reminder missed while the
// bot was down is caught up within this many days of its date. The
// look-ahead is a week longer than the earliest reminder, which may move
// back over a weekend and a holiday.
const expiryLookBack = 8

// Reminders computes and sends deadline reminders and preservation, NDO
// and order expiries. It is safe for concurrent use.
type Reminders struct {
	st  Store
	cal *legal.Calendar
	log *slog.Logger
}

// NewReminders returns the reminders job over st, counting business days
// and placing moments with cal (TIMEZONE). A nil log discards.
func NewReminders(st Store, cal *legal.Calendar, log *slog.Logger) (*Reminders, error) {
	if st == nil || cal == nil {
		return nil, errors.New("jobs: reminders need a store and a calendar")
	}
	if log == nil {
		log = discard()
	}
	return &Reminders{st: st, cal: cal, log: log}, nil
}

// Run plans the reminders due as of now and, unless dry, enqueues each
// once. Its store round trips grow with the requests that are due or
// expiring soon, not with all requests: every query walks a time index.
func (r *Reminders) Run(ctx context.Context, now time.Time, dry bool) (Result, error) {
	msgs, err := r.plan(ctx, now)
	if err != nil {
		return Result{}, err
	}
	if msgs, err = unsent(ctx, r.st, msgs); err != nil {
		return Result{}, fmt.Errorf("read reminder markers: %w", err)
	}
	res := Result{Planned: msgs}
	if dry {
		return res, nil
	}
	res.Sent, err = send(ctx, r.st, msgs)
	if err != nil {
		return res, fmt.Errorf("enqueue reminders: %w", err)
	}
	return res, nil
}

// Tick is Run for the scheduler.
func (r *Reminders) Tick(ctx context.Context, now time.Time) error {
	res, err := r.Run(ctx, now, false)
	if res.Sent > 0 {
		r.log.Info("reminders enqueued", "count", res.Sent)
	}
	return err
}

// plan lists every reminder whose latest moment has passed by now.
func (r *Reminders) plan(ctx context.Context, now time.Time) ([]Message, error) {
	today := r.cal.DateOf(now)
	utc := func(d legal.Date) time.Time { return d.In(time.UTC) }
	// A response is reminded from 3 business days before its due day; an
	// overdue one daily until it leaves the due index (responded,
	// rejected or closed), however long ago it was due.
	dueTo := r.cal.AddBusinessDays(today, 3).AddDays(1).In(r.cal.Location())
	queries := []struct {
		idx      store.Index
		from, to time.Time
		moments  func(*legal.Request) []moment
	}{
		{store.IndexDue, time.Unix(0, 0), dueTo, func(q *legal.Request) []moment {
			return dueMoments(r.cal, q, now)
		}},
		{store.IndexPreservation, utc(today.AddDays(-expiryLookBack)), utc(today.AddDays(21)), func(q *legal.Request) []moment {
			return preservationMoments(r.cal, *q.Preservation)
		}},
		{store.IndexNDO, utc(today.AddDays(-expiryLookBack - 1)), utc(today.AddDays(37)), func(q *legal.Request) []moment {
			return ndoMoments(r.cal, *q.NDO.Until)
		}},
		{store.IndexOrder, utc(today.AddDays(-expiryLookBack)), utc(today.AddDays(14)), func(q *legal.Request) []moment {
			kind := legal.KindPenTrap
			if q.Facts.HasKind(legal.KindWiretap) {
				kind = legal.KindWiretap
			}
			return orderMoments(r.cal, kind, *q.OrderExpires)
		}},
	}
	var out []Message
	for _, q := range queries {
		reqs, err := r.st.Range(ctx, q.idx, q.from, q.to, 0)
		if err != nil {
			return nil, fmt.Errorf("reminders: %w", err)
		}
		for _, req := range reqs {
			if !indexed(q.idx, req) {
				continue // the index and the request disagree: skip, never guess
			}
			if m, ok := latest(q.moments(req), now, req.ReceivedAt); ok {
				out = append(out, r.message(req, m, now))
			}
		}
	}
	return out, nil
}

// indexed reports whether req has the field its index entry stands for.
func indexed(idx store.Index, req *legal.Request) bool {
	switch idx {
	case store.IndexDue:
		return !req.Due.IsZero() && req.Status.Open()
	case store.IndexPreservation:
		return req.Preservation != nil && !req.Preservation.Released
	case store.IndexNDO:
		return req.NDO.Active && req.NDO.Until != nil
	case store.IndexOrder:
		return req.OrderExpires != nil && req.Status.Open()
	}
	return false
}

// todayOverdue is the marker of today's overdue reminder when m is an
// earlier day's, caught up before today's own moment (09:00): sending m
// now stands for today's, which would otherwise follow within hours.
func (r *Reminders) todayOverdue(req *legal.Request, m moment, now time.Time) string {
	today := r.cal.DateOf(now)
	if m.stage != "overdue" || !today.After(r.cal.DateOf(m.at)) || !today.After(r.cal.DateOf(req.Due)) ||
		!r.cal.IsBusinessDay(today) || !morning(r.cal, today).After(now) {
		return ""
	}
	return moment{bot.TopicDue, "overdue", morning(r.cal, today)}.key(r.cal, req.ID)
}

// message is the thread note, and the DM to the assignee, for moment m.
// Urgent news (a deadline within a day with nobody assigned, an expiry
// on its day) is broadcast from the thread to the channel.
func (r *Reminders) message(req *legal.Request, m moment, now time.Time) Message {
	p := bot.ReminderPayload{RequestID: req.ID, Topic: m.topic}
	switch m.topic {
	case bot.TopicDue:
		p.Due = req.Due
		p.Broadcast = req.Assignee == "" && m.stage != "due-3"
	case bot.TopicPreservation:
		p.Date, p.Broadcast = req.Preservation.Expires, m.stage == "preservation-0"
	case bot.TopicNDO:
		p.Date, p.Broadcast = *req.NDO.Until, m.stage == "ndo-end"
	case bot.TopicOrder:
		p.Date, p.Broadcast = *req.OrderExpires, m.stage == "order-0"
	}
	to := "the card's thread"
	if req.Assignee != "" {
		to += ", a DM to the assignee"
	}
	if p.Broadcast {
		to += ", the channel"
	}
	return Message{
		Key:     m.key(r.cal, req.ID),
		Also:    r.todayOverdue(req, m, now),
		Summary: fmt.Sprintf("%s: reminder %s, %s, to %s", req.ID, stageWords(m.stage), legal.TimeLabel(m.at, r.cal.Location()), to),
		// Texts are rendered only for reminders not yet sent: counting
		// business days for a long-overdue request is the tick's main cost.
		build: func() []store.OutboxItem {
			p.Text = bot.ReminderText(req, m.topic, m.stage, now, r.cal)
			items := []store.OutboxItem{bot.ReminderItem(p)}
			if req.Assignee != "" {
				dm := p
				dm.User, dm.Broadcast, dm.Text = req.Assignee, false, bot.ReminderDM(p.Text)
				items = append(items, bot.ReminderItem(dm))
			}
			return items
		},
	}
}
