package fakeslack

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Socket Mode as Slack serves it (docs.slack.dev, "Using Socket Mode"):
// apps.connections.open, called with an app-level token (xapp-…), returns
// a one-time wss URL; on connecting, Slack sends "hello", then envelopes
// (slash_commands, interactive, events_api) each with an envelope_id the
// app must acknowledge within 3 seconds, optionally with a payload (the
// same answer an HTTP ack body gives). An ack of 20 KB or more is dropped
// (slack-go's socketmode refuses to send one for that reason), so the
// envelope counts as unacknowledged.

// MaxSocketAck is the size from which Slack drops a Socket Mode ack.
const MaxSocketAck = 20 * 1024

// SocketAck is one acknowledgement received over Socket Mode.
type SocketAck struct {
	EnvelopeID string
	Kind       string        // the envelope's type
	Size       int           // bytes on the wire
	Took       time.Duration // from sending the envelope (real time)
	// Dropped: 20 KB or more, ignored as Slack ignores it.
	Dropped bool
	// Late: after the 3 seconds; the user already saw operation_timeout.
	Late bool
}

// socket is the fake's Socket Mode side: one connection at a time.
type socket struct {
	mu       sync.Mutex
	conn     *websocket.Conn
	writeMu  sync.Mutex
	tickets  map[string]bool
	waiting  map[string]*envelope
	acks     []SocketAck
	seq      int
	ping     time.Duration
	ackWait  time.Duration // AckTimeout unless a test sets it (SetAckTimeout)
	closed   bool
	upgrader websocket.Upgrader
}

// envelope is a sent envelope waiting for its ack.
type envelope struct {
	kind string
	sent time.Time
	ack  chan []byte // the ack's payload ("null" when none)
}

func newSocket() *socket {
	return &socket{tickets: map[string]bool{}, waiting: map[string]*envelope{}, ping: 10 * time.Second, ackWait: AckTimeout,
		// slack-go sends Origin: https://api.slack.com; Slack accepts it.
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}}
}

// SocketAcks returns the Socket Mode acknowledgements received, in order.
func (s *Server) SocketAcks() []SocketAck {
	s.socket.mu.Lock()
	defer s.socket.mu.Unlock()
	return append([]SocketAck(nil), s.socket.acks...)
}

// SocketConnected reports whether an app is connected in Socket Mode.
func (s *Server) SocketConnected() bool { return s.socket.connected() }

// connectionsOpen answers apps.connections.open: an app-level token gets
// a one-time websocket URL; a bot token is refused.
func (s *Server) connectionsOpen(req *request) (any, string) {
	if !strings.HasPrefix(req.token, "xapp-") {
		return nil, "not_allowed_token_type"
	}
	ticket := s.nextID("ticket-")
	s.socket.mu.Lock()
	s.socket.tickets[ticket] = true
	s.socket.mu.Unlock()
	return map[string]any{"url": "ws" + strings.TrimPrefix(s.base, "http") + "/socket/" + ticket}, ""
}

// serveSocket upgrades a connection with a ticket from
// apps.connections.open, says hello, and reads acks until it closes.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	so := s.socket
	so.mu.Lock()
	ok := so.tickets[r.PathValue("ticket")] && !so.closed
	delete(so.tickets, r.PathValue("ticket"))
	so.mu.Unlock()
	if !ok {
		http.Error(w, "invalid ticket", http.StatusUnauthorized)
		return
	}
	conn, err := so.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	so.mu.Lock()
	if old := so.conn; old != nil {
		old.Close()
	}
	so.conn = conn
	so.mu.Unlock()
	hello, _ := json.Marshal(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A00000001"},
		"debug_info":      map[string]any{"host": "fakeslack", "approximate_connection_time": 18060}})
	if so.write(conn, websocket.TextMessage, hello) != nil {
		return
	}
	done := make(chan struct{})
	go so.pinger(conn, done)
	so.read(conn)
	close(done)
	so.mu.Lock()
	if so.conn == conn {
		so.conn = nil
	}
	so.mu.Unlock()
}

// pinger sends the websocket pings Slack sends (slack-go reconnects when
// none come for 30 seconds).
func (so *socket) pinger(conn *websocket.Conn, done chan struct{}) {
	t := time.NewTicker(so.ping)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			so.writeMu.Lock()
			err := conn.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second))
			so.writeMu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

// read takes acks off conn and hands each to its waiting envelope.
func (so *socket) read(conn *websocket.Conn) {
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(msg, &ack) != nil || ack.EnvelopeID == "" {
			continue
		}
		so.mu.Lock()
		env := so.waiting[ack.EnvelopeID]
		rec := SocketAck{EnvelopeID: ack.EnvelopeID, Size: len(msg), Dropped: len(msg) >= MaxSocketAck}
		if env != nil {
			rec.Kind, rec.Took = env.kind, time.Since(env.sent)
			rec.Late = rec.Took > so.ackWait
			if !rec.Dropped {
				delete(so.waiting, ack.EnvelopeID)
				env.ack <- ack.Payload
			}
		}
		so.acks = append(so.acks, rec)
		so.mu.Unlock()
	}
}

func (so *socket) write(conn *websocket.Conn, kind int, b []byte) error {
	so.writeMu.Lock()
	defer so.writeMu.Unlock()
	_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return conn.WriteMessage(kind, b)
}

func (so *socket) connected() bool {
	so.mu.Lock()
	defer so.mu.Unlock()
	return so.conn != nil
}

// ackTimeout is how long the fake waits for an ack (see SetAckTimeout).
func (so *socket) ackTimeout() time.Duration {
	so.mu.Lock()
	defer so.mu.Unlock()
	return so.ackWait
}

// send sends an envelope and waits up to the ack timeout for its ack. An ack
// that comes later is recorded (Late) but answers nothing.
func (so *socket) send(kind string, payload []byte, attempt int) Answer {
	so.mu.Lock()
	conn := so.conn
	so.seq++
	id := "env-" + strings.Repeat("0", 4) + itoa(so.seq)
	env := &envelope{kind: kind, ack: make(chan []byte, 1), sent: time.Now()}
	so.waiting[id] = env
	wait := so.ackWait
	so.mu.Unlock()
	if conn == nil {
		return Answer{Error: "no_app: the Socket Mode connection closed"}
	}
	msg, _ := json.Marshal(map[string]any{"envelope_id": id, "type": kind, "payload": json.RawMessage(payload),
		"accepts_response_payload": kind != "events_api", "retry_attempt": attempt, "retry_reason": retryReason(attempt)})
	if err := so.write(conn, websocket.TextMessage, msg); err != nil {
		return Answer{Error: "http_error"}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case p := <-env.ack:
		a := Answer{Status: http.StatusOK, Took: time.Since(env.sent)}
		if s := string(p); s != "" && s != "null" {
			a.Body = p
		}
		return a
	case <-t.C:
		return Answer{Took: wait, Error: "operation_timeout"}
	}
}

func retryReason(attempt int) string {
	if attempt == 0 {
		return ""
	}
	return "timeout"
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// close ends the connection and refuses new ones.
func (so *socket) close() {
	so.mu.Lock()
	defer so.mu.Unlock()
	so.closed = true
	if so.conn != nil {
		so.conn.Close()
		so.conn = nil
	}
}
