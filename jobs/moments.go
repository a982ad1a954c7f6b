package jobs

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

// A moment is when a reminder becomes due. Reminders about days fall at
// the start of the business day (09:00 in TIMEZONE), so nobody is told at
// midnight; "now overdue" falls at the deadline itself.
type moment struct {
	topic string // bot.Topic*
	stage string // "due-3", "overdue", "preservation-14", "ndo-end", ...
	at    time.Time
}

// morning is 09:00 wall-clock time on d in the calendar's zone.
func morning(cal *legal.Calendar, d legal.Date) time.Time {
	m := int(legal.BusinessDayStart / time.Minute)
	return time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, cal.Location())
}

// latest returns the latest moment at or before now that is not before
// floor (the request's receipt: nothing is reminded of before it arrived).
// Earlier moments are superseded: a reminder missed while no tick ran is
// never sent once a later one applies.
func latest(ms []moment, now, floor time.Time) (moment, bool) {
	var best moment
	ok := false
	for _, m := range ms {
		if m.at.After(now) || m.at.Before(floor) {
			continue
		}
		if !ok || !m.at.Before(best.at) { // a tie goes to the later stage
			best, ok = m, true
		}
	}
	return best, ok
}

// key is the sent marker of a reminder: request, stage and the day of its
// moment, so each reminder goes once per request, kind and day.
func (m moment) key(cal *legal.Calendar, id string) string {
	return fmt.Sprintf("remind:%s:%s:%s", id, m.stage, cal.DateOf(m.at))
}

// dueMoments are the deadline reminders of r: 3 business days and 1
// business day before the due day, on the due day, when it becomes
// overdue, and each business day after that. A deadline the sender set on
// a weekend or holiday gets its due-day reminder on the last business day
// before it, when someone can still act (it supersedes the 1-day one).
func dueMoments(cal *legal.Calendar, r *legal.Request, now time.Time) []moment {
	dueDay := cal.DateOf(r.Due)
	lastBusiness := dueDay
	for !cal.IsBusinessDay(lastBusiness) {
		lastBusiness = lastBusiness.AddDays(-1)
	}
	var ms []moment
	for _, b := range []struct {
		stage string
		day   legal.Date
	}{
		{"due-3", cal.AddBusinessDays(dueDay, -3)},
		{"due-1", cal.AddBusinessDays(dueDay, -1)},
		{"due-0", lastBusiness},
	} {
		if at := morning(cal, b.day); at.Before(r.Due) {
			ms = append(ms, moment{bot.TopicDue, b.stage, at})
		}
	}
	// An emergency is due on receipt; its page says so, so its first
	// overdue reminder is the next business morning's.
	if r.Due.After(r.ReceivedAt) {
		ms = append(ms, moment{bot.TopicDue, "overdue", r.Due})
	}
	for d := cal.DateOf(now); d.After(dueDay); d = d.AddDays(-1) {
		if at := morning(cal, d); cal.IsBusinessDay(d) && !at.After(now) {
			ms = append(ms, moment{bot.TopicDue, "overdue", at})
			break
		}
	}
	return ms
}

// daysBefore builds date reminders n calendar days before end (0: on
// end). One that falls on a weekend or holiday moves to the business day
// before, so someone can still act before the date: a hold that ends on a
// Sunday is raised on the Friday.
func daysBefore(cal *legal.Calendar, topic string, end legal.Date, days ...int) []moment {
	ms := make([]moment, 0, len(days))
	for _, n := range days {
		d := end.AddDays(-n)
		for !cal.IsBusinessDay(d) {
			d = d.AddDays(-1)
		}
		ms = append(ms, moment{topic, fmt.Sprintf("%s-%d", topic, n), morning(cal, d)})
	}
	return ms
}

// preservationMoments: 14, 7 and 1 day before the last preserved day, and
// on it ("extend or release").
func preservationMoments(cal *legal.Calendar, p legal.Preservation) []moment {
	return daysBefore(cal, bot.TopicPreservation, p.Expires, 14, 7, 1, 0)
}

// ndoMoments: 30 and 7 days before the NDO's last day, and the day it has
// ended. Until is the last day notice is barred (legal.NDO), so "notice
// may now be given" falls on the first business day after it, never on it.
func ndoMoments(cal *legal.Calendar, until legal.Date) []moment {
	ms := daysBefore(cal, bot.TopicNDO, until, 30, 7)
	d := until.AddDays(1)
	for !cal.IsBusinessDay(d) {
		d = d.AddDays(1) // never before notice is allowed
	}
	return append(ms, moment{bot.TopicNDO, "ndo-end", morning(cal, d)})
}

// orderMoments: a pen/trap order 7 and 1 days before its end, an intercept
// order 5 and 1 (the policy's rule table), both on the day it ends.
func orderMoments(cal *legal.Calendar, kind legal.Kind, end legal.Date) []moment {
	if kind == legal.KindWiretap {
		return daysBefore(cal, bot.TopicOrder, end, 5, 1, 0)
	}
	return daysBefore(cal, bot.TopicOrder, end, 7, 1, 0)
}

// stageWords says when a reminder's stage falls, for people: "due-3" is
// "3 business days before the deadline", "preservation-0" "on the
// preservation's last day".
func stageWords(stage string) string {
	switch stage {
	case "overdue":
		return "after the deadline passed"
	case "ndo-end":
		return "after the NDO ended"
	}
	topic, n, _ := strings.Cut(stage, "-")
	end := map[string]string{bot.TopicDue: "the deadline", bot.TopicPreservation: "the preservation's last day",
		bot.TopicNDO: "the NDO's last day", bot.TopicOrder: "the order's last day"}[topic]
	days, err := strconv.Atoi(n)
	switch {
	case end == "" || err != nil:
		return stage
	case days == 0:
		return "on the day of " + end
	}
	unit := "day"
	if topic == bot.TopicDue {
		unit = "business day"
	}
	if days != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s before %s", days, unit, end)
}
