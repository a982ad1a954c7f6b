package commands

import (
	"context"
	"errors"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "set", usage: "ID FIELD VALUE",
		summary: "correct what lebot read: `kinds subpoena,preservation`, `records subscriber,call_detail`, `identifiers +12025550150,AC-99120`, " +
			"`period 2026-01-01..2026-03-31`, `deadline 2026-12-18`, `agent \"Dana Reyes\" dana.reyes@fbi.gov +12025550111`, " +
			"`ndo until 2027-06-01`, `no-tos-action|content|child|emergency yes|no` (`none` clears)", run: runSet})
}

// runSet corrects one field. The checklist, deadlines, reminders and
// paging follow (legal.Request.Correct); the thread and the audit trail
// say who changed what from what to what.
func runSet(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	idArg, rest := splitWord(slackText(in.rest))
	name, value := splitWord(rest)
	if idArg == "" || name == "" {
		return nil, errUsage()
	}
	fd, err := parseField(name)
	if err != nil {
		return nil, err
	}
	set, err := parseCorrection(fd, value)
	if err != nil {
		return nil, err
	}
	id, err := c.resolve(ctx, idArg)
	if err != nil {
		return nil, err
	}
	var res legal.Corrected
	req, _, err := c.change(ctx, in.user, id, c.correction(in.user, set, &res))
	var nc *errNoChange
	if errors.As(err, &nc) {
		return text(id + " already has " + describeSet(fd, res.Before) + "; nothing changed."), nil
	}
	if err != nil {
		return nil, err
	}
	if res.PagingStarted && c.paging.Kick != nil {
		c.paging.Kick() // the first page is due now: do not wait for the next tick
	}
	return text(correctionReply(req, res)), nil
}
