package bot

import "github.com/lebot-dev/lebot/legal"

// Mention renders a user or user group id for Slack mrkdwn.
func Mention(id string) string {
	if legal.IsGroupID(id) {
		return "<!subteam^" + id + ">"
	}
	return "<@" + id + ">"
}

// ItemReason is why a checklist item has its outcome, as mrkdwn of at
// most n characters: a person's decision names them as a real mention
// (legal's Reason text carries the mention as plain "<@U…>", which
// escaping would show as text), with their note escaped; an automatic
// result gives its reason, escaped.
func ItemReason(r legal.ItemResult, n int) string {
	if d := r.Decision; d != nil && d.By != "" {
		s := "decided by " + Mention(d.By)
		if d.Note != "" {
			s += ": " + esc(d.Note)
		}
		return truncate(s, n)
	}
	return truncate(esc(r.Reason), n)
}
