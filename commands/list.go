package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// listLimit caps every list: it keeps replies readable and each query
// bounded (index walks, never scans).
const listLimit = 50

func init() {
	register(&subcommand{name: "list", usage: "[open|mine|overdue|exigent|preservations|all]",
		summary: "list requests (default: open)", run: runList})
}

func runList(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	which := "open"
	if len(in.args) > 1 {
		return nil, errUsage()
	}
	if len(in.args) == 1 {
		which = strings.ToLower(in.args[0])
	}
	reqs, err := c.query(ctx, which, in.user)
	if err != nil {
		return nil, err
	}
	if len(reqs) == 0 {
		return text(fmt.Sprintf("No %s requests.", which)), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%s requests* (%d)\n", strings.ToUpper(which[:1])+which[1:], len(reqs))
	for _, r := range reqs {
		b.WriteString(c.line(r) + "\n")
	}
	return text(b.String()), nil
}

// query runs a named list.
func (c *Commands) query(ctx context.Context, which, user string) ([]*legal.Request, error) {
	now := c.now()
	var (
		reqs []*legal.Request
		err  error
	)
	switch which {
	case "open":
		reqs, err = c.byStatus(ctx, openStatuses())
	case "all":
		reqs, err = c.byStatus(ctx, legal.Statuses)
	case "mine":
		reqs, err = c.st.ListByAssignee(ctx, user, listLimit)
	case "overdue":
		reqs, err = c.st.Range(ctx, store.IndexDue, time.Unix(0, 0), now, listLimit)
	case "exigent":
		reqs, err = c.emergencies(ctx, now)
	case "preservations":
		today := c.cal.DateOf(now).In(time.UTC)
		reqs, err = c.st.Range(ctx, store.IndexPreservation, today, today.AddDate(2, 0, 0), listLimit)
	default:
		return nil, errUsage()
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", which, err)
	}
	return reqs, nil
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

func openStatuses() []legal.Status {
	var out []legal.Status
	for _, s := range legal.Statuses {
		if s.Open() {
			out = append(out, s)
		}
	}
	return out
}

// byStatus merges per-status lists, newest first, at most listLimit.
func (c *Commands) byStatus(ctx context.Context, statuses []legal.Status) ([]*legal.Request, error) {
	var out []*legal.Request
	for _, s := range statuses {
		rs, err := c.st.ListByStatus(ctx, s, listLimit)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	slices.SortFunc(out, func(a, b *legal.Request) int { return b.ReceivedAt.Compare(a.ReceivedAt) })
	if len(out) > listLimit {
		out = out[:listLimit]
	}
	return out, nil
}

// line is one request in a list: id, kind, status, deadline, assignee.
// It shows no identifiers or subject: lists are skimmed in shared places.
func (c *Commands) line(r *legal.Request) string {
	s := fmt.Sprintf("• `%s` %s · %s", r.ID, r.Kind().Label(), r.Status)
	if !r.Due.IsZero() && r.Status.Open() {
		left := c.cal.BusinessDaysLeft(c.now(), r.Due)
		s += fmt.Sprintf(" · due %s", r.Due.In(c.cal.Location()).Format("Jan 2"))
		if !c.now().Before(r.Due) {
			s += " *overdue*"
		} else {
			s += fmt.Sprintf(" (%d business days)", left)
		}
	}
	if p := r.Preservation; p != nil && !p.Released {
		s += " · preserved to " + p.Expires.String()
	}
	if r.NDO.Active {
		s += " · NDO"
	}
	if r.Assignee != "" {
		s += " · " + mention(r.Assignee)
	}
	return s
}
