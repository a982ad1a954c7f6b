package triage

import (
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

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

var numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fortyfive": 45, "forty-five": 45, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}

// parseNumber reads "10", "ten", "ten (10)" or "fourteen (14)".
func parseNumber(s string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, "("); i >= 0 {
		if n, err := strconv.Atoi(strings.Trim(s[i:], "() ")); err == nil && n > 0 {
			return n
		}
		s = strings.TrimSpace(s[:i])
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if n, ok := numberWords[s]; ok {
		return n
	}
	// "twenty-one", "one hundred eighty".
	total, cur := 0, 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ' ' }) {
		n, ok := numberWords[w]
		if !ok {
			return 0
		}
		if n == 100 {
			cur = max(cur, 1) * 100
			continue
		}
		cur += n
	}
	total += cur
	return total
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
