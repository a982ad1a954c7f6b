package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// recordsText is the card's part about what the team recorded and what
// lebot remembers of the sender: the callback verifying it, the agency
// registry's history (or that this is the first request), a look-alike
// domain, the outcome and the cost rule. "" when there is nothing to say.
func recordsText(req *legal.Request, now time.Time, cal *legal.Calendar) string {
	var lines []string
	if c := req.LastCallback(); c != nil {
		lines = append(lines, callbackLine(c, now, cal))
	}
	lines = append(lines, senderHistoryLines(req, now, cal)...)
	if req.Disposition != "" {
		lines = append(lines, "📤 *Outcome:* "+req.Disposition.Label())
	}
	if why := legal.NoReimbursement(req.Facts); why != "" {
		lines = append(lines, "💲 No reimbursement ("+why+"): the guidelines seek none for emergency or child-endangerment requests")
	} else if total := req.TotalCost(); total > 0 {
		lines = append(lines, fmt.Sprintf("💲 Reimbursable costs: %s (%s)", legal.FormatAmount(total), plural(len(req.Costs), "recorded cost")))
	}
	return strings.Join(lines, "\n")
}

// callbackLine: "✅ Verified by callback (+1 202 555 0111) by @alice, Dec 3".
func callbackLine(c *legal.Callback, now time.Time, cal *legal.Calendar) string {
	who := fmt.Sprintf("(%s) by <@%s>, %s", legal.FormatPhone(c.Phone), esc(c.By), shortDate(c.At, now, cal))
	if c.Result == legal.CallbackConfirmed {
		return "✅ *Verified by callback* " + who
	}
	return "❌ *Callback failed* " + who + " — the sender is not verified"
}

// senderHistoryLines say what the registry knew when the request came.
func senderHistoryLines(req *legal.Request, now time.Time, cal *legal.Calendar) []string {
	h := req.Sender
	if h == nil {
		return nil
	}
	var lines []string
	if h.LookAlike != "" {
		lines = append(lines, fmt.Sprintf("⚠️ *Look-alike of %s*, an agency lebot knows: %s. Verify by callback on a number found independently.",
			esc(h.LookAlike), esc(h.LookAlikeReason)))
	}
	if h.Earlier == 0 {
		return append(lines, "🆕 First request from "+esc(h.Domain))
	}
	s := fmt.Sprintf("📇 %s from %s", plural(h.Earlier, "earlier request"), esc(h.Domain))
	switch {
	case h.Agent != nil:
		s += fmt.Sprintf("; agent %s verified by callback on %s at %s (by <@%s>, %s)", esc(h.Agent.Agent),
			shortDate(h.Agent.At, now, cal), legal.FormatPhone(h.Agent.Phone), esc(h.Agent.By), h.Agent.RequestID)
	case h.AgentEarlier > 0:
		s += fmt.Sprintf("; %s from this agent, never verified by callback", plural(h.AgentEarlier, "earlier request"))
	}
	if h.Agent == nil && h.Agency != nil {
		s += fmt.Sprintf("; the agency was verified by callback on %s at %s (agent %s, by <@%s>)",
			shortDate(h.Agency.At, now, cal), legal.FormatPhone(h.Agency.Phone), esc(h.Agency.Agent), esc(h.Agency.By))
	}
	lines = append(lines, s)
	if v := cmpKnown(h); v != nil && req.Facts.Agent.Phone != "" && req.Facts.Agent.Phone != v.Phone {
		lines = append(lines, fmt.Sprintf("☎️ The number in this request (%s) is not the one verified before (%s): call the verified one.",
			legal.FormatPhone(req.Facts.Agent.Phone), legal.FormatPhone(v.Phone)))
	}
	return lines
}

func cmpKnown(h *legal.SenderHistory) *legal.KnownCallback {
	if h.Agent != nil {
		return h.Agent
	}
	return h.Agency
}

// shortDate is the card's short date style: "Dec 3" this year, else
// "Dec 3, 2025".
func shortDate(t, now time.Time, cal *legal.Calendar) string {
	t = t.In(cal.Location())
	if t.Year() == now.In(cal.Location()).Year() {
		return t.Format("Jan 2")
	}
	return t.Format("Jan 2, 2006")
}
