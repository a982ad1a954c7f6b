package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/report"
)

func init() {
	register(&subcommand{name: "report", usage: "[2026H2|2026]",
		summary: "the transparency report's counts for a half-year or a year (default: this half-year); `lebot report` writes it as CSV or markdown", run: runReport})
}

func runReport(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) > 1 {
		return nil, errUsage()
	}
	p := report.HalfOf(c.now(), c.cal.Location())
	if len(in.args) == 1 {
		var err error
		if p, err = report.Half(in.args[0], c.cal.Location()); err != nil {
			return nil, usageErrorf("%s.", err)
		}
	}
	rep, err := report.Build(ctx, c.st, p)
	if err != nil {
		return nil, err
	}
	return text(reportText(rep, c.now().Before(p.To), c.name)), nil
}

// reportText is the report for Slack: one line per group, "Label N".
func reportText(rep *report.Report, partial bool, name string) string {
	var b strings.Builder
	span := rep.Period.From.Format("Jan 2") + " – " + rep.Period.LastDay().Format("Jan 2, 2006")
	if partial {
		span += ", so far"
	}
	fmt.Fprintf(&b, "*Transparency report %s* (%s)\n*Requests received:* %d\n", rep.Period.Label, span, rep.Received)
	line := func(title, group string, skipZero bool, after string) {
		var parts []string
		for _, row := range rep.Group(group) {
			if skipZero && row.Count == 0 {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s %d", report.Label(row), row.Count))
		}
		if len(parts) == 0 {
			parts = []string{"none"}
		}
		fmt.Fprintf(&b, "*%s:* %s%s\n", title, strings.Join(parts, " · "), after)
	}
	multi := ""
	if rep.MultiKind > 0 {
		multi = fmt.Sprintf(" _(a request of several kinds counts under each; %d did)_", rep.MultiKind)
	}
	line("By kind", "kind", true, multi)
	line("By outcome", "outcome", false, "")
	line("Emergency", "emergency", false, "")
	line("Non-disclosure orders", "ndo", false, "")
	line("Preservation", "preservation", false, "")
	accounts := ""
	if rep.Purged > 0 {
		accounts = fmt.Sprintf(" _(not counting %d requests whose identifiers were deleted under retention)_", rep.Purged)
	}
	line("Accounts affected", "accounts", false, accounts)
	line("By level of government", "level", true, "")
	line("By country", "country", true, "")
	for _, row := range rep.Group("cost") {
		fmt.Fprintf(&b, "*Reimbursable costs:* %s on %d requests\n", legal.FormatAmount(row.Cents), row.Count)
	}
	fmt.Fprintf(&b, "_For the spreadsheet or the draft: `lebot report --half %s --format csv` (or `md`). Record outcomes with `%s outcome ID …`._",
		rep.Period.Label, name)
	return b.String()
}
