package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/lebot-dev/lebot/bot"
)

// helpOrder is the order help lists the subcommands in.
var helpOrder = []string{"list", "show", "new", "checklist", "check", "uncheck", "claim", "assign",
	"due", "status", "preserve", "extend", "ndo", "notice", "note", "audit", "ack", "oncall", "digest", "help"}

func init() {
	register(&subcommand{name: "help", summary: "this list", run: runHelp})
}

func runHelp(_ context.Context, c *Commands, _ input) (*bot.Reply, error) {
	var b strings.Builder
	b.WriteString("*Working law-enforcement requests* (ids like `LE-2026-0042`, or just `42` when unambiguous):\n")
	for _, name := range helpOrder {
		if s, ok := subcommands[name]; ok {
			fmt.Fprintf(&b, "• `%s` — %s\n", c.usage(s), s.summary)
		}
	}
	return text(b.String()), nil
}
