package fakeslack

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
)

// Message is a message the fake holds.
type Message struct {
	Channel   string
	TS        string
	ThreadTS  string // "" for a top-level message
	Text      string
	Blocks    json.RawMessage // the blocks as posted (nil when none)
	Metadata  *Metadata       // nil when posted without
	Broadcast bool            // a thread reply also sent to the channel
	User      string          // the recipient of an ephemeral message
	Updates   int             // how many chat.update calls changed it
	Files     []File          // files shared with this message
}

// Metadata is Slack message metadata.
type Metadata struct {
	EventType    string         `json:"event_type"`
	EventPayload map[string]any `json:"event_payload"`
}

// Messages returns every message in channel (top-level and replies) in
// posting order.
func (s *Server) Messages(channel string) []Message {
	return s.find(func(m *Message) bool { return m.Channel == channel })
}

// TopLevel returns the channel's top-level messages in posting order.
func (s *Server) TopLevel(channel string) []Message {
	return s.find(func(m *Message) bool { return m.Channel == channel && m.ThreadTS == "" })
}

// Replies returns the replies in the thread of ts, in posting order.
func (s *Server) Replies(channel, ts string) []Message {
	return s.find(func(m *Message) bool { return m.Channel == channel && m.ThreadTS == ts })
}

// Ephemeral returns the ephemeral messages posted in channel.
func (s *Server) Ephemeral(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.ephemeral {
		if m.Channel == channel {
			out = append(out, *m)
		}
	}
	return out
}

func (s *Server) find(keep func(*Message) bool) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if keep(m) {
			out = append(out, *m)
		}
	}
	return out
}

func (s *Server) lookup(channel, ts string) *Message {
	for _, m := range s.messages {
		if m.Channel == channel && m.TS == ts {
			return m
		}
	}
	return nil
}

// message reads a message's content from a chat.* call and checks it
// the way Slack does: a channel the bot may post in, valid blocks, text.
func (s *Server) message(req *request) (*Message, string) {
	p := req.params
	m := &Message{Channel: p.Get("channel"), Text: p.Get("text"), ThreadTS: p.Get("thread_ts")}
	id, _, code := s.conversation(m.Channel)
	if code != "" {
		return nil, code
	}
	m.Channel = id
	if b := p.Get("blocks"); b != "" {
		m.Blocks = json.RawMessage(b)
		if err := checkBlocks(m.Blocks, inMessage); err != nil {
			s.refusal = err.Error()
			return nil, "invalid_blocks"
		}
	}
	if m.Text == "" && m.Blocks == nil && p.Get("attachments") == "" {
		return nil, "no_text"
	}
	if len(m.Text) > 40000 {
		return nil, "msg_too_long"
	}
	if md := p.Get("metadata"); md != "" {
		m.Metadata = &Metadata{}
		if err := json.Unmarshal([]byte(md), m.Metadata); err != nil || m.Metadata.EventType == "" {
			return nil, "invalid_metadata_format"
		}
	}
	m.Broadcast = p.Get("reply_broadcast") == "true" || p.Get("reply_broadcast") == "1"
	return m, ""
}

func (s *Server) postMessage(req *request) (any, string) {
	m, code := s.message(req)
	if code != "" {
		return nil, code
	}
	if m.ThreadTS != "" {
		if parent := s.lookup(m.Channel, m.ThreadTS); parent == nil || parent.ThreadTS != "" {
			return nil, "thread_not_found"
		}
	}
	m.TS = s.nextTS()
	s.messages = append(s.messages, m)
	return map[string]any{"channel": m.Channel, "ts": m.TS, "message": wire(m, true)}, ""
}

func (s *Server) update(req *request) (any, string) {
	m, code := s.message(req)
	if code != "" {
		return nil, code
	}
	old := s.lookup(m.Channel, req.params.Get("ts"))
	if old == nil {
		return nil, "message_not_found"
	}
	old.Text, old.Blocks, old.Updates = m.Text, m.Blocks, old.Updates+1
	if m.Metadata != nil {
		old.Metadata = m.Metadata
	}
	return map[string]any{"channel": old.Channel, "ts": old.TS, "text": old.Text, "message": wire(old, true)}, ""
}

