package fakeslack

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// AckTimeout is how long Slack waits for an app to acknowledge a slash
// command, an interaction or an event, over HTTP or Socket Mode, before
// the user sees operation_timeout (and an event is retried).
const AckTimeout = 3 * time.Second

// Command is the slash command SlashCommand sends.
const Command = "/legal"

// app is where deliveries go over HTTP.
type app struct {
	base, secret string
}

// SetApp makes the fake deliver what users do to lebot's HTTP endpoints
// under base (base+"/slack/commands", "/slack/interactions",
// "/slack/events"), signed with signingSecret as Slack signs, timestamped
// by the fake's clock. While a Socket Mode connection is open, deliveries
// go over it instead, as Slack does for an app with Socket Mode on.
func (s *Server) SetApp(base, signingSecret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.app = app{strings.TrimSuffix(base, "/"), signingSecret}
}

// Answer is lebot's answer to one delivery and what Slack made of it.
type Answer struct {
	TriggerID   string
	ResponseURL string
	Status      int           // HTTP status; 200 for a Socket Mode ack
	Body        []byte        // the ack's body (Socket Mode: its payload)
	Took        time.Duration // from sending to the ack (real time)
	// Shown is what Slack showed the user from the ack (an ephemeral
	// message, or a message in the channel); nil when nothing: an empty
	// ack, or any ack of a button click, whose body Slack ignores.
	Shown *Message
	// Error is what the user got instead of an answer: operation_timeout
	// (no ack within 3 seconds, or SetAckTimeout's), http_error (a
	// status other than 200), invalid_response (a view submission
	// answered with anything but nothing or a response_action; a slash
	// command answered with unreadable JSON), invalid_blocks.
	Error string
	// ViewErrors are the field errors of a response_action "errors",
	// by block id.
	ViewErrors map[string]string
	// Closed: the submission closed the modal (an empty ack, or
	// response_action "clear").
	Closed bool
}

// SlashCommand has user type Command with text in channel, as Slack
// sends it: with a fresh trigger_id and response_url, and the text's &, <
// and > encoded as &amp;, &lt; and &gt; (mentions typed as <@U…> stay
// mentions, as the Slack client sends a picked user). It returns lebot's
// answer; an ephemeral ack is also in SeenBy(user).
func (s *Server) SlashCommand(user, channel, text string) Answer {
	s.mu.Lock()
	trig, rurl := s.newTrigger(user), s.newResponseURL(user, channel, "")
	s.mu.Unlock()
	form := url.Values{"token": {"fake-verification"}, "team_id": {"T00000001"}, "team_domain": {"fake"},
		"channel_id": {channel}, "channel_name": {"legal"}, "user_id": {user}, "user_name": {strings.ToLower(user)},
		"command": {Command}, "text": {EncodeText(text)}, "api_app_id": {"A00000001"},
		"response_url": {rurl}, "trigger_id": {trig}}
	payload := map[string]string{}
	for k := range form {
		payload[k] = form.Get(k)
	}
	raw, _ := json.Marshal(payload)
	a := s.deliver("slash_commands", "/slack/commands", []byte(form.Encode()), raw, "application/x-www-form-urlencoded")
	a.TriggerID, a.ResponseURL = trig, rurl
	if a.Error == "" && len(bytes.TrimSpace(a.Body)) > 0 {
		a.Shown, a.Error = s.showAck(a.Body, user, channel)
	}
	s.record(a)
	return a
}

// reToken matches the mentions the Slack client sends as markup.
var reToken = regexp.MustCompile(`^<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|!subteam\^[A-Z0-9]+)(?:\|[^<>]*)?>`)

// EncodeText encodes text as Slack does in a slash command: &, < and >
// become entities, except inside <@U…>, <#C…> and <!subteam^…> tokens.
func EncodeText(text string) string {
	var b strings.Builder
	for text != "" {
		if loc := reToken.FindStringIndex(text); loc != nil {
			b.WriteString(text[:loc[1]])
			text = text[loc[1]:]
			continue
		}
		switch c := text[0]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
		text = text[1:]
	}
	return b.String()
}

// showAck reads a slash command's ack body as Slack does: a JSON message
// (ephemeral unless response_type is in_channel) or plain text.
func (s *Server) showAck(body []byte, user, channel string) (*Message, string) {
	var m webhookMessage
	if body[0] == '{' {
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, "invalid_response"
		}
	} else {
		m.Text = string(body)
	}
	if len(nilIfEmpty(m.Blocks)) > 0 {
		if err := checkBlocks(m.Blocks, inMessage); err != nil {
			return nil, "invalid_blocks"
		}
	}
	if m.Text == "" && len(nilIfEmpty(m.Blocks)) == 0 {
		return nil, ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := &Message{Channel: channel, Text: m.Text, Blocks: nilIfEmpty(m.Blocks), TS: s.nextTS()}
	if m.ResponseType == "in_channel" {
		s.messages = append(s.messages, msg)
	} else {
		msg.User = user
		s.ephemeral = append(s.ephemeral, msg)
	}
	c := *msg
	return &c, ""
}

