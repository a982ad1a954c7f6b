package fakeslack

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// A response_url takes at most 5 posts within 30 minutes of the
// interaction (docs.slack.dev, "Handling user interaction": responding
// with response_url).
const (
	responseUses = 5
	responseTTL  = 30 * time.Minute
)

// responseURL is a response_url the fake handed out, with what it answers:
// the user who acted, the channel, and the message clicked (if any).
type responseURL struct {
	issued        time.Time
	uses          int
	user, channel string
	messageTS     string
}

// ResponseURL issues a response_url as Slack puts in a slash command or
// interaction payload: 5 posts within 30 minutes (by the fake's clock),
// then 404 used_url or expired_url. Deliveries issue their own; this one
// answers no particular user or channel.
func (s *Server) ResponseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newResponseURL("", "", "")
}

func (s *Server) newResponseURL(user, channel, ts string) string {
	id := s.nextID("R")
	s.urls[id] = &responseURL{issued: s.now(), user: user, channel: channel, messageTS: ts}
	return s.base + "/response/" + id
}

// Responses returns the posts to response_urls, in order.
func (s *Server) Responses() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.responses...)
}

// ResponsesTo returns the posts to one response_url, in order.
func (s *Server) ResponsesTo(url string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.responses {
		if c.Params.Get("url") == url {
			out = append(out, c)
		}
	}
	return out
}

// webhookMessage is a response_url post.
type webhookMessage struct {
	Text            string          `json:"text"`
	Blocks          json.RawMessage `json:"blocks"`
	ResponseType    string          `json:"response_type"`
	ReplaceOriginal bool            `json:"replace_original"`
	DeleteOriginal  bool            `json:"delete_original"`
}

// response serves response_url posts: a message shown to the user alone
// (ephemeral, the default), in the channel (in_channel), or replacing or
// deleting the message an interaction came from.
func (s *Server) response(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	url := s.base + "/response/" + r.PathValue("id")
	s.mu.Lock()
	c := Call{Method: "response", Body: body, At: s.now(), Params: map[string][]string{"url": {url}}}
	status, code := s.respond(r.PathValue("id"), body)
	c.Error, c.Refusal = code, s.refusal
	s.refusal = ""
	s.calls = append(s.calls, c)
	if code == "" {
		s.responses = append(s.responses, c)
	}
	s.mu.Unlock()
	if code != "" {
		http.Error(w, code, status)
	} else {
		writeJSON(w, map[string]any{"ok": true})
	}
	s.notify(c)
}

// respond applies a response_url post (under mu) and returns the HTTP
// status and error code of a refusal.
func (s *Server) respond(id string, body []byte) (int, string) {
	u := s.urls[id]
	switch {
	case u == nil:
		return http.StatusNotFound, "no_such_url"
	case s.now().Sub(u.issued) > responseTTL:
		return http.StatusNotFound, "expired_url"
	case u.uses >= responseUses:
		return http.StatusNotFound, "used_url"
	}
	u.uses++
	var m webhookMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return http.StatusBadRequest, "invalid_payload"
	}
	if m.DeleteOriginal {
		s.messages = slicesDeleteTS(s.messages, u.channel, u.messageTS)
		return http.StatusOK, ""
	}
	if m.Text == "" && len(m.Blocks) == 0 {
		return http.StatusBadRequest, "no_text"
	}
	if len(m.Blocks) > 0 {
		if err := checkBlocks(m.Blocks, inMessage); err != nil {
			s.refusal = err.Error()
			return http.StatusBadRequest, "invalid_blocks"
		}
	}
	msg := &Message{Channel: u.channel, Text: m.Text, Blocks: nilIfEmpty(m.Blocks)}
	switch {
	case m.ReplaceOriginal && u.messageTS != "":
		if old := s.lookup(u.channel, u.messageTS); old != nil {
			old.Text, old.Blocks, old.Updates = msg.Text, msg.Blocks, old.Updates+1
			return http.StatusOK, ""
		}
		if old := s.lookupEphemeral(u.channel, u.messageTS); old != nil {
			old.Text, old.Blocks, old.Updates = msg.Text, msg.Blocks, old.Updates+1
			return http.StatusOK, ""
		}
		return http.StatusNotFound, "message_not_found"
	case m.ResponseType == "in_channel":
		msg.TS = s.nextTS()
		s.messages = append(s.messages, msg)
	default:
		msg.User, msg.TS = u.user, s.nextTS()
		s.ephemeral = append(s.ephemeral, msg)
	}
	return http.StatusOK, ""
}

func nilIfEmpty(b json.RawMessage) json.RawMessage {
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	return b
}

func slicesDeleteTS(ms []*Message, channel, ts string) []*Message {
	out := ms[:0]
	for _, m := range ms {
		if m.Channel != channel || m.TS != ts {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) lookupEphemeral(channel, ts string) *Message {
	for _, m := range s.ephemeral {
		if m.Channel == channel && m.TS == ts {
			return m
		}
	}
	return nil
}

// SeenBy returns the messages shown to user alone, in order: ephemeral
// answers to slash commands (the ack or response_url posts), response_url
// posts after a click, and chat.postEphemeral to the user.
func (s *Server) SeenBy(user string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.ephemeral {
		if m.User == user {
			out = append(out, *m)
		}
	}
	return out
}
