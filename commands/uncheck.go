package commands

import (
	"context"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "uncheck", usage: "ID ITEM [note]", summary: "mark a checklist item as not met", run: runUncheck})
}

func runUncheck(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	return c.decide(ctx, in, legal.Failed)
}
