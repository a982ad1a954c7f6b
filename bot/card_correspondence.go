package bot

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// maxCorrespondence is how many of the latest replies and follow-ups the
// card's correspondence line names; the rest are counted.
const maxCorrespondence = 3

// correspondenceLine is the card's one line about the mail exchanged with
// the agency since the request came, newest first: "✉️ Correspondence:
// follow-up received Fri Dec 4, 2026 09:12 PST · receipt notice sent Thu
// Dec 3, 2026 10:12 PST by @alice · and 2 more". "" when there is none.
func correspondenceLine(req *legal.Request, loc *time.Location) string {
	type event struct {
		at   time.Time
		text string
	}
	var evs []event
	for _, f := range req.FollowUps {
		evs = append(evs, event{f.At, "follow-up received " + legal.TimeLabel(f.At, loc)})
	}
	for _, x := range req.Replies {
		what, by := replyWords(x.Kind), Mention(x.By)
		switch {
		case !x.Sent.IsZero():
			evs = append(evs, event{x.Sent, fmt.Sprintf("%s sent %s by %s", what, legal.TimeLabel(x.Sent, loc), by)})
		case x.Refused != "":
			evs = append(evs, event{x.Queued, fmt.Sprintf("%s by %s not sent: the mail server refused it (%s)", what, by, legal.TimeLabel(x.Queued, loc))})
		default:
			evs = append(evs, event{x.Queued, fmt.Sprintf("%s by %s being sent (submitted %s)", what, by, legal.TimeLabel(x.Queued, loc))})
		}
	}
	if len(evs) == 0 {
		return ""
	}
	slices.SortStableFunc(evs, func(a, b event) int { return b.at.Compare(a.at) })
	var parts []string
	for _, e := range evs[:min(len(evs), maxCorrespondence)] {
		parts = append(parts, e.text)
	}
	if more := len(evs) - maxCorrespondence; more > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", more))
	}
	return "✉️ *Correspondence:* " + strings.Join(parts, " · ")
}

// replyWords names a reply's kind as the card does.
func replyWords(kind string) string {
	switch kind {
	case "receipt":
		return "receipt notice"
	case "deficiency":
		return "deficiency notice"
	}
	return "reply"
}
