package legal

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// The one date style of everything lebot shows people (cards, threads,
// replies, App Home, the digest, the CLI): "Thu Dec 10, 2026 17:00 PST"
// for an instant, "Thu Dec 10, 2026" for a day, always in the team's
// TIMEZONE.
const (
	TimeLayout = "Mon Jan 2, 2006 15:04 MST"
	DayLayout  = "Mon Jan 2, 2006"
)

// TimeLabel is t in loc in lebot's date style; "" for the zero time.
func TimeLabel(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(TimeLayout)
}

// DayLabel is the day of t in loc in lebot's date style ("Thu Dec 10,
// 2026"); "" for the zero time.
func DayLabel(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(DayLayout)
}

// Long is d in lebot's date style with its weekday, "Thu Dec 10, 2026";
// "" for the zero Date.
func (d Date) Long() string {
	if d.IsZero() {
		return ""
	}
	return d.In(time.UTC).Format(DayLayout)
}

// NoSuchDateError is a date written as YYYY-MM-DD whose month or day does
// not exist, such as 2026-02-30.
type NoSuchDateError struct {
	Input       string
	Year, Month int
}

// Error says what is wrong in words: "2026-02-30 is not a date (February
// has 28 days in 2026)".
func (e *NoSuchDateError) Error() string {
	if e.Month < 1 || e.Month > 12 {
		return fmt.Sprintf("%s is not a date (months run from 01 to 12)", e.Input)
	}
	m := time.Month(e.Month)
	return fmt.Sprintf("%s is not a date (%s has %d days in %d)", e.Input, m, daysIn(e.Year, m), e.Year)
}

var reISODate = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)

// checkDayExists returns a *NoSuchDateError when s has the YYYY-MM-DD form
// but names a month or day that does not exist; nil otherwise.
func checkDayExists(s string) error {
	m := reISODate.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, time.Month(mo)) {
		return &NoSuchDateError{Input: s, Year: y, Month: mo}
	}
	return nil
}

// daysIn is the number of days of month m in year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// DefaultDueNote marks a deadline lebot computed, so nobody takes it for
// a date the agency demanded.
const DefaultDueNote = "default: no deadline stated in the request"

// DueIsDefault reports whether r's deadline is lebot's default (two
// business weeks from receipt): the request stated none, it is no
// emergency, and nobody on the team set one.
func (r *Request) DueIsDefault() bool {
	f := r.Facts
	return !r.Due.IsZero() && r.DueSetBy == "" && (f.Deadline == nil || f.Deadline.IsZero()) &&
		!f.Exigent && !f.HasKind(KindEmergency) && f.NotRequest == ""
}

// Label is the outcome as the checklist reads it: "met", "not met",
// "needs review".
func (o Outcome) Label() string {
	switch o {
	case Passed:
		return "met"
	case Failed:
		return "not met"
	case NeedsReview:
		return "needs review"
	}
	return string(o)
}

// ItemWords is one checklist item and its outcome in the checklist's own
// words: "Specific time period: met".
func ItemWords(it ItemID, o Outcome) string { return it.Label() + ": " + o.Label() }
