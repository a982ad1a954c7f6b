package triage

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// Date patterns as written in letters and court forms. They are combined
// into the period and deadline patterns, so they use no capture groups.
const (
	monthPat = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`
	// datePat: "January 1, 2026", "Jan. 1st 2026", "the 14th day of
	// October, 2026", "1 January 2026", "2026-01-01", "01/31/2026".
	datePat = `(?:` + monthPat + `\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s*\d{4})?` +
		`|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?` + monthPat + `\.?,?\s+\d{4}` +
		`|\d{4}-\d{1,2}-\d{1,2}` +
		`|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))`
	// presentPat: an open end that means the letter date.
	presentPat = `(?:(?:the\s+)?present(?:\s+day)?|today|(?:the\s+)?(?:current\s+date|date\s+(?:of\s+)?(?:this|the)\s+(?:order|warrant|letter|request|subpoena|application)|date\s+hereof|date\s+of\s+(?:this\s+)?(?:letter|request)))`
	// timePfx: "12:00 a.m. on " before a date.
	timePfx = `(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?|hours|hrs)?\s+(?:on\s+)?)?`
	numPat  = `(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty|thirty|forty-?five|sixty|ninety)(?:\s*\(\d+\))?`
)

var (
	dateRe      = regexp.MustCompile(`(?i)\b` + datePat)
	monthDayRe  = regexp.MustCompile(`(?i)^(` + monthPat + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?$`)
	dayMonthRe  = regexp.MustCompile(`(?i)^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(` + monthPat + `)\.?,?\s+(\d{4})$`)
	isoDateRe   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	usDateRe    = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$`)
	numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
		"fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30, "fortyfive": 45, "forty-five": 45,
		"sixty": 60, "ninety": 90}
)

// parseDate reads one date written in any of the forms of datePat. A date
// with no year takes the year that puts it nearest the letter date.
func parseDate(s string, letter legal.Date) (legal.Date, bool) {
	s = strings.TrimSpace(s)
	var y, d int
	var mon time.Month
	switch {
	case monthDayRe.MatchString(s):
		g := monthDayRe.FindStringSubmatch(s)
		mon, d = monthOf(g[1]), atoi(g[2])
		if g[3] != "" {
			y = atoi(g[3])
		}
	case dayMonthRe.MatchString(s):
		g := dayMonthRe.FindStringSubmatch(s)
		d, mon, y = atoi(g[1]), monthOf(g[2]), atoi(g[3])
	case isoDateRe.MatchString(s):
		g := isoDateRe.FindStringSubmatch(s)
		y, mon, d = atoi(g[1]), time.Month(atoi(g[2])), atoi(g[3])
	case usDateRe.MatchString(s):
		g := usDateRe.FindStringSubmatch(s)
		mon, d, y = time.Month(atoi(g[1])), atoi(g[2]), atoi(g[3])
		if y < 100 {
			y += 2000
		}
	default:
		return legal.Date{}, false
	}
	if y == 0 {
		y = nearestYear(mon, d, letter)
	}
	if mon < 1 || mon > 12 || d < 1 || d > 31 || y < 1900 || y > 2200 {
		return legal.Date{}, false
	}
	t := time.Date(y, mon, d, 12, 0, 0, 0, time.UTC)
	if t.Day() != d { // February 30th and the like
		return legal.Date{}, false
	}
	return legal.DateOf(t), true
}

func nearestYear(mon time.Month, d int, letter legal.Date) int {
	if letter.IsZero() {
		return time.Now().Year()
	}
	best, bestDist := letter.Year, 1<<30
	for _, y := range []int{letter.Year - 1, letter.Year, letter.Year + 1} {
		dist := letter.DaysUntil(legal.Date{Year: y, Month: mon, Day: d})
		if dist < 0 {
			dist = -dist
		}
		if dist < bestDist {
			best, bestDist = y, dist
		}
	}
	return best
}

func monthOf(s string) time.Month {
	s = strings.ToLower(s)
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), s[:3]) {
			return m
		}
	}
	return 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// parseNumber reads "10", "ten", "ten (10)" or "fourteen (14)".
func parseNumber(s string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, "("); i >= 0 {
		if n := atoi(strings.Trim(s[i:], "() ")); n > 0 {
			return n
		}
		s = strings.TrimSpace(s[:i])
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return numberWords[s]
}

// isPresent reports whether s names the letter date ("the present",
// "today", "the date of this Order").
func isPresent(s string) bool { return presentRe.MatchString(strings.TrimSpace(s)) }

var presentRe = regexp.MustCompile(`(?i)^` + presentPat + `$`)

// dateOrPresent reads s as a date, or as the letter date when it names the
// present.
func dateOrPresent(s string, letter legal.Date) (legal.Date, bool) {
	if isPresent(s) {
		return letter, !letter.IsZero()
	}
	return parseDate(s, letter)
}

// addSpan moves d back (n < 0) or forward by n units of "day", "week",
// "month" or "year".
func addSpan(d legal.Date, n int, unit string) legal.Date {
	t := d.In(time.UTC).Add(12 * time.Hour)
	switch {
	case strings.HasPrefix(unit, "week"):
		t = t.AddDate(0, 0, 7*n)
	case strings.HasPrefix(unit, "month"):
		t = t.AddDate(0, n, 0)
	case strings.HasPrefix(unit, "year"):
		t = t.AddDate(n, 0, 0)
	default:
		t = t.AddDate(0, 0, n)
	}
	return legal.DateOf(t)
}

// weekdayAfter returns the first day strictly after d that falls on wd.
func weekdayAfter(d legal.Date, wd time.Weekday) legal.Date {
	for i := 1; i <= 7; i++ {
		n := d.AddDays(i)
		if n.In(time.UTC).Weekday() == wd {
			return n
		}
	}
	return d
}

func weekdayOf(s string) (time.Weekday, bool) {
	s = strings.ToLower(s)
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if strings.HasPrefix(strings.ToLower(wd.String()), s) && len(s) >= 3 {
			return wd, true
		}
	}
	return 0, false
}

// addWeekdays adds n days skipping Saturdays and Sundays: the fallback
// when no business calendar is given.
func addWeekdays(d legal.Date, n int) legal.Date {
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.In(time.UTC).Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}
