package triage

import (
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// ReadFollowUp reads a follow-up of a request already taken in: the
// agency's answer to a notice, or more it sends about the request. Only
// the sender's own words and its attached files count: the earlier
// messages it quotes or attaches (the request itself, the company's
// notice with the guidelines' words in it) say nothing new, and reading
// them would take a requirement quoted back for its answer. v is the
// follow-up's verification (Verify). When the request is an emergency,
// the follow-up's answers to the emergency's requirements (the danger,
// why normal process is too slow) are read even when it does not itself
// read as an emergency: a reply need not repeat the word.
func ReadFollowUp(raw []byte, v legal.Verification, opts Options, emergency bool) (legal.Facts, error) {
	m, err := Parse(raw)
	if err != nil {
		return legal.Facts{}, err
	}
	return ReadFollowUpMessage(m, v, opts, emergency), nil
}

// ReadFollowUpMessage is ReadFollowUp of a message already parsed (the
// Message of Triage's Result): its files are not read again. parsed is
// not changed.
func ReadFollowUpMessage(parsed *Message, v legal.Verification, opts Options, emergency bool) legal.Facts {
	c := *parsed // Body, Attachments and Forwarded are replaced below, never written through
	m := &c
	var own []string
	for _, seg := range splitQuoted(m.Body) {
		if !seg.quoted {
			own = append(own, seg.text)
		}
	}
	m.Body = strings.Join(own, "\n\n")
	files := m.Attachments[:0:0]
	for _, a := range m.Attachments {
		if !strings.HasPrefix(strings.ToLower(a.ContentType), "message/") {
			files = append(files, a)
		}
	}
	m.Attachments, m.Forwarded = files, nil
	cal := opts.calendar()
	received := opts.ReceivedAt
	if received.IsZero() {
		received = m.Date
	}
	f := Extract(m, v, ExtractOptions{Location: cal.Location(), ReceivedAt: received, CompanyName: opts.CompanyName,
		AddBusinessDays: cal.AddBusinessDays})
	if emergency && !f.Exigent {
		d := newDoc(m)
		if opts.CompanyName != "" {
			d.provider = strings.ToLower(strings.Fields(opts.CompanyName + " x")[0])
		}
		f.DangerDescribed = answered(d, cueDanger) || promptAnswered(d, cueDangerPrompt)
		f.UrgencyJustified = answered(d, cueUrgency) || promptAnswered(d, cueUrgencyPrompt)
	}
	return f
}
