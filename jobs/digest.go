package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// Bounds on the requests a digest reads through the status indexes.
const (
	openCap   = 5000 // per open status, for kinds, ages and emergencies
	closedCap = 1000 // per closed status, for arrivals and response times
)

// DigestConfig configures the daily digest.
type DigestConfig struct {
	Store    Store           // required
	Calendar *legal.Calendar // required: TIMEZONE and business days
	Schedule string          // DIGEST_SCHEDULE, a 5-field cron spec; required
	Channel  string          // DIGEST_CHANNEL (else LEGAL_CHANNEL); required
	// Emails receive the digest too (DIGEST_EMAILS); the dispatcher must
	// then have bot.RegisterDigestMail.
	Emails []string
	Logger *slog.Logger
}

// Digest builds and sends the managers' daily digest.
type Digest struct {
	cfg   DigestConfig
	sched cron.Schedule
	log   *slog.Logger
}

// NewDigest validates cfg.
func NewDigest(cfg DigestConfig) (*Digest, error) {
	if cfg.Store == nil || cfg.Calendar == nil {
		return nil, errors.New("jobs: digest needs a store and a calendar")
	}
	if cfg.Channel == "" {
		return nil, errors.New("jobs: digest needs DIGEST_CHANNEL or LEGAL_CHANNEL")
	}
	sched, err := cron.ParseStandard(cfg.Schedule)
	if err != nil {
		return nil, fmt.Errorf("jobs: DIGEST_SCHEDULE %q: %w", cfg.Schedule, err)
	}
	if cfg.Logger == nil {
		cfg.Logger = discard()
	}
	return &Digest{cfg: cfg, sched: sched, log: cfg.Logger}, nil
}

// lastMoments returns the latest moment of sched at or before now, in loc,
// and the one before it; ok is false when it has not fired in 32 days.
func lastMoments(sched cron.Schedule, now time.Time, loc *time.Location) (last, prev time.Time, ok bool) {
	t := now.In(loc).AddDate(0, 0, -32)
	for range 20000 {
		next := sched.Next(t)
		if next.IsZero() || next.After(now) {
			break
		}
		prev, last, ok = last, next, true
		t = next
	}
	if ok && prev.IsZero() {
		prev = last.AddDate(0, 0, -1)
	}
	return last, prev, ok
}

// Run sends the digest of the latest digest moment at or before now, once:
// a digest whose moment passed while no tick ran goes out at the next
// run, and only the latest one. dry returns it without sending.
func (d *Digest) Run(ctx context.Context, now time.Time, dry bool) (Result, error) {
	loc := d.cfg.Calendar.Location()
	at, since, ok := lastMoments(d.sched, now, loc)
	if !ok {
		return Result{}, nil
	}
	key := d.key(at)
	if sent, err := d.cfg.Store.WasSent(ctx, key); err != nil || sent {
		return Result{}, err
	}
	since, first, err := d.lastSent(ctx, at, since)
	if err != nil {
		return Result{}, err
	}
	p, err := d.Build(ctx, now, since)
	if err != nil {
		return Result{}, err
	}
	p.Key, p.At, p.First = key, at, first
	items := bot.DigestItems(p)
	if len(d.cfg.Emails) > 0 {
		items = append(items, bot.DigestMailItem(p, d.cfg.Emails))
	}
	msg := Message{Key: key, Items: items, Summary: fmt.Sprintf("digest of %s to channel %s (%d open, %d overdue, %d due soon)%s",
		legal.TimeLabel(at, loc), p.Channel, openCount(p), p.Overdue.Len(), p.DueSoon.Len(), emailNote(d.cfg.Emails))}
	res := Result{Planned: []Message{msg}}
	if dry {
		return res, nil
	}
	res.Sent, err = send(ctx, d.cfg.Store, res.Planned)
	if err == nil && res.Sent > 0 {
		_, err = d.cfg.Store.MarkSent(ctx, everKey, 0)
	}
	return res, err
}

// everKey marks that a digest has been sent in this deployment; until
// then a digest says it is the first.
const everKey = "digest:ever"

// skippedPrefix marks a digest moment the first tick of a new deployment
// passed over (see Tick): a moment, not a digest anyone read.
const skippedPrefix = "digest:skipped:"

