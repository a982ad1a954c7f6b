package commands

import (
	"context"
	"fmt"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "extend", usage: "ID", summary: "use the one 90-day preservation extension", run: runExtend})
}

func runExtend(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 1 {
		return nil, errUsage()
	}
	return c.update(ctx, in, in.args[0], func(r *legal.Request) (edit, error) {
		if r.Preservation == nil {
			return edit{}, userErrorf("%s has no preservation to extend; record one with `%s preserve %s`.", r.ID, c.name, r.ID)
		}
		was := r.Preservation.Expires
		before := was.String()
		if err := r.ExtendPreservation(); err != nil {
			return edit{}, err // legal's message, shown as is
		}
		after := r.Preservation.Expires.String()
		return edit{action: "extend", before: before, after: after,
			thread: fmt.Sprintf("%s extended the preservation: was until %s; now until %s (the one extension allowed).",
				mention(in.user), was.Long(), r.Preservation.Expires.Long())}, nil
	}, "Extended the preservation of %s by 90 days.")
}
