package triage

import (
	"strings"
)

// phoneLabel returns the words labelling number i: those before it back
// to the nearest separator (a line break, "|", "·", "•", ";", the number
// before), from its last comma on; and a short label after it ("(desk)",
// "office", "(24 hours)") when no other number follows before the next
// separator.
func (d *doc) phoneLabel(i int) (before, after span) {
	h := d.phoneHit[i]
	s := d.s
	lo := h.start
	floor := 0
	if i > 0 {
		floor = d.phoneHit[i-1].end
	}
	for lo > floor && lo > h.start-100 && !sepEndsAt(s, lo) {
		lo--
	}
	seg := s[lo:h.start]
	if c := strings.LastIndex(strings.TrimRight(seg, " ,"), ","); c >= 0 {
		if rest := strings.TrimSpace(seg[c+1:]); rest != "" {
			lo += c + 1
		}
	}
	// A number that starts a wrapped line continues the line before
	// ("… ACME TELEPHONE NUMBER\n(999) 555-0111").
	if lo > 0 && s[lo-1] == '\n' && strings.TrimSpace(s[lo:h.start]) == "" && wrapsInto(s, lo-1) {
		lo = max(floor, lo-48)
	}
	before = span{lo, h.start}
	// A number that fills a table cell is labelled by the cell beside it
	// ("+1 999 555 0112 | Telephone number").
	if li := d.lineInfo[d.lineAt(h.start)]; len(li.cells) >= 2 {
		for c, cell := range li.cells {
			if cell.start <= h.start && h.end <= cell.end && strings.TrimSpace(d.s[cell.start:h.start]) == "" && strings.TrimSpace(d.s[h.end:cell.end]) == "" {
				if c+1 < len(li.cells) && c == 0 {
					return span{h.start, h.start}, li.cells[c+1]
				}
			}
		}
	}
	hi := h.end
	ceil := len(s)
	if i+1 < len(d.phoneHit) {
		ceil = d.phoneHit[i+1].start
	}
	for hi < ceil && hi < h.end+40 && !sepStartsAt(s, hi) && s[hi] != ',' {
		hi++
	}
	if hi < ceil || hi == len(s) || sepStartsAt(s, hi) {
		if t := strings.TrimSpace(s[h.end:hi]); len(strings.Fields(t)) <= 3 {
			after = span{h.end, hi}
		}
	}
	return before, after
}

// wrapsInto reports whether the line ending at the line break nl runs on
// into the next: not blank, not ended by punctuation, in capitals or long.
func wrapsInto(s string, nl int) bool {
	ls := strings.LastIndexByte(s[:nl], '\n') + 1
	line := strings.TrimSpace(s[ls:nl])
	if line == "" || strings.ContainsAny(line[len(line)-1:], ".:;|!?,") {
		return false
	}
	return len(line) >= 60 || isAllCaps(line)
}

// sepStartsAt and sepEndsAt report whether a separator between the
// fields of a signature or form line starts at i / ends at i: a line
// break, "|", ";", "·" or "•".
func sepStartsAt(s string, i int) bool {
	switch s[i] {
	case '\n', '|', ';':
		return true
	}
	return strings.HasPrefix(s[i:], "·") || strings.HasPrefix(s[i:], "•")
}

func sepEndsAt(s string, i int) bool {
	if i <= 0 {
		return true
	}
	switch s[i-1] {
	case '\n', '|', ';':
		return true
	}
	return strings.HasSuffix(s[:i], "·") || strings.HasSuffix(s[:i], "•")
}

// labelOf reads what the label words say a number is: the cue nearest
// the number wins ("Supervisor phone", "Agency main line", "Acme
// telephone number"), and when only generic words label it, "number"
// makes it a target and "phone" or "telephone" someone's desk. A label
// after the number ("(999) 555-0113 office") names it more closely than a
// form's field before it.
func (d *doc) labelOf(before, after span) labelClass {
	if c := d.labelIn(after); c != lblNone && c != lblTarget {
		if b := d.labelIn(before); b == lblNone || b == lblDesk || b == lblTarget || b == lblMobile {
			return c
		}
	}
	if c := d.labelIn(before); c != lblNone {
		return c
	}
	return d.labelIn(after)
}

