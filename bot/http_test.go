package bot

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

const testSecret = "test-signing-secret"

// recorder is a Handler that counts what reached it.
type recorder struct {
	mu       sync.Mutex
	commands []slack.SlashCommand
	actions  []slack.InteractionCallback
	events   []slackevents.EventsAPIEvent
	delay    time.Duration
	reply    *Reply
	// replyTo, when set, answers each command instead of reply.
	replyTo func(cmd slack.SlashCommand) *Reply
}

func (h *recorder) Command(ctx context.Context, cmd slack.SlashCommand) *Reply {
	time.Sleep(h.delay)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.commands = append(h.commands, cmd)
	if h.replyTo != nil {
		return h.replyTo(cmd)
	}
	return h.reply
}

func (h *recorder) Interaction(ctx context.Context, ic slack.InteractionCallback) *Reply {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.actions = append(h.actions, ic)
	return h.reply
}

func (h *recorder) Event(ctx context.Context, ev slackevents.EventsAPIEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
}

func (h *recorder) counts() (int, int, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.commands), len(h.actions), len(h.events)
}

// memDedup is a MarkSent that honours ttl against a clock.
type memDedup struct {
	mu   sync.Mutex
	now  func() time.Time
	keys map[string]time.Time
}

func (d *memDedup) MarkSent(_ context.Context, key string, ttl time.Duration) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if exp, ok := d.keys[key]; ok && d.now().Before(exp) {
		return false, nil
	}
	d.keys[key] = d.now().Add(ttl)
	return true, nil
}

type harness struct {
	srv  *Server
	url  string
	h    *recorder
	now  time.Time
	mu   sync.Mutex
	fake *fakeslack.Server
}

func (hs *harness) clock() time.Time {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return hs.now
}

func (hs *harness) advance(d time.Duration) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	hs.now = hs.now.Add(d)
}

