package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "cost", usage: "ID AMOUNT [note]",
		summary: "record a reimbursable cost in US dollars (never on emergency or child-endangerment requests)", run: runCost})
}

func runCost(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) < 2 {
		return nil, errUsage()
	}
	cents, err := legal.ParseAmount(in.args[1])
	if err != nil {
		return nil, usageErrorf("I can't record that cost: %s.", err)
	}
	note := strings.Join(in.args[2:], " ")
	reply, err := c.update(ctx, in, in.args[0], func(r *legal.Request) (edit, error) {
		if err := r.AddCost(legal.Cost{Cents: cents, By: in.user, At: c.now(), Note: note}); err != nil {
			if errors.Is(err, legal.ErrNoReimbursement) {
				return edit{}, userErrorf("No reimbursement is sought for emergency or child-endangerment requests (the guidelines' cost rule), and %s is %s: nothing was recorded.",
					r.ID, legal.NoReimbursement(r.Facts))
			}
			return edit{}, err
		}
		return edit{action: "cost", after: legal.FormatAmount(cents), note: note,
			thread: fmt.Sprintf("%s recorded a reimbursable cost of %s (total %s).%s", mention(in.user),
				legal.FormatAmount(cents), legal.FormatAmount(r.TotalCost()), noteSuffix(note))}, nil
	}, "Recorded a reimbursable cost of "+legal.FormatAmount(cents)+" on %s.")
	return reply, err
}
