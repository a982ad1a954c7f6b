package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "checklist", usage: "ID", summary: "review the policy checklist (tick, untick, add a note)", run: runChecklist})
}

func runChecklist(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 1 {
		return nil, errUsage()
	}
	req, err := c.lookup(ctx, in.args[0])
	if err != nil {
		return nil, err
	}
	if err := c.open(ctx, in.trigger, checklistView(req)); err != nil {
		return nil, err
	}
	return nil, nil
}

var outcomeMark = map[legal.Outcome]string{legal.Passed: "✅", legal.Failed: "❌", legal.NeedsReview: "❓"}

// checklistView is one checkbox per policy item, ticked when the item
// currently passes, with the automatic result and its reason beside it so
// a person can see what they override.
func checklistView(r *legal.Request) slack.ModalViewRequest {
	var opts, ticked []*slack.OptionBlockObject
	var lines []string
	for _, res := range r.Checklist() {
		desc := "lebot: " + res.Auto.Label()
		if res.Decision != nil {
			desc += "; team: " + res.Decision.Outcome.Label()
		}
		o := slack.NewOptionBlockObject(string(res.Item), plainText(res.Item.Label()), plainText(desc))
		opts = append(opts, o)
		if res.Outcome == legal.Passed {
			ticked = append(ticked, o)
		}
		lines = append(lines, fmt.Sprintf("%s *%s* — %s", outcomeMark[res.Outcome], res.Item.Label(), bot.ItemReason(res, 150)))
	}
	if why := legal.NoReimbursement(r.Facts); why != "" {
		lines = append(lines, "💲 No reimbursement ("+why+"): the guidelines seek none for emergency or child-endangerment requests")
	}
	boxes := slack.NewCheckboxGroupsBlockElement("items", opts...)
	boxes.InitialOptions = ticked
	items := slack.NewInputBlock("items", plainText("Met requirements"), plainText("Tick what is met; untick what is not."), boxes)
	items.Optional = true
	note := slack.NewInputBlock("note", plainText("Note (why you override the automatic result)"), nil,
		slack.NewPlainTextInputBlockElement(nil, "note"))
	note.Optional = true
	return modal(viewChecklist, r.ID, "Checklist "+r.ID,
		slack.NewSectionBlock(mrkdwnText(truncate(strings.Join(lines, "\n"), 2900)), nil, nil), items, note)
}

// checklistSubmit turns the ticked boxes into decisions: a ticked item
// that does not pass is decided passed, an unticked one that passes is
// decided failed; the rest stay as they are.
func checklistSubmit(actor string, now func() time.Time, values map[string]map[string]slack.BlockAction) func(*legal.Request) (edit, error) {
	tickedSet := map[legal.ItemID]bool{}
	for _, o := range values["items"]["items"].SelectedOptions {
		tickedSet[legal.ItemID(o.Value)] = true
	}
	note := strings.TrimSpace(values["note"]["note"].Value)
	return func(r *legal.Request) (edit, error) {
		outcomes := map[legal.ItemID]legal.Outcome{}
		for _, res := range r.Checklist() {
			switch ticked := tickedSet[res.Item]; {
			case ticked && res.Outcome != legal.Passed:
				outcomes[res.Item] = legal.Passed
			case !ticked && res.Outcome == legal.Passed:
				outcomes[res.Item] = legal.Failed
			}
		}
		return setDecision(actor, now, outcomes, note)(r)
	}
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
