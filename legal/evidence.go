package legal

import "strings"

// Evidence is where a reading came from: the words of the message it was
// read from, so a person can check a fact against the letter.
type Evidence struct {
	// Quote is the passage (at most EvidenceMaxQuote bytes, whole words).
	Quote string `json:"quote"`
	// Part is where the quote stands: "body" (the sender's own text),
	// "quoted" (an earlier message quoted or forwarded below it),
	// "pdf:NAME" or "attachment:NAME", or "subject".
	Part string `json:"part"`
	// Note is set when the message also gives another, conflicting value
	// ("the letter also mentions 2026-11-17"); "" otherwise.
	Note string `json:"note,omitempty"`
}

// EvidenceMaxQuote bounds the length of an evidence quote.
const EvidenceMaxQuote = 200

// The fields evidence is kept for (the keys of Facts.Evidence).
const (
	EvidenceKinds       = "kinds"
	EvidencePeriod      = "period"
	EvidenceDeadline    = "deadline"
	EvidenceNDOUntil    = "ndo_until"
	EvidenceIdentifiers = "identifiers"
	EvidenceAgent       = "agent"
)

// Where names the part of the message the quote stands in, as a person
// reads it ("the message", "the attached PDF order.pdf").
func (e Evidence) Where() string {
	part := e.Part
	switch {
	case part == "body":
		return "the message"
	case part == "quoted":
		return "an earlier message quoted in it"
	case part == "subject":
		return "the subject line"
	case strings.HasPrefix(part, "pdf:"):
		return "the attached PDF " + strings.TrimPrefix(part, "pdf:")
	case strings.HasPrefix(part, "attachment:"):
		return "the attachment " + strings.TrimPrefix(part, "attachment:")
	}
	return part
}
