// Package fakepagerduty is a fake PagerDuty Events API v2 for tests: an
// httptest server for POST /v2/enqueue that validates events the way
// PagerDuty documents them, keeps each alert's state per (routing key,
// dedup key), records every request, and lets a test inject 429s, 5xx
// answers and dropped connections.
//
//	pd := fakepagerduty.New(t)
//	pd.Fail(3, http.StatusInternalServerError)
//	... point the client at pd.URL() ...
//	if got := pd.State("R1", "LE-2026-0001"); got != fakepagerduty.Triggered { ... }
//
// A Server is safe for concurrent use.
package fakepagerduty

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// State is an alert's state.
type State string

// Alert states; "" means no alert with that key.
const (
	Triggered    State = "triggered"
	Acknowledged State = "acknowledged"
	Resolved     State = "resolved"
)

// Event is the body of an Events v2 request.
type Event struct {
	RoutingKey  string  `json:"routing_key"`
	EventAction string  `json:"event_action"`
	DedupKey    string  `json:"dedup_key,omitempty"`
	Payload     *Detail `json:"payload,omitempty"`
	Client      string  `json:"client,omitempty"`
	ClientURL   string  `json:"client_url,omitempty"`
	Links       []Link  `json:"links,omitempty"`
}

// Detail is an event's payload.
type Detail struct {
	Summary       string         `json:"summary"`
	Source        string         `json:"source"`
	Severity      string         `json:"severity"`
	Timestamp     string         `json:"timestamp,omitempty"`
	Component     string         `json:"component,omitempty"`
	Group         string         `json:"group,omitempty"`
	Class         string         `json:"class,omitempty"`
	CustomDetails map[string]any `json:"custom_details,omitempty"`
}

// Link is a link attached to an event.
type Link struct {
	Href string `json:"href"`
	Text string `json:"text,omitempty"`
}

// Call is one recorded request.
type Call struct {
	Event  Event     // as decoded (zero when the body was not JSON)
	Status int       // the status answered
	At     time.Time // the server clock at the call
}

// Server is the fake. Create it with New.
type Server struct {
	srv *httptest.Server

	mu     sync.Mutex
	now    func() time.Time
	calls  []Call
	faults []int // statuses to answer next; -1 drops the connection
	alerts map[[2]string]State
	hook   func(Call)
}

// New starts a fake PagerDuty and closes it when tb's test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{now: time.Now, alerts: map[[2]string]State{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/enqueue", s.enqueue)
	s.srv = httptest.NewServer(mux)
	tb.Cleanup(s.srv.Close)
	return s
}

// URL is the events endpoint (PAGERDUTY_EVENTS_URL).
func (s *Server) URL() string { return s.srv.URL + "/v2/enqueue" }

// SetClock sets the clock used for call times.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// OnCall calls f after each accepted or refused call is recorded (for
// latency measurements); f must not call back into s.
func (s *Server) OnCall(f func(Call)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = f
}

// Fail answers the next n requests with status (429, 500, 503, ...).
func (s *Server) Fail(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, status)
	}
}

// Drop closes the connection of the next n requests without an answer:
// the client sees a network error.
func (s *Server) Drop(n int) { s.Fail(n, -1) }

// Calls returns every recorded request.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Accepted returns the events answered 202, optionally only those with
// action ("" for all).
func (s *Server) Accepted(action string) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Event
	for _, c := range s.calls {
		if c.Status == http.StatusAccepted && (action == "" || c.Event.EventAction == action) {
			out = append(out, c.Event)
		}
	}
	return out
}

// State is the state of the alert with dedupKey under routingKey.
func (s *Server) State(routingKey, dedupKey string) State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.alerts[[2]string{routingKey, dedupKey}]
}

func (s *Server) enqueue(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	call := Call{At: s.now()}
	if len(s.faults) > 0 {
		call.Status = s.faults[0]
		s.faults = s.faults[1:]
		_ = json.Unmarshal(body, &call.Event)
		s.record(call)
		s.mu.Unlock()
		if call.Status < 0 {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
		}
		w.WriteHeader(call.Status)
		return
	}
	status, answer := s.apply(body, &call)
	call.Status = status
	s.record(call)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(answer)
}

func (s *Server) record(c Call) {
	s.calls = append(s.calls, c)
	if s.hook != nil {
		s.hook(c)
	}
}

// apply validates and applies one event, with s.mu held.
func (s *Server) apply(body []byte, call *Call) (int, map[string]any) {
	invalid := func(errs ...string) (int, map[string]any) {
		return http.StatusBadRequest, map[string]any{"status": "invalid event", "message": "Event object is invalid", "errors": errs}
	}
	if len(body) > 512*1024 {
		return invalid("Event is larger than 512 KB")
	}
	ev := &call.Event
	if err := json.Unmarshal(body, ev); err != nil {
		return invalid("Body is not JSON")
	}
	var errs []string
	if len(ev.RoutingKey) != 32 {
		errs = append(errs, "'routing_key' must be 32 characters")
	}
	if len(ev.DedupKey) > 255 {
		errs = append(errs, "'dedup_key' is longer than 255 characters")
	}
	switch ev.EventAction {
	case "trigger":
		errs = append(errs, checkPayload(ev.Payload)...)
	case "acknowledge", "resolve":
		if ev.DedupKey == "" {
			errs = append(errs, "'dedup_key' is required for "+ev.EventAction)
		}
	default:
		errs = append(errs, "'event_action' must be trigger, acknowledge or resolve")
	}
	for _, l := range ev.Links {
		if l.Href == "" {
			errs = append(errs, "'links[].href' is required")
		}
	}
	if len(errs) > 0 {
		return invalid(errs...)
	}
	if ev.DedupKey == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		ev.DedupKey = hex.EncodeToString(b)
	}
	key := [2]string{ev.RoutingKey, ev.DedupKey}
	switch st := s.alerts[key]; ev.EventAction {
	case "trigger":
		if st != Acknowledged { // an acked alert stays acked; a resolved one opens anew
			s.alerts[key] = Triggered
		}
	case "acknowledge":
		if st == Triggered {
			s.alerts[key] = Acknowledged
		}
	case "resolve":
		if st == Triggered || st == Acknowledged {
			s.alerts[key] = Resolved
		}
	}
	return http.StatusAccepted, map[string]any{"status": "success", "message": "Event processed", "dedup_key": ev.DedupKey}
}

func checkPayload(p *Detail) []string {
	if p == nil {
		return []string{"'payload' is required for trigger"}
	}
	var errs []string
	if p.Summary == "" || len(p.Summary) > 1024 {
		errs = append(errs, "'payload.summary' is required and at most 1024 characters")
	}
	if p.Source == "" {
		errs = append(errs, "'payload.source' is required")
	}
	switch p.Severity {
	case "critical", "error", "warning", "info":
	default:
		errs = append(errs, "'payload.severity' must be critical, error, warning or info")
	}
	if p.Timestamp != "" {
		if _, err := time.Parse(time.RFC3339, p.Timestamp); err != nil {
			errs = append(errs, "'payload.timestamp' must be ISO 8601")
		}
	}
	return errs
}