// AppHomeOpened sends the app_home_opened event for user's Home tab. An
// event not acknowledged with a 2xx within 3 seconds is retried as Slack
// retries (SetEventRetries), with X-Slack-Retry-Num over HTTP and
// retry_attempt in Socket Mode; the retries run after this returns the
// first attempt's answer.
func (s *Server) AppHomeOpened(user string) Answer {
	s.mu.Lock()
	id := s.nextID("Ev")
	delays := append([]time.Duration(nil), s.retries...)
	s.mu.Unlock()
	raw, _ := json.Marshal(map[string]any{"token": "fake-verification", "team_id": "T00000001",
		"api_app_id": "A00000001", "type": "event_callback", "event_id": id, "event_time": s.now().Unix(),
		"event": map[string]any{"type": "app_home_opened", "user": user, "channel": dmID(user), "tab": "home",
			"event_ts": "1.000000"}})
	a := s.deliverAttempt("events_api", "/slack/events", raw, raw, "application/json", 0)
	s.record(a)
	if a.Error != "" && len(delays) > 0 {
		go s.retryEvent(raw, delays)
	}
	return a
}

// retryEvent redelivers an unacknowledged event after each delay until
// one is acknowledged.
func (s *Server) retryEvent(raw []byte, delays []time.Duration) {
	for i, d := range delays {
		time.Sleep(d)
		a := s.deliverAttempt("events_api", "/slack/events", raw, raw, "application/json", i+1)
		s.record(a)
		if a.Error == "" {
			return
		}
	}
}

// SetAckTimeout sets how long the fake waits for an ack, over HTTP or
// Socket Mode; AckTimeout (Slack's 3 seconds) unless set. Tests of the
// deadline itself set a shorter one rather than wait 3 seconds each.
func (s *Server) SetAckTimeout(d time.Duration) {
	s.socket.mu.Lock()
	defer s.socket.mu.Unlock()
	s.socket.ackWait = d
}

// SetEventRetries sets the delays after which an unacknowledged event is
// sent again (Slack: at once, after about a minute, after about five
// minutes); none by default, so a test meets a retry only when it asks.
func (s *Server) SetEventRetries(delays ...time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retries = delays
}

// Deliveries returns every delivery's answer, in order.
func (s *Server) Deliveries() []Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Answer(nil), s.answers...)
}

func (s *Server) record(a Answer) {
	s.mu.Lock()
	s.answers = append(s.answers, a)
	s.mu.Unlock()
}

// interact delivers an interaction payload.
func (s *Server) interact(payload map[string]any) Answer {
	raw, _ := json.Marshal(payload)
	return s.deliver("interactive", "/slack/interactions", []byte(url.Values{"payload": {string(raw)}}.Encode()),
		raw, "application/x-www-form-urlencoded")
}

func (s *Server) deliver(kind, path string, httpBody, socketPayload []byte, contentType string) Answer {
	return s.deliverAttempt(kind, path, httpBody, socketPayload, contentType, 0)
}

// deliverAttempt sends one delivery over Socket Mode when a connection is
// open, else over HTTP, and waits at most the ack timeout for the ack.
func (s *Server) deliverAttempt(kind, path string, httpBody, socketPayload []byte, contentType string, attempt int) Answer {
	if s.socket.connected() {
		return s.socket.send(kind, socketPayload, attempt)
	}
	s.mu.Lock()
	a, ts := s.app, s.now()
	s.mu.Unlock()
	if a.base == "" {
		return Answer{Error: "no_app: call SetApp or connect in Socket Mode"}
	}
	if kind == "events_api" {
		httpBody = socketPayload
	}
	req, err := http.NewRequest(http.MethodPost, a.base+path, bytes.NewReader(httpBody))
	if err != nil {
		return Answer{Error: err.Error()}
	}
	req.Header.Set("Content-Type", contentType)
	Sign(req.Header, a.secret, httpBody, ts)
	if attempt > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(attempt))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	start := time.Now()
	resp, err := (&http.Client{Timeout: s.socket.ackTimeout()}).Do(req)
	took := time.Since(start)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return Answer{Took: took, Error: "operation_timeout"}
		}
		return Answer{Took: took, Error: "http_error"}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	out := Answer{Status: resp.StatusCode, Body: body, Took: took}
	if resp.StatusCode != http.StatusOK {
		out.Error = "http_error"
	}
	return out
}

// Sign sets Slack's signature headers on a request carrying body, as
// Slack signs (v0 HMAC-SHA256 of "v0:timestamp:body").
func Sign(h http.Header, secret string, body []byte, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", ts)
	mac.Write(body)
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}
