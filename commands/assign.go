package commands

import (
	"context"

	"github.com/lebot-dev/lebot/bot"
)

func init() {
	register(&subcommand{name: "assign", usage: "ID @user", summary: "assign a request to someone", run: runAssign})
}

func runAssign(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 2 {
		return nil, errUsage()
	}
	user, err := parseUser(in.args[1])
	if err != nil {
		return nil, err
	}
	return c.update(ctx, in, in.args[0], assignTo(in.user, user), "%s is now assigned to "+mention(user)+".")
}
