package triage

import (
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// namedPeriods reads periods that are named rather than dated: a whole
// year ("calendar year 2025", "CY 2025", "for the year 2025"), and a start
// given as a time of the letter's own day or the day before ("from 6 p.m.
// today to the present", "since yesterday evening"), which ends on the
// letter date unless a written date ends it.
func (d *doc) namedPeriods(letter legal.Date) []periodCand {
	var out []periodCand
	for _, w := range []string{"calendar year", "cy", "the year", "during year", "fiscal year"} {
		for _, e := range d.wordEnds(w) {
			if w == "fiscal year" {
				continue // a fiscal year's months depend on whose it is
			}
			k := e
			for k < len(d.s) && (d.s[k] == ' ' || d.s[k] == '\n') && k-e < 3 {
				k++
			}
			if k+4 > len(d.s) || !allDigits(d.s[k:k+4]) || k+4 < len(d.s) && isAlnum(d.s[k+4]) {
				continue
			}
			y, _ := strconv.Atoi(d.s[k : k+4])
			if y < 1990 || y > letter.Year+1 || d.ignorable(k) {
				continue
			}
			start := legal.Date{Year: y, Month: time.January, Day: 1}
			end := legal.Date{Year: y, Month: time.December, Day: 31}
			if end.After(letter) {
				end = letter // the year so far
			}
			out = append(out, periodCand{legal.Period{Start: start, End: end}, span{e - len(w), k + 4}})
		}
	}
	for _, rel := range []struct {
		word string
		back int
	}{{"today", 0}, {"tonight", 0}, {"this morning", 0}, {"this afternoon", 0}, {"this evening", 0},
		{"yesterday", 1}, {"last night", 1}} {
		for _, e := range d.wordEnds(rel.word) {
			s := e - len(rel.word)
			if d.ignorable(s) || !d.startWordBefore(s) {
				continue
			}
			start := letter.AddDays(-rel.back)
			end, at := letter, e
			if v, e2, ok := d.openEnd(e, letter); ok {
				end, at = v, e2
			}
			if end.Before(start) {
				continue
			}
			out = append(out, periodCand{legal.Period{Start: start, End: end}, span{max(0, s-24), at}})
		}
	}
	return out
}

// startWordBefore reports whether the words just before i, past a time of
// day, open a range: "from 6 p.m. today", "since 18:00 yesterday",
// "beginning at noon today".
func (d *doc) startWordBefore(i int) bool {
	lo := max(0, i-28)
	if k := strings.LastIndexAny(d.lc[lo:i], ".;\n"); k >= 0 && !d.timeDot(lo+k) {
		lo += k + 1
	}
	t := strings.Fields(stripTimes(d.lc[lo:i]))
	for n := len(t) - 1; n >= 0 && n >= len(t)-3; n-- {
		switch strings.Trim(t[n], ",") {
		case "from", "since", "beginning", "starting", "commencing", "after":
			return true
		case "at", "about", "approximately", "around", "noon", "midnight", "on":
			continue
		}
		if w := strings.TrimSuffix(strings.TrimSuffix(t[n], "pm"), "am"); allDigits(w) {
			continue // "6", "6pm"
		}
		return false
	}
	return false
}

// timeDot reports whether the dot at i belongs to a time ("6 p.m."), not
// a sentence end.
func (d *doc) timeDot(i int) bool {
	lo := max(0, i-3)
	t := d.lc[lo:min(len(d.lc), i+2)]
	return strings.Contains(t, "a.m") || strings.Contains(t, "p.m") || strings.Contains(t, "m.")
}

// installAnchor reads, at k, the installation a window is counted from
// ("the date of installation", "installation of the device", "the date
// the pen register is installed") and returns its date: the date the
// letter gives for the installation, else the letter's own date (the
// order is served to be installed on receipt).
func (d *doc) installAnchor(k int, letter legal.Date) (legal.Date, int, bool) {
	raw := d.lc[k:min(len(d.lc), k+60)]
	e := -1
	for _, w := range []string{"date of installation", "installation", "date of install", "date the device is installed",
		"date the pen register is installed", "date the devices are installed", "date on which the device is installed"} {
		if n, ok := spacedPrefix(raw, w); ok {
			e = k + n
			break
		}
	}
	if e < 0 {
		return legal.Date{}, k, false
	}
	for _, x := range d.substrEnds("install") {
		if d.ignorable(x) || !wordBoundary(d.s, x-len("install")) {
			continue
		}
		ss, se := d.sentenceAt(x)
		if ss <= k && k < se {
			continue // the window's own sentence
		}
		if h, ok := d.dateIn(x, min(se, x+60)); ok {
			return h.resolve(letter), e, true
		}
	}
	return letter, e, true
}

// spacedPrefix reports whether s starts with w, where each space in w
// stands for a run of spaces and line breaks in s, and how much of s it
// spans.
func spacedPrefix(s, w string) (int, bool) {
	i := 0
	for j := 0; j < len(w); j++ {
		if w[j] == ' ' {
			if i >= len(s) || s[i] != ' ' && s[i] != '\n' {
				return 0, false
			}
			for i < len(s) && (s[i] == ' ' || s[i] == '\n') {
				i++
			}
			continue
		}
		if i >= len(s) || s[i] != w[j] {
			return 0, false
		}
		i++
	}
	return i, true
}
