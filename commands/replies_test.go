package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/reply"
)

func newReplyEnv(t *testing.T) *env {
	t.Helper()
	ts, err := reply.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	from, _ := mail.ParseAddress("Acme Legal <legal@acme.example>")
	return newEnvWith(t, func(c *Config) { c.Replies = &Replies{Templates: ts, From: from, Company: "Acme Voice"} })
}

func textInput(v string) map[string]any {
	return map[string]any{"v": map[string]any{"type": "plain_text_input", "value": v}}
}

// replyItems are the reply mails in the outbox.
func replyItems(t *testing.T, e *env) []bot.ReplyPayload {
	t.Helper()
	var out []bot.ReplyPayload
	for _, it := range e.drainOutbox(t, e.now) {
		if it.Kind != bot.KindReplyMail {
			continue
		}
		var p bot.ReplyPayload
		if err := json.Unmarshal(it.Payload, &p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestReplyDeficiency: the draft names what is missing; a bad address is
// refused under its field; a submission queues one mail in the agency's
// thread, and Slack delivering the submission again queues nothing more.
func TestReplyDeficiency(t *testing.T) {
	e := newReplyEnv(t)
	f := subpoenaFacts()
	f.Period = nil
	req := e.create(t, f)
	if out := e.legal(t, member, "reply "+req.ID+" deficiency"); out != "" {
		t.Fatalf("answer: %q, want the modal only", out)
	}
	v := e.lastView(t)
	if v.CallbackID != viewReply || !strings.Contains(string(v.JSON), "the specific time period requested") ||
		strings.Contains(string(v.JSON), "+14155550100") || strings.Contains(string(v.JSON), "subscriber information") {
		t.Fatalf("modal: %s", v.JSON)
	}
	if n := len(replyItems(t, e)); n != 0 {
		t.Fatalf("%d mails queued before submit", n)
	}
	values := map[string]map[string]any{"to": textInput("not an address"), "subject": textInput("Re: x [" + req.ID + "]"),
		"body": textInput("Please state the period.")}
	if a := e.submit(t, member, v.ID, values); !strings.Contains(a.ViewErrors["to"], "e-mail address") {
		t.Fatalf("bad address: %+v", a.ViewErrors)
	}
	values["to"] = textInput("a@fbi.gov")
	if a := e.submit(t, member, v.ID, values); !a.Closed {
		t.Fatalf("submit: %+v", a)
	}
	// Slack delivers the same submission again.
	ic := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: member},
		View: slack.View{ID: v.ID, CallbackID: viewReply, PrivateMetadata: privateMetadata(t, v),
			State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
				"to": {"v": {Value: "a@fbi.gov"}}, "subject": {"v": {Value: "Re: x [" + req.ID + "]"}},
				"body": {"v": {Value: "Please state the period."}}}}}}
	if r := e.cmds.Interaction(context.Background(), ic); r != nil && r.View != nil {
		t.Fatalf("redelivery answered %+v", r.View)
	}
	items := replyItems(t, e)
	if len(items) != 1 {
		t.Fatalf("mails queued: %d, want 1", len(items))
	}
	p := items[0]
	m, err := mail.ReadMessage(bytes.NewReader(p.Raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get("In-Reply-To") != "<"+req.MessageID+">" || m.Header.Get("References") != "<"+req.MessageID+">" ||
		m.Header.Get("Message-ID") != "<"+p.MessageID+">" || !strings.HasSuffix(p.MessageID, "@acme.example") ||
		!strings.Contains(m.Header.Get("From"), "legal@acme.example") || p.By != member || p.Kind != "deficiency" {
		t.Errorf("mail: %v, payload %+v", m.Header, p)
	}
	got := e.get(t, req.ID)
	if len(got.Replies) != 1 || got.Replies[0].MessageID != p.MessageID || !got.Replies[0].Sent.IsZero() {
		t.Errorf("recorded replies: %+v", got.Replies)
	}
	if id, err := e.st.ThreadOf(context.Background(), p.MessageID); err != nil || id != req.ID {
		t.Errorf("the notice's Message-ID does not lead to the request: %q, %v", id, err)
	}
}

func privateMetadata(t *testing.T, v fakeslack.View) string {
	t.Helper()
	var x struct {
		PrivateMetadata string `json:"private_metadata"`
	}
	if err := json.Unmarshal(v.JSON, &x); err != nil || x.PrivateMetadata == "" {
		t.Fatalf("view without private_metadata: %s", v.JSON)
	}
	return x.PrivateMetadata
}

// TestReplyRefusals: without a relay the command says how to set one;
// a deficiency notice needs something missing; an unknown kind is named.
func TestReplyRefusals(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	if out := e.legal(t, member, "reply "+req.ID+" receipt"); !strings.Contains(out, "`OUTBOUND_SMTP_URL`") {
		t.Errorf("no relay: %q", out)
	}
	e = newReplyEnv(t)
	req = e.create(t, subpoenaFacts())
	if out := e.legal(t, member, "reply "+req.ID+" deficiency"); !strings.Contains(out, "fails no checklist item") {
		t.Errorf("nothing missing: %q", out)
	}
	if out := e.legal(t, member, "reply "+req.ID+" apology"); !strings.Contains(out, "`receipt`, `deficiency` or `custom`") {
		t.Errorf("unknown kind: %q", out)
	}
}

// TestReplyWarnsUnverifiedSender: a sender outside official domains gets
// a draft with the advice to verify by callback first.
func TestReplyWarnsUnverifiedSender(t *testing.T) {
	e := newReplyEnv(t)
	f := subpoenaFacts()
	f.SenderDomain, f.SenderOfficial, f.Agent.Email = "gmail.com", false, "cop@gmail.com"
	req := e.create(t, f)
	e.legal(t, member, "reply "+req.ID+" receipt")
	v := string(e.lastView(t).JSON)
	if !strings.Contains(v, "gmail.com is not an official government domain") || !strings.Contains(v, "cop@gmail.com") {
		t.Errorf("modal: %s", v)
	}
}

// TestReplyLongTemplate: a team template longer than a Slack form holds
// is cut, and the form says so, rather than the form failing to open.
func TestReplyLongTemplate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "custom.txt"), []byte(strings.Repeat("Long paragraph. ", 300)), 0o644); err != nil {
		t.Fatal(err)
	}
	ts, err := reply.LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	from, _ := mail.ParseAddress("legal@acme.example")
	e := newEnvWith(t, func(c *Config) { c.Replies = &Replies{Templates: ts, From: from, Company: "Acme Voice"} })
	req := e.create(t, subpoenaFacts())
	if out := e.legal(t, member, "reply "+req.ID+" custom"); out != "" {
		t.Fatalf("answer: %q", out)
	}
	if v := string(e.lastView(t).JSON); !strings.Contains(v, "its end was cut") {
		t.Errorf("modal: %.300s", v)
	}
}
