package commands

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/lebot-dev/lebot/bot"
)

// maxAuditLines keeps the reply inside Slack's message limits.
const maxAuditLines = 40

func init() {
	register(&subcommand{name: "audit", usage: "ID", summary: "show a request's history", run: runAudit})
}

func runAudit(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 1 {
		return nil, errUsage()
	}
	id, err := c.resolve(ctx, in.args[0])
	if err != nil {
		return nil, err
	}
	entries, err := c.st.Audit(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("audit %s: %w", id, err)
	}
	var b strings.Builder
	noun := "entries"
	if len(entries) == 1 {
		noun = "entry"
	}
	fmt.Fprintf(&b, "*History of %s* (%d %s)\n", id, len(entries), noun)
	if len(entries) > maxAuditLines {
		fmt.Fprintf(&b, "_…%d earlier entries not shown_\n", len(entries)-maxAuditLines)
		entries = entries[len(entries)-maxAuditLines:]
	}
	for _, e := range entries {
		who := e.Actor
		if strings.HasPrefix(who, "U") || strings.HasPrefix(who, "W") {
			who = mention(who)
		}
		fmt.Fprintf(&b, "• %s %s *%s*", e.At.In(c.cal.Location()).Format("2006-01-02 15:04 MST"), who, e.Action)
		if e.Before != "" || e.After != "" {
			fmt.Fprintf(&b, " %s → %s", orDash(e.Before), orDash(e.After))
		}
		if e.Note != "" {
			fmt.Fprintf(&b, " — %s", escape(e.Note))
		}
		b.WriteString("\n")
	}
	return text(b.String()), nil
}

// orDash is an audit value for the reply: a dash when empty, a mention
// when it is a Slack user id (claim and assign record the assignee's
// id), else the escaped text.
func orDash(s string) string {
	switch {
	case s == "":
		return "–"
	case userID.MatchString(s):
		return mention(s)
	}
	return escape(s)
}

var userID = regexp.MustCompile(`^[UW][A-Z0-9]{5,}$`)
