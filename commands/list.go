package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// listLimit bounds the lists the App Home and emergencies read: index
// walks, never scans.
const listLimit = 50

// listPage is how many requests `/legal list` shows; the rest are counted
// ("and N more"), not read.
const listPage = 20

// lists names each list, its title and what to say when it is empty.
var lists = map[string]struct{ title, empty string }{
	"open":          {"Open requests", "No open requests."},
	"mine":          {"Your open requests", "Nothing is assigned to you."},
	"overdue":       {"Overdue requests", "Nothing is overdue."},
	"exigent":       {"Open emergencies", "No open emergencies."},
	"preservations": {"Preservations in force", "No preservations in force."},
	"unverified":    {"Open requests from unverified senders (not an official domain, no confirmed callback)", "Every open request comes from an official domain or a sender verified by callback."},
	"all":           {"All requests", "No requests yet."},
}

func init() {
	register(&subcommand{name: "list", usage: "[open|mine|overdue|exigent|preservations|unverified|all]",
		summary: "list requests (default: open; newest first, or most urgent first for overdue and preservations)", run: runList})
}

func runList(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	which := "open"
	if len(in.args) > 1 {
		return nil, errUsage()
	}
	if len(in.args) == 1 {
		which = strings.ToLower(in.args[0])
	}
	l, ok := lists[which]
	if !ok {
		return nil, errUsage()
	}
	// The page is only rendered, never changed: read it shared with the
	// store's cache of decoded requests rather than copied.
	reqs, total, err := c.query(store.Shared(ctx), which, in.user)
	if err != nil {
		return nil, err
	}
	if len(reqs) == 0 {
		return text(l.empty), nil
	}
	var b strings.Builder
	b.Grow(256 * (len(reqs) + 1))
	fmt.Fprintf(&b, "*%s* (%d)\n", l.title, total)
	now := c.now()
	for _, r := range reqs {
		c.writeLine(&b, r, now)
		b.WriteByte('\n')
	}
	if more := total - len(reqs); more > 0 {
		fmt.Fprintf(&b, "_…and %d more. `%s show ID` for one; the App Home tab groups them by urgency._\n", more, c.name)
	}
	return text(b.String()), nil
}

// query runs a named list: at most listPage requests and how many match
// in all.
func (c *Commands) query(ctx context.Context, which, user string) ([]*legal.Request, int, error) {
	now := c.now()
	var (
		reqs  []*legal.Request
		total int
		err   error
	)
	count := func(n int, cerr error) {
		total = n
		if err == nil {
			err = cerr
		}
	}
	switch which {
	case "open":
		reqs, total, err = c.st.ListByStatuses(ctx, openStatuses(), listPage)
	case "all":
		reqs, total, err = c.st.ListByStatuses(ctx, legal.Statuses, listPage)
	case "mine":
		reqs, err = c.st.ListByAssignee(ctx, user, listPage)
		count(c.st.CountByAssignee(ctx, user))
	case "overdue":
		reqs, err = c.st.Range(ctx, store.IndexDue, time.Unix(0, 0), now, listPage)
		count(c.st.CountRange(ctx, store.IndexDue, time.Unix(0, 0), now))
	case "exigent":
		reqs, err = c.emergencies(ctx, now)
		total = len(reqs)
		reqs = reqs[:min(len(reqs), listPage)]
	case "unverified":
		reqs, err = c.unverified(ctx)
		total = len(reqs)
		reqs = reqs[:min(len(reqs), listPage)]
	case "preservations":
		today := c.cal.DateOf(now).In(time.UTC)
		reqs, err = c.st.Range(ctx, store.IndexPreservation, today, today.AddDate(2, 0, 0), listPage)
		count(c.st.CountRange(ctx, store.IndexPreservation, today, today.AddDate(2, 0, 0)))
	}
	if err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", which, err)
	}
	return reqs, max(total, len(reqs)), nil
}

// emergencies are open emergency requests. An emergency is due the
// instant it arrives, so all of them sit in the due index before now.
func (c *Commands) emergencies(ctx context.Context, now time.Time) ([]*legal.Request, error) {
	due, err := c.st.Range(ctx, store.IndexDue, time.Unix(0, 0), now.Add(time.Second), 10*listLimit)
	if err != nil {
		return nil, err
	}
	var out []*legal.Request
	for _, r := range due {
		if r.Kind() == legal.KindEmergency || r.Facts.Exigent {
			out = append(out, r)
		}
	}
	return out, nil
}

