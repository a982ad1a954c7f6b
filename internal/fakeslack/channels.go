package fakeslack

import "strings"

// ChannelKind is the kind of a conversation: which history scope reads
// it, and whether it is visible to a bot that is not in it.
type ChannelKind int

const (
	// Private is a private channel: conversations.history needs
	// groups:history, and to a bot outside it the channel does not exist
	// (channel_not_found).
	Private ChannelKind = iota
	// Public is a public channel: conversations.history needs
	// channels:history, and a bot outside it is refused with
	// not_in_channel.
	Public
	// DM is a direct message with the bot (conversations.open makes one):
	// im:history reads it.
	DM
)

// channel is a conversation the fake knows.
type channel struct {
	kind   ChannelKind
	member bool // the bot was added to it
}

// AddChannel creates a channel of kind and adds the bot to it, as a
// workspace admin does when installing lebot. Slack refuses posts and
// reads in channels the fake was not told about (channel_not_found).
func (s *Server) AddChannel(id string, kind ChannelKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = &channel{kind: kind, member: true}
}

// AddChannelWithoutBot creates a channel the bot was never added to: a
// public one answers not_in_channel, a private one channel_not_found.
func (s *Server) AddChannelWithoutBot(id string, kind ChannelKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = &channel{kind: kind}
}

// historyScope is the scope conversations.history and .replies need for
// a conversation of kind.
func historyScope(kind ChannelKind) string {
	switch kind {
	case Public:
		return "channels:history"
	case DM:
		return "im:history"
	}
	return "groups:history"
}

// conversation resolves id for a bot call and says why the bot may not
// use it: channel_not_found for an unknown conversation or a private one
// the bot is not in, not_in_channel for a public one it is not in. A
// user id (U…, W…) names the user's DM with the bot, as chat.postMessage
// allows.
func (s *Server) conversation(id string) (string, *channel, string) {
	if strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") {
		id = dmID(id)
		if s.channels[id] == nil {
			s.channels[id] = &channel{kind: DM, member: true}
		}
	}
	c := s.channels[id]
	switch {
	case c == nil:
		return id, nil, "channel_not_found"
	case !c.member && c.kind == Public:
		return id, nil, "not_in_channel"
	case !c.member:
		return id, nil, "channel_not_found"
	}
	return id, c, ""
}

// dmID is the id of the DM between the bot and users (a comma-separated
// list), stable across calls.
func dmID(users string) string {
	return "D" + strings.ToUpper(strings.NewReplacer(",", "", " ", "").Replace(users))
}
