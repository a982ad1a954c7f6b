package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/legal"
)

// Action ids of the card's buttons; each button's value is the request
// id. The interaction handlers (package commands) switch on these.
const (
	ActionAck       = "lebot_ack"       // acknowledge an emergency page
	ActionClaim     = "lebot_claim"     // assign the request to the clicker
	ActionChecklist = "lebot_checklist" // open the checklist modal
	ActionSetDue    = "lebot_set_due"   // open the due-date modal
	ActionStatus    = "lebot_status"    // open the status modal
	ActionEdit      = "lebot_edit"      // open the modal correcting what lebot read
)

// CardBlockID is the block id of the card's buttons.
const CardBlockID = "lebot_card_actions"

// MetadataEventType marks a request's card in message metadata, with
// event payload {"request_id": id}; the dispatcher finds cards by it.
const MetadataEventType = "lebot_request"

// Slack's limits, with room to spare for the markup around the text.
const (
	maxSectionText = 3000
	maxFieldText   = 2000
	maxHeaderText  = 150
	maxIdentifiers = 25
	maxReason      = 400 // one checklist line on the card
)

// CardMessage is a rendered card.
type CardMessage struct {
	// Text is the notification fallback: request id, kind, urgency and
	// deadline only, never identifiers, names or the subject.
	Text     string
	Blocks   []slack.Block
	Metadata slack.SlackMetadata
}

// Options returns the message options that post or update the card.
func (c CardMessage) Options() []slack.MsgOption {
	return []slack.MsgOption{slack.MsgOptionText(c.Text, false),
		slack.MsgOptionBlocks(c.Blocks...), slack.MsgOptionMetadata(c.Metadata)}
}

// Card renders req as of now. It is a pure function of its arguments;
// cal gives the zone and the business days.
func Card(req *legal.Request, now time.Time, cal *legal.Calendar) CardMessage {
	checklist := req.Checklist()
	blocks := []slack.Block{slack.NewHeaderBlock(plain(truncate(header(req), maxHeaderText)))}
	if w := warnings(req, checklist, now, cal); len(w) > 0 {
		blocks = append(blocks, section(strings.Join(w, "\n")))
	}
	blocks = append(blocks,
		slack.NewSectionBlock(nil, summaryFields(req, now, cal), nil),
		section(senderText(req)),
	)
	if rec := recordsText(req, now, cal); rec != "" {
		blocks = append(blocks, section(rec))
	}
	if line := correctedFlagsLine(req); line != "" {
		blocks = append(blocks, section(line))
	}
	blocks = append(blocks,
		section(soughtText(req)),
		section(targetText(req)),
		section(checklistLine(req, checklist)),
		slack.NewContextBlock("lebot_original", mrkdwn(truncate(originalText(req, cal), maxSectionText))),
	)
	if line := correspondenceLine(req, cal.Location()); line != "" {
		blocks = append(blocks, slack.NewContextBlock("lebot_correspondence", mrkdwn(truncate(line, maxSectionText))))
	}
	blocks = append(blocks, actions(req))
	return CardMessage{
		Text:   fallback(req, now, cal),
		Blocks: blocks,
		Metadata: slack.SlackMetadata{EventType: MetadataEventType,
			EventPayload: map[string]any{"request_id": req.ID}},
	}
}

func emergency(req *legal.Request) bool {
	return req.Facts.Exigent || req.Facts.HasKind(legal.KindEmergency)
}

func header(req *legal.Request) string {
	icon := "📨"
	if emergency(req) {
		icon = "🚨"
	}
	return fmt.Sprintf("%s %s · %s", icon, req.ID, req.Kind().Label())
}

// fallback is the notification text: what a phone lock screen shows, so
// nothing a bystander should not read.
func fallback(req *legal.Request, now time.Time, cal *legal.Calendar) string {
	if emergency(req) {
		return fmt.Sprintf("🚨 EMERGENCY %s: %s — respond immediately", req.ID, req.Kind().Label())
	}
	return fmt.Sprintf("%s: %s — %s", req.ID, req.Kind().Label(), plainDeadline(req, now, cal))
}

// warnings are the lines shown first, in bold, when they apply.
func warnings(req *legal.Request, checklist []legal.ItemResult, now time.Time, cal *legal.Calendar) []string {
	var w []string
	f := req.Facts
	if line := notRequestText(req); line != "" {
		w = append(w, line)
	}
	if emergency(req) {
		line := "🚨 *EMERGENCY — respond immediately*"
		if req.AckedBy != "" {
			line += fmt.Sprintf(" (acknowledged by <@%s>)", esc(req.AckedBy))
		}
		w = append(w, line)
	}
	if f.ChildEndangerment {
		w = append(w, "🧒 *Child endangerment*")
	}
	if line := sharedMessageIDLine(req); line != "" {
		w = append(w, line)
	}
	if line := ndoWarning(req.NDO, cal.DateOf(now)); line != "" {
		w = append(w, line)
	}
	if f.NoToSAction {
		w = append(w, "⛔ *Do NOT act on the account* (no ToS action: the agency asked that the customer not be alerted)")
	}
	for _, r := range checklist {
		if r.Item == legal.ItemWarrantForContent && r.Outcome == legal.Failed {
			w = append(w, "⚠️ *Content requested without a warrant* — do not produce content")
		}
	}
	if len(f.ManualReview) > 0 {
		w = append(w, "🔎 *Needs manual review:* "+esc(strings.Join(f.ManualReview, "; ")))
	}
	if req.Status.Open() && !emergency(req) && !req.Due.IsZero() && !now.Before(req.Due) {
		w = append(w, "⏰ *Overdue* — "+esc(plainDeadline(req, now, cal)))
	}
	return w
}

