package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// ReminderText is the text of a reminder about req at stage ("due-3",
// "overdue", "preservation-14", "ndo-end", "order-0", ...), worded as of
// now so a reminder caught up late still says how things stand. It names
// the request, what is due and when, and never quotes the request's mail.
func ReminderText(req *legal.Request, topic, stage string, now time.Time, cal *legal.Calendar) string {
	var s string
	switch topic {
	case TopicDue:
		s = dueText(req, stage, now, cal)
	case TopicPreservation:
		s = preservationText(req, now, cal)
	case TopicNDO:
		s = ndoText(req, stage, now, cal)
	case TopicOrder:
		s = orderText(req, now, cal)
	}
	return s
}

// ReminderDM is a reminder's text as a DM to the assignee: the context a
// DM needs outside the card's thread, then the thread note's text.
func ReminderDM(text string) string { return "Reminder for a request assigned to you. " + text }

func reqName(req *legal.Request) string {
	return fmt.Sprintf("*%s* (%s)", req.ID, req.Kind().Label())
}

func dueText(req *legal.Request, stage string, now time.Time, cal *legal.Calendar) string {
	loc := cal.Location()
	due := legal.TimeLabel(req.Due, loc)
	var b strings.Builder
	if emergency(req) {
		// Due the moment it arrived: not "overdue since" its arrival.
		fmt.Fprintf(&b, "🔴 %s: not yet answered: received %s", reqName(req), legal.TimeLabel(req.ReceivedAt, loc))
		if req.AckedBy != "" {
			b.WriteString(", acknowledged by " + Mention(req.AckedBy))
		} else {
			b.WriteString(", *not acknowledged*")
		}
		fmt.Fprintf(&b, ". Once answered, record it with `/legal status %s responded`.", req.ID)
	} else if stage == "overdue" || !now.Before(req.Due) {
		n := cal.BusinessDaysBetween(cal.DateOf(req.Due), cal.DateOf(now))
		fmt.Fprintf(&b, "🔴 %s: the response is *overdue*: it was due %s", reqName(req), due)
		if n > 0 {
			fmt.Fprintf(&b, " (%s ago)", plural(n, "business day"))
		}
		fmt.Fprintf(&b, ". Once answered, record it with `/legal status %s responded`.", req.ID)
	} else if cal.DateOf(now) == cal.DateOf(req.Due) {
		fmt.Fprintf(&b, "⏰ %s: the response is due *today* at %s.", reqName(req), req.Due.In(loc).Format("15:04 MST"))
	} else if cal.BusinessDaysLeft(now, req.Due) <= 0 {
		// The sender set a deadline on a weekend or holiday: today is the
		// last business day before it.
		fmt.Fprintf(&b, "⏰ %s: the response is due %s, which is not a business day: *today* is the last business day before it.", reqName(req), due)
	} else {
		n := cal.BusinessDaysLeft(now, req.Due)
		fmt.Fprintf(&b, "⏰ %s: the response is due in %s, on %s.", reqName(req), plural(max(n, 1), "business day"), due)
	}
	if req.DueIsDefault() {
		b.WriteString(" (lebot's default deadline: no deadline stated in the request.)")
	}
	if req.Assignee == "" {
		fmt.Fprintf(&b, " Nobody is assigned: claim it with `/legal claim %s`.", req.ID)
	}
	return b.String()
}

// whenText says how far a date is from today: "in 14 days (Mon Jun 1,
// 2026)", "today (…)", "3 days ago (…)".
func whenText(d legal.Date, today legal.Date) string {
	switch n := today.DaysUntil(d); {
	case n == 0:
		return "*today* (" + dateLabel(d) + ")"
	case n == 1:
		return "tomorrow (" + dateLabel(d) + ")"
	case n > 0:
		return fmt.Sprintf("in %d days (%s)", n, dateLabel(d))
	case n == -1:
		return "yesterday (" + dateLabel(d) + ")"
	default:
		return fmt.Sprintf("%d days ago (%s)", -n, dateLabel(d))
	}
}

func preservationText(req *legal.Request, now time.Time, cal *legal.Calendar) string {
	p := req.Preservation
	today := cal.DateOf(now)
	verb := "ends"
	if today.After(p.Expires) {
		verb = "ended"
	}
	s := fmt.Sprintf("🧊 %s: the preservation %s %s — that is the last preserved day. *Extend or release it.*",
		reqName(req), verb, whenText(p.Expires, today))
	if p.Extended {
		return s + " The one 90-day extension is used: a longer hold needs new process (ask an attorney)."
	}
	return s + fmt.Sprintf(" To extend once by 90 days: `/legal extend %s`.", req.ID)
}

func ndoText(req *legal.Request, stage string, now time.Time, cal *legal.Calendar) string {
	until := *req.NDO.Until
	today := cal.DateOf(now)
	if stage == "ndo-end" || req.NDO.NoticeAllowed(today) {
		return fmt.Sprintf("🤐 %s: the non-disclosure order ended — notice was barred through %s. "+
			"*Customer notice may now be given.* Task: decide whether to notify the customer under the policy, "+
			"then record it with `/legal notice %s sent` (or `blocked` if a new order bars it). lebot sends no notice itself.",
			reqName(req), dateLabel(until), req.ID)
	}
	return fmt.Sprintf("🤐 %s: the non-disclosure order ends %s; notice stays barred through that day. "+
		"Check whether the agency is renewing it.", reqName(req), whenText(until, today))
}

func orderText(req *legal.Request, now time.Time, cal *legal.Calendar) string {
	end := *req.OrderExpires
	today := cal.DateOf(now)
	verb := "ends"
	if today.After(end) {
		verb = "ended"
	}
	return fmt.Sprintf("📡 %s: the order %s %s. Collection must stop when it ends unless a new order extends it; "+
		"record an extension's new end date when one arrives.", reqName(req), verb, whenText(end, today))
}
