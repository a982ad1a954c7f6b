package triage

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// dateHit is one date written in the text: "January 1, 2026", "Jan. 1st
// 2026", "the 14th day of October, 2026", "3 November 2026", "2026-06-01",
// "08/01/2026", "8/1/26", "08-01-26"; a month and year ("July 2026"); or a
// month range ("April 1-30, 2026"). A date written without a year has
// year 0 until resolve gives it one.
type dateHit struct {
	start, end int
	date       legal.Date // Year 0: not written
	// last is, for a month range ("April 1-30, 2026") or a month and
	// year ("July 2026"), the last day it covers; zero for a single day.
	last legal.Date
}

// resolve returns h's date, giving a date with no year the year that puts
// it nearest the letter date.
func (h dateHit) resolve(letter legal.Date) legal.Date {
	d := h.date
	if d.Year == 0 {
		d.Year = nearestYear(d.Month, d.Day, letter)
	}
	return d
}

var monthWords = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// findDates returns the dates written in d. Numeric dates are read day
// first for a sender outside North America and month first otherwise,
// unless the letter's own numeric dates say the other: a date that reads
// only one way ("31.10.2026", "11.30.2026") and none that reads only the
// other decides for them all.
func findDates(d *doc) []dateHit {
	base := d.region != ""
	out, dmy, mdy := findDatesVotes(d.s, d.lc, base)
	if order := numericOrder(base, dmy, mdy); order != base {
		out, _, _ = findDatesVotes(d.s, d.lc, order)
	}
	return out
}

// findDatesIn returns the dates written in s (lc: s lower-cased, ASCII).
func findDatesIn(s, lc string) []dateHit { return findDatesOrder(s, lc, false) }

// findDatesOrder returns the dates written in s, reading numeric dates day
// first when dayFirst.
func findDatesOrder(s, lc string, dayFirst bool) []dateHit {
	out, _, _ := findDatesVotes(s, lc, dayFirst)
	return out
}

// findDatesVotes is findDatesOrder that also counts the numeric dates
// valid only day first (dmy) and only month first (mdy).
func findDatesVotes(s, lc string, dayFirst bool) (out []dateHit, dmy, mdy int) {
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) || i > 0 && isAlnum(s[i-1]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		var h dateHit
		ok := false
		if isDigitByte(s[i]) {
			if j-i <= 2 && j < len(s) && (s[j] == '/' || s[j] == '.' || s[j] == '-') {
				switch numericVote(s, i, j) {
				case 'm':
					mdy++
				case 'd':
					dmy++
				}
			}
			h, ok = numberFirst(s, lc, i, j, len(out) > 0 && out[len(out)-1].end == i-1, dayFirst)
		} else if maybeMonth(lc[i:j]) {
			if m, isMonth := monthWords[lc[i:j]]; isMonth {
				h, ok = monthFirst(s, lc, i, j, m)
			}
		}
		if ok {
			out = append(out, h)
			i = h.end
			continue
		}
		i = j
	}
	return out, dmy, mdy
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// skipSpace moves past spaces and at most one line break (a date wrapped
// across lines) and, with comma, one comma, from i.
func skipSpace(s string, i int, comma bool) int {
	nl := false
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\n' && !nl) {
			if s[i] == '\n' {
				nl = true
			}
			i++
		}
	}
	skip()
	if comma && i < len(s) && s[i] == ',' {
		i++
		skip()
	}
	return i
}

// number reads the run of digits at i, with an ordinal suffix (st, nd, rd,
// th) when ord. It returns the value, the end, and false when there is no
// whole number there.
func number(s, lc string, i int, ord bool) (int, int, bool) {
	j := i
	for j < len(s) && isDigitByte(s[j]) {
		j++
	}
	if j == i || j-i > 4 {
		return 0, i, false
	}
	n, _ := strconv.Atoi(s[i:j])
	if ord && j+2 <= len(s) {
		switch lc[j : j+2] {
		case "st", "nd", "rd", "th":
			j += 2
		}
	}
	if j < len(s) && isAlnum(s[j]) {
		return 0, i, false
	}
	return n, j, true
}

// year reads a four-digit year at i.
func year(s, lc string, i int) (int, int, bool) {
	n, j, ok := number(s, lc, i, false)
	if !ok || j-i != 4 || n < 1900 || n > 2200 {
		return 0, i, false
	}
	return n, j, true
}

