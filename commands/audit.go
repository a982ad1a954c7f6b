package commands

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
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
	loc := c.cal.Location()
	var lines []string
	for _, e := range entries {
		if line, ok := auditWords(e, loc); ok {
			lines = append(lines, "• "+legal.TimeLabel(e.At, loc)+" · "+line)
		}
	}
	var b strings.Builder
	noun := "entries"
	if len(lines) == 1 {
		noun = "entry"
	}
	fmt.Fprintf(&b, "*History of %s* (%d %s)\n", id, len(lines), noun)
	if len(lines) > maxAuditLines {
		fmt.Fprintf(&b, "_…%d earlier entries not shown_\n", len(lines)-maxAuditLines)
		lines = lines[len(lines)-maxAuditLines:]
	}
	for _, l := range lines {
		b.WriteString(l + "\n")
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
