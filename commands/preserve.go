package commands

import (
	"context"
	"fmt"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "preserve", usage: "ID [from YYYY-MM-DD]",
		summary: "record a 90-day preservation (from receipt, or the given day)", run: runPreserve})
}

func runPreserve(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	var from legal.Date
	switch len(in.args) {
	case 1:
	case 3:
		if in.args[1] != "from" {
			return nil, errUsage()
		}
		d, err := parseDate(in.args[2])
		if err != nil {
			return nil, err
		}
		from = d
	default:
		return nil, errUsage()
	}
	id, err := c.resolve(ctx, in.args[0])
	if err != nil {
		return nil, err
	}
	req, e, err := c.change(ctx, in.user, id, func(r *legal.Request) (edit, error) {
		start := from
		if start.IsZero() {
			if r.Preservation != nil {
				return edit{}, &errNoChange{fmt.Sprintf("%s is already preserved until %s.", r.ID, r.Preservation.Expires.Long())}
			}
			start = c.cal.DateOf(r.ReceivedAt)
		}
		e := edit{action: "preserve"}
		var was legal.Date
		if r.Preservation == nil {
			p := legal.NewPreservation(start)
			r.Preservation = &p
		} else {
			was = r.Preservation.Expires
			e.before = r.Preservation.Start.String() + " to " + r.Preservation.Expires.String()
			r.Preservation.SetStart(start)
		}
		now := r.Preservation.Expires
		e.after = r.Preservation.Start.String() + " to " + now.String()
		e.thread = fmt.Sprintf("%s recorded a preservation from %s until %s.", mention(in.user),
			r.Preservation.Start.Long(), now.Long())
		if !was.IsZero() {
			// Re-recording moves the start, which can shorten the hold:
			// the team sees that in the thread, not only the one who typed it.
			e.thread = fmt.Sprintf("%s re-recorded the preservation from %s: was until %s; now until %s.",
				mention(in.user), r.Preservation.Start.Long(), was.Long(), now.Long())
			if now.Before(was) {
				e.thread += " ⚠️ It now ends *earlier* than before."
			}
		}
		return e, nil
	})
	if nc := (*errNoChange)(nil); asNoChange(err, &nc) {
		return text(nc.msg), nil
	}
	if err != nil {
		return nil, err
	}
	p := req.Preservation
	if e.before != "" {
		// A second preserve moves the start: say what it replaced, since
		// it can shorten the hold as well as lengthen it.
		return text(fmt.Sprintf("%s: preserved from %s until %s (%s).", req.ID, p.Start.Long(), p.Expires.Long(),
			valueWords("preserve", "was "+e.before))), nil
	}
	return text(fmt.Sprintf("%s: preserved from %s until %s.", req.ID, p.Start.Long(), p.Expires.Long())), nil
}
