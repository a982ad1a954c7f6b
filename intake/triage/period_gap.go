package triage

import (
	"strings"
)

// gapWords returns the words of a short gap between two dates, without
// times of day, zones and the filler words "at", "on" and "the".
func gapWords(gap string) []string {
	var out []string
	g := gapIter{s: gap}
	for w, ok := g.next(); ok; w, ok = g.next() {
		out = append(out, w)
	}
	return out
}

// gapIter walks, without allocating, the words gapWords keeps.
type gapIter struct {
	s        string
	i        int
	prevTime bool
}

func (g *gapIter) next() (string, bool) {
	for {
		for g.i < len(g.s) && asciiSpace(g.s[g.i]) {
			g.i++
		}
		if g.i >= len(g.s) {
			return "", false
		}
		st := g.i
		for g.i < len(g.s) && !asciiSpace(g.s[g.i]) {
			g.i++
		}
		w := strings.Trim(g.s[st:g.i], ",:")
		switch {
		case w == "":
			continue
		case strings.Contains(w, ":") && len(w) <= 6 && isDigitByte(w[0]):
			g.prevTime = true
			continue
		case w == "a.m." || w == "p.m." || w == "am" || w == "pm" || w == "hrs" || w == "hours" || w == "o'clock":
			continue
		case g.prevTime && len(w) >= 2 && len(w) <= 4 && (strings.HasSuffix(w, "st") || strings.HasSuffix(w, "dt") || w == "utc" || w == "gmt" || w == "et" || w == "pt" || w == "ct" || w == "mt"):
			continue
		case w == "at" || w == "on" || w == "the":
			continue
		}
		g.prevTime = false
		return w, true
	}
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// stripTimes removes times of day and zones from a short gap: "00:00 -"
// becomes "-", "at 11:59 p.m. on" becomes "".
func stripTimes(s string) string { return strings.Join(gapWords(s), " ") }

// betweenBefore reports whether "between" (or "from") stands just before
// offset i: "between 2026-09-01 and the present".
func (d *doc) betweenBefore(i int) bool {
	t := strings.TrimSpace(d.lc[max(0, i-12):i])
	return strings.HasSuffix(t, "between")
}

// openConnector returns the connecting words that open seg once times
// are set aside ("to and including", "through and including", "to",
// "through", "thru", "until", "-", "and"), when more words follow them;
// "" otherwise.
func openConnector(seg string) string {
	g := gapIter{s: seg}
	w1, ok1 := g.next()
	_, ok2 := g.next()
	if !ok1 || !ok2 {
		return ""
	}
	switch w1 {
	case "to", "through":
		g = gapIter{s: seg}
		g.next()
		if w2, _ := g.next(); w2 == "and" {
			if w3, ok3 := g.next(); ok3 && w3 == "including" {
				if _, ok4 := g.next(); ok4 {
					return w1 + " and including"
				}
			}
		}
		return w1
	case "thru", "until", "-", "and":
		return w1
	}
	return ""
}

// beginsBefore reports whether "beginning", "commencing" or "starting"
// stands just before the date at i ("beginning at 12:00 p.m. on").
func (d *doc) beginsBefore(i int) bool {
	switch lastGapWord(d.lc[max(0, i-40):i]) {
	case "begin", "beginning", "begins", "commence", "commencing", "commences", "start", "starting", "starts", "effective":
		return true
	}
	return false
}

// lastGapWord returns the last word of t that gapWords keeps (times of
// day, zones, "at", "on" and "the" skipped), without allocating: what
// stands before a date once its time is set aside.
func lastGapWord(t string) string {
	for e := len(t); e > 0; {
		for e > 0 && htmlSpace(t[e-1]) {
			e--
		}
		s := e
		for s > 0 && !htmlSpace(t[s-1]) {
			s--
		}
		if s == e {
			return ""
		}
		w := strings.Trim(t[s:e], ",:")
		e = s
		switch {
		case w == "":
			continue
		case strings.Contains(w, ":") && len(w) <= 6 && isDigitByte(w[0]):
			continue
		case w == "a.m." || w == "p.m." || w == "am" || w == "pm" || w == "hrs" || w == "hours" || w == "o'clock":
			continue
		case w == "at" || w == "on" || w == "the":
			continue
		case len(w) >= 2 && len(w) <= 4 && (strings.HasSuffix(w, "st") || strings.HasSuffix(w, "dt") || w == "utc" || w == "gmt" || w == "et" || w == "pt" || w == "ct" || w == "mt"):
			// A zone, when a time stands before it.
			if p := lastField(t[:s]); strings.Contains(p, ":") || p == "a.m." || p == "p.m." || p == "am" || p == "pm" {
				continue
			}
		}
		return w
	}
	return ""
}

// lastField returns the last space-separated field of t.
func lastField(t string) string {
	e := len(t)
	for e > 0 && htmlSpace(t[e-1]) {
		e--
	}
	s := e
	for s > 0 && !htmlSpace(t[s-1]) {
		s--
	}
	return strings.Trim(t[s:e], ",:")
}
