package triage

import (
	"context"
	"fmt"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// Options configure Triage.
type Options struct {
	// Verify configures sender verification (DKIM resolver, extra
	// official domains).
	Verify VerifyConfig
	// Location is the legal team's zone (TIMEZONE); nil means UTC. It is
	// used for the response calendar and for a message with no Date.
	Location *time.Location
	// ReceivedAt is when the message was received. When zero, the
	// message's Date is used (archived mail triages the same on any day),
	// and failing that Now().
	ReceivedAt time.Time
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// CompanyName is the provider's name (COMPANY_NAME), used only to read
	// phrases such as "<Company> account AC-1"; optional.
	CompanyName string
	// Source is recorded on the draft request: "smtp", "http" or ""
	// (the CLI).
	Source string
	// Calendar is the business calendar for deadlines; nil builds one for
	// Location.
	Calendar *legal.Calendar
}

func (o Options) calendar() *legal.Calendar {
	if o.Calendar != nil {
		return o.Calendar
	}
	return legal.NewCalendar(o.Location)
}

// Triage parses raw, verifies its sender, extracts the facts, evaluates
// them against the policy checklists and computes the response due date.
// It needs no store or Slack and is safe for concurrent use. An error is
// returned only when raw cannot be read as a message at all; mail that is
// not recognisable legal process is still a Result (kind unclassified).
func Triage(ctx context.Context, raw []byte, opts Options) (*Result, error) {
	m, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("triage: %w", err)
	}
	v := Verify(ctx, raw, m, opts.Verify)
	cal := opts.calendar()
	received := opts.ReceivedAt
	if received.IsZero() {
		received = m.Date
	}
	if received.IsZero() {
		if opts.Now != nil {
			received = opts.Now()
		} else {
			received = time.Now()
		}
	}
	f := Extract(m, v, ExtractOptions{
		Location:        cal.Location(),
		ReceivedAt:      received,
		CompanyName:     opts.CompanyName,
		AddBusinessDays: cal.AddBusinessDays,
	})
	res := &Result{Message: m, Facts: f, Verification: v}
	res.Checklist = legal.Evaluate(f, nil)
	res.Missing = legal.Missing(res.Checklist)
	res.Draft = legal.NewDraft(f, v, received, opts.Source, cal)
	res.Draft.MessageID, res.Draft.Subject, res.Draft.From = m.MessageID, m.Subject, m.From.Email
	if m.ReplyTo != nil {
		res.Draft.ReplyTo = m.ReplyTo.Email
	}
	res.Due = res.Draft.Due
	return res, nil
}