func (s *Server) postEphemeral(req *request) (any, string) {
	m, code := s.message(req)
	if code != "" {
		return nil, code
	}
	if m.User = req.params.Get("user"); m.User == "" {
		return nil, "user_not_found"
	}
	m.TS = s.nextTS()
	s.ephemeral = append(s.ephemeral, m)
	return map[string]any{"message_ts": m.TS}, ""
}

// history answers conversations.history: top-level messages and
// broadcast replies, newest first, between oldest and latest (exclusive),
// paged by limit with an offset cursor.
func (s *Server) history(req *request) (any, string) {
	return s.page(req, func(m *Message) bool { return m.ThreadTS == "" || m.Broadcast }, true)
}

// replies answers conversations.replies: the parent then its replies,
// oldest first.
func (s *Server) replies(req *request) (any, string) {
	ts := req.params.Get("ts")
	if _, _, code := s.conversation(req.params.Get("channel")); code != "" {
		return nil, code
	}
	if s.lookup(req.params.Get("channel"), ts) == nil {
		return nil, "thread_not_found"
	}
	return s.page(req, func(m *Message) bool { return m.TS == ts || m.ThreadTS == ts }, false)
}

func (s *Server) page(req *request, keep func(*Message) bool, newestFirst bool) (any, string) {
	p := req.params
	channel, _, code := s.conversation(p.Get("channel"))
	if code != "" {
		return nil, code
	}
	oldest, _ := strconv.ParseFloat(p.Get("oldest"), 64)
	latest, _ := strconv.ParseFloat(p.Get("latest"), 64)
	withMeta := p.Get("include_all_metadata") == "1" || p.Get("include_all_metadata") == "true"
	var list []*Message
	for _, m := range s.messages {
		ts, _ := strconv.ParseFloat(m.TS, 64)
		if m.Channel != channel || !keep(m) || ts <= oldest || (latest > 0 && ts >= latest) {
			continue
		}
		list = append(list, m)
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].TS < list[j].TS })
	if newestFirst {
		slices.Reverse(list)
	}
	start, _ := strconv.Atoi(p.Get("cursor"))
	limit, _ := strconv.Atoi(p.Get("limit"))
	if limit <= 0 || limit > 999 {
		limit = 100
	}
	start = min(start, len(list))
	end := min(start+limit, len(list))
	out := make([]map[string]any, 0, end-start)
	for _, m := range list[start:end] {
		out = append(out, wire(m, withMeta))
	}
	next := ""
	if end < len(list) {
		next = strconv.Itoa(end)
	}
	return map[string]any{"messages": out, "has_more": next != "",
		"response_metadata": map[string]any{"next_cursor": next}}, ""
}

// wire renders m as Slack returns messages.
func wire(m *Message, withMeta bool) map[string]any {
	w := map[string]any{"type": "message", "ts": m.TS, "text": m.Text, "bot_id": "B00000BOT", "user": "U00000BOT"}
	if m.ThreadTS != "" {
		w["thread_ts"] = m.ThreadTS
		if m.Broadcast {
			w["subtype"] = "thread_broadcast"
		}
	}
	if m.Blocks != nil {
		w["blocks"] = m.Blocks
	}
	if withMeta && m.Metadata != nil {
		w["metadata"] = m.Metadata
	}
	if len(m.Files) > 0 {
		files := make([]map[string]any, 0, len(m.Files))
		for _, f := range m.Files {
			files = append(files, map[string]any{"id": f.ID, "name": f.Name, "title": f.Title, "size": len(f.Content)})
		}
		w["files"] = files
	}
	return w
}

// open answers conversations.open with a stable DM channel per user set,
// which the bot may then post in and (with im:history) read.
func (s *Server) open(req *request) (any, string) {
	users := req.params.Get("users")
	if users == "" {
		return nil, "users_list_not_supplied"
	}
	id := dmID(users)
	if s.channels[id] == nil {
		s.channels[id] = &channel{kind: DM, member: true}
	}
	return map[string]any{"channel": map[string]any{"id": id, "is_im": true}}, ""
}
