package fakeslack_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// app is a stand-in for lebot's HTTP endpoints: it verifies Slack's
// signature, records what arrived and answers with reply.
type app struct {
	mu      sync.Mutex
	got     []*http.Request
	bodies  [][]byte
	reply   func(path string, body []byte) (int, string, time.Duration)
	badSigs int
}

func newApp(t *testing.T, srv *fakeslack.Server, reply func(path string, body []byte) (int, string, time.Duration)) *app {
	t.Helper()
	a := &app{reply: reply}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v, err := slack.NewSecretsVerifier(r.Header, "secret")
		if err == nil {
			v.Write(body)
			err = v.Ensure()
		}
		a.mu.Lock()
		a.got, a.bodies = append(a.got, r), append(a.bodies, body)
		if err != nil {
			a.badSigs++
		}
		a.mu.Unlock()
		status, out, delay := a.reply(r.URL.Path, body)
		time.Sleep(delay)
		w.WriteHeader(status)
		io.WriteString(w, out)
	}))
	t.Cleanup(ts.Close)
	srv.SetApp(ts.URL, "secret")
	return a
}

// TestSlashCommandDelivery: the command arrives signed, with its text
// encoded as Slack encodes it, and a JSON ack is shown to the user.
func TestSlashCommandDelivery(t *testing.T) {
	srv := newServer(t)
	a := newApp(t, srv, func(string, []byte) (int, string, time.Duration) {
		return 200, `{"response_type":"ephemeral","text":"Noted."}`, 0
	})
	ans := srv.SlashCommand("U1", "C1", "note LE-1 R&D <b> for <@U2|bob>")
	if ans.Error != "" || ans.Shown == nil || ans.Shown.Text != "Noted." || ans.Shown.User != "U1" {
		t.Fatalf("answer: got %+v, want Noted. shown to U1", ans)
	}
	cmd, err := slack.SlashCommandParse(requestOf(a.got[0], a.bodies[0]))
	if err != nil {
		t.Fatal(err)
	}
	if want := "note LE-1 R&amp;D &lt;b&gt; for <@U2|bob>"; cmd.Text != want {
		t.Fatalf("text: got %q, want %q", cmd.Text, want)
	}
	if cmd.TriggerID != ans.TriggerID || cmd.ResponseURL != ans.ResponseURL || a.badSigs != 0 {
		t.Fatalf("got trigger %q url %q (%d bad signatures)", cmd.TriggerID, cmd.ResponseURL, a.badSigs)
	}
	if seen := srv.SeenBy("U1"); len(seen) != 1 || seen[0].Text != "Noted." {
		t.Fatalf("seen by U1: got %+v", seen)
	}
}

func requestOf(r *http.Request, body []byte) *http.Request {
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	return r2
}

