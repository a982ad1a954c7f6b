package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lebot-dev/lebot/bot"
)

// helpOrder is the order help lists the subcommands in.
var helpOrder = []string{"list", "show", "new", "edit", "set", "checklist", "check", "uncheck", "claim", "assign",
	"due", "status", "outcome", "reply", "preserve", "extend", "ndo", "notice", "verify", "agency", "cost", "note", "audit", "report",
	"ack", "page", "oncall", "digest", "help"}

func init() {
	register(&subcommand{name: "help", summary: "this list", run: runHelp})
}

func runHelp(_ context.Context, c *Commands, _ input) (*bot.Reply, error) {
	var b strings.Builder
	b.WriteString("*Working law-enforcement requests* (ids like `LE-2026-0042`, or just `42` when unambiguous):\n")
	for _, name := range helpNames() {
		s := subcommands[name]
		fmt.Fprintf(&b, "• `%s` — %s\n", c.usage(s), s.summary)
	}
	return text(b.String()), nil
}

// helpNames is every registered subcommand: those in helpOrder first, in
// that order, then any other alphabetically, so none is ever left out.
func helpNames() []string {
	var out []string
	for _, name := range helpOrder {
		if _, ok := subcommands[name]; ok {
			out = append(out, name)
		}
	}
	var rest []string
	for name := range subcommands {
		if !slices.Contains(helpOrder, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}
