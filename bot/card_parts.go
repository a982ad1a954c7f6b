package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/internal/safetext"
	"github.com/lebot-dev/lebot/legal"
)

// sharedMessageIDLine says which other requests came in a message with
// the same Message-ID as this one's but different content ("" when
// none): a copied Message-ID must never hide a request, nor pass
// unnoticed.
func sharedMessageIDLine(req *legal.Request) string {
	if len(req.SharedMessageID) == 0 {
		return ""
	}
	ids := make([]string, len(req.SharedMessageID))
	for i, id := range req.SharedMessageID {
		ids[i] = esc(id)
	}
	return "⚠️ *This Message-ID was also used by " + strings.Join(ids, ", ") +
		" (different content).* One of these messages may copy another's; check who sent each before acting."
}

// senderText is the agency, its agent and what is known of the sender.
func senderText(req *legal.Request) string {
	f, v := req.Facts, req.Verification
	var b strings.Builder
	domain := f.SenderDomain
	if domain == "" {
		domain = "unknown domain"
	}
	fmt.Fprintf(&b, "*Agency:* %s", esc(domain))
	switch {
	case v.Official || f.SenderOfficial:
		b.WriteString(" ✅ official government domain")
	case !req.Unverified():
		b.WriteString(" ☎️ not an official domain; verified by callback (below)")
	default:
		b.WriteString(" ☎️ *not an official domain: verify by callback* on a number found independently")
	}
	agent := []string{}
	for _, s := range []string{f.Agent.Name, f.Agent.Email, f.Agent.Phone} {
		if s != "" {
			agent = append(agent, esc(s))
		}
	}
	if len(agent) == 0 {
		agent = append(agent, "_not named_")
	}
	fmt.Fprintf(&b, "\n*Agent:* %s%s", strings.Join(agent, " · "), correctedMark(req, legal.FieldAgent))
	fmt.Fprintf(&b, "\n*DKIM:* %s", dkimText(v))
	if v.Callback && (v.Official || f.SenderOfficial) {
		b.WriteString("\n☎️ Verify by callback before acting")
	}
	for _, flag := range v.Flags {
		fmt.Fprintf(&b, "\n⚠️ %s", esc(flag))
	}
	return b.String()
}

func dkimText(v legal.Verification) string {
	switch v.DKIM {
	case "pass":
		s := "✅ pass (d=" + esc(v.DKIMDomain) + ")"
		if !v.Aligned {
			s = "⚠️ pass (d=" + esc(v.DKIMDomain) + "), *not aligned* with the From domain"
		}
		return s
	case "fail":
		s := "❌ *failed*"
		if v.DKIMTemporary {
			s = "⚠️ *could not be checked*: the signer's key lookup failed (DNS); not evidence of forgery, but the sender is unverified"
		}
		if v.DKIMDomain != "" {
			s += " (d=" + esc(v.DKIMDomain) + ")"
		}
		return s
	}
	return "⚠️ no signature"
}

// maxRecordsText bounds the records line (a request entered by hand may
// name its records at length; `/legal show` has the rest of the card).
const maxRecordsText = 600

// soughtText is the records the request seeks: "*Records requested:*
// subscriber information, call detail records".
func soughtText(req *legal.Request) string {
	return "*Records requested:* " + RecordsLine(req.Facts, maxRecordsText) + correctedMark(req, legal.FieldRecords)
}

// RecordsLine is the records requested as mrkdwn, at most max characters
// (escaped; cut between whole entities), "_not stated_" when the request
// does not say.
func RecordsLine(f legal.Facts, max int) string {
	rs := f.RecordsRequested()
	if len(rs) == 0 {
		return "_not stated_"
	}
	return truncate(esc(strings.Join(rs, ", ")), max)
}