func newHarness(t *testing.T, h *recorder) *harness {
	t.Helper()
	hs := &harness{h: h, now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), fake: fakeslack.New(t)}
	srv, err := NewServer(ServerConfig{SigningSecret: testSecret, Handler: h,
		Dedup: &memDedup{now: hs.clock, keys: map[string]time.Time{}}, Now: hs.clock,
		AckWithin: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Register(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	hs.srv, hs.url = srv, ts.URL
	hs.fake.AddChannel("C1", fakeslack.Private)
	hs.fake.SetClock(hs.clock)
	hs.fake.SetApp(ts.URL, testSecret)
	return hs
}

// post sends body to path, signed now by the harness clock, with extra headers.
func (hs *harness) post(t *testing.T, path, body string, hdr map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, hs.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	SignRequest(req, testSecret, []byte(body), hs.clock())
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func commandBody(trigger, text, responseURL string) string {
	return url.Values{"command": {"/legal"}, "text": {text}, "user_id": {"U1"}, "channel_id": {"C1"},
		"trigger_id": {trigger}, "response_url": {responseURL}}.Encode()
}

func actionBody(t *testing.T, trigger, actionID, value string) string {
	t.Helper()
	p, err := json.Marshal(map[string]any{
		"type": "block_actions", "trigger_id": trigger, "user": map[string]any{"id": "U1"},
		"container": map[string]any{"type": "message", "channel_id": "C1", "message_ts": "1.000100"},
		"actions":   []map[string]any{{"action_id": actionID, "block_id": "b1", "value": value, "type": "button"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"payload": {string(p)}}.Encode()
}

func eventBody(eventID string) string {
	return `{"type":"event_callback","team_id":"T1","event_id":"` + eventID +
		`","event":{"type":"app_home_opened","user":"U1","channel":"D1","tab":"home","event_ts":"1.2"}}`
}

func TestSignatureRequired(t *testing.T) {
	hs := newHarness(t, &recorder{reply: &Reply{Text: "ok"}})
	bodies := map[string]string{
		"/slack/commands":     commandBody("t1", "help", ""),
		"/slack/interactions": actionBody(t, "t2", "claim", "LE-2026-0001"),
		"/slack/events":       eventBody("Ev1"),
	}
	tests := []struct {
		name   string
		tamper func(r *http.Request, body string)
		want   int
	}{
		{"correctly signed", func(*http.Request, string) {}, http.StatusOK},
		{"forged signature", func(r *http.Request, body string) {
			SignRequest(r, "not-the-secret", []byte(body), hs.clock())
		}, http.StatusUnauthorized},
		{"stale timestamp", func(r *http.Request, body string) {
			SignRequest(r, testSecret, []byte(body), hs.clock().Add(-5*time.Minute-time.Second))
		}, http.StatusUnauthorized},
		{"future timestamp", func(r *http.Request, body string) {
			SignRequest(r, testSecret, []byte(body), hs.clock().Add(6*time.Minute))
		}, http.StatusUnauthorized},
		{"modified body", func(r *http.Request, body string) {
			SignRequest(r, testSecret, []byte(strings.Replace(body, "U1", "U9", 1)), hs.clock())
		}, http.StatusUnauthorized},
		{"no signature", func(r *http.Request, _ string) {
			r.Header.Del("X-Slack-Signature")
		}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		for path, body := range bodies {
			t.Run(tt.name+path, func(t *testing.T) {
				c0, a0, e0 := hs.h.counts()
				// A fresh trigger/event id per case so dedup does not hide a pass.
				body := strings.NewReplacer("t1", "t1"+tt.name, "t2", "t2"+tt.name, "Ev1", "Ev1"+tt.name).Replace(body)
				if path == "/slack/interactions" {
					body = actionBody(t, "t2"+tt.name, "claim", "LE-2026-0001")
				}
				req, _ := http.NewRequest(http.MethodPost, hs.url+path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				SignRequest(req, testSecret, []byte(body), hs.clock())
				tt.tamper(req, body)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.want {
					t.Fatalf("status: got %d, want %d", resp.StatusCode, tt.want)
				}
				hs.srv.Wait()
				c1, a1, e1 := hs.h.counts()
				reached := c1 + a1 + e1 - (c0 + a0 + e0)
				if want := map[bool]int{true: 1, false: 0}[tt.want == http.StatusOK]; reached != want {
					t.Fatalf("handler calls: got %d, want %d", reached, want)
				}
			})
		}
	}
}

func TestURLVerification(t *testing.T) {
	hs := newHarness(t, &recorder{})
	code, body := hs.post(t, "/slack/events", `{"type":"url_verification","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","token":"x"}`, nil)
	if code != http.StatusOK || body != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("got %d %q, want 200 and the challenge", code, body)
	}
}

func TestCommandReplies(t *testing.T) {
	t.Run("fast reply in the response body", func(t *testing.T) {
		hs := newHarness(t, &recorder{reply: &Reply{Text: "Usage: /legal help"}})
		code, body := hs.post(t, "/slack/commands", commandBody("tr-fast", "help", hs.fake.ResponseURL()), nil)
		var msg slack.WebhookMessage
		if err := json.Unmarshal([]byte(body), &msg); err != nil || code != http.StatusOK {
			t.Fatalf("got %d %q (%v), want 200 JSON", code, body, err)
		}
		if msg.Text != "Usage: /legal help" || msg.ResponseType != slack.ResponseTypeEphemeral {
			t.Fatalf("got %+v, want the ephemeral usage", msg)
		}
	})
	t.Run("slow reply after the ack through response_url", func(t *testing.T) {
		hs := newHarness(t, &recorder{reply: &Reply{Text: "done"}, delay: 400 * time.Millisecond})
		start := time.Now()
		_, body := hs.post(t, "/slack/commands", commandBody("tr-slow", "list", hs.fake.ResponseURL()), nil)
		if took := time.Since(start); took > 300*time.Millisecond {
			t.Fatalf("ack took %v, want about AckWithin", took)
		}
		if !strings.Contains(body, "Working on it") {
			t.Fatalf("ack body %q, want a holding message", body)
		}
		hs.srv.Wait()
		rs := hs.fake.Responses()
		if len(rs) != 1 || !strings.Contains(string(rs[0].Body), `"text":"done"`) {
			t.Fatalf("response_url posts: got %d (%v), want one with the reply", len(rs), rs)
		}
	})
}

// TestRetriesApplyOnce replays each kind of delivery and checks the
// handler ran once.
func TestRetriesApplyOnce(t *testing.T) {
	hs := newHarness(t, &recorder{})
	retry := map[string]string{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}

	hs.post(t, "/slack/commands", commandBody("trig-A", "claim 1", ""), nil)
	hs.post(t, "/slack/commands", commandBody("trig-A", "claim 1", ""), retry)
	hs.post(t, "/slack/events", eventBody("Ev-A"), nil)
	hs.post(t, "/slack/events", eventBody("Ev-A"), retry)
	// A double click: two deliveries, distinct triggers, same action.
	hs.post(t, "/slack/interactions", actionBody(t, "trig-B", "claim", "LE-2026-0001"), nil)
	hs.post(t, "/slack/interactions", actionBody(t, "trig-C", "claim", "LE-2026-0001"), nil)
	hs.srv.Wait()
	if c, a, e := hs.h.counts(); c != 1 || a != 1 || e != 1 {
		t.Fatalf("handled commands/actions/events: got %d/%d/%d, want 1/1/1", c, a, e)
	}

	// The same click after the window, and another action, are new.
	hs.advance(clickWindow + time.Second)
	hs.post(t, "/slack/interactions", actionBody(t, "trig-D", "claim", "LE-2026-0001"), nil)
	hs.post(t, "/slack/interactions", actionBody(t, "trig-E", "ack", "LE-2026-0001"), nil)
	hs.srv.Wait()
	if _, a, _ := hs.h.counts(); a != 3 {
		t.Fatalf("handled actions: got %d, want 3", a)
	}
}
