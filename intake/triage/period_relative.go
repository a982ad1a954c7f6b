package triage

import (
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// relativePeriods reads the periods counted from a date: look-backs ("the
// last 30 days", "the preceding six (6) months", "the last 48 hours"),
// spans before a date ("the 90 days preceding the date of this Order") and
// collection windows ("sixty (60) days commencing on the date of this
// Order", "forty-five (45) days commencing on December 1, 2026", "for
// sixty (60) days, through January 22, 2027", a window whose start is the
// activation date the cover gives).
func (d *doc) relativePeriods(letter legal.Date) []periodCand {
	var out []periodCand
	add := func(start, end legal.Date, at span) {
		if start.IsZero() || end.IsZero() || end.Before(start) || d.ignorable(at.start) || d.inNDOSentence(at.start) {
			return
		}
		out = append(out, periodCand{legal.Period{Start: start, End: end}, at})
	}
	for _, h := range d.hits[cueLookback] {
		n, unit := countUnit(d.lc[h.start:h.end])
		if n == 0 {
			// "for the past year", but not "signed it last week".
			lead := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(d.lc[max(0, h.start-16):h.start]), "the"))
			if !strings.HasSuffix(lead, "for") && !strings.HasSuffix(lead, "during") && !strings.HasSuffix(lead, "over") &&
				!strings.HasSuffix(lead, "covering") && !strings.HasSuffix(lead, "period") && !strings.HasSuffix(lead, "|") && !strings.HasSuffix(lead, ":") {
				continue
			}
			n = 1
		}
		if d.preservationLength(h) || d.followedByAnchor(h.end) {
			continue
		}
		if strings.HasPrefix(unit, "hour") {
			add(letter.AddDays(-((n + 23) / 24)), letter, h)
			continue
		}
		add(addSpan(letter, -n, unit), letter, h)
	}
	for _, h := range d.hits[cueSpanBefore] {
		n, unit := countUnit(d.lc[h.start:h.end])
		end, e, ok := d.anchorAfter(h.end, letter, true)
		if !ok || n == 0 {
			continue
		}
		add(addSpan(end, -n, unit), end, span{h.start, e})
	}
	for _, h := range d.hits[cueWindow] {
		if d.preservationLength(h) || strings.HasSuffix(strings.TrimSpace(d.lc[max(0, h.start-10):h.start]), "within") {
			continue
		}
		n, _ := countUnit(d.lc[h.start:h.end])
		if n == 0 {
			continue
		}
		tail := d.lc[h.end:min(len(d.lc), h.end+40)]
		from := strings.HasPrefix(strings.TrimSpace(tail), "from") || strings.HasSuffix(strings.TrimSpace(d.lc[h.start:h.end]), "from")
		start, e, ok := d.anchorAfter(h.end, letter, false)
		if !ok {
			// "for a period of sixty (60) days, commencing …" or a
			// window whose start is the activation the cover announces.
			if act, ok := d.activationDate(letter); ok && d.firstInterception(h.start) {
				add(act, act.AddDays(n-1), span{h.start, h.end})
			}
			if end, e2, ok := d.throughAfter(h.end); ok {
				add(letter, end, span{h.start, e2})
			}
			continue
		}
		end := start.AddDays(n - 1)
		if from {
			end = start.AddDays(n) // "N days from D" does not count D
		}
		// A date written out wins over arithmetic: "… through January 22, 2027".
		if written, e2, ok := d.throughAfter(e); ok {
			end, e = written, e2
		}
		add(start, end, span{h.start, e})
	}
	return out
}

// countUnit reads the count and unit of "sixty (60) days", "the last 30
// days", "one hundred eighty (180) days": digits win over words, and a
// run of number words is read together.
func countUnit(t string) (int, string) {
	f := strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == '-' || r == '\n' })
	n, unit := 0, ""
	var words []string
	for _, w := range f {
		switch {
		case strings.HasPrefix(w, "day"), strings.HasPrefix(w, "week"), strings.HasPrefix(w, "month"), strings.HasPrefix(w, "year"), strings.HasPrefix(w, "hour"):
			if unit == "" {
				unit = w
			}
		case allDigits(w):
			if v := parseNumber(w); v > 0 && (n == 0 || len(words) > 0) {
				n, words = v, nil
			}
		default:
			if _, ok := numberWords[w]; ok && n == 0 {
				words = append(words, w)
			}
		}
	}
	if n == 0 && len(words) > 0 {
		n = parseNumber(strings.Join(words, " "))
	}
	return n, unit
}

// preservationLength reports whether the count at h is a preservation's
// length ("preserve … for 90 days"), which is never the records' period.
func (d *doc) preservationLength(h span) bool {
	ss, se := d.sentenceAt(h.start)
	if d.has(cuePreserveLength, ss, se) {
		for _, x := range d.in(cuePreserveLength, ss, se) {
			if x.start <= h.start && h.end <= x.end+8 || x.start <= h.end && h.start <= x.end {
				return true
			}
		}
	}
	return d.has(cuePreserveVerb, ss, se) && !d.hasDateIn(ss, se)
}

func (d *doc) hasDateIn(start, end int) bool {
	_, ok := d.dateIn(start, end)
	return ok
}

// followedByAnchor: "the last 90 days preceding …" is read as a span before
// a date, not from the letter.
func (d *doc) followedByAnchor(i int) bool {
	t := strings.TrimSpace(d.lc[i:min(len(d.lc), i+16)])
	return strings.HasPrefix(t, "preceding") || strings.HasPrefix(t, "prior to") || strings.HasPrefix(t, "before")
}

