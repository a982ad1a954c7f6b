package commands

import (
	"context"
	"fmt"
	"slices"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "uncheck", usage: "ID ITEM",
		summary: "clear the team's decision on a checklist item, back to lebot's automatic result " +
			"(to mark an item not met, untick it in `checklist ID`)", run: runUncheck})
}

func runUncheck(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 2 {
		return nil, errUsage()
	}
	item, err := legal.ParseItem(in.args[1])
	if err != nil {
		return nil, usageErrorf("Unknown checklist item `%s`. Items: %s.", in.args[1], itemList(legal.Items))
	}
	return c.update(ctx, in, in.args[0], clearDecision(in.user, item),
		"Cleared the team's decision on “"+item.Label()+"” for %s; it shows lebot's automatic result again.")
}

// clearDecision removes the recorded human decision on item, so the
// checklist shows the automatic result again.
func clearDecision(actor string, item legal.ItemID) func(r *legal.Request) (edit, error) {
	return func(r *legal.Request) (edit, error) {
		if valid := legal.ItemsFor(r.Facts.Kinds); !slices.Contains(valid, item) {
			return edit{}, userErrorf("`%s` is not on %s's checklist (%s).", item, r.ID, itemList(valid))
		}
		d, had := r.Decisions[item]
		if !had {
			return edit{}, &errNoChange{fmt.Sprintf("Nobody has decided “%s” on %s; it already shows lebot's automatic result.", item.Label(), r.ID)}
		}
		delete(r.Decisions, item)
		var auto legal.Outcome
		for _, res := range r.Checklist() {
			if res.Item == item {
				auto = res.Outcome
			}
		}
		before, after := fmt.Sprintf("%s=%s", item, d.Outcome), fmt.Sprintf("%s=%s (automatic)", item, auto)
		return edit{action: "checklist", before: before, after: after,
			thread: fmt.Sprintf("%s cleared the team's decision on “%s”; lebot's automatic result: %s.", mention(actor), item.Label(), auto.Label())}, nil
	}
}
