package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// FollowUpText is the thread line for a follow-up that joined req (which
// already records it): who wrote, when, the subject, which checklist
// items it met and which are still missing. For an open emergency it
// says that nobody is paged again.
func FollowUpText(req *legal.Request, fu legal.FollowUp, met []legal.ItemID, at time.Time, emergency bool) string {
	var b strings.Builder
	if emergency {
		b.WriteString("🚨 ")
	} else {
		b.WriteString("✉️ ")
	}
	from := fu.From
	if from == "" {
		from = "the agency"
	}
	fmt.Fprintf(&b, "Follow-up from %s, %s", esc(from), at.Format("Mon Jan 2, 2006 15:04 MST"))
	if fu.Subject != "" {
		fmt.Fprintf(&b, ": “%s”", esc(truncateRunes(fu.Subject, 200)))
	}
	b.WriteString(".")
	if len(met) > 0 {
		b.WriteString("\nNow met: " + itemLabels(met) + ".")
	}
	if missing := legal.Missing(req.Checklist()); len(missing) > 0 {
		b.WriteString("\nStill missing: " + itemLabels(missing) + ".")
	} else if len(req.Checklist()) > 0 {
		b.WriteString("\nEvery checklist item is now met.")
	}
	if emergency {
		b.WriteString("\nThis emergency's paging is unchanged: nobody is paged again for a follow-up.")
	}
	return b.String()
}

// LooksRelatedText is the first line in the thread of a request made from
// mail that names other but comes from another domain.
func LooksRelatedText(other *legal.Request, from, otherFrom string) string {
	return fmt.Sprintf("⚠️ This message names %s, a request from %s, but comes from %s, so it was not joined to it. Treat it as a separate request until you have checked with the agency.",
		other.ID, esc(orUnknown(otherFrom)), esc(orUnknown(from)))
}

// NamedElsewhereText is the line in other's thread about such mail.
func NamedElsewhereText(req *legal.Request, from string) string {
	return fmt.Sprintf("⚠️ A message from %s names this request; it comes from another domain, so it became its own request, %s.",
		esc(orUnknown(from)), req.ID)
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown domain"
	}
	return s
}

func itemLabels(items []legal.ItemID) string {
	ss := make([]string, len(items))
	for i, it := range items {
		ss[i] = strings.ToLower(it.Label()[:1]) + it.Label()[1:]
	}
	return strings.Join(ss, "; ")
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
