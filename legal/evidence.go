package legal

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
