package commands

import (
	"context"

	"github.com/lebot-dev/lebot/bot"
)

func init() {
	register(&subcommand{name: "show", usage: "ID", summary: "show a request's card", run: runShow})
}

func runShow(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 1 {
		return nil, errUsage()
	}
	id, err := c.resolve(ctx, in.args[0])
	if err != nil {
		return nil, err
	}
	req, err := c.st.GetRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	card := bot.Card(req, c.now(), c.cal)
	return &bot.Reply{Text: card.Text, Blocks: card.Blocks}, nil
}
