package commands

import (
	"context"

	"github.com/lebot-dev/lebot/bot"
)

func init() {
	register(&subcommand{name: "digest", summary: "the daily digest (not available yet)", run: runDigest})
}

// runDigest is a stub until the jobs package builds the digest.
func runDigest(context.Context, *Commands, input) (*bot.Reply, error) {
	return text("The digest is not available yet from Slack; it will be posted on its schedule once the digest job exists."), nil
}
