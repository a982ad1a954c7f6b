package commands

import (
	"context"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "note", usage: "ID TEXT", summary: "add a note to the audit trail and the card's thread", run: runNote})
}

func runNote(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	id, note := splitWord(in.rest)
	if id == "" || note == "" {
		return nil, errUsage()
	}
	return c.update(ctx, in, id, func(r *legal.Request) (edit, error) {
		return edit{action: "note", note: note, thread: mention(in.user) + " noted: " + escape(note)}, nil
	}, "Noted on %s.")
}
