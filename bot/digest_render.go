package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/legal"
)

// digestSection is one titled list of a digest and how its lines read.
type digestSection struct {
	title string
	list  DigestList
	when  func(DigestLine) string
	empty string
}

func (d DigestPayload) sections() []digestSection {
	loc := d.loc()
	at := func(prefix string) func(DigestLine) string {
		return func(l DigestLine) string { return prefix + " " + l.When.In(loc).Format("Mon Jan 2 15:04 MST") }
	}
	on := func(prefix string) func(DigestLine) string {
		return func(l DigestLine) string { return prefix + " " + dateLabel(l.Date) }
	}
	return []digestSection{
		{"🚨 Open emergencies", d.Emergencies, at("received"), "none"},
		{"⏰ Overdue", d.Overdue, at("was due"), "none"},
		{"📅 Due in the next 3 business days", d.DueSoon, at("due"), "none"},
		{"📥 Received since the last digest", d.Received, at("received"), "none"},
		{"🧊 Preservations ending within 14 days", d.Preservations, on("last preserved day"), "none"},
		{"🤐 Non-disclosure orders ending within 30 days", d.NDOs, on("notice barred through"), "none"},
		{"📡 Pen/trap and intercept orders ending within 7 days", d.Orders, on("order ends"), "none"},
	}
}

func (s digestSection) text(mention func(string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* (%d)", s.title, s.list.Len())
	if s.list.Len() == 0 {
		b.WriteString("\n_" + s.empty + "_")
		return b.String()
	}
	for _, l := range s.list.Lines {
		fmt.Fprintf(&b, "\n• *%s* %s · %s", l.ID, l.Kind.Label(), statusLabel(l.Status))
		if l.Assignee != "" {
			b.WriteString(" · " + mention(l.Assignee))
		} else if l.Status.Open() {
			b.WriteString(" · _unassigned_")
		}
		b.WriteString(" · " + s.when(l))
	}
	if s.list.More > 0 {
		fmt.Fprintf(&b, "\n…and %d more", s.list.More)
	}
	return b.String()
}

func (d DigestPayload) title() string {
	return "Legal digest — " + d.At.In(d.loc()).Format("Mon Jan 2, 2006")
}

// headline is the digest in one line, first, so a manager sees the day's
// shape before any list: what is open, late, urgent, due and new.
func (d DigestPayload) headline() string {
	open := 0
	for st, n := range d.ByStatus {
		if st.Open() {
			open += n
		}
	}
	emergencies := fmt.Sprintf("%d open emergencies", d.Emergencies.Len())
	if d.Emergencies.Len() == 1 {
		emergencies = "1 open emergency"
	}
	return fmt.Sprintf("*%d open* · *%d overdue* · %s · %d due in the next 3 business days · %d received since the last digest",
		open, d.Overdue.Len(), emergencies, d.DueSoon.Len(), d.Received.Len())
}

func (d DigestPayload) sinceText() string {
	return "Since the last digest (" + d.Since.In(d.loc()).Format("Mon Jan 2 15:04 MST") + ")"
}

const quietText = "☀️ A quiet day: nothing received since the last digest, nothing due or overdue, " +
	"no open emergencies, and no preservations, NDOs or orders ending soon."

// DigestBlocks renders the digest in Block Kit.
func DigestBlocks(d DigestPayload) []slack.Block {
	mention := func(u string) string { return "<@" + esc(u) + ">" }
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain(d.title())),
		section(d.headline()),
		slack.NewContextBlock("", mrkdwn(d.sinceText())),
	}
	if d.Quiet() {
		blocks = append(blocks, section(quietText))
	}
	for _, s := range d.sections() {
		if d.Quiet() && s.list.Len() == 0 {
			continue
		}
		blocks = append(blocks, section(truncate(s.text(mention), 3000)))
	}
	blocks = append(blocks, slack.NewDividerBlock(), section("*All requests by status*"))
	if f := countFields(d.ByStatus, legal.Statuses, statusLabel); len(f) > 0 {
		blocks = append(blocks, slack.NewSectionBlock(nil, f, nil))
	}
	blocks = append(blocks, section("*Open requests by kind*"+sampledNote(d)))
	if f := countFields(d.ByKind, legal.Kinds, legal.Kind.Label); len(f) > 0 {
		blocks = append(blocks, slack.NewSectionBlock(nil, f, nil))
	} else {
		blocks = append(blocks, section("_no open requests_"))
	}
	blocks = append(blocks, section(medianText(d)),
		slack.NewContextBlock("", mrkdwn("The chart of open requests by age and status follows.")))
	return blocks
}

func sampledNote(d DigestPayload) string {
	if d.OpenSampled {
		return " _(newest requests only)_"
	}
	return ""
}

// countFields renders non-zero counts in order as fields (at most 10).
func countFields[K comparable](m map[K]int, order []K, label func(K) string) []*slack.TextBlockObject {
	var out []*slack.TextBlockObject
	for _, k := range order {
		if n := m[k]; n > 0 && len(out) < 10 {
			out = append(out, mrkdwn(fmt.Sprintf("%s: *%d*", label(k), n)))
		}
	}
	return out
}

func medianText(d DigestPayload) string {
	if d.Responded == 0 {
		return "*Median time to respond (last 30 days):* no requests answered"
	}
	return fmt.Sprintf("*Median time to respond (last 30 days):* %s, over %s",
		durationText(d.MedianResponse), plural(d.Responded, "request"))
}

// durationText reads a response time in days and hours.
func durationText(t time.Duration) string {
	days, hours := int(t/(24*time.Hour)), int(t%(24*time.Hour)/time.Hour)
	switch {
	case days == 0 && hours == 0:
		return "under an hour"
	case days == 0:
		return plural(hours, "hour")
	case hours == 0:
		return plural(days, "day")
	}
	return plural(days, "day") + " " + plural(hours, "hour")
}

// DigestText renders the digest as plain text: the notification fallback
// and the body of the digest e-mail.
func DigestText(d DigestPayload) string {
	var b strings.Builder
	b.WriteString(d.title() + "\n" + strings.ReplaceAll(d.headline(), "*", "") + "\n" + d.sinceText() + "\n\n")
	if d.Quiet() {
		b.WriteString(quietText + "\n\n")
	}
	for _, s := range d.sections() {
		b.WriteString(strings.NewReplacer("*", "", "_", "").Replace(s.text(func(u string) string { return u })) + "\n\n")
	}
	b.WriteString("All requests by status:")
	for _, st := range legal.Statuses {
		if n := d.ByStatus[st]; n > 0 {
			fmt.Fprintf(&b, " %s %d;", statusLabel(st), n)
		}
	}
	b.WriteString("\nOpen requests by kind:")
	for _, k := range legal.Kinds {
		if n := d.ByKind[k]; n > 0 {
			fmt.Fprintf(&b, " %s %d;", k.Label(), n)
		}
	}
	b.WriteString("\n" + strings.ReplaceAll(medianText(d), "*", "") + "\n")
	return b.String()
}