// anchorAfter reads the date a count is counted from or to, right after
// offset i: a written date ("commencing on November 2, 2026"), the order's
// date ("preceding the date of this Order"), the letter's, or the present.
func (d *doc) anchorAfter(i int, letter legal.Date, backward bool) (legal.Date, int, bool) {
	lim := min(len(d.s), i+48)
	k := i
	for k < lim && (d.s[k] == ' ' || d.s[k] == ',' || d.s[k] == '\n') {
		k++
	}
	// Skip the connecting words: "commencing on", "beginning", "preceding", "from".
	words := []string{"commencing", "beginning", "starting", "effective", "from", "on", "the", "with", "of", ","}
	if backward {
		words = append(words, "preceding", "prior to", "before", "to")
	}
	for changed := true; changed; {
		changed = false
		for _, w := range words {
			if strings.HasPrefix(d.lc[k:], w) && (k+len(w) >= len(d.lc) || !isAlnum(d.lc[k+len(w)])) {
				k += len(w)
				for k < lim && (d.s[k] == ' ' || d.s[k] == '\n') {
					k++
				}
				changed = true
			}
		}
	}
	if h, ok := d.dateIn(k, min(len(d.s), k+40)); ok && h.start == k {
		return h.resolve(letter), h.end, true
	}
	if v, e, ok := d.installAnchor(k, letter); ok {
		return v, e, true
	}
	for _, c := range []cue{cueOrderDate, cueLetterDate, cuePresent} {
		for _, h := range d.in(c, max(i, k-4), min(len(d.s), k+30)) {
			if h.start > k+4 {
				continue
			}
			switch c {
			case cueOrderDate:
				return d.orderDate(h.start, letter), h.end, true
			case cueLetterDate:
				return d.letterDate(h.start, letter), h.end, true
			}
			return letter, h.end, true
		}
	}
	return legal.Date{}, i, false
}

// throughAfter reads ", through January 22, 2027" / "and ending January 16,
// 2027" shortly after offset i.
func (d *doc) throughAfter(i int) (legal.Date, int, bool) {
	t := d.lc[i:min(len(d.lc), i+90)]
	if k := strings.IndexAny(t, ".;"); k >= 0 {
		t = t[:k]
	}
	for _, w := range []string{"through", "until", "ending on", "ending", "to and including", "and ending"} {
		if k := strings.Index(t, w); k >= 0 {
			if h, ok := d.dateIn(i+k+len(w), i+len(t)+30); ok && h.start-(i+k+len(w)) < 24 {
				return h.resolve(legal.Date{}), h.end, h.date.Year != 0
			}
		}
	}
	return legal.Date{}, i, false
}

// firstInterception reports whether the window at i starts with the
// first interception ("begins on the earlier of the day on which agents
// first begin to conduct an interception …") or the letter says so.
func (d *doc) firstInterception(i int) bool {
	ss, se := d.sentenceAt(i)
	t := d.lc[ss:se]
	if strings.Contains(t, "earlier of") || strings.Contains(t, "first begin") || strings.Contains(t, "whichever is earlier") {
		return true
	}
	return strings.Contains(d.lc, "first begin")
}

// activationDate returns the date the sender says collection or
// interception starts ("We plan to activate the line on Monday, May 4").
func (d *doc) activationDate(letter legal.Date) (legal.Date, bool) {
	for _, h := range d.hits[cueActivation] {
		if d.ignorable(h.start) {
			continue
		}
		_, se := d.sentenceAt(h.start)
		if n, ok := d.dateIn(h.end, se); ok {
			return n.resolve(letter), true
		}
	}
	return legal.Date{}, false
}

// accountPeriods reads "from account creation to present": from the
// account's opening date when the letter states it, else open at the
// start ({null, end}).
func (d *doc) accountPeriods(letter legal.Date, _ bool) []periodCand {
	var out []periodCand
	for _, h := range d.hits[cueAccountStart] {
		if d.ignorable(h.start) {
			continue
		}
		if strings.HasPrefix(d.lc[h.start:h.end], "since") {
			out = append(out, periodCand{legal.Period{Start: d.accountOpened(letter), End: letter}, h})
			continue
		}
		t := strings.TrimSpace(d.lc[h.end:min(len(d.lc), h.end+16)])
		if !(strings.HasPrefix(t, "to") || strings.HasPrefix(t, "through") || strings.HasPrefix(t, "until") || strings.HasPrefix(t, "-")) {
			continue
		}
		end, e, ok := d.openEnd(h.end, letter)
		if !ok {
			if n, ok2 := d.dateIn(h.end, min(len(d.s), h.end+30)); ok2 {
				end, e, ok = n.resolve(letter), n.end, true
			}
		}
		if !ok {
			continue
		}
		out = append(out, periodCand{legal.Period{Start: d.accountOpened(letter), End: end}, span{h.start, e}})
	}
	return out
}

// accountOpened returns the account's opening date when the letter states
// it ("the account was opened on June 2, 2024"), else zero.
func (d *doc) accountOpened(letter legal.Date) legal.Date {
	for _, w := range []string{"opened", "created", "activated", "opening date", "account creation date", "date of activation"} {
		for _, e := range d.wordEnds(w) {
			if d.ignorable(e) {
				continue
			}
			_, se := d.sentenceAt(e)
			if h, ok := d.dateIn(e, min(se, e+30)); ok {
				return h.resolve(letter)
			}
		}
	}
	return legal.Date{}
}
