package commands

import (
	"context"
	"fmt"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "ndo", usage: "ID until YYYY-MM-DD | ID indefinite | ID clear",
		summary: "record a non-disclosure order (blocks customer notice)", run: runNDO})
}

func runNDO(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) < 2 {
		return nil, errUsage()
	}
	var set func(n *legal.NDO)
	switch {
	case in.args[1] == "until" && len(in.args) == 3:
		d, err := parseDate(in.args[2])
		if err != nil {
			return nil, err
		}
		set = func(n *legal.NDO) { n.SetUntil(d) }
	case in.args[1] == "indefinite" && len(in.args) == 2:
		set = (*legal.NDO).SetIndefinite
	case in.args[1] == "clear" && len(in.args) == 2:
		set = (*legal.NDO).Clear
	default:
		return nil, errUsage()
	}
	return c.update(ctx, in, in.args[0], func(r *legal.Request) (edit, error) {
		before := ndoText(r.NDO)
		set(&r.NDO)
		after := ndoText(r.NDO)
		if before == after {
			return edit{}, &errNoChange{fmt.Sprintf("%s already has %s.", r.ID, after)}
		}
		e := edit{action: "ndo", before: before, after: after,
			thread: fmt.Sprintf("%s recorded %s.", mention(in.user), after)}
		if r.NDO.Active && r.Notice == legal.NoticePending {
			r.Notice = legal.NoticeBlocked // nobody may notify while it runs
			e.note = "customer notice blocked"
		}
		return e, nil
	}, "Recorded the NDO on %s.")
}

func ndoText(n legal.NDO) string {
	switch {
	case !n.Active:
		return "no NDO"
	case n.Until == nil:
		return "an indefinite NDO"
	}
	return "an NDO until " + n.Until.String()
}
