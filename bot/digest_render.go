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
	title     string
	list      DigestList
	when      func(DigestLine) string
	emergency bool // lines say who acknowledged, or that nobody has
}

func (d DigestPayload) sections() []digestSection {
	loc := d.loc()
	at := func(prefix string) func(DigestLine) string {
		return func(l DigestLine) string { return prefix + " " + legal.TimeLabel(l.When, loc) }
	}
	on := func(prefix string) func(DigestLine) string {
		return func(l DigestLine) string { return prefix + " " + l.Date.Long() }
	}
	return []digestSection{
		{"🚨 Open emergencies", d.Emergencies, at("received"), true},
		{"⏰ Overdue", d.Overdue, at("was due"), false},
		{"📅 Due in the next 3 business days", d.DueSoon, at("due"), false},
		{"📥 Received " + d.receivedWindow(), d.Received, at("received"), false},
		{"🧊 Preservations ending within 14 days", d.Preservations, on("last preserved day"), false},
		{"🤐 Non-disclosure orders ending within 30 days", d.NDOs, on("notice barred through"), false},
		{"📡 Pen/trap and intercept orders ending within 7 days", d.Orders, on("order ends"), false},
	}
}

func (s digestSection) text(mention func(string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* (%d)", s.title, s.list.Len())
	if s.list.Len() == 0 {
		b.WriteString("\n_none_")
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
		switch {
		case l.AckedBy != "":
			b.WriteString(" · acknowledged by " + mention(l.AckedBy))
		case s.emergency:
			b.WriteString(" · 🚨 not acknowledged")
		}
	}
	if s.list.More > 0 {
		fmt.Fprintf(&b, "\n…and %d more", s.list.More)
	}
	return b.String()
}

func (d DigestPayload) title() string {
	return "Legal digest — " + legal.DayLabel(d.At, d.loc())
}

// receivedWindow is the span arrivals are counted over, in words.
func (d DigestPayload) receivedWindow() string {
	switch {
	case d.Asked:
		return "in the last 24 hours"
	case d.First:
		return "since " + legal.TimeLabel(d.Since, d.loc())
	}
	return "since the last digest"
}

// headline is the digest in one line, first, so a manager sees the day's
// shape before any list: what is open, late, urgent, due and new.
func (d DigestPayload) headline() string {
	emergencies := fmt.Sprintf("%d open emergencies", d.Emergencies.Len())
	if d.Emergencies.Len() == 1 {
		emergencies = "1 open emergency"
	}
	return fmt.Sprintf("*%d open* · *%d overdue* · %s · %d due in the next 3 business days · %d received %s",
		openTotal(d), d.Overdue.Len(), emergencies, d.DueSoon.Len(), d.Received.Len(), d.receivedWindow())
}

// sinceText says what span the digest covers: since the last digest, or,
// for the first one or one asked for, that it is so.
func (d DigestPayload) sinceText() string {
	since := legal.TimeLabel(d.Since, d.loc())
	switch {
	case d.Asked:
		return "Asked for with `/legal digest`: arrivals of the last 24 hours (since " + since + ")"
	case d.First:
		return "lebot's first digest: arrivals are counted from " + since
	}
	return "Since the last digest (" + since + ")"
}

// quietText is the whole of a quiet day's digest.
func (d DigestPayload) quietText() string {
	s := "☀️ A quiet day: nothing received " + d.receivedWindow() + ", nothing due or overdue, " +
		"no open emergencies, and no preservations, NDOs or orders ending soon."
	switch n := openTotal(d); {
	case n == 1:
		s += " 1 request is open."
	case n > 1:
		s += fmt.Sprintf(" %d requests are open.", n)
	case len(d.ByStatus) == 0:
		s += " " + noRequestsText
	}
	return s
}

// noRequestsText is the digest of an empty store, in a sentence.
const noRequestsText = "lebot has no requests yet."

// DigestBlocks renders the digest in Block Kit; a quiet day is a short
// message.
func DigestBlocks(d DigestPayload) []slack.Block {
	mention := func(u string) string { return "<@" + esc(u) + ">" }
	blocks := []slack.Block{slack.NewHeaderBlock(plain(d.title()))}
	if d.Quiet() {
		blocks = append(blocks, section(d.quietText()), slack.NewContextBlock("", mrkdwn(d.sinceText())))
		if openTotal(d) > 0 {
			blocks = append(blocks, slack.NewContextBlock("", mrkdwn("The chart of open requests by age and status follows.")))
		}
		return blocks
	}
	blocks = append(blocks, section(d.headline()), slack.NewContextBlock("", mrkdwn(d.sinceText())))
	for _, s := range d.sections() {
		blocks = append(blocks, section(truncate(s.text(mention), 3000)))
	}
	blocks = append(blocks, slack.NewDividerBlock())
	if f := countFields(d.ByStatus, legal.Statuses, statusLabel); len(f) > 0 {
		blocks = append(blocks, section("*All requests by status*"), slack.NewSectionBlock(nil, f, nil))
	} else {
		blocks = append(blocks, section(noRequestsText))
	}
	if f := countFields(d.ByKind, legal.Kinds, legal.Kind.Label); len(f) > 0 {
		blocks = append(blocks, section("*Open requests by kind*"+sampledNote(d)), slack.NewSectionBlock(nil, f, nil))
	} else {
		blocks = append(blocks, section("No requests are open."))
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
// and the body of the digest e-mail. A quiet day is a short message.
func DigestText(d DigestPayload) string {
	var b strings.Builder
	plainMD := strings.NewReplacer("*", "", "_", "", "`", "")
	b.WriteString(d.title() + "\n")
	if d.Quiet() {
		b.WriteString(d.quietText() + "\n" + plainMD.Replace(d.sinceText()) + "\n")
		return b.String()
	}
	b.WriteString(plainMD.Replace(d.headline()) + "\n" + plainMD.Replace(d.sinceText()) + "\n\n")
	for _, s := range d.sections() {
		b.WriteString(plainMD.Replace(s.text(func(u string) string { return u })) + "\n\n")
	}
	if counts := countList(d.ByStatus, legal.Statuses, statusLabel); counts != "" {
		b.WriteString("All requests by status: " + counts + "\n")
	} else {
		b.WriteString(noRequestsText + "\n")
	}
	if counts := countList(d.ByKind, legal.Kinds, legal.Kind.Label); counts != "" {
		b.WriteString("Open requests by kind: " + counts + "\n")
	} else {
		b.WriteString("No requests are open.\n")
	}
	b.WriteString(strings.ReplaceAll(medianText(d), "*", "") + "\n")
	return b.String()
}

// countList is the non-zero counts in order, "New 4 · In review 1"; ""
// when there are none.
func countList[K comparable](m map[K]int, order []K, label func(K) string) string {
	var parts []string
	for _, k := range order {
		if n := m[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", label(k), n))
		}
	}
	return strings.Join(parts, " · ")
}