// unverified are the open requests from senders that are not an official
// domain and that no callback has confirmed, among the newest open ones
// (a bounded index walk, like emergencies).
func (c *Commands) unverified(ctx context.Context) ([]*legal.Request, error) {
	open, _, err := c.st.ListByStatuses(ctx, openStatuses(), 10*listLimit)
	if err != nil {
		return nil, err
	}
	var out []*legal.Request
	for _, r := range open {
		if r.Unverified() {
			out = append(out, r)
		}
	}
	return out, nil
}

func openStatuses() []legal.Status {
	var out []legal.Status
	for _, s := range legal.Statuses {
		if s.Open() {
			out = append(out, s)
		}
	}
	return out
}

// writeLine writes one request's line of a list to b: id, kind, status,
// deadline, assignee. It shows no identifiers or subject: lists are
// skimmed in shared places. It appends its parts to b rather than
// building each line from formatted pieces: a list writes 20 of them.
func (c *Commands) writeLine(b *strings.Builder, r *legal.Request, now time.Time) {
	b.WriteString("• `")
	b.WriteString(r.ID)
	b.WriteString("` ")
	b.WriteString(r.Kind().Label())
	b.WriteString(" · ")
	b.WriteString(statusLabel(r.Status))
	if r.Facts.NotRequest != "" {
		b.WriteString(" · ℹ️ probably not a request (")
		b.WriteString(escape(r.Facts.NotRequest))
		b.WriteByte(')')
	}
	if r.Status.Open() {
		c.writeDue(b, r, now)
	}
	if p := r.Preservation; p != nil && !p.Released {
		b.WriteString(" · preserved until ")
		b.WriteString(p.Expires.Long())
	}
	if r.NDO.Active {
		b.WriteString(" · NDO")
	}
	if r.Assignee != "" {
		b.WriteString(" · ")
		writeMention(b, r.Assignee)
	}
}

// line is one request's line of a list, as writeLine writes it at now.
func (c *Commands) line(r *legal.Request) string {
	var b strings.Builder
	c.writeLine(&b, r, c.now())
	return b.String()
}

// writeDue writes a list line's deadline: IMMEDIATE for an emergency (it
// is due the instant it arrives, so "overdue" would read as a lapse),
// else the day with what is left, in the card's words.
func (c *Commands) writeDue(b *strings.Builder, r *legal.Request, now time.Time) {
	if r.Facts.Exigent || r.Facts.HasKind(legal.KindEmergency) {
		if r.AckedBy != "" {
			b.WriteString(" · *IMMEDIATE* · acknowledged by ")
			writeMention(b, r.AckedBy)
			return
		}
		b.WriteString(" · *IMMEDIATE* · 🚨 not acknowledged")
		return
	}
	if r.Due.IsZero() {
		return
	}
	note := ""
	if r.DueIsDefault() {
		note = " (default: none stated)"
	}
	loc := c.cal.Location()
	var buf [64]byte
	if !now.Before(r.Due) {
		b.WriteString(" · *overdue*: was due ")
		b.Write(timeLabel(buf[:0], r.Due, loc, legal.TimeLayout))
		b.WriteString(note)
		return
	}
	if c.cal.DateOf(now) == c.cal.DateOf(r.Due) {
		b.WriteString(" · due *today* ")
		b.Write(timeLabel(buf[:0], r.Due, loc, "15:04 MST"))
		b.WriteString(note)
		return
	}
	b.WriteString(" · due ")
	b.Write(timeLabel(buf[:0], r.Due, loc, legal.TimeLayout))
	b.WriteString(note)
	switch left := c.days.businessDaysLeft(now, r.Due); {
	case left <= 0:
		b.WriteString(", a non-business day: *today* is the last business day before it")
	case left == 1:
		b.WriteString(", 1 business day left")
	default:
		b.WriteString(", ")
		b.Write(strconv.AppendInt(buf[:0], int64(left), 10))
		b.WriteString(" business days left")
	}
}

// timeLabel appends t in loc (UTC when nil) laid out as layout: what
// legal.TimeLabel says for a time that is not zero, without a string.
func timeLabel(dst []byte, t time.Time, loc *time.Location, layout string) []byte {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).AppendFormat(dst, layout)
}

// statusLabels are the known statuses' labels, made once.
var statusLabels = func() map[legal.Status]string {
	m := make(map[legal.Status]string, len(legal.Statuses))
	for _, s := range legal.Statuses {
		m[s] = s.Label()
	}
	return m
}()

// statusLabel is s.Label().
func statusLabel(s legal.Status) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return s.Label()
}

// writeMention writes mention(user) to b.
func writeMention(b *strings.Builder, user string) {
	if user == "" {
		b.WriteString("nobody")
		return
	}
	b.WriteString("<@")
	b.WriteString(user)
	b.WriteByte('>')
}