// lastSent returns the moment of the latest digest sent before at, so
// "received since the last digest" after an outage covers the days no
// digest went out, not only the day before. It walks the schedule back up
// to 32 days, one marker read per moment (once per digest sent); with no
// marker found it returns fallback, the scheduled moment before at.
// first is true when no digest has gone out before this one.
func (d *Digest) lastSent(ctx context.Context, at, fallback time.Time) (since time.Time, first bool, err error) {
	since, found, err := d.lastMarked(ctx, at, fallback)
	if err != nil {
		return since, false, err
	}
	ever, err := d.cfg.Store.WasSent(ctx, everKey)
	if err != nil || ever {
		return since, false, err
	}
	if !found {
		return since, true, nil
	}
	// A deployment from before everKey has real markers; a new one has
	// only the moment its first tick passed over.
	skipped, err := d.cfg.Store.WasSent(ctx, skippedPrefix+d.key(since))
	return since, skipped, err
}

// lastMarked is the moment of the latest digest marker before at, or
// fallback and false when none is found within 32 days.
func (d *Digest) lastMarked(ctx context.Context, at, fallback time.Time) (time.Time, bool, error) {
	loc := d.cfg.Calendar.Location()
	var ms []time.Time
	for t := at.In(loc).AddDate(0, 0, -32); ; {
		t = d.sched.Next(t)
		if t.IsZero() || !t.Before(at) {
			break
		}
		ms = append(ms, t)
	}
	for _, m := range slices.Backward(ms) {
		sent, err := d.cfg.Store.WasSent(ctx, d.key(m))
		if err != nil || sent {
			return m, sent, err
		}
	}
	return fallback, false, nil
}

// installedKey marks that the digest schedule has run in this deployment.
const installedKey = "digest:installed"

// Tick is Run for the scheduler, with one rule for a new deployment: the
// first tick ever only marks the latest digest moment as past. A digest
// is caught up when lebot was down at its moment, not for moments before
// lebot's schedule first ran (a fresh install posts its first digest at
// the next scheduled moment, not on start-up).
func (d *Digest) Tick(ctx context.Context, now time.Time) error {
	installed, err := d.cfg.Store.WasSent(ctx, installedKey)
	if err != nil {
		return err
	}
	if !installed {
		if at, _, ok := lastMoments(d.sched, now, d.cfg.Calendar.Location()); ok {
			if _, err := d.cfg.Store.MarkSent(ctx, d.key(at), markerTTL); err != nil {
				return err
			}
			if _, err := d.cfg.Store.MarkSent(ctx, skippedPrefix+d.key(at), markerTTL); err != nil {
				return err
			}
		}
		_, err := d.cfg.Store.MarkSent(ctx, installedKey, 0)
		return err
	}
	res, err := d.Run(ctx, now, false)
	if res.Sent > 0 {
		d.log.Info("digest enqueued", "key", res.Planned[0].Key)
	}
	return err
}

// key is the sent marker of the digest of moment at.
func (d *Digest) key(at time.Time) string {
	return "digest:" + at.In(d.cfg.Calendar.Location()).Format("2006-01-02T15:04")
}

func emailNote(to []string) string {
	if len(to) == 0 {
		return ""
	}
	return fmt.Sprintf(" and %d e-mail address(es)", len(to))
}

func openCount(p bot.DigestPayload) int {
	n := 0
	for st, c := range p.ByStatus {
		if st.Open() {
			n += c
		}
	}
	return n
}