// labelClasses are the label cues, in order of precedence on a tie.
var labelClasses = []struct {
	c   cue
	lbl labelClass
}{
	{cueNonTargetPerson, lblNonTarget}, {cueOtherPerson, lblOther}, {cueAgencyLine, lblAgency}, {cueFax, lblFax},
	{cueMobile, lblMobile}, {cueTargetLabel, lblTarget}, {cueDesk, lblDesk},
}

func (d *doc) labelIn(sp span) labelClass {
	if sp.end <= sp.start {
		return lblNone
	}
	lo := sp.start
	// Only the last few words before the number label it.
	if k := d.wordAt(sp.end) - 7; k > 0 && k < len(d.words) && d.words[k].start > lo {
		lo = d.words[k].start
	}
	// "O: 999-555-0114", "C: 999-555-0115": one letter and a colon.
	if t := strings.TrimSpace(d.lc[lo:sp.end]); len(t) >= 2 && t[len(t)-1] == ':' {
		w := strings.TrimSpace(t[:len(t)-1])
		if i := strings.LastIndexAny(w, " |,"); i >= 0 {
			w = w[i+1:]
		}
		switch w {
		case "o", "t", "d", "w", "p":
			return lblDesk
		case "c", "m":
			return lblMobile
		case "f":
			return lblFax
		}
	}
	best, bestEnd := lblNone, -1
	for _, lc := range labelClasses {
		if x := d.lastSpan(lc.c, lo, sp.end); x.start >= 0 && x.end > bestEnd {
			if lc.c == cueOtherPerson && d.agentNamedIn(x.start, min(len(d.s), x.end+60)) {
				continue // "AUSA Mara J. Quill at": the agent herself
			}
			if lc.c == cueNonTargetPerson && d.hasAny(x.end, sp.end, "from", "using", "on", "over", "via") {
				continue // "called his brother from (999) 555-0116": the caller's number
			}
			best, bestEnd = lc.lbl, x.end
		}
	}
	for _, e := range d.providerEnds() {
		if e > lo && e <= sp.end && e > bestEnd {
			best, bestEnd = lblTarget, e
		}
	}
	if best != lblNone {
		return best
	}
	switch {
	case d.hasAny(lo, sp.end, "number", "numbers", "line", "no", "nos"):
		return lblTarget
	case d.hasAny(lo, sp.end, "phone", "telephone", "tel", "ph", "contact", "callback"):
		return lblDesk
	}
	return lblNone
}

// cellRecords reports whether "cell" ending at i names records ("cell
// site", "cell-site", "cell tower", "cellular location"), not a cell
// phone.
func (d *doc) cellRecords(i int) bool {
	t := strings.TrimLeft(d.lc[i:min(len(d.lc), i+16)], " -\n")
	for _, w := range []string{"site", "tower", "location", "sector", "data"} {
		if strings.HasPrefix(t, w) {
			return true
		}
	}
	return false
}

// providerEnds returns, once per doc, where the provider's name stands as
// a word ("Acme number").
func (d *doc) providerEnds() []int {
	if d.provEnds == nil {
		d.provEnds = []int{}
		if d.provider != "" {
			d.provEnds = append(d.provEnds, d.wordEnds(d.provider)...)
		}
	}
	return d.provEnds
}

// hasAny reports whether one of the words or phrases ws stands in [start, end).
func (d *doc) hasAny(start, end int, ws ...string) bool {
	text := d.lc[start:end]
	for _, w := range ws {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			a := i + j
			if wordBoundary(text, a) && wordBoundary(text, a+len(w)) {
				return true
			}
			i = a + 1
		}
	}
	return false
}
