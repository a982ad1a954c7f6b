package bot

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// acks records Socket Mode acknowledgements.
type acks struct {
	mu   sync.Mutex
	got  []socketmode.Request
	body []any
}

func (a *acks) Ack(req socketmode.Request, payload ...any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.got = append(a.got, req)
	var p any
	if len(payload) > 0 {
		p = payload[0]
	}
	a.body = append(a.body, p)
	return nil
}

func TestSocketModeFeedsTheSameHandlers(t *testing.T) {
	h := &recorder{reply: &Reply{Text: "Usage: /legal help"}}
	hs := newHarness(t, h)
	a := &acks{}
	ctx := context.Background()

	cmd := slack.SlashCommand{Command: "/legal", Text: "help", UserID: "U1", TriggerID: "sock-1"}
	raw, _ := json.Marshal(cmd)
	cmdEvt := socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: cmd,
		Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: "env-1", Payload: raw}}

	evRaw := json.RawMessage(eventBody("Ev-sock"))
	ev, err := slackevents.ParseEvent(evRaw, slackevents.OptionNoVerifyToken())
	if err != nil {
		t.Fatal(err)
	}
	evEvt := func(env string, attempt int) socketmode.Event {
		return socketmode.Event{Type: socketmode.EventTypeEventsAPI, Data: ev,
			Request: &socketmode.Request{Type: "events_api", EnvelopeID: env, Payload: evRaw, RetryAttempt: attempt}}
	}

	hs.srv.HandleSocketEvent(ctx, cmdEvt, a)
	hs.srv.HandleSocketEvent(ctx, cmdEvt, a) // redelivered envelope
	hs.srv.HandleSocketEvent(ctx, evEvt("env-2", 0), a)
	hs.srv.HandleSocketEvent(ctx, evEvt("env-3", 1), a) // Slack's retry after a reconnect
	hs.srv.HandleSocketEvent(ctx, socketmode.Event{Type: socketmode.EventTypeHello, Request: &socketmode.Request{Type: "hello"}}, a)
	hs.srv.Wait()

	if c, _, e := h.counts(); c != 1 || e != 1 {
		t.Fatalf("handled commands/events: got %d/%d, want 1/1", c, e)
	}
	tests := []struct {
		name string
		i    int
		env  string
		text string
	}{
		{"command acked with its reply", 0, "env-1", "Usage: /legal help"},
		{"duplicate command acked empty", 1, "env-1", ""},
		{"event acked", 2, "env-2", ""},
		{"retried event acked", 3, "env-3", ""},
	}
	if len(a.got) != 5 {
		t.Fatalf("acks: got %d, want 5", len(a.got))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a.got[tt.i].EnvelopeID != tt.env {
				t.Fatalf("envelope: got %q, want %q", a.got[tt.i].EnvelopeID, tt.env)
			}
			var text string
			if m, ok := a.body[tt.i].(*slack.WebhookMessage); ok {
				text = m.Text
			}
			if text != tt.text {
				t.Fatalf("ack text: got %q, want %q", text, tt.text)
			}
		})
	}
}
