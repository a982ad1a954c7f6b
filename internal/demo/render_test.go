package demo

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

func TestMrkdwn(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"bold", "*EMERGENCY — respond immediately*", "EMERGENCY — respond immediately"},
		{"italic", "Assignee: _unassigned_.", "Assignee: unassigned."},
		{"underscores inside words stay", "user_name and snake_case_id", "user_name and snake_case_id"},
		{"user", "claimed by <@U0DEMO>", "claimed by @U0DEMO"},
		{"user with name", "<@U0DEMO|dana>", "@dana"},
		{"channel", "see <#C0LEGAL|legal>", "see #legal"},
		{"here", "<!here> emergency", "@here emergency"},
		{"user group", "<!subteam^S0LEGAL|@legal-team> look", "@legal-team look"},
		{"link with label", "<https://x.example/p1|Open>", "Open (https://x.example/p1)"},
		{"bare link", "<https://x.example/p1>", "https://x.example/p1"},
		{"escapes", "a &lt;b&gt; &amp; c", "a <b> & c"},
		{"escaped reference stays text", "&lt;!channel&gt;", "<!channel>"},
		{"strike", "~old~ new", "old new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mrkdwn(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderBlocks(t *testing.T) {
	mrk := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
	}
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	date := slack.NewDatePickerBlockElement("due")
	date.InitialDate = "2026-12-01"
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain("📨 LE-2026-0001 · Subpoena")),
		slack.NewSectionBlock(mrk("⚠️ *Overdue* — was due\n<@U0DEMO> to act"), nil, nil),
		slack.NewSectionBlock(nil, []*slack.TextBlockObject{mrk("*Status:*\nNew"), mrk("*Assignee:*\n_unassigned_")}, nil),
		slack.NewDividerBlock(),
		slack.NewContextBlock("c", mrk("✉️ Original: from a@b.gov"), mrk("more")),
		slack.NewActionBlock("a",
			slack.NewButtonBlockElement("claim", "LE-1", plain("Claim")),
			slack.NewButtonBlockElement("check", "LE-1", plain("Checklist"))),
		slack.NewInputBlock("due", plain("Deadline"), nil, date),
		slack.NewInputBlock("note", plain("Note"), nil, slack.NewPlainTextInputBlockElement(plain("why?"), "note")),
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	got := RenderBlocks(raw)
	want := []string{
		"📨 LE-2026-0001 · SUBPOENA",
		"⚠️ Overdue — was due",
		"@U0DEMO to act",
		"Status: New",
		"Assignee: unassigned",
		"───",
		"· ✉️ Original: from a@b.gov  more",
		"[Claim] [Checklist]",
		"Deadline: [2026-12-01 ▾]",
		"Note: [why?]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := RenderBlocks(json.RawMessage(`not json`)); got != nil {
		t.Errorf("bad JSON: got %q, want nothing", got)
	}
}

// TestRenderTickedBoxes: a checkbox group shows its initial options
// ticked, as Slack opens the modal.
func TestRenderTickedBoxes(t *testing.T) {
	a := slack.NewOptionBlockObject("a", slack.NewTextBlockObject(slack.PlainTextType, "Agent named", false, false), nil)
	b := slack.NewOptionBlockObject("b", slack.NewTextBlockObject(slack.PlainTextType, "Specific time period", false, false), nil)
	boxes := slack.NewCheckboxGroupsBlockElement("items", a, b)
	boxes.InitialOptions = []*slack.OptionBlockObject{b}
	raw, err := json.Marshal([]slack.Block{slack.NewInputBlock("items",
		slack.NewTextBlockObject(slack.PlainTextType, "Met requirements", false, false), nil, boxes)})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(RenderBlocks(raw), "\n")
	if want := "[ ] Agent named  [x] Specific time period"; !strings.Contains(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
