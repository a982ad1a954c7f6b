package legal

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file holds what the team records about a request beyond its
// workflow: callbacks that verify the sender, the outcome, reimbursable
// costs, and what the agency registry knew when it arrived.

// CallbackResult is how a verification call went.
type CallbackResult string

// The callback results.
const (
	CallbackConfirmed CallbackResult = "confirmed" // the agency confirmed the request and the agent
	CallbackFailed    CallbackResult = "failed"    // it did not, or nobody could confirm it
)

// Callback is one verification call the team made to the agency on a
// number found independently (never one taken from the request itself).
type Callback struct {
	Phone  string         `json:"phone"` // E.164, as dialled
	Result CallbackResult `json:"result"`
	By     string         `json:"by"` // Slack user id of who called
	At     time.Time      `json:"at"`
	Note   string         `json:"note,omitempty"`
}

// LastCallback is the latest callback recorded on r, nil when none.
func (r *Request) LastCallback() *Callback {
	if len(r.Callbacks) == 0 {
		return nil
	}
	return &r.Callbacks[len(r.Callbacks)-1]
}

// OfficialSender reports whether r came from an official government domain.
func (r *Request) OfficialSender() bool { return r.Verification.Official || r.Facts.SenderOfficial }

// Unverified reports whether r came from a sender that is not an official
// government domain and no callback has confirmed it (the latest callback
// decides: a later failed call undoes an earlier confirmation).
func (r *Request) Unverified() bool {
	if r.OfficialSender() {
		return false
	}
	last := r.LastCallback()
	return last == nil || last.Result != CallbackConfirmed
}

// Disposition is how a request ended, as the transparency report counts it.
type Disposition string

// The dispositions. Their string values appear in the report.
const (
	DispositionProduced  Disposition = "produced"  // data produced, in whole or in part
	DispositionNoData    Disposition = "no_data"   // answered: no responsive data
	DispositionRejected  Disposition = "rejected"  // refused (deficient, invalid, overbroad, ...)
	DispositionWithdrawn Disposition = "withdrawn" // the agency withdrew it
)

// Dispositions lists the dispositions in report order.
var Dispositions = []Disposition{DispositionProduced, DispositionNoData, DispositionRejected, DispositionWithdrawn}

// ParseDisposition reads what a person typed: produced, no-data (also
// no_data, nodata, none), rejected, withdrawn.
func ParseDisposition(s string) (Disposition, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "produced", "produce", "partial":
		return DispositionProduced, nil
	case "no-data", "no_data", "nodata", "none":
		return DispositionNoData, nil
	case "rejected", "reject", "refused":
		return DispositionRejected, nil
	case "withdrawn", "withdraw":
		return DispositionWithdrawn, nil
	}
	return "", fmt.Errorf("unknown outcome %q (want produced, no-data, rejected or withdrawn)", s)
}

// Label is the disposition as a person reads it.
func (d Disposition) Label() string {
	switch d {
	case DispositionProduced:
		return "Produced (in whole or in part)"
	case DispositionNoData:
		return "No data"
	case DispositionRejected:
		return "Rejected"
	case DispositionWithdrawn:
		return "Withdrawn"
	}
	return string(d)
}

// Status is the status a request takes when its outcome is recorded:
// produced and no data are responded, rejected is rejected, withdrawn is
// closed.
func (d Disposition) Status() Status {
	switch d {
	case DispositionRejected:
		return StatusRejected
	case DispositionWithdrawn:
		return StatusClosed
	}
	return StatusResponded
}

// Outcome is a request's line in the report's outcome group: its
// disposition when recorded; "pending" while open; for a rejected request
// without one, "rejected"; for one responded or closed without one,
// "not_recorded" (lebot does not guess whether data was produced).
func (r *Request) Outcome() string {
	switch {
	case r.Disposition != "":
		return string(r.Disposition)
	case r.Status.Open():
		return "pending"
	case r.Status == StatusRejected:
		return string(DispositionRejected)
	}
	return "not_recorded"
}

// Cost is a reimbursable cost recorded on a request, in US cents.
type Cost struct {
	Cents int64     `json:"cents"`
	By    string    `json:"by"` // Slack user id
	At    time.Time `json:"at"`
	Note  string    `json:"note,omitempty"`
}

