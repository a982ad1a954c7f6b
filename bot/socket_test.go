package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/lebot-dev/lebot/internal/fakeslack"
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

// socketHarness runs the server in Socket Mode against the fake's Socket
// Mode endpoint, as serve does with SLACK_APP_TOKEN.
func socketHarness(t *testing.T, h *recorder, ackWithin time.Duration) *harness {
	t.Helper()
	hs := newHarness(t, h)
	hs.srv.cfg.AckWithin = ackWithin
	api := slack.New("xoxb-test", slack.OptionAPIURL(hs.fake.URL()), slack.OptionAppLevelToken("xapp-test"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hs.srv.RunSocketMode(ctx, socketmode.New(api)) }()
	t.Cleanup(func() {
		cancel()
		<-done
		hs.srv.Wait()
	})
	deadline := time.Now().Add(5 * time.Second)
	for !hs.fake.SocketConnected() {
		if time.Now().After(deadline) {
			t.Fatal("no Socket Mode connection")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return hs
}

// TestSocketModeSlowCommands sends three slow commands in a row, as
// Slack does without waiting for acks: each must be acked within the
// ack deadline (Slack's 3 s scaled to 1 s here, with lebot's ack after
// half of it: one envelope at a time would ack them at 0.5, 1 and 1.5 s),
// and each answer follows through its response_url.
func TestSocketModeSlowCommands(t *testing.T) {
	const deadline = time.Second
	h := &recorder{delay: 800 * time.Millisecond,
		replyTo: func(cmd slack.SlashCommand) *Reply { return &Reply{Text: "answer to " + cmd.Text} }}
	hs := socketHarness(t, h, deadline/2)
	hs.fake.SetAckTimeout(deadline)
	answers := make([]fakeslack.Answer, 3)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() { answers[i] = hs.fake.SlashCommand("U1", "C1", fmt.Sprintf("list %d", i)) })
		time.Sleep(20 * time.Millisecond) // in a row
	}
	wg.Wait()
	hs.srv.Wait()
	for i, a := range answers {
		if a.Error != "" || a.Took > deadline {
			t.Errorf("command %d: acked after %v (error %q), want within %v", i, a.Took, a.Error, deadline)
		}
		rs := hs.fake.ResponsesTo(a.ResponseURL)
		if len(rs) != 1 || !strings.Contains(string(rs[0].Body), fmt.Sprintf("answer to list %d", i)) {
			t.Errorf("command %d: response_url got %d posts, want its answer", i, len(rs))
		}
	}
	for _, ack := range hs.fake.SocketAcks() {
		if ack.Late || ack.Dropped {
			t.Errorf("ack %+v: late or dropped", ack)
		}
	}
}

// TestSocketModeLargeAnswer: an answer too large for a Socket Mode ack
// (Slack drops acks of 20 KB or more) goes through the response_url,
// and the envelope is still acked in time.
func TestSocketModeLargeAnswer(t *testing.T) {
	big := strings.Repeat("LE-2026-0001 +14155550100\n", 1000) // 26 KB
	hs := socketHarness(t, &recorder{reply: &Reply{Text: big}}, time.Second)
	a := hs.fake.SlashCommand("U1", "C1", "show 1")
	hs.srv.Wait()
	if a.Error != "" {
		t.Fatalf("ack: got %+v, want it in time", a)
	}
	rs := hs.fake.ResponsesTo(a.ResponseURL)
	if len(rs) != 1 || !strings.Contains(string(rs[0].Body), "LE-2026-0001") {
		t.Fatalf("response_url: got %d posts, want the large answer", len(rs))
	}
	if acks := hs.fake.SocketAcks(); len(acks) != 1 || acks[0].Dropped || acks[0].Size >= fakeslack.MaxSocketAck {
		t.Fatalf("acks: got %+v, want one small ack", acks)
	}
}
