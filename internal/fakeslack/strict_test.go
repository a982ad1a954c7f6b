package fakeslack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// call posts a form to method and returns Slack's answer.
func call(t *testing.T, srv *fakeslack.Server, token, method string, params url.Values) map[string]any {
	t.Helper()
	params.Set("token", token)
	resp, err := http.PostForm(srv.URL()+method, params)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return out
}

func errorOf(m map[string]any) string {
	if m["ok"] == true {
		return ""
	}
	s, _ := m["error"].(string)
	return s
}

// text is a JSON text object.
func text(kind, s string) string {
	b, _ := json.Marshal(map[string]string{"type": kind, "text": s})
	return string(b)
}

func button(actionID, value, label string) string {
	b, _ := json.Marshal(map[string]any{"type": "button", "action_id": actionID, "value": value,
		"text": map[string]string{"type": "plain_text", "text": label}})
	return string(b)
}

func repeat(s string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = s
	}
	return strings.Join(parts, ",")
}

func options(n int) string {
	var out []string
	for i := range n {
		out = append(out, `{"text":`+text("plain_text", "o")+`,"value":"v`+strings.Repeat("x", i)+`"}`)
	}
	return strings.Join(out, ",")
}

// TestBlockKitRefusals posts one broken message per Block Kit rule and
// checks the fake refuses each as Slack does (invalid_blocks), while the
// same message within the rule is accepted.
func TestBlockKitRefusals(t *testing.T) {
	srv := newServer(t)
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name      string
		ok, wrong string // blocks JSON: accepted, refused
	}{
		{"section text 3000", `[{"type":"section","text":` + text("mrkdwn", long(3000)) + `}]`,
			`[{"type":"section","text":` + text("mrkdwn", long(3001)) + `}]`},
		{"section needs text or fields", `[{"type":"section","text":` + text("mrkdwn", "x") + `}]`, `[{"type":"section"}]`},
		{"section fields 10", `[{"type":"section","fields":[` + repeat(text("mrkdwn", "f"), 10) + `]}]`,
			`[{"type":"section","fields":[` + repeat(text("mrkdwn", "f"), 11) + `]}]`},
		{"field 2000", `[{"type":"section","fields":[` + text("mrkdwn", long(2000)) + `]}]`,
			`[{"type":"section","fields":[` + text("mrkdwn", long(2001)) + `]}]`},
		{"header is plain text", `[{"type":"header","text":` + text("plain_text", "H") + `}]`,
			`[{"type":"header","text":` + text("mrkdwn", "H") + `}]`},
		{"header 150", `[{"type":"header","text":` + text("plain_text", long(150)) + `}]`,
			`[{"type":"header","text":` + text("plain_text", long(151)) + `}]`},
		{"context 10 elements", `[{"type":"context","elements":[` + repeat(text("mrkdwn", "c"), 10) + `]}]`,
			`[{"type":"context","elements":[` + repeat(text("mrkdwn", "c"), 11) + `]}]`},
		{"context takes text and images only", `[{"type":"context","elements":[{"type":"image","image_url":"https://x/y.png","alt_text":"a chart"}]}]`,
			`[{"type":"context","elements":[` + button("a", "v", "b") + `]}]`},
		{"context text not empty", `[{"type":"context","elements":[` + text("mrkdwn", "c") + `]}]`,
			`[{"type":"context","elements":[` + text("mrkdwn", "") + `]}]`},
		{"actions 25 elements", `[{"type":"actions","elements":[` + buttons(25) + `]}]`,
			`[{"type":"actions","elements":[` + buttons(26) + `]}]`},
		{"action ids unique in a block", `[{"type":"actions","elements":[` + button("a", "1", "A") + `,` + button("b", "1", "B") + `]}]`,
			`[{"type":"actions","elements":[` + button("a", "1", "A") + `,` + button("a", "1", "B") + `]}]`},
		{"button text 75", `[{"type":"actions","elements":[` + button("a", "v", long(75)) + `]}]`,
			`[{"type":"actions","elements":[` + button("a", "v", long(76)) + `]}]`},
		{"action_id 255", `[{"type":"actions","elements":[` + button(long(255), "v", "b") + `]}]`,
			`[{"type":"actions","elements":[` + button(long(256), "v", "b") + `]}]`},
		{"button value 2000", `[{"type":"actions","elements":[` + button("a", long(2000), "b") + `]}]`,
			`[{"type":"actions","elements":[` + button("a", long(2001), "b") + `]}]`},
		{"button style", `[{"type":"actions","elements":[{"type":"button","action_id":"a","style":"danger","text":` + text("plain_text", "b") + `}]}]`,
			`[{"type":"actions","elements":[{"type":"button","action_id":"a","style":"red","text":` + text("plain_text", "b") + `}]}]`},
		{"checkboxes 10 options", `[{"type":"actions","elements":[{"type":"checkboxes","action_id":"c","options":[` + options(10) + `]}]}]`,
			`[{"type":"actions","elements":[{"type":"checkboxes","action_id":"c","options":[` + options(11) + `]}]}]`},
		{"option value 150", `[{"type":"actions","elements":[{"type":"static_select","action_id":"s","placeholder":` + text("plain_text", "p") + `,"options":[{"text":` + text("plain_text", "o") + `,"value":"` + long(150) + `"}]}]}]`,
			`[{"type":"actions","elements":[{"type":"static_select","action_id":"s","placeholder":` + text("plain_text", "p") + `,"options":[{"text":` + text("plain_text", "o") + `,"value":"` + long(151) + `"}]}]}]`},
		{"initial option among options", `[{"type":"actions","elements":[{"type":"checkboxes","action_id":"c","options":[` + options(2) + `],"initial_options":[{"text":` + text("plain_text", "o") + `,"value":"v"}]}]}]`,
			`[{"type":"actions","elements":[{"type":"checkboxes","action_id":"c","options":[` + options(2) + `],"initial_options":[{"text":` + text("plain_text", "o") + `,"value":"zz"}]}]}]`},
		{"datepicker date", `[{"type":"actions","elements":[{"type":"datepicker","action_id":"d","initial_date":"2026-03-02"}]}]`,
			`[{"type":"actions","elements":[{"type":"datepicker","action_id":"d","initial_date":"03/02/2026"}]}]`},
		{"image needs alt text", `[{"type":"image","image_url":"https://x/y.png","alt_text":"chart"}]`,
			`[{"type":"image","image_url":"https://x/y.png"}]`},
		{"no input blocks in messages", `[{"type":"divider"}]`,
			`[{"type":"input","label":` + text("plain_text", "L") + `,"element":{"type":"plain_text_input","action_id":"v"}}]`},
		{"block ids unique", `[{"type":"divider","block_id":"a"},{"type":"divider","block_id":"b"}]`,
			`[{"type":"divider","block_id":"a"},{"type":"divider","block_id":"a"}]`},
		{"known block types", `[{"type":"divider"}]`, `[{"type":"carousel"}]`},
		{"emoji only on plain text", `[{"type":"section","text":{"type":"plain_text","text":"x","emoji":true}}]`,
			`[{"type":"section","text":{"type":"mrkdwn","text":"x","emoji":true}}]`},
		{"50 blocks in a message", `[` + repeat(`{"type":"divider"}`, 50) + `]`, `[` + repeat(`{"type":"divider"}`, 51) + `]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				blocks, want string
			}{{tt.ok, ""}, {tt.wrong, "invalid_blocks"}} {
				got := errorOf(call(t, srv, "xoxb-test", "chat.postMessage", url.Values{"channel": {"C1"}, "blocks": {c.blocks}}))
				if got != c.want {
					t.Fatalf("blocks %.120s…: got %q, want %q", c.blocks, got, c.want)
				}
			}
			last := srv.Calls("chat.postMessage")
			if r := last[len(last)-1].Refusal; r == "" {
				t.Fatal("refused call records no reason")
			}
		})
	}
}

func buttons(n int) string {
	var out []string
	for i := range n {
		out = append(out, button("a"+strings.Repeat("x", i), "v", "b"))
	}
	return strings.Join(out, ",")
}

// TestViewLimits opens modals at and past each views limit.
func TestViewLimits(t *testing.T) {
	srv := newServer(t)
	long := func(n int) string { return strings.Repeat("x", n) }
	input := `{"type":"input","block_id":"i","label":` + text("plain_text", "L") + `,"element":{"type":"plain_text_input","action_id":"v"}}`
	modal := func(title, blocks, extra string) string {
		return `{"type":"modal","title":` + text("plain_text", title) + `,"submit":` + text("plain_text", "Save") +
			`,"blocks":[` + blocks + `]` + extra + `}`
	}
	tests := []struct {
		name      string
		ok, wrong string
	}{
		{"title 24", modal(long(24), input, ""), modal(long(25), input, "")},
		{"title is plain text", modal("T", input, ""), `{"type":"modal","title":` + text("mrkdwn", "T") + `,"blocks":[` + input + `]}`},
		{"100 blocks", modal("T", repeat(`{"type":"divider"}`, 100), ""), modal("T", repeat(`{"type":"divider"}`, 101), "")},
		{"private_metadata 3000", modal("T", input, `,"private_metadata":"`+long(3000)+`"`), modal("T", input, `,"private_metadata":"`+long(3001)+`"`)},
		{"submit with an input", modal("T", input, ""), `{"type":"modal","title":` + text("plain_text", "T") + `,"blocks":[` + input + `]}`},
		{"submit 24", modal("T", input, ""), `{"type":"modal","title":` + text("plain_text", "T") + `,"submit":` + text("plain_text", long(25)) + `,"blocks":[` + input + `]}`},
		{"checkboxes 10", modal("T", `{"type":"input","block_id":"c","label":`+text("plain_text", "L")+`,"element":{"type":"checkboxes","action_id":"c","options":[`+options(10)+`]}}`, ""),
			modal("T", `{"type":"input","block_id":"c","label":`+text("plain_text", "L")+`,"element":{"type":"checkboxes","action_id":"c","options":[`+options(11)+`]}}`, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct{ view, want string }{{tt.ok, ""}, {tt.wrong, "invalid_arguments"}} {
				got := errorOf(call(t, srv, "xoxb-test", "views.open", url.Values{"trigger_id": {srv.TriggerID()}, "view": {c.view}}))
				if got != c.want {
					t.Fatalf("view %.100s…: got %q, want %q", c.view, got, c.want)
				}
			}
		})
	}
}

// TestTriggerIDs: a trigger_id opens one modal, within 3 seconds, and
// only if Slack issued it.
func TestTriggerIDs(t *testing.T) {
	srv := newServer(t)
	now := time.Unix(1_800_000_000, 0)
	srv.SetClock(func() time.Time { return now })
	view := `{"type":"modal","title":` + text("plain_text", "T") + `,"blocks":[{"type":"divider"}]}`
	open := func(trig string) string {
		return errorOf(call(t, srv, "xoxb-test", "views.open", url.Values{"trigger_id": {trig}, "view": {view}}))
	}
	fresh := srv.TriggerID()
	if got := open(fresh); got != "" {
		t.Fatalf("fresh trigger: got %q", got)
	}
	if got := open(fresh); got != "exchanged_trigger_id" {
		t.Fatalf("second use: got %q, want exchanged_trigger_id", got)
	}
	if got := open("12345.67890.made-up"); got != "invalid_trigger_id" {
		t.Fatalf("made-up trigger: got %q, want invalid_trigger_id", got)
	}
	old := srv.TriggerID()
	now = now.Add(3*time.Second + time.Millisecond)
	if got := open(old); got != "expired_trigger_id" {
		t.Fatalf("trigger after 3s: got %q, want expired_trigger_id", got)
	}
}

// TestResponseURLs: a response_url takes 5 posts within 30 minutes.
func TestResponseURLs(t *testing.T) {
	srv := newServer(t)
	now := time.Unix(1_800_000_000, 0)
	srv.SetClock(func() time.Time { return now })
	post := func(u string) error {
		return slack.PostWebhookContext(context.Background(), u, &slack.WebhookMessage{Text: "hi", ResponseType: "ephemeral"})
	}
	u := srv.ResponseURL()
	for i := range 5 {
		if err := post(u); err != nil {
			t.Fatalf("post %d: %v", i+1, err)
		}
	}
	if err := post(u); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("sixth post: got %v, want a 404 (used_url)", err)
	}
	late := srv.ResponseURL()
	now = now.Add(30*time.Minute + time.Second)
	if err := post(late); err == nil {
		t.Fatal("post after 30 minutes: got nil, want expired_url")
	}
	if got := srv.Calls("response"); got[len(got)-1].Error != "expired_url" || got[len(got)-2].Error != "used_url" {
		t.Fatalf("errors: got %q, %q, want used_url, expired_url", got[len(got)-2].Error, got[len(got)-1].Error)
	}
	if n := len(srv.Responses()); n != 5 {
		t.Fatalf("accepted responses: got %d, want 5", n)
	}
}

// TestChannels: the bot posts and reads only where it was added.
func TestChannels(t *testing.T) {
	srv := fakeslack.New(t)
	srv.AddChannel("CPRIV", fakeslack.Private)
	srv.AddChannel("CPUB", fakeslack.Public)
	srv.AddChannelWithoutBot("COUTPUB", fakeslack.Public)
	srv.AddChannelWithoutBot("COUTPRIV", fakeslack.Private)
	tests := []struct{ channel, want string }{
		{"CPRIV", ""}, {"CPUB", ""}, {"COUTPUB", "not_in_channel"}, {"COUTPRIV", "channel_not_found"},
		{"CNEVER", "channel_not_found"}, {"U0ALICE", ""}, // a user id posts to the DM with the bot
	}
	for _, tt := range tests {
		t.Run(tt.channel, func(t *testing.T) {
			for _, method := range []string{"chat.postMessage", "conversations.history"} {
				got := errorOf(call(t, srv, "xoxb-test", method, url.Values{"channel": {tt.channel}, "text": {"hi"}}))
				if got != tt.want {
					t.Fatalf("%s: got %q, want %q", method, got, tt.want)
				}
			}
		})
	}
}

// TestScopes: a method whose scope the manifest lacks answers
// missing_scope with what was needed; the history scope depends on the
// kind of channel.
func TestScopes(t *testing.T) {
	srv := fakeslack.New(t)
	srv.AddChannel("CPRIV", fakeslack.Private)
	srv.AddChannel("CPUB", fakeslack.Public)
	srv.SetScopes("chat:write", "groups:history")
	tests := []struct {
		method, channel, want, needed string
	}{
		{"chat.postMessage", "CPUB", "", ""},
		{"conversations.history", "CPRIV", "", ""},
		{"conversations.history", "CPUB", "missing_scope", "channels:history"},
		{"users.info", "", "missing_scope", "users:read"},
		{"auth.test", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+tt.channel, func(t *testing.T) {
			got := call(t, srv, "xoxb-test", tt.method, url.Values{"channel": {tt.channel}, "text": {"x"}, "user": {"U1"}})
			if errorOf(got) != tt.want || (tt.needed != "" && got["needed"] != tt.needed) {
				t.Fatalf("got %v, want %q needing %q", got, tt.want, tt.needed)
			}
		})
	}
}

// TestManifestScopes reads the repository's manifest, which New grants.
func TestManifestScopes(t *testing.T) {
	scopes, err := fakeslack.ManifestScopes(filepath.Join("..", "..", "slack-app-manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	joined := "," + strings.Join(scopes, ",") + ","
	for _, want := range []string{"chat:write", "groups:history", "channels:history", "im:history"} {
		if !strings.Contains(joined, ","+want+",") {
			t.Errorf("manifest scopes %v lack %s", scopes, want)
		}
	}
	if _, err := fakeslack.ManifestScopes("testdata/none.yaml"); err == nil {
		t.Error("missing manifest: got nil error")
	}
}
