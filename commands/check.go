package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "check", usage: "ID ITEM [note]", summary: "mark a checklist item as met", run: runCheck})
}

func runCheck(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	return c.decide(ctx, in, legal.Passed)
}

// decide records a person's outcome for one checklist item, with the
// rest of the text as its note.
func (c *Commands) decide(ctx context.Context, in input, o legal.Outcome) (*bot.Reply, error) {
	if len(in.args) < 2 {
		return nil, errUsage()
	}
	item, err := legal.ParseItem(in.args[1])
	if err != nil {
		return nil, usageErrorf("Unknown checklist item `%s`. Items: %s.", in.args[1], itemList(legal.Items))
	}
	note := strings.TrimSpace(strings.Join(in.args[2:], " "))
	return c.update(ctx, in, in.args[0], setDecision(in.user, c.now, map[legal.ItemID]legal.Outcome{item: o}, note),
		"Recorded on %s: "+decisionWords([]string{legal.ItemWords(item, o)}, note)+".")
}

// decisionWords is what a person decided, in the checklist's words, with
// their note: "Specific time period: met — confirmed by phone".
func decisionWords(words []string, note string) string {
	s := strings.Join(words, "; ")
	if note != "" {
		s += " — " + escape(note)
	}
	return s
}

func itemList(items []legal.ItemID) string {
	ss := make([]string, len(items))
	for i, it := range items {
		ss[i] = "`" + string(it) + "`"
	}
	return strings.Join(ss, ", ")
}

// setDecision records outcomes for items of the request's checklist.
func setDecision(actor string, now func() time.Time, outcomes map[legal.ItemID]legal.Outcome, note string) func(r *legal.Request) (edit, error) {
	return func(r *legal.Request) (edit, error) {
		valid := legal.ItemsFor(r.Facts.Kinds)
		current := map[legal.ItemID]legal.Outcome{}
		for _, res := range r.Checklist() {
			current[res.Item] = res.Outcome
		}
		var before, after, words []string
		for _, it := range valid { // checklist order, for a stable audit line
			o, ok := outcomes[it]
			if !ok {
				continue
			}
			if d, had := r.Decisions[it]; had && d.Outcome == o && note == "" {
				continue
			}
			if r.Decisions == nil {
				r.Decisions = map[legal.ItemID]legal.Decision{}
			}
			before = append(before, fmt.Sprintf("%s=%s", it, current[it]))
			after = append(after, fmt.Sprintf("%s=%s", it, o))
			words = append(words, legal.ItemWords(it, o))
			r.Decisions[it] = legal.Decision{Outcome: o, By: actor, At: now(), Note: note}
		}
		for it := range outcomes {
			if !slices.Contains(valid, it) {
				return edit{}, userErrorf("`%s` is not on %s's checklist (%s).", it, r.ID, itemList(valid))
			}
		}
		if len(after) == 0 {
			return edit{}, &errNoChange{"Nothing to change on " + r.ID + "'s checklist."}
		}
		line := fmt.Sprintf("%s decided on the checklist: %s.", mention(actor), decisionWords(words, note))
		return edit{action: "checklist", before: strings.Join(before, ", "), after: strings.Join(after, ", "),
			note: note, thread: line}, nil
	}
}
