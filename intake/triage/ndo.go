package triage

import (
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// ndoReading is the end of the non-disclosure obligation and its words.
type ndoReading struct {
	until *legal.Date
	at    span
}

// findNDOUntil returns the end date of the non-disclosure obligation.
func findNDOUntil(d *doc, letter legal.Date) *legal.Date { return readNDOUntil(d, letter).until }

// readNDOUntil reads the end of the non-disclosure obligation from the
// sentences that impose it: a date after "until" ("until May 31, 2027"),
// or a term counted from the order's date or the letter's ("for a period of
// one (1) year from the date of this Order", "for 180 days"); none when the
// order runs "until further order".
func readNDOUntil(d *doc, letter legal.Date) ndoReading {
	for _, sp := range ndoSentences(d) {
		t := d.lc[sp.start:sp.end]
		for _, h := range d.datesIn(sp.start, sp.end) {
			lead := strings.TrimSpace(d.lc[max(sp.start, h.start-24):h.start])
			for _, w := range []string{"until", "through", "ending on", "ending", "expires on", "expiring on", "expires", "to"} {
				if strings.HasSuffix(lead, w) {
					v := h.resolve(letter)
					return ndoReading{&v, span{max(sp.start, h.start-24), h.end}}
				}
			}
		}
		_ = t
		if n, unit, at, ok := d.term(sp); ok {
			base := letter
			if end, _, ok := d.anchorAfter(at.end, letter, false); ok && d.anchorIsOrder(at.end) {
				base = end
			}
			v := addSpan(base, n, unit)
			if d.countsFirstDay(at.end) {
				v = v.AddDays(-1) // "180 days commencing on D": D is day 1
			}
			return ndoReading{&v, at}
		}
	}
	return ndoReading{at: span{-1, -1}}
}

// term reads "for (a period of) N days|months|years" in the sentence sp.
func (d *doc) term(sp span) (int, string, span, bool) {
	t := d.lc[sp.start:sp.end]
	for i := 0; ; {
		k := strings.Index(t[i:], "for ")
		if k < 0 {
			return 0, "", span{}, false
		}
		a := i + k + 4
		i = a
		rest := t[a:min(len(t), a+80)]
		rest = strings.TrimPrefix(rest, "a period of ")
		rest = strings.TrimPrefix(rest, "a term of ")
		words := strings.Fields(rest)
		for j := range words {
			if j > 4 {
				break
			}
			w := strings.Trim(words[j], ",.()")
			if strings.HasPrefix(w, "day") || strings.HasPrefix(w, "month") || strings.HasPrefix(w, "year") {
				n, unit := countUnit(strings.Join(words[:j+1], " "))
				if n > 0 {
					end := sp.start + a + strings.Index(t[a:], words[j]) + len(words[j])
					return n, unit, span{sp.start + a - 4, min(end, sp.end)}, true
				}
			}
		}
	}
}

// countsFirstDay reports whether the term ending at i starts on its
// anchor ("commencing on", "beginning", "starting"), which counts the
// anchor as day one; "from" does not (FRCP 6(a)).
func (d *doc) countsFirstDay(i int) bool {
	t := strings.TrimLeft(d.lc[i:min(len(d.lc), i+24)], " ,\n")
	for _, w := range []string{"commencing", "beginning", "starting"} {
		if strings.HasPrefix(t, w) {
			return true
		}
	}
	return false
}
