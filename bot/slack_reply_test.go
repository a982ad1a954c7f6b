package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// postButton posts a message with one button to C1 and returns its ts.
func postButton(t *testing.T, hs *harness, actionID string) string {
	t.Helper()
	api := slack.New("xoxb-test", slack.OptionAPIURL(hs.fake.URL()))
	_, ts, err := api.PostMessageContext(context.Background(), "C1", slack.MsgOptionBlocks(
		slack.NewActionBlock("b1", slack.NewButtonBlockElement(actionID, "LE-2026-0001", slack.NewTextBlockObject(slack.PlainTextType, "Claim", false, false)))))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestClickAnswers: a click is acked with an empty body at once (Slack
// ignores a block_actions ack body) and the handler's answer reaches the
// clicker through the click's response_url, leaving the card alone.
func TestClickAnswers(t *testing.T) {
	hs := newHarness(t, &recorder{reply: &Reply{Text: "You have claimed LE-2026-0001."}})
	ts := postButton(t, hs, "lebot_claim")
	a, err := hs.fake.Click("U1", "C1", ts, "lebot_claim")
	if err != nil {
		t.Fatal(err)
	}
	hs.srv.Wait()
	if a.Error != "" || len(a.Body) != 0 {
		t.Fatalf("ack: got error %q body %q, want an empty 200", a.Error, a.Body)
	}
	seen := hs.fake.SeenBy("U1")
	if len(seen) != 1 || seen[0].Text != "You have claimed LE-2026-0001." || seen[0].Channel != "C1" {
		t.Fatalf("seen by the clicker: got %+v, want the answer once", seen)
	}
	if card := hs.fake.TopLevel("C1"); len(card) != 1 || card[0].Updates != 0 {
		t.Fatalf("the card: got %+v, want it untouched", card)
	}
}

// TestClickWithoutResponseURL: with none (a button in a modal), the
// answer goes to the clicker by chat.postEphemeral.
func TestClickWithoutResponseURL(t *testing.T) {
	hs := newHarness(t, &recorder{reply: &Reply{Text: "Sorry, that is only for the legal team."}})
	hs.srv.cfg.Ephemeral = slack.New("xoxb-test", slack.OptionAPIURL(hs.fake.URL()))
	ic := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, TriggerID: "t-1",
		User: slack.User{ID: "U1"}, Channel: slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: "C1"}}}}
	hs.srv.interaction(context.Background(), ic, nil, func(v any) {
		if v != nil {
			t.Errorf("ack payload: got %v, want none", v)
		}
	}, hs.srv.cfg.AckWithin)
	hs.srv.Wait()
	if e := hs.fake.Ephemeral("C1"); len(e) != 1 || e[0].User != "U1" || !strings.Contains(e[0].Text, "only for the legal team") {
		t.Fatalf("ephemeral: got %+v", e)
	}
}

// TestSubmissionAnswers: a submission's ack is nothing or a
// response_action; a message from the handler (a refusal) becomes an
// error under the modal's first input block, which Slack shows.
func TestSubmissionAnswers(t *testing.T) {
	view := slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject(slack.PlainTextType, "Due", false, false),
		Submit: slack.NewTextBlockObject(slack.PlainTextType, "Save", false, false), CallbackID: "lebot_due",
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "Pick a day", false, false), nil, nil),
			slack.NewInputBlock("due", slack.NewTextBlockObject(slack.PlainTextType, "Due", false, false), nil, slack.NewDatePickerBlockElement("date")),
		}}}
	tests := []struct {
		name      string
		reply     *Reply
		wantField string
		closed    bool
	}{
		{"a refusal becomes a field error", &Reply{Text: "Sorry, only for the legal team."}, "Sorry, only for the legal team.", false},
		{"field errors pass", &Reply{View: slack.NewErrorsViewSubmissionResponse(map[string]string{"due": "That date has passed."})}, "That date has passed.", false},
		{"nothing closes", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newHarness(t, &recorder{reply: tt.reply})
			api := slack.New("xoxb-test", slack.OptionAPIURL(hs.fake.URL()))
			v, err := api.OpenViewContext(context.Background(), hs.fake.TriggerID(), view)
			if err != nil {
				t.Fatal(err)
			}
			a, err := hs.fake.Submit("U1", v.ID, map[string]map[string]any{"due": {"date": map[string]any{"type": "datepicker", "selected_date": "2026-03-03"}}})
			if err != nil {
				t.Fatal(err)
			}
			if a.Error != "" || a.ViewErrors["due"] != tt.wantField || a.Closed != tt.closed {
				t.Fatalf("got error %q, field errors %v, closed %v (ack %s); want field %q closed %v",
					a.Error, a.ViewErrors, a.Closed, a.Body, tt.wantField, tt.closed)
			}
		})
	}
}

// TestSlashTextDecodedOnce: Slack encodes &, < and > in slash-command
// text; the handler gets what the person typed, decoded once, with
// mentions left as markup.
func TestSlashTextDecodedOnce(t *testing.T) {
	h := &recorder{reply: &Reply{Text: "ok"}}
	hs := newHarness(t, h)
	typed := "note LE-1 R&D <draft> &amp; for <@U2|bob>"
	if a := hs.fake.SlashCommand("U1", "C1", typed); a.Error != "" {
		t.Fatalf("answer: %+v", a)
	}
	hs.srv.Wait()
	if got := h.commands[0].Text; got != typed {
		t.Fatalf("handler got %q, want %q", got, typed)
	}
}

// TestLateSlashReply: a reply later than AckWithin follows through the
// command's response_url, after a holding ack.
func TestLateSlashReply(t *testing.T) {
	hs := newHarness(t, &recorder{reply: &Reply{Text: "done"}, delay: 300 * time.Millisecond})
	a := hs.fake.SlashCommand("U1", "C1", "list")
	hs.srv.Wait()
	if a.Shown == nil || !strings.Contains(a.Shown.Text, "Working on it") {
		t.Fatalf("ack: got %+v, want the holding message", a)
	}
	var got []string
	for _, r := range hs.fake.ResponsesTo(a.ResponseURL) {
		var m slack.WebhookMessage
		_ = json.Unmarshal(r.Body, &m)
		got = append(got, m.Text)
	}
	if len(got) != 1 || got[0] != "done" {
		t.Fatalf("response_url: got %q, want the reply", got)
	}
}
