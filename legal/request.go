// Package legal is lebot's domain: request kinds and statuses, the facts read
// from a request, the policy checklists and their evaluation, and the
// deadlines and expiries that follow from them. It is pure: no I/O and no
// clock reads; every rule that depends on time takes it as an argument.
package legal

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kind is a kind of legal process or request.
type Kind string

// The request kinds. Their string values are part of the public interface
// (triage JSON, corpus labels, Slack).
const (
	KindSubpoena      Kind = "subpoena"
	KindCourtOrder    Kind = "court_order"
	KindSearchWarrant Kind = "search_warrant"
	KindPenTrap       Kind = "pen_trap"
	KindWiretap       Kind = "wiretap"
	KindPreservation  Kind = "preservation"
	KindEmergency     Kind = "emergency"
	// KindUnclassified is mail that is not recognisable legal process. It
	// is kept and shown to the team like any other request, never dropped.
	KindUnclassified Kind = "unclassified"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindEmergency, KindSubpoena, KindCourtOrder, KindSearchWarrant,
	KindPenTrap, KindWiretap, KindPreservation, KindUnclassified}

// ParseKind returns the kind named s, or an error naming the valid kinds.
func ParseKind(s string) (Kind, error) {
	if k := Kind(s); slices.Contains(Kinds, k) {
		return k, nil
	}
	return "", fmt.Errorf("unknown kind %q (want one of %v)", s, Kinds)
}

// Label is the kind as a person reads it.
func (k Kind) Label() string {
	switch k {
	case KindSubpoena:
		return "Subpoena"
	case KindCourtOrder:
		return "Court order"
	case KindSearchWarrant:
		return "Search warrant"
	case KindPenTrap:
		return "Pen register / trap & trace"
	case KindWiretap:
		return "Intercept (wiretap)"
	case KindPreservation:
		return "Preservation"
	case KindEmergency:
		return "Emergency disclosure"
	case KindUnclassified:
		return "Unclassified"
	}
	return string(k)
}

// IsStandardProcess reports whether k is compulsory legal process
// (subpoena, court order, warrant, pen/trap or intercept order).
func (k Kind) IsStandardProcess() bool {
	switch k {
	case KindSubpoena, KindCourtOrder, KindSearchWarrant, KindPenTrap, KindWiretap:
		return true
	}
	return false
}

// Status is where a request stands in the legal team's work.
type Status string

// The statuses. Their string values are part of the public interface.
const (
	StatusNew       Status = "new"
	StatusInReview  Status = "in_review"
	StatusDeficient Status = "deficient"
	StatusProducing Status = "producing"
	StatusResponded Status = "responded"
	StatusRejected  Status = "rejected"
	StatusClosed    Status = "closed"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusNew, StatusInReview, StatusDeficient, StatusProducing,
	StatusResponded, StatusRejected, StatusClosed}

// ParseStatus returns the status named s, or an error naming the valid ones.
func ParseStatus(s string) (Status, error) {
	if st := Status(s); slices.Contains(Statuses, st) {
		return st, nil
	}
	return "", fmt.Errorf("unknown status %q (want one of %v)", s, Statuses)
}

// Label is the status as a person reads it: "In review" for in_review.
func (s Status) Label() string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + strings.ReplaceAll(string(s[1:]), "_", " ")
}

// Open reports whether work on the request is still outstanding: reminders
// and escalations apply only to open requests.
func (s Status) Open() bool {
	switch s {
	case StatusResponded, StatusRejected, StatusClosed:
		return false
	}
	return true
}

// Agent is the officer who sends a request and is named as its contact.
type Agent struct {
	Name  string `json:"name"`
	Email string `json:"email"` // lower case
	Phone string `json:"phone"` // E.164
}

// Period is the date range of the records requested.
type Period struct {
	Start Date `json:"start"`
	End   Date `json:"end"`
}

