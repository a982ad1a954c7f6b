package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/legal"
)

// HomeData is what a legal-team member's App Home tab shows.
type HomeData struct {
	Mine          []*legal.Request // open, assigned to the viewer
	DueSoon       []*legal.Request // open, due within the next few business days
	Overdue       []*legal.Request
	Emergencies   []*legal.Request // open emergencies
	Preservations []*legal.Request // expiring soon
	Unverified    []*legal.Request // open, from a non-official sender no callback confirmed
	Member        bool             // false: the viewer is not on the legal team
}

// homeSectionMax keeps the view under Slack's 100-block limit.
const homeSectionMax = 15

// HomeView renders the App Home tab as of now. A viewer outside the legal
// team sees an explanation and no request data.
func HomeView(d HomeData, now time.Time, cal *legal.Calendar) slack.HomeTabViewRequest {
	blocks := []slack.Block{slack.NewHeaderBlock(plain("Legal requests"))}
	if !d.Member {
		blocks = append(blocks, section("lebot shows law-enforcement requests to the legal team only. "+
			"If you need access, ask the legal team to add you to their Slack group."))
		return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn("Updated "+legal.TimeLabel(now, cal.Location())+
		" · `/legal help` for commands")))
	add := func(title, empty string, reqs []*legal.Request, line func(*legal.Request) string) {
		blocks = append(blocks, slack.NewDividerBlock(), section(fmt.Sprintf("*%s* (%d)", title, len(reqs))))
		if len(reqs) == 0 {
			blocks = append(blocks, slack.NewContextBlock("", mrkdwn(empty)))
			return
		}
		var b strings.Builder
		for i, r := range reqs {
			if i == homeSectionMax {
				fmt.Fprintf(&b, "_…and %d more: `/legal list`_\n", len(reqs)-i)
				break
			}
			b.WriteString(line(r) + "\n")
		}
		blocks = append(blocks, section(truncate(b.String(), maxSectionText)))
	}
	due := func(r *legal.Request) string { return homeLine(r, now, cal) }
	add("Open emergencies", "None.", d.Emergencies, due)
	add("Assigned to you", "Nothing assigned to you.", d.Mine, due)
	add("Overdue", "Nothing overdue.", d.Overdue, due)
	add("Due soon", "Nothing due in the next days.", d.DueSoon, due)
	add("Unverified senders (verify by callback)", "None: every open request is from an official domain or verified by callback.", d.Unverified, due)
	add("Preservations expiring", "None expiring soon.", d.Preservations, func(r *legal.Request) string {
		p := r.Preservation
		s := fmt.Sprintf("• `%s` %s · preserved until %s (%s)", r.ID, r.Kind().Label(), p.Expires.Long(),
			plural(p.DaysLeft(cal.DateOf(now)), "day")+" left")
		if !p.Extended {
			s += " · extension available"
		}
		return s
	})
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// homeLine is one request: id, kind, status, deadline, assignee; never
// identifiers or the subject.
func homeLine(r *legal.Request, now time.Time, cal *legal.Calendar) string {
	s := fmt.Sprintf("• `%s` %s · %s", r.ID, r.Kind().Label(), r.Status.Label())
	if r.Facts.NotRequest != "" {
		s += " · ℹ️ probably not a request (" + esc(r.Facts.NotRequest) + ")"
	}
	switch {
	case emergency(r) && r.AckedBy != "":
		s += " · *IMMEDIATE* · acknowledged by <@" + r.AckedBy + ">"
	case emergency(r):
		s += " · *IMMEDIATE* · 🚨 not acknowledged"
	case !r.Due.IsZero():
		if now.Before(r.Due) {
			s += " · due " + legal.TimeLabel(r.Due, cal.Location())
		} else {
			s += " · *overdue* since " + legal.TimeLabel(r.Due, cal.Location())
		}
		if r.DueIsDefault() {
			s += " (default: none stated)"
		}
	}
	if r.Assignee != "" {
		s += " · <@" + r.Assignee + ">"
	} else {
		s += " · unassigned"
	}
	return s
}
