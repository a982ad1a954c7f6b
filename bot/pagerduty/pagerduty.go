// Package pagerduty is lebot's PagerDuty Events API v2 client: it sends
// trigger, acknowledge and resolve events and says, in the outbox's
// terms, whether a failed send may be retried.
package pagerduty

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot/outbox"
)

// DefaultURL is PagerDuty's Events API v2 endpoint.
const DefaultURL = "https://events.pagerduty.com/v2/enqueue"

// Config configures the Events v2 client.
type Config struct {
	RoutingKey string       // PAGERDUTY_ROUTING_KEY, required (32 characters)
	URL        string       // PAGERDUTY_EVENTS_URL; default DefaultURL
	HTTPClient *http.Client // default one with a 15s timeout
}

// Client sends Events API v2 events. It is safe for concurrent use.
type Client struct {
	key  string
	url  string
	http *http.Client
}

// New validates cfg and fills its defaults.
func New(cfg Config) (*Client, error) {
	if len(cfg.RoutingKey) != 32 {
		return nil, errors.New("pagerduty: PAGERDUTY_ROUTING_KEY must be the 32-character integration key of an Events API v2 integration")
	}
	if cfg.URL == "" {
		cfg.URL = DefaultURL
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	return &Client{key: cfg.RoutingKey, url: cfg.URL, http: cfg.HTTPClient}, nil
}

// Event is an Events v2 event; Send fills in the routing key.
type Event struct {
	RoutingKey  string   `json:"routing_key"`
	EventAction string   `json:"event_action"` // trigger, acknowledge, resolve
	DedupKey    string   `json:"dedup_key"`
	Payload     *Payload `json:"payload,omitempty"`
	Client      string   `json:"client,omitempty"`
	ClientURL   string   `json:"client_url,omitempty"`
	Links       []Link   `json:"links,omitempty"`
}

// Payload is a trigger's payload.
type Payload struct {
	Summary       string         `json:"summary"`
	Source        string         `json:"source"`
	Severity      string         `json:"severity"`
	Timestamp     string         `json:"timestamp,omitempty"`
	Component     string         `json:"component,omitempty"`
	Group         string         `json:"group,omitempty"`
	Class         string         `json:"class,omitempty"`
	CustomDetails map[string]any `json:"custom_details,omitempty"`
}

// Link is a link shown with the alert.
type Link struct {
	Href string `json:"href"`
	Text string `json:"text,omitempty"`
}

// Error is an answer other than 202. Status 0 means no answer
// (a network error or timeout).
type Error struct {
	Status  int
	Message string   // PagerDuty's message, e.g. "Event object is invalid"
	Errors  []string // PagerDuty's list of problems (400)
	Err     error    // the transport error when Status is 0
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return "pagerduty: " + e.Err.Error()
	}
	s := fmt.Sprintf("pagerduty: HTTP %d", e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if len(e.Errors) > 0 {
		s += " (" + strings.Join(e.Errors, "; ") + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Send posts ev. It returns nil on 202. Errors are classified for the
// outbox: 400 (and other 4xx but 429) is Permanent, 429 retries after
// Retry-After or 30s as PagerDuty suggests, and 5xx and network errors
// retry with the dispatcher's backoff. All are *Error inside.
func (p *Client) Send(ctx context.Context, ev Event) error {
	ev.RoutingKey = p.key
	body, err := json.Marshal(ev)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("pagerduty: encode event: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return outbox.Permanent(fmt.Errorf("pagerduty: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.http.Do(req)
	if err != nil {
		return &Error{Err: err}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode == http.StatusAccepted {
		return nil
	}
	pe := &Error{Status: resp.StatusCode}
	var answer struct {
		Message string   `json:"message"`
		Errors  []string `json:"errors"`
	}
	if json.Unmarshal(raw, &answer) == nil {
		pe.Message, pe.Errors = answer.Message, answer.Errors
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return outbox.RetryAfter(retryAfterHeader(resp.Header.Get("Retry-After"), 30*time.Second), pe)
	case resp.StatusCode >= 500:
		return pe
	}
	return outbox.Permanent(pe)
}

// retryAfterHeader reads Retry-After in seconds, else def.
func retryAfterHeader(v string, def time.Duration) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return def
}