// Facts are what intake reads from a request: the fields of the corpus
// label schema plus the signals the checklists need. Later human decisions
// do not change Facts; they are recorded as Decisions on the Request.
type Facts struct {
	Kinds                 []Kind   `json:"kinds"`
	PreservationExtension bool     `json:"preservation_extension"`
	Exigent               bool     `json:"exigent"`
	ChildEndangerment     bool     `json:"child_endangerment"`
	NDO                   bool     `json:"ndo"`
	NDOUntil              *Date    `json:"ndo_until"`
	NoToSAction           bool     `json:"no_tos_action"`
	ContentRequested      bool     `json:"content_requested"`
	SenderDomain          string   `json:"sender_domain"`
	SenderOfficial        bool     `json:"sender_official"`
	Agent                 Agent    `json:"agent"`
	Identifiers           []string `json:"identifiers"`
	Period                *Period  `json:"period"`
	Deadline              *Date    `json:"deadline"`

	// LetterDate is the calendar date of the letter (its Date header in the
	// sender's zone); relative dates were resolved against it.
	LetterDate *Date `json:"letter_date,omitempty"`
	// LegalProcess: the message includes or attaches process that compels
	// production (a signed subpoena, order or warrant), not merely one
	// "being prepared".
	LegalProcess bool `json:"legal_process"`
	// RecordsSought names the categories of records asked for, as written
	// ("subscriber information", "call detail records", ...). Empty when
	// the request does not say with particularity.
	RecordsSought []string `json:"records_sought,omitempty"`
	// Records are the categories of records sought (see Record), read
	// from the letter; RecordsSought holds their labels, or a person's
	// own words for a request entered by hand.
	Records []Record `json:"records,omitempty"`
	// Evidence holds, per field (EvidenceKinds, EvidencePeriod, ...), the
	// words of the message each reading came from.
	Evidence map[string]Evidence `json:"evidence,omitempty"`
	// NotRequest is set when the message carries no request at all (an
	// auto-reply, an announcement, a question): why, in a few words. Such
	// mail has no kinds and no checklist.
	NotRequest string `json:"not_request,omitempty"`
	// DangerDescribed: an emergency request describes a danger of death or
	// serious physical injury.
	DangerDescribed bool `json:"danger_described"`
	// UrgencyJustified: an emergency request says how the information helps
	// avert the danger and why normal process would be too slow.
	UrgencyJustified bool `json:"urgency_justified"`
	// ManualReview lists reasons a person must read the original (a scanned
	// PDF with no text layer, an attachment that could not be read, ...).
	ManualReview []string `json:"manual_review,omitempty"`
}

// HasKind reports whether the facts include kind k.
func (f Facts) HasKind(k Kind) bool { return slices.Contains(f.Kinds, k) }

// Verification is what intake found out about the sender.
type Verification struct {
	DKIM       string `json:"dkim"`        // "pass", "fail" or "none"
	DKIMDomain string `json:"dkim_domain"` // d= of the best signature, "" when none
	// DKIMTemporary: DKIM is "fail" only because the signer's key could not
	// be looked up (a temporary DNS error). The signature was not checked;
	// that is no evidence of forgery, but the sender is unverified.
	DKIMTemporary bool `json:"dkim_temporary,omitempty"`
	Aligned       bool `json:"aligned"` // a passing d= aligns with the From domain
	// Official: the From domain is an official government domain.
	Official bool `json:"official"`
	// Callback: the sender must be verified by calling the agency on a
	// number found independently (local department on .org/.com, ...).
	Callback bool `json:"callback"`
	// Flags are warnings for the team ("free-mail domain", "look-alike of
	// fbi.gov", "Reply-To differs from From", ...).
	Flags []string `json:"flags,omitempty"`
}

// Decision is a person's ruling on one checklist item; it overrides the
// automatic result.
type Decision struct {
	Outcome Outcome   `json:"outcome"`
	By      string    `json:"by"` // Slack user id
	At      time.Time `json:"at"`
	Note    string    `json:"note,omitempty"`
}

// Preservation tracks a 2703(f) preservation; see NewPreservation for how
// its days are counted.
type Preservation struct {
	Start    Date `json:"start"`    // first day preserved (receipt unless recorded otherwise)
	Expires  Date `json:"expires"`  // last preserved day: Start+90, Start+180 once extended
	Extended bool `json:"extended"` // the one 90-day extension has been used
	Released bool `json:"released,omitempty"`
	// ReleasedOn is the day the hold was released (zero while it is held).
	ReleasedOn Date `json:"released_on,omitzero"`
}

