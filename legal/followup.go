package legal

import (
	"slices"
	"time"
)

// FollowUp is a later message from the agency that joined its request
// (a reply to the request or to a notice lebot sent, or mail naming the
// request's id from the same domain): it is stored with the request
// rather than as a new one.
type FollowUp struct {
	At        time.Time `json:"at"`           // when it was received
	On        Date      `json:"on"`           // the day received, in the team's zone
	MessageID string    `json:"message_id"`   // without <>; "" when it had none
	From      string    `json:"from"`         // sender address, lower case
	Subject   string    `json:"subject"`      // as received
	RawID     string    `json:"raw_id"`       // the store's id of its raw message
	Met       []ItemID  `json:"met,omitzero"` // checklist items it satisfied
}

// MetBy returns the follow-up that satisfied item, if one did.
func (r *Request) MetBy(item ItemID) (FollowUp, bool) {
	for _, f := range r.FollowUps {
		if slices.Contains(f.Met, item) {
			return f, true
		}
	}
	return FollowUp{}, false
}

// JoinFollowUp records fu on r and takes from f, the facts read from the
// follow-up, what satisfies checklist items r fails: for each failed item
// that no person decided, the follow-up's facts are merged in when they
// make the item pass, and the item is listed in the returned (and
// recorded) Met. Items a person decided stay as decided; facts that do
// not make a failed item pass are left alone, so a reply cannot change
// what the original said. The sender's domain is the original's.
func JoinFollowUp(r *Request, fu FollowUp, f Facts) []ItemID {
	fu.Met = nil
	for _, res := range Evaluate(r.Facts, r.Decisions) {
		if res.Outcome != Failed || res.Decision != nil {
			continue
		}
		merged := mergeFor(res.Item, r.Facts, f)
		if o, _ := evaluateItem(res.Item, merged); o == Passed {
			r.Facts = merged
			fu.Met = append(fu.Met, res.Item)
		}
	}
	r.FollowUps = append(r.FollowUps, fu)
	return fu.Met
}

// mergeFor is base with the fields of item taken from f where base lacks them.
func mergeFor(item ItemID, base, f Facts) Facts {
	m := base.Clone()
	switch item {
	case ItemLegalProcess:
		m.LegalProcess = base.LegalProcess || f.LegalProcess
	case ItemAgentContact:
		if m.Agent.Name == "" {
			m.Agent.Name = f.Agent.Name
		}
		if m.Agent.Email == "" {
			m.Agent.Email = f.Agent.Email
		}
		if m.Agent.Phone == "" {
			m.Agent.Phone = f.Agent.Phone
		}
	case ItemParticularRecords:
		if len(m.RecordsSought) == 0 && len(m.Records) == 0 {
			m.RecordsSought = slices.Clone(f.RecordsSought)
			m.Records = slices.Clone(f.Records)
		}
	case ItemAccountIdentifier:
		for _, id := range f.Identifiers {
			if !slices.Contains(m.Identifiers, id) {
				m.Identifiers = append(m.Identifiers, id)
			}
		}
	case ItemTimePeriod:
		if m.Period == nil && f.Period != nil {
			p := *f.Period
			m.Period = &p
		}
	case ItemDangerDescription:
		m.DangerDescribed = base.DangerDescribed || f.DangerDescribed
	case ItemUrgencyJustification:
		m.UrgencyJustified = base.UrgencyJustified || f.UrgencyJustified
	}
	return m
}

// followUpReason is the checklist reason of an item a follow-up met.
func followUpReason(f FollowUp) string {
	return "met by follow-up of " + f.On.In(time.UTC).Format("Mon Jan 2, 2006")
}

// Reply is an answer to the agency (a receipt or deficiency notice, or
// a message of the team's own): recorded when a team member submits it,
// and marked Sent once the relay took it, or Refused with the server's
// words.
type Reply struct {
	Kind      string    `json:"kind"` // "receipt", "deficiency" or "custom"
	MessageID string    `json:"message_id"`
	To        []string  `json:"to"`
	Subject   string    `json:"subject"`
	By        string    `json:"by"` // Slack user id of who submitted it
	Queued    time.Time `json:"queued"`
	Sent      time.Time `json:"sent,omitzero"`
	Refused   string    `json:"refused,omitempty"`
}

// ReplyByID returns the reply with that Message-ID, if there is one.
func (r *Request) ReplyByID(messageID string) (*Reply, bool) {
	for i := range r.Replies {
		if r.Replies[i].MessageID == messageID {
			return &r.Replies[i], true
		}
	}
	return nil, false
}

// SentReply reports whether the reply with that Message-ID went out.
func (r *Request) SentReply(messageID string) bool {
	x, ok := r.ReplyByID(messageID)
	return ok && !x.Sent.IsZero()
}