// monthFirst reads "Month D[, YYYY]", "Month D-D, YYYY" and "Month YYYY"
// from the month word at [i, j).
func monthFirst(s, lc string, i, j int, m time.Month) (dateHit, bool) {
	k := j
	if k < len(s) && s[k] == '.' {
		k++
	}
	k = skipSpace(s, k, false)
	if y, e, ok := year(s, lc, k); ok {
		first := legal.Date{Year: y, Month: m, Day: 1}
		return dateHit{start: i, end: e, date: first, last: lastOfMonth(first)}, true
	}
	day, e, ok := number(s, lc, k, true)
	if !ok || day < 1 || day > 31 || e-k > 4 {
		return dateHit{}, false
	}
	h := dateHit{start: i, end: e, date: legal.Date{Month: m, Day: day}}
	// "April 1-30, 2026": a range within one month.
	if e < len(s) && s[e] == '-' {
		if day2, e2, ok := number(s, lc, e+1, true); ok && day2 > day && day2 <= 31 {
			k2 := skipSpace(s, e2, true)
			if y, e3, ok := year(s, lc, k2); ok {
				h.date.Year = y
				h.last = legal.Date{Year: y, Month: m, Day: day2}
				h.end = e3
				return h, validDate(h.date) && validDate(h.last)
			}
		}
	}
	k = skipSpace(s, e, true)
	if y, e2, ok := year(s, lc, k); ok {
		h.date.Year, h.end = y, e2
	}
	if m == time.May && h.date.Year == 0 && !strings.HasPrefix(s[i:j], "May") {
		return dateHit{}, false // "may 3" is a verb and a number far more often than a date
	}
	vd := h.date
	if vd.Year == 0 {
		vd.Year = 2000 // a leap year: February 29 without a year is a date
	}
	return h, validDate(vd)
}

// numberFirst reads the numeric forms and "D Month YYYY" / "Dth day of
// Month, YYYY" from the number at [i, j).
func numberFirst(s, lc string, i, j int, afterDate, dayFirst bool) (dateHit, bool) {
	if i > 0 && (s[i-1] == '/' || s[i-1] == '-' && !afterDate || s[i-1] == ':' || s[i-1] == '.' || s[i-1] == '#') {
		return dateHit{}, false // inside a case number, a time or a longer number
	}
	digits := j - i
	for k := i; k < j; k++ {
		if !isDigitByte(s[k]) {
			digits = k - i
			break
		}
	}
	if digits == j-i && j < len(s) && (s[j] == '/' || s[j] == '-' || s[j] == '.') {
		return numericDate(s, i, j, dayFirst)
	}
	// "3 November 2026", "7th day of December, 2026".
	day, e, ok := number(s, lc, i, true)
	if !ok || day < 1 || day > 31 {
		return dateHit{}, false
	}
	k := skipSpace(s, e, false)
	if strings.HasPrefix(lc[k:], "day of ") {
		k = skipSpace(s, k+len("day of "), false)
	} else if strings.HasPrefix(lc[k:], "of ") {
		k = skipSpace(s, k+len("of "), false) // "3rd of November 2026"
	}
	m, mEnd := monthAt(lc, k)
	if m == 0 {
		return dateHit{}, false
	}
	if mEnd < len(s) && s[mEnd] == '.' {
		mEnd++
	}
	k = skipSpace(s, mEnd, true)
	y, e, ok := year(s, lc, k)
	if !ok {
		// "1 October to 31 October 2026": no year, but a range follows.
		for _, c := range []string{"to ", "- ", "-", "through ", "until ", "and ", "thru "} {
			if strings.HasPrefix(lc[k:], c) {
				dt := legal.Date{Month: m, Day: day}
				return dateHit{start: i, end: mEnd, date: dt}, validDate(legal.Date{Year: 2000, Month: m, Day: day})
			}
		}
		return dateHit{}, false
	}
	dt := legal.Date{Year: y, Month: m, Day: day}
	return dateHit{start: i, end: e, date: dt}, validDate(dt)
}

// monthAt reads a month name at i.
func monthAt(lc string, i int) (time.Month, int) {
	j := i
	for j < len(lc) && 'a' <= lc[j] && lc[j] <= 'z' {
		j++
	}
	if m, ok := monthWords[lc[i:j]]; ok && j > i {
		return m, j
	}
	return 0, i
}

// validDate reports whether d is a real calendar date in a plausible year.
func validDate(d legal.Date) bool {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 || d.Year < 1900 || d.Year > 2200 {
		return false
	}
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Day() == d.Day
}

func lastOfMonth(d legal.Date) legal.Date {
	return legal.DateOf(time.Date(d.Year, d.Month+1, 0, 12, 0, 0, 0, time.UTC))
}

// parseDate reads s as exactly one date. A date with no year takes the
// year that puts it nearest the letter date.
func parseDate(s string, letter legal.Date) (legal.Date, bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"the ", "The ", "this ", "This "} {
		s = strings.TrimPrefix(s, p)
	}
	hits := findDatesIn(s, lowerASCII(s))
	if len(hits) != 1 || hits[0].start != 0 || strings.TrimRight(s[hits[0].end:], ". ") != "" || !hits[0].last.IsZero() {
		return legal.Date{}, false
	}
	return hits[0].resolve(letter), true
}

// dateIn returns the first date hit within [start, end) of d.
func (d *doc) dateIn(start, end int) (dateHit, bool) {
	for _, h := range d.datesIn(start, end) {
		return h, true
	}
	return dateHit{}, false
}

// datesIn returns the date hits within [start, end) of d.
func (d *doc) datesIn(start, end int) []dateHit {
	lo := sort.Search(len(d.dateList), func(k int) bool { return d.dateList[k].start >= start })
	hi := lo
	for hi < len(d.dateList) && d.dateList[hi].end <= end {
		hi++
	}
	return d.dateList[lo:hi]
}