// NDO is a non-disclosure obligation. Until nil with Active set means
// indefinite.
type NDO struct {
	Active bool  `json:"active"`
	Until  *Date `json:"until,omitempty"`
}

// Notice records whether the customer was notified.
type Notice string

// Customer notice states.
const (
	NoticePending Notice = ""
	NoticeSent    Notice = "sent"
	NoticeBlocked Notice = "blocked"
)

// Request is one legal request as the team works it. Version is the
// optimistic-concurrency token: the store refuses an update whose Version
// is not the stored one.
type Request struct {
	ID         string    `json:"id"` // LE-YYYY-NNNN
	Version    int64     `json:"version"`
	Status     Status    `json:"status"`
	ReceivedAt time.Time `json:"received_at"`
	// Source: "smtp", "http" or "manual".
	Source    string `json:"source"`
	MessageID string `json:"message_id,omitempty"`
	Subject   string `json:"subject,omitempty"`
	From      string `json:"from,omitempty"`
	ReplyTo   string `json:"reply_to,omitempty"`

	Facts        Facts               `json:"facts"`
	Verification Verification        `json:"verification"`
	Decisions    map[ItemID]Decision `json:"decisions,omitempty"`

	Assignee string `json:"assignee,omitempty"` // Slack user id
	// Due is the response deadline (zero for none). DueSetBy is "" when
	// computed, else the user who set it.
	Due      time.Time `json:"due"`
	DueSetBy string    `json:"due_set_by,omitempty"`

	Preservation *Preservation `json:"preservation,omitempty"`
	NDO          NDO           `json:"ndo"`
	Notice       Notice        `json:"notice,omitempty"`
	// OrderExpires is the end of a pen/trap or intercept order's term.
	OrderExpires *Date `json:"order_expires,omitempty"`

	// Paging state for emergencies.
	AckedBy        string    `json:"acked_by,omitempty"`
	AckedAt        time.Time `json:"acked_at,omitempty"`
	NextEscalation time.Time `json:"next_escalation,omitempty"`
	EscalationStep int       `json:"escalation_step,omitempty"`

	// The card in the legal channel.
	CardChannel string `json:"card_channel,omitempty"`
	CardTS      string `json:"card_ts,omitempty"`

	RespondedAt time.Time `json:"responded_at,omitempty"`
	ClosedAt    time.Time `json:"closed_at,omitempty"`
	// Purged is when the retention job deleted the raw message and the
	// identifiers (zero while they are kept).
	Purged time.Time `json:"purged,omitempty"`

	// What the team recorded beyond the workflow (records.go): callbacks
	// verifying the sender, the outcome, reimbursable costs, and what the
	// agency registry knew when the request arrived (set by the store).
	Callbacks   []Callback     `json:"callbacks,omitempty"`
	Disposition Disposition    `json:"disposition,omitempty"`
	Costs       []Cost         `json:"costs,omitempty"`
	Sender      *SenderHistory `json:"sender,omitempty"`
	// SharedMessageID lists other requests whose message carried the same
	// Message-ID as this one's but different content (set by the store,
	// oldest first, at most a few): a Message-ID reused by someone else
	// never hides a request, and each card says so.
	SharedMessageID []string `json:"shared_message_id,omitempty"`

	// Corrections: who last corrected each field of Facts, and when
	// (fields.go); nil when nobody corrected any.
	Corrections map[Field]Correction `json:"corrections,omitempty"`

	// FollowUps are the agency's later messages joined to this request
	// (followup.go), oldest first.
	FollowUps []FollowUp `json:"follow_ups,omitempty"`
	// Replies are the answers sent to the agency, oldest first.
	Replies []Reply `json:"replies,omitempty"`
}

// Kind is the request's primary kind for display: emergency first, then
// the first kind read, else unclassified.
func (r *Request) Kind() Kind {
	if r.Facts.HasKind(KindEmergency) {
		return KindEmergency
	}
	if len(r.Facts.Kinds) > 0 {
		return r.Facts.Kinds[0]
	}
	return KindUnclassified
}
