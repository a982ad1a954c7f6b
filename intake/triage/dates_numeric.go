package triage

import (
	"strconv"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// numericOrder reports whether numeric dates are day first, starting from
// dayFirst (the sender's country) and following the dates that are valid
// only one way: dmy read only day first, mdy only month first.
func numericOrder(dayFirst bool, dmy, mdy int) bool {
	if dayFirst {
		return !(mdy > 0 && dmy == 0)
	}
	return dmy > 0 && mdy == 0
}

// numericVote reads the numeric date whose first group is [i, j) and
// says which order alone makes it a date: 'd' (day first: "31.10.2026"),
// 'm' (month first: "11.30.2026"), or 0 (both, neither, or no date). Only
// a group above 12 can decide, so most dates cost no second reading.
func numericVote(s string, i, j int) byte {
	a, _ := strconv.Atoi(s[i:j])
	k := j + 1
	e := k
	for e < len(s) && e-k < 3 && isDigitByte(s[e]) {
		e++
	}
	b, _ := strconv.Atoi(s[k:e])
	switch {
	case a > 12 && b <= 12:
		if _, ok := numericDate(s, i, j, true); ok {
			return 'd'
		}
	case b > 12 && a <= 12:
		if _, ok := numericDate(s, i, j, false); ok {
			return 'm'
		}
	}
	return 0
}

// numericDate reads YYYY-MM-DD, M/D/YYYY, M/D/YY and M-D-YY(YY) at i,
// where [i, j) is the first group of digits. A group glued to more digits,
// letters or separators ("12-3-45678-9", "2-26-cr-01234") is no date.
func numericDate(s string, i, j int, dayFirst bool) (dateHit, bool) {
	sep := s[j]
	var gs [3]span
	gs[0] = span{i, j}
	groups := gs[:1]
	k := j
	for len(groups) < 3 && k < len(s) && s[k] == sep {
		a := k + 1
		b := a
		for b < len(s) && isDigitByte(s[b]) {
			b++
		}
		if b == a {
			return dateHit{}, false
		}
		groups = append(groups, span{a, b})
		k = b
	}
	if len(groups) != 3 {
		return dateHit{}, false
	}
	// Glued to more of a number or case number; but "04/01/2026-04/30/2026"
	// is two dates joined by a dash.
	if k < len(s) && (isAlnum(s[k]) || s[k] == sep && (sep != '.' || k+1 < len(s) && isDigitByte(s[k+1])) || (s[k] == '.' || s[k] == '-' || s[k] == '/') && k+1 < len(s) && isDigitByte(s[k+1]) && !(sep == '/' && s[k] == '-')) {
		return dateHit{}, false
	}
	n := func(g span) int { v, _ := strconv.Atoi(s[g.start:g.end]); return v }
	l := func(g span) int { return g.end - g.start }
	var dt legal.Date
	switch {
	case l(groups[0]) == 4 && l(groups[1]) <= 2 && l(groups[2]) <= 2: // 2026-06-01, 2026/06/01
		dt = legal.Date{Year: n(groups[0]), Month: time.Month(n(groups[1])), Day: n(groups[2])}
	case l(groups[0]) <= 2 && l(groups[1]) <= 2 && (l(groups[2]) == 4 || l(groups[2]) == 2):
		y := n(groups[2])
		if sep == '.' && l(groups[2]) == 2 && !dayFirst {
			return dateHit{}, false // "1.2.26" is a section or version, not a date
		}
		if y < 100 {
			y += 2000
		}
		mo, da := n(groups[0]), n(groups[1])
		// Day first for a sender who writes it so ("31/10/2026").
		if dayFirst {
			mo, da = da, mo
		}
		dt = legal.Date{Year: y, Month: time.Month(mo), Day: da}
	default:
		return dateHit{}, false
	}
	return dateHit{start: i, end: k, date: dt}, validDate(dt)
}

// maybeMonth is a cheap test before the month map: the length and first
// letter of a month name or its abbreviation.
func maybeMonth(w string) bool {
	if len(w) < 3 || len(w) > 9 {
		return false
	}
	switch w[0] {
	case 'j', 'f', 'm', 'a', 's', 'o', 'n', 'd':
		return true
	}
	return false
}