// ErrNoReimbursement: the guidelines forbid seeking reimbursement.
var ErrNoReimbursement = errors.New("no reimbursement is sought for emergency or child-endangerment requests")

// NoReimbursement says why no reimbursement may be sought for a request
// with facts f ("emergency", "child endangerment", or both joined by
// " / "), or "" when the guidelines allow it ("The company may seek
// reimbursement for unusual or burdensome requests; never for emergency or
// child-endangerment requests").
func NoReimbursement(f Facts) string {
	var why []string
	if f.Exigent || f.HasKind(KindEmergency) {
		why = append(why, "emergency")
	}
	if f.ChildEndangerment {
		why = append(why, "child endangerment")
	}
	return strings.Join(why, " / ")
}

// AddCost records a reimbursable cost on r, refusing with
// ErrNoReimbursement where the guidelines forbid one.
func (r *Request) AddCost(c Cost) error {
	if why := NoReimbursement(r.Facts); why != "" {
		return fmt.Errorf("%s is %s: %w", r.ID, why, ErrNoReimbursement)
	}
	if c.Cents <= 0 {
		return errors.New("a cost must be more than zero")
	}
	r.Costs = append(r.Costs, c)
	return nil
}

// TotalCost sums r's costs in cents.
func (r *Request) TotalCost() int64 {
	var n int64
	for _, c := range r.Costs {
		n += c.Cents
	}
	return n
}

// maxCents bounds an amount a person types: $100,000,000.00.
const maxCents = 100_000_000_00

// ParseAmount reads a US dollar amount as people write it ("250",
// "$1,250.50", "1250.5") into cents.
func ParseAmount(s string) (int64, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "$")
	t = strings.ReplaceAll(t, ",", "")
	whole, frac, hasFrac := strings.Cut(t, ".")
	if whole == "" && !hasFrac || len(whole) > 12 || len(frac) > 2 || hasFrac && frac == "" {
		return 0, fmt.Errorf("%q is not an amount in dollars (write it like 250 or $1,250.50)", s)
	}
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseUint(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount in dollars (write it like 250 or $1,250.50)", s)
	}
	var c uint64
	if frac != "" {
		if c, err = strconv.ParseUint(frac, 10, 64); err != nil {
			return 0, fmt.Errorf("%q is not an amount in dollars (write it like 250 or $1,250.50)", s)
		}
		if len(frac) == 1 {
			c *= 10
		}
	}
	cents := w*100 + c
	if cents == 0 || cents > maxCents {
		return 0, fmt.Errorf("%s is not a cost lebot can record (more than $0, at most $100,000,000)", s)
	}
	return int64(cents), nil
}

// FormatAmount writes cents as dollars: "$1,250.50".
func FormatAmount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	d := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, ch := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return fmt.Sprintf("%s$%s.%02d", sign, b.String(), cents%100)
}

// KnownCallback is a confirmed callback the agency registry remembers: an
// agent reached on an independently found number.
type KnownCallback struct {
	Agent     string    `json:"agent"` // the agent's name, else e-mail
	Phone     string    `json:"phone"` // E.164
	By        string    `json:"by"`    // Slack user id
	At        time.Time `json:"at"`
	RequestID string    `json:"request_id"`
}

// SenderHistory is what the agency registry knew about a request's
// sender when the request arrived.
type SenderHistory struct {
	Domain string `json:"domain"`
	// Earlier counts the requests from Domain received before this one;
	// AgentEarlier those from the same agent.
	Earlier      int `json:"earlier"`
	AgentEarlier int `json:"agent_earlier"`
	// Agent is the agent's latest confirmed callback; Agency, when the
	// agent has none, the latest confirmed callback of anyone at Domain.
	Agent  *KnownCallback `json:"agent_callback,omitempty"`
	Agency *KnownCallback `json:"agency_callback,omitempty"`
	// LookAlike is the known agency domain Domain imitates, with how.
	LookAlike       string `json:"look_alike,omitempty"`
	LookAlikeReason string `json:"look_alike_reason,omitempty"`
}
