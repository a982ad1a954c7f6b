package fakeslack_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// dial opens a raw Socket Mode connection and reads the hello.
func dial(t *testing.T, srv *fakeslack.Server) *websocket.Conn {
	t.Helper()
	open := call(t, srv, "xapp-test", "apps.connections.open", url.Values{})
	u, _ := open["url"].(string)
	conn, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatalf("dial %q: %v", u, err)
	}
	t.Cleanup(func() { conn.Close() })
	var hello struct{ Type string }
	if err := conn.ReadJSON(&hello); err != nil || hello.Type != "hello" {
		t.Fatalf("hello: got %+v %v", hello, err)
	}
	return conn
}

// envelope reads one envelope.
func envelope(t *testing.T, conn *websocket.Conn) (id, kind string, payload json.RawMessage, attempt int) {
	t.Helper()
	var env struct {
		EnvelopeID   string          `json:"envelope_id"`
		Type         string          `json:"type"`
		Payload      json.RawMessage `json:"payload"`
		RetryAttempt int             `json:"retry_attempt"`
	}
	if err := conn.ReadJSON(&env); err != nil {
		t.Fatal(err)
	}
	return env.EnvelopeID, env.Type, env.Payload, env.RetryAttempt
}

func TestConnectionsOpenNeedsAppToken(t *testing.T) {
	srv := newServer(t)
	if got := errorOf(call(t, srv, "xoxb-test", "apps.connections.open", url.Values{})); got != "not_allowed_token_type" {
		t.Fatalf("bot token: got %q, want not_allowed_token_type", got)
	}
}

// TestSocketAcks: each envelope must be acked within the ack timeout
// (Slack's 3 seconds; half a second here); an ack of 20 KB or more is
// dropped like no ack at all.
func TestSocketAcks(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SetAckTimeout(500 * time.Millisecond)
	conn := dial(t, srv)
	run := func(text string) chan fakeslack.Answer {
		c := make(chan fakeslack.Answer, 1)
		go func() { c <- srv.SlashCommand("U1", "C1", text) }()
		return c
	}

	// A small ack with a message: shown.
	done := run("help")
	id, kind, payload, _ := envelope(t, conn)
	var cmd slack.SlashCommand
	if err := json.Unmarshal(payload, &cmd); err != nil || kind != "slash_commands" || cmd.Text != "help" {
		t.Fatalf("envelope: %s %s %v", kind, payload, err)
	}
	conn.WriteJSON(map[string]any{"envelope_id": id, "payload": map[string]any{"text": "Usage: …"}})
	if a := <-done; a.Error != "" || a.Shown == nil || a.Shown.Text != "Usage: …" {
		t.Fatalf("small ack: got %+v", a)
	}

	// An ack of 20 KB: dropped, so the user sees a timeout.
	done = run("show LE-1")
	id, _, _, _ = envelope(t, conn)
	conn.WriteJSON(map[string]any{"envelope_id": id, "payload": map[string]any{"text": strings.Repeat("x", fakeslack.MaxSocketAck)}})
	if a := <-done; a.Error != "operation_timeout" {
		t.Fatalf("20 KB ack: got %+v, want operation_timeout", a)
	}
	acks := srv.SocketAcks()
	if len(acks) != 2 || acks[0].Dropped || !acks[1].Dropped {
		t.Fatalf("acks: got %+v, want the second dropped", acks)
	}
}

// TestSocketModeClient: slack-go's own Socket Mode client connects to the
// fake, gets an event and acks it.
func TestSocketModeClient(t *testing.T) {
	srv := newServer(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(srv.URL()), slack.OptionAppLevelToken("xapp-test"))
	client := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go client.RunContext(ctx)
	go func() {
		for evt := range client.Events {
			if evt.Request != nil && evt.Type == socketmode.EventTypeEventsAPI {
				client.Ack(*evt.Request)
			}
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !srv.SocketConnected() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if a := srv.AppHomeOpened("U1"); a.Error != "" {
		t.Fatalf("event over Socket Mode: got %+v", a)
	}
	if acks := srv.SocketAcks(); len(acks) != 1 || acks[0].Kind != "events_api" || acks[0].Took > fakeslack.AckTimeout {
		t.Fatalf("acks: got %+v", acks)
	}
}

// TestSocketEventRetry: an unacked event envelope comes again with
// retry_attempt 1.
func TestSocketEventRetry(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SetAckTimeout(500 * time.Millisecond)
	srv.SetEventRetries(time.Millisecond)
	conn := dial(t, srv)
	done := make(chan fakeslack.Answer, 1)
	go func() { done <- srv.AppHomeOpened("U1") }()
	envelope(t, conn) // never acked
	if a := <-done; a.Error != "operation_timeout" {
		t.Fatalf("unacked event: got %+v", a)
	}
	id, kind, _, attempt := envelope(t, conn)
	if kind != "events_api" || attempt != 1 {
		t.Fatalf("retry: got %s attempt %d", kind, attempt)
	}
	conn.WriteJSON(map[string]any{"envelope_id": id})
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.Deliveries()) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if d := srv.Deliveries(); len(d) != 2 || d[1].Error != "" {
		t.Fatalf("deliveries: got %+v", d)
	}
}