// ndoWarning is the NDO line: the request's record (legal.NDOFrom at
// intake, changed by the team since) is what counts, not the facts read.
func ndoWarning(n legal.NDO, today legal.Date) string {
	switch {
	case !n.Active:
		return ""
	case n.Until == nil:
		return "🤐 *Non-disclosure order: do NOT notify the customer* — indefinitely, until the court lifts it"
	case n.NoticeAllowed(today):
		return "🔔 Non-disclosure order ended " + dateLabel(*n.Until) + ": customer notice may now be given"
	}
	return "🤐 *Non-disclosure order: do NOT notify the customer* until " + dateLabel(*n.Until) + " (inclusive)"
}

func summaryFields(req *legal.Request, now time.Time, cal *legal.Calendar) []*slack.TextBlockObject {
	kinds := make([]string, 0, len(req.Facts.Kinds))
	for _, k := range req.Facts.Kinds {
		kinds = append(kinds, k.Label())
	}
	if len(kinds) == 0 {
		kinds = append(kinds, legal.KindUnclassified.Label())
	}
	if req.Facts.PreservationExtension {
		kinds = append(kinds, "(extension)")
	}
	assignee := "_unassigned_"
	if req.Assignee != "" {
		assignee = "<@" + esc(req.Assignee) + ">"
	}
	fields := []*slack.TextBlockObject{
		field("Status", statusLabel(req.Status)),
		field("Kind", strings.Join(kinds, ", ")+correctedMark(req, legal.FieldKinds, legal.FieldEmergency)),
		field("Deadline", deadlineText(req, now, cal)+correctedMark(req, legal.FieldDeadline)),
		field("Assignee", assignee),
		field("Period", periodText(req.Facts.Period)+correctedMark(req, legal.FieldPeriod)),
		field("Received", legal.TimeLabel(req.ReceivedAt, cal.Location())),
	}
	if p := req.Preservation; p != nil && !p.Released {
		note := "preserved until " + dateLabel(p.Expires)
		if p.Extended {
			note += " (extended; no further extension)"
		}
		fields = append(fields, field("Preservation", note))
	}
	// Customer notice shows once recorded, so `/legal notice` changes the
	// card like every other change (Slack allows 10 fields; this is the 8th).
	switch req.Notice {
	case legal.NoticeSent:
		fields = append(fields, field("Customer notice", "sent"))
	case legal.NoticeBlocked:
		fields = append(fields, field("Customer notice", "withheld"))
	}
	return fields
}

func statusLabel(s legal.Status) string { return s.Label() }

func periodText(p *legal.Period) string {
	switch {
	case p == nil || p.Start.IsZero():
		return "_not stated_"
	}
	return p.Label()
}

func dateLabel(d legal.Date) string { return d.Long() }

// deadlineText is the Deadline field: IMMEDIATE for emergencies, else the
// due date with business days left or overdue.
func deadlineText(req *legal.Request, now time.Time, cal *legal.Calendar) string {
	if emergency(req) {
		return "*IMMEDIATE*"
	}
	s := plainDeadline(req, now, cal)
	if req.DueIsDefault() && req.Status.Open() {
		s += " — " + legal.DefaultDueNote
	}
	if req.DueSetBy != "" {
		s += " (set by <@" + esc(req.DueSetBy) + ">)"
	}
	return s
}

func plainDeadline(req *legal.Request, now time.Time, cal *legal.Calendar) string {
	if emergency(req) {
		return "IMMEDIATE"
	}
	if req.Due.IsZero() {
		return "no deadline set"
	}
	due := legal.TimeLabel(req.Due, cal.Location())
	if !req.Status.Open() {
		return "was due " + due
	}
	today, dueDay := cal.DateOf(now), cal.DateOf(req.Due)
	if !now.Before(req.Due) {
		n := cal.BusinessDaysBetween(dueDay, today)
		if n <= 0 {
			return "overdue: was due " + due
		}
		return fmt.Sprintf("overdue by %s (was due %s)", plural(n, "business day"), due)
	}
	switch n := cal.BusinessDaysBetween(today, dueDay); {
	case dueDay == today:
		return "due today, " + req.Due.In(cal.Location()).Format("15:04 MST")
	case n <= 0:
		return "due " + due + " — not a business day: today is the last business day before it"
	default:
		return fmt.Sprintf("due %s — %s left", due, plural(n, "business day"))
	}
}

// plural is "1 unit" or "n units" ("n addresses" for a unit ending in s).
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	if strings.HasSuffix(unit, "s") {
		return fmt.Sprintf("%d %ses", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
