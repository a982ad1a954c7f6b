package commands

import (
	"context"
	"fmt"
	"strings"

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
		if !r.NDO.Active {
			e.thread = fmt.Sprintf("%s cleared the NDO (was %s).", mention(in.user), strings.TrimPrefix(before, "an "))
		}
		if r.NDO.Active && r.Notice == legal.NoticePending {
			r.Notice = legal.NoticeBlocked // nobody may notify while it runs
			e.note = "customer notice blocked"
		}
		return e, nil
	}, ndoReply(in.args[1]))
}

// ndoReply says what was recorded, so "clear" is not answered with
// "Recorded the NDO".
func ndoReply(verb string) string {
	switch verb {
	case "clear":
		return "Cleared the NDO on %s: it no longer bars customer notice."
	case "indefinite":
		return "Recorded an indefinite NDO on %s: customer notice is barred until the court lifts it."
	}
	return "Recorded the NDO on %s: customer notice is barred until it ends."
}

func ndoText(n legal.NDO) string {
	switch {
	case !n.Active:
		return "no NDO"
	case n.Until == nil:
		return "an indefinite NDO"
	}
	return "an NDO until " + n.Until.Long()
}
