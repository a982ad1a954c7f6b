package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/lebot-dev/lebot/bot"
)

func init() {
	register(&subcommand{name: "oncall", summary: "who is paged for emergencies", run: runOnCall})
}

func runOnCall(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 0 {
		return nil, userErrorf("Changing on-call from Slack is not available yet; `%s oncall` only shows it.", c.name)
	}
	oc, err := c.st.OnCall(ctx)
	if err != nil {
		return nil, fmt.Errorf("on-call: %w", err)
	}
	if len(oc.Levels) == 0 && len(oc.Overrides) == 0 {
		return text("No on-call settings are stored; paging uses ONCALL_USERS from lebot's configuration."), nil
	}
	var b strings.Builder
	b.WriteString("*On-call for emergencies*\n")
	now := c.now()
	for _, o := range oc.Overrides {
		if now.Before(o.Until) {
			fmt.Fprintf(&b, "• Override: %s until %s\n", mention(o.User), o.Until.In(c.cal.Location()).Format("Jan 2 15:04 MST"))
		}
	}
	for i, lvl := range oc.Levels {
		ms := make([]string, len(lvl))
		for j, u := range lvl {
			ms[j] = mention(u)
		}
		fmt.Fprintf(&b, "• Level %d: %s\n", i+1, strings.Join(ms, ", "))
	}
	return text(b.String()), nil
}
