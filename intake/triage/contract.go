package triage

import (
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// Message is a received e-mail as intake reads it: decoded headers, the
// readable text of every part (HTML turned into text, PDF text layers)
// and, for a forwarded message, the original sender.
type Message struct {
	MessageID string    // without <>; "" when absent
	Subject   string    // RFC 2047 decoded
	Date      time.Time // Date header, in the sender's own zone (zero when absent or bad)
	From      Address
	ReplyTo   *Address // nil when absent
	To        []string

	// Body is the readable text of the message body: the text/plain part,
	// or the text/html part turned into text when there is no plain one.
	Body string
	// Attachments are the attached files, with their text when readable.
	Attachments []Attachment
	// Forwarded is set when the message forwards another ("Fwd:"): the
	// original sender and date as quoted in the body.
	Forwarded *Forwarded
	// Warnings are problems met while reading that a person should know
	// about (unknown charset, unreadable attachment, scanned PDF).
	Warnings []string
	// Incomplete: parts were left unread at a cap on parts, nesting or
	// size (see Parse's limits); a person should read the original.
	Incomplete bool
	// AutoReply: the header marks the message as an automatic reply
	// (Auto-Submitted: auto-replied, X-Autoreply, X-Autorespond,
	// Precedence: auto_reply).
	AutoReply bool
	// Hidden counts the invisible and direction-changing characters
	// removed from the text above, by where they were: "subject",
	// "sender name", "body", "attachment names", "attachment text".
	// Addresses keep theirs (one with them is not the address it looks
	// like). Nil when none.
	Hidden map[string]int
}

// Address is a mailbox.
type Address struct {
	Name  string
	Email string // as written; compare case-insensitively
}

// Domain is the lower-case domain of the address.
func (a Address) Domain() string {
	for i := len(a.Email) - 1; i >= 0; i-- {
		if a.Email[i] == '@' {
			return toLower(a.Email[i+1:])
		}
	}
	return ""
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Attachment is one attached file.
type Attachment struct {
	Filename    string
	ContentType string
	Size        int
	// Text is the extracted text layer ("" when none).
	Text string
	// NeedsReview: the file could not be read as text (a scanned PDF with
	// no text layer, an unsupported format); a person must read it.
	NeedsReview bool
	// ReviewNote says why, when "has no readable text" would not be true
	// (a PDF read only in part, or not read), as the card words it after
	// "attachment NAME".
	ReviewNote string
}

// Forwarded describes the original of a forwarded message.
type Forwarded struct {
	From Address
	Date time.Time
}

// Result is the outcome of triage: what was read, checked and computed
// for one message, without a store or Slack.
type Result struct {
	Message      *Message
	Facts        legal.Facts
	Verification legal.Verification
	Checklist    []legal.ItemResult
	Missing      []legal.ItemID
	// Due is the computed response deadline (zero for none).
	Due time.Time
	// Draft is the request as it would be stored (no ID or Version yet).
	Draft legal.Request
}
