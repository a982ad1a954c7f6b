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
	ws := d.words
	word := func(k int) string {
		if k < 0 || k >= len(ws) {
			return ""
		}
		return d.lc[ws[k].start:ws[k].end]
	}
	for k := range ws {
		w := word(k)
		// One pass over the words, so the phrases cost no scan of their own.
		switch w {
		case "year", "cy":
			if w == "year" && word(k-1) == "calendar" && k >= 2 && !ws[k-1].brk {
				// "the 2025 calendar year"
				if y, ok := yearWord(word(k - 2)); ok && !ws[k-2].brk {
					out = d.addYear(out, letter, y, span{ws[k-2].start, ws[k].end})
					continue
				}
			}
			if w == "year" && word(k-1) != "calendar" && word(k-1) != "the" {
				continue
			}
			if y, ok := yearWord(word(k + 1)); ok && k+1 < len(ws) && !ws[k+1].brk {
				out = d.addYear(out, letter, y, span{ws[max(0, k-1)].start, ws[k+1].end})
			}
		case "today", "tonight", "yesterday", "morning", "afternoon", "evening", "night":
			back := 0
			switch w {
			case "yesterday":
				back = 1
			case "morning", "afternoon", "evening":
				if word(k-1) != "this" {
					continue
				}
			case "night":
				if word(k-1) != "last" {
					continue
				}
				back = 1
			}
			s := ws[k].start
			if w != "today" && w != "tonight" && w != "yesterday" {
				s = ws[k-1].start
			}
			if d.ignorable(s) || !d.startWordBefore(s) {
				continue
			}
			start := letter.AddDays(-back)
			end, at := letter, ws[k].end
			if v, e2, ok := d.openEnd(ws[k].end, letter); ok {
				end, at = v, e2
			}
			if !end.Before(start) {
				out = append(out, periodCand{legal.Period{Start: start, End: end}, span{max(0, s-24), at}})
			}
		default:
			if strings.HasPrefix(w, "cy") {
				if y, ok := yearWord(w[2:]); ok {
					out = d.addYear(out, letter, y, span{ws[k].start, ws[k].end})
				}
			}
		}
	}
	return out
}

// yearWord reads a four-digit year.
func yearWord(w string) (int, bool) {
	if len(w) != 4 || !allDigits(w) {
		return 0, false
	}
	y, _ := strconv.Atoi(w)
	return y, y >= 1990
}

// addYear adds the whole year y (up to the letter date for the current
// year) as a candidate read at at.
func (d *doc) addYear(out []periodCand, letter legal.Date, y int, at span) []periodCand {
	if y > letter.Year || d.ignorable(at.start) {
		return out
	}
	start := legal.Date{Year: y, Month: time.January, Day: 1}
	end := legal.Date{Year: y, Month: time.December, Day: 31}
	if end.After(letter) {
		end = letter // the year so far
	}
	return append(out, periodCand{legal.Period{Start: start, End: end}, at})
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