// targetText lists the target identifiers, as many as fit.
func targetText(req *legal.Request) string {
	ids := req.Facts.Identifiers
	if len(ids) == 0 {
		return "*Targets:* _no phone number or account identifier found_" + correctedMark(req, legal.FieldIdentifiers)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*Targets (%d):*%s", len(ids), correctedMark(req, legal.FieldIdentifiers))
	for i, id := range ids {
		line := "\n• `" + esc(strings.ReplaceAll(id, "`", "'")) + "`"
		if i == maxIdentifiers || b.Len()+len(line) > maxSectionText-40 {
			fmt.Fprintf(&b, "\n…and %d more (`/legal show %s`)", len(ids)-i, req.ID)
			break
		}
		b.WriteString(line)
	}
	return b.String()
}

// checklistText summarises the checklist and names every failed item.
func checklistText(results []legal.ItemResult) string {
	passed, review := 0, 0
	var failed, unsure []string
	for _, r := range results {
		switch r.Outcome {
		case legal.Passed:
			passed++
		case legal.Failed:
			failed = append(failed, "❌ "+r.Item.Label()+" — "+ItemReason(r, maxReason))
		default:
			review++
			unsure = append(unsure, "❓ "+r.Item.Label()+" — "+ItemReason(r, maxReason))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*Checklist:* %d/%d passed", passed, len(results))
	if len(failed) > 0 {
		fmt.Fprintf(&b, ", %d failed", len(failed))
	}
	if review > 0 {
		fmt.Fprintf(&b, ", %d to review", review)
	}
	for _, l := range append(failed, unsure...) {
		b.WriteString("\n" + l)
	}
	return b.String()
}

// originalText says where the original message is.
func originalText(req *legal.Request, cal *legal.Calendar) string {
	if !req.Purged.IsZero() {
		return fmt.Sprintf("🗑️ *Original deleted* %s under the retention policy, with the target identifiers and the sender's contact details; the audit trail is kept. lebot does not remove the copy it uploaded to this thread: delete that file in Slack if the policy requires it.",
			legal.DayLabel(req.Purged, cal.Location()))
	}
	subject := req.Subject
	if subject == "" {
		subject = "(no subject)"
	}
	s := fmt.Sprintf("✉️ *Original:* “%s” from %s, received %s %s. The .eml is in this thread; `/legal show %s` for details.",
		esc(truncate(subject, 200)), esc(truncate(req.From, 200)),
		legal.TimeLabel(req.ReceivedAt, cal.Location()), esc(SourceWords(req.Source)), req.ID)
	return s
}

// SourceWords is how a request came in, for people: "by e-mail" for the
// SMTP intake, "by forwarded e-mail" for POST /inbound/email, "by hand"
// for /legal new.
func SourceWords(source string) string {
	switch source {
	case "smtp":
		return "by e-mail"
	case "http":
		return "by forwarded e-mail"
	case "", "slack", "manual":
		return "by hand"
	}
	return "by " + source
}

// actions are the next-step buttons; Acknowledge leads while an
// emergency is unacknowledged.
func actions(req *legal.Request) *slack.ActionBlock {
	button := func(id, label string) *slack.ButtonBlockElement {
		return slack.NewButtonBlockElement(id, req.ID, plain(label))
	}
	var els []slack.BlockElement
	if emergency(req) && req.AckedBy == "" {
		els = append(els, button(ActionAck, "Acknowledge").WithStyle(slack.StyleDanger))
	}
	claim := button(ActionClaim, "Claim")
	if req.Assignee == "" {
		claim = claim.WithStyle(slack.StylePrimary)
	}
	els = append(els, claim, button(ActionChecklist, "Checklist"),
		button(ActionSetDue, "Set due date"), button(ActionStatus, "Status…"), button(ActionEdit, "Correct…"))
	return slack.NewActionBlock(CardBlockID, els...)
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(mrkdwn(truncate(text, maxSectionText)), nil, nil)
}

func field(label, value string) *slack.TextBlockObject {
	return mrkdwn(truncate("*"+label+":*\n"+value, maxFieldText))
}

// esc escapes text from outside (senders, users) for mrkdwn, so it cannot
// form links or mentions such as <!channel>, nor hide or reverse text with
// invisible or direction-changing characters (safetext).
func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(safetext.Clean(s))
}