// TestAckRules reads each kind of ack the way Slack does.
func TestAckRules(t *testing.T) {
	srv := newServer(t)
	srv.SetUserGroup("S1")
	card := `[{"type":"actions","block_id":"card","elements":[` + button("claim", "LE-1", "Claim") + `]}]`
	posted := call(t, srv, "xoxb-test", "chat.postMessage", map[string][]string{"channel": {"C1"}, "blocks": {card}})
	ts, _ := posted["ts"].(string)
	view := `{"type":"modal","title":` + text("plain_text", "Due") + `,"submit":` + text("plain_text", "Save") +
		`,"blocks":[{"type":"section","block_id":"info","text":` + text("mrkdwn", "x") + `},` +
		`{"type":"input","block_id":"due","label":` + text("plain_text", "Due") + `,"element":{"type":"datepicker","action_id":"date"}}]}`
	open := func() string {
		v := call(t, srv, "xoxb-test", "views.open", map[string][]string{"trigger_id": {srv.TriggerID()}, "view": {view}})
		id, _ := v["view"].(map[string]any)["id"].(string)
		return id
	}
	var next string
	newApp(t, srv, func(string, []byte) (int, string, time.Duration) { return 200, next, 0 })

	t.Run("a click's ack body is ignored", func(t *testing.T) {
		next = `{"text":"You have claimed LE-1."}`
		ans, err := srv.Click("U1", "C1", ts, "claim")
		if err != nil || ans.Error != "" || ans.Shown != nil || len(srv.SeenBy("U1")) != 0 {
			t.Fatalf("got %+v %v, want nothing shown", ans, err)
		}
	})
	t.Run("only elements on the message can be clicked", func(t *testing.T) {
		if _, err := srv.Click("U1", "C1", ts, "delete_everything"); err == nil {
			t.Fatal("got nil error")
		}
	})
	subs := []struct {
		name, ack  string
		wantErr    string
		wantClosed bool
		wantField  string
	}{
		{"a message is refused", `{"text":"Sorry, only for the legal team"}`, "invalid_response", false, ""},
		{"errors on a non-input block are refused", `{"response_action":"errors","errors":{"info":"no"}}`, "invalid_response", false, ""},
		{"errors on an input block", `{"response_action":"errors","errors":{"due":"That date has passed."}}`, "", false, "due"},
		{"empty closes", ``, "", true, ""},
		{"clear closes", `{"response_action":"clear"}`, "", true, ""},
	}
	for _, tt := range subs {
		t.Run("submission: "+tt.name, func(t *testing.T) {
			next = tt.ack
			id := open()
			ans, err := srv.Submit("U1", id, map[string]map[string]any{"due": {"date": map[string]any{"type": "datepicker", "selected_date": "2026-03-03"}}})
			if err != nil {
				t.Fatal(err)
			}
			if ans.Error != tt.wantErr || ans.Closed != tt.wantClosed || (tt.wantField != "" && ans.ViewErrors[tt.wantField] == "") {
				t.Fatalf("got %+v, want error %q closed %v field %q", ans, tt.wantErr, tt.wantClosed, tt.wantField)
			}
		})
	}
	t.Run("values for a block the view lacks", func(t *testing.T) {
		if _, err := srv.Submit("U1", open(), map[string]map[string]any{"nope": {}}); err == nil {
			t.Fatal("got nil error")
		}
	})
}

// TestAckDeadline: an ack later than the ack timeout (Slack's 3 seconds,
// 300 ms here) is an operation_timeout.
func TestAckDeadline(t *testing.T) {
	t.Parallel()
	const deadline = 300 * time.Millisecond // Slack's 3 s is the default (TestAckTimeoutDefault)
	srv := newServer(t)
	srv.SetAckTimeout(deadline)
	newApp(t, srv, func(string, []byte) (int, string, time.Duration) {
		return 200, `{"text":"too late"}`, deadline + 200*time.Millisecond
	})
	ans := srv.SlashCommand("U1", "C1", "list")
	if ans.Error != "operation_timeout" || ans.Shown != nil {
		t.Fatalf("got %+v, want operation_timeout", ans)
	}
}

// TestEventRetries: an event without a 200 is sent again, marked as a
// retry.
func TestEventRetries(t *testing.T) {
	srv := newServer(t)
	srv.SetEventRetries(10*time.Millisecond, 10*time.Millisecond)
	var n int
	var mu sync.Mutex
	a := newApp(t, srv, func(string, []byte) (int, string, time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		n++
		if n == 1 {
			return 500, "", 0
		}
		return 200, "", 0
	})
	if ans := srv.AppHomeOpened("U1"); ans.Error != "http_error" {
		t.Fatalf("first attempt: got %+v, want http_error", ans)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.Deliveries()) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	d := srv.Deliveries()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(d) != 2 || d[1].Error != "" || a.got[1].Header.Get("X-Slack-Retry-Num") != "1" {
		t.Fatalf("deliveries %+v, want a successful retry with X-Slack-Retry-Num 1", d)
	}
	var ev struct {
		EventID string `json:"event_id"`
	}
	var ev2 struct {
		EventID string `json:"event_id"`
	}
	_ = json.Unmarshal(a.bodies[0], &ev)
	_ = json.Unmarshal(a.bodies[1], &ev2)
	if ev.EventID == "" || ev.EventID != ev2.EventID {
		t.Fatalf("event ids %q, %q: a retry carries the same id", ev.EventID, ev2.EventID)
	}
}

func TestEncodeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"R&D", "R&amp;D"},
		{"a <b> c", "a &lt;b&gt; c"},
		{"to <@U123|bob> & <#C9> <!subteam^S1>", "to <@U123|bob> &amp; <#C9> <!subteam^S1>"},
		{"&amp;", "&amp;amp;"},
		{"<not a mention>", "&lt;not a mention&gt;"},
	}
	for _, tt := range tests {
		if got := fakeslack.EncodeText(tt.in); got != tt.want {
			t.Errorf("EncodeText(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
