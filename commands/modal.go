package commands

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
)

// modalAction opens the modal a card button asks for.
func (c *Commands) modalAction(ctx context.Context, in input, ic slack.InteractionCallback, a *slack.BlockAction) (*bot.Reply, error) {
	return nil, nil
}

// submit handles a modal's submission.
func (c *Commands) submit(ctx context.Context, in input, ic slack.InteractionCallback) (*bot.Reply, error) {
	return nil, nil
}