// Build gathers the digest's contents as of now, with arrivals since
// since (Key and At are left for Run). Lists come from the time indexes; counts by kind, ages
// and response times from the status indexes, newest first, capped.
func (d *Digest) Build(ctx context.Context, now, since time.Time) (bot.DigestPayload, error) {
	cal, st := d.cfg.Calendar, d.cfg.Store
	p := bot.DigestPayload{Channel: d.cfg.Channel, Zone: cal.Location().String(), Since: since,
		ByKind: map[legal.Kind]int{}, Ages: map[legal.Status][]int{}}
	var err error
	if p.ByStatus, err = st.CountByStatus(ctx); err != nil {
		return p, fmt.Errorf("digest: %w", err)
	}
	today := cal.DateOf(now)
	utc := func(n int) time.Time { return today.AddDays(n).In(time.UTC) }
	dueTo := cal.EndOfBusinessDay(cal.AddBusinessDays(today, 3)).Add(time.Millisecond)
	lists := []struct {
		list     *bot.DigestList
		idx      store.Index
		from, to time.Time
		line     func(*legal.Request) bot.DigestLine
	}{
		{&p.Overdue, store.IndexDue, time.Unix(0, 0), now, dueLine},
		{&p.DueSoon, store.IndexDue, now, dueTo, dueLine},
		{&p.Preservations, store.IndexPreservation, utc(0), utc(15), func(r *legal.Request) bot.DigestLine {
			return dateLine(r, r.Preservation.Expires)
		}},
		{&p.NDOs, store.IndexNDO, utc(0), utc(31), func(r *legal.Request) bot.DigestLine { return dateLine(r, *r.NDO.Until) }},
		{&p.Orders, store.IndexOrder, utc(0), utc(8), func(r *legal.Request) bot.DigestLine { return dateLine(r, *r.OrderExpires) }},
	}
	for _, l := range lists {
		reqs, err := st.Range(ctx, l.idx, l.from, l.to, 0)
		if err != nil {
			return p, fmt.Errorf("digest: %w", err)
		}
		for _, r := range reqs {
			// An emergency is due the moment it arrives: it is listed
			// under open emergencies, not as overdue or due.
			if indexed(l.idx, r) && !(l.idx == store.IndexDue && isEmergency(r)) {
				l.list.Add(l.line(r))
			}
		}
	}
	return p, d.fromStatuses(ctx, &p, now)
}

// isEmergency: an emergency disclosure, or any request marked exigent.
func isEmergency(r *legal.Request) bool {
	return r.Facts.Exigent || r.Facts.HasKind(legal.KindEmergency)
}

func dueLine(r *legal.Request) bot.DigestLine {
	return bot.DigestLine{ID: r.ID, Kind: r.Kind(), Status: r.Status, Assignee: r.Assignee, When: r.Due}
}

func dateLine(r *legal.Request, d legal.Date) bot.DigestLine {
	return bot.DigestLine{ID: r.ID, Kind: r.Kind(), Status: r.Status, Assignee: r.Assignee, Date: d}
}

// fromStatuses fills arrivals, emergencies, kinds, ages and the median
// time to respond from each status's requests, newest first.
func (d *Digest) fromStatuses(ctx context.Context, p *bot.DigestPayload, now time.Time) error {
	var arrivals []*legal.Request
	var responseTimes []time.Duration
	monthAgo := now.AddDate(0, 0, -30)
	for _, status := range legal.Statuses {
		limit := closedCap
		if status.Open() {
			limit = openCap
		}
		reqs, err := d.cfg.Store.ListByStatus(ctx, status, limit)
		if err != nil {
			return fmt.Errorf("digest: %w", err)
		}
		if status.Open() && len(reqs) == limit {
			p.OpenSampled = true
		}
		for _, r := range reqs {
			if !r.ReceivedAt.Before(p.Since) && r.ReceivedAt.Before(now) {
				arrivals = append(arrivals, r)
			}
			if !r.RespondedAt.IsZero() && !r.RespondedAt.Before(monthAgo) && !r.RespondedAt.After(now) {
				responseTimes = append(responseTimes, r.RespondedAt.Sub(r.ReceivedAt))
			}
			if !status.Open() {
				continue
			}
			p.ByKind[r.Kind()]++
			if p.Ages[status] == nil {
				p.Ages[status] = make([]int, len(bot.AgeBuckets))
			}
			p.Ages[status][bot.AgeBucket(now.Sub(r.ReceivedAt))]++
			if isEmergency(r) {
				p.Emergencies.Add(bot.DigestLine{ID: r.ID, Kind: r.Kind(), Status: r.Status, Assignee: r.Assignee,
					When: r.ReceivedAt, AckedBy: r.AckedBy})
			}
		}
	}
	slices.SortFunc(arrivals, func(a, b *legal.Request) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	for _, r := range arrivals {
		p.Received.Add(bot.DigestLine{ID: r.ID, Kind: r.Kind(), Status: r.Status, Assignee: r.Assignee, When: r.ReceivedAt})
	}
	p.Responded, p.MedianResponse = len(responseTimes), median(responseTimes)
	return nil
}

// median of ds (0 when empty); an even count averages the middle two.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
