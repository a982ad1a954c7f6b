package triage

import (
	"strings"
	"unicode/utf8"

	"github.com/lebot-dev/lebot/legal"
)

// evidence quotes the words around sp (its sentence, cut to
// legal.EvidenceMaxQuote bytes at word boundaries, on one line) and names
// the part of the message they stand in.
func (d *doc) evidence(sp span, note string) legal.Evidence {
	if sp.start < 0 || sp.end > len(d.s) || sp.end < sp.start {
		return legal.Evidence{}
	}
	ss, se := d.sentenceAt(sp.start)
	if se < sp.end {
		se = sp.end
	}
	p := d.partAt(sp.start)
	ss, se = max(ss, p.start), min(se, p.end)
	// Within a sentence that runs over several lines, keep the lines that
	// run on into each other (a paragraph wrapped in a PDF), not a whole
	// heading block or form.
	la, lb := d.lineAt(sp.start), d.lineAt(max(sp.start, sp.end-1))
	for la > 0 && d.lines[la-1][1] > ss && wrapped(d.s, d.lines[la-1][1]) {
		la--
	}
	for lb+1 < len(d.lines) && d.lines[lb][1] < se && wrapped(d.s, d.lines[lb][1]) {
		lb++
	}
	ss, se = max(ss, d.lines[la][0]), min(se, d.lines[lb][1])
	const limit = legal.EvidenceMaxQuote
	a, b := ss, se
	if b-a > limit {
		if sp.end-sp.start >= limit {
			a, b = sp.start, sp.start+limit
		} else {
			room := limit - (sp.end - sp.start)
			a = max(ss, sp.start-room/2)
			b = min(se, a+limit)
			a = max(ss, b-limit)
		}
		a, b = wordStart(d.s, a, sp.start), wordEnd(d.s, b, sp.end)
	}
	q := strings.Join(strings.Fields(d.s[a:b]), " ")
	if len(q) > limit {
		q = q[:limit]
		for len(q) > 0 && !utf8.ValidString(q) {
			q = q[:len(q)-1]
		}
	}
	return legal.Evidence{Quote: q, Part: p.name, Note: note}
}

// blockEvidence quotes a contact block's name line and the line of the
// number read from it ("Mara J. Quill, Assistant United States Attorney
// … mquill@usdoj.gov | (999) 555-0101").
func (d *doc) blockEvidence(b contactBlock, at span) legal.Evidence {
	nameLine := d.lineAt(b.start)
	numLine := d.lineAt(at.start)
	if nameLine == numLine {
		return d.evidence(span{b.start, d.lines[numLine][1]}, "")
	}
	first := strings.TrimSpace(d.line(nameLine))
	second := strings.TrimSpace(d.line(numLine))
	q := first + " … " + second
	if len(q) > legal.EvidenceMaxQuote {
		return d.evidence(at, "")
	}
	return legal.Evidence{Quote: q, Part: d.partAt(at.start).name}
}

// wordStart moves a forward to the start of a word (not past limit).
func wordStart(s string, a, limit int) int {
	for a > 0 && a < limit && s[a-1] != ' ' && s[a-1] != '\n' {
		a++
	}
	return a
}

// wordEnd moves b back to the end of a word (not before limit).
func wordEnd(s string, b, limit int) int {
	for b < len(s) && b > limit && s[b] != ' ' && s[b] != '\n' {
		b--
	}
	return b
}

// kindsEvidence quotes where the first kind was read.
func kindsEvidence(d *doc, cl classification) legal.Evidence {
	if len(cl.kinds) == 0 {
		return legal.Evidence{}
	}
	return d.evidence(cl.kindAt[cl.kinds[0]], "")
}

// periodEvidence quotes the statement that gives the period's start and,
// when the letter states other ranges that the period joins or that
// differ, says so.
func periodEvidence(d *doc, r periodReading) legal.Evidence {
	if r.period == nil || len(r.used) == 0 {
		return legal.Evidence{}
	}
	main := r.used[0]
	for _, c := range r.used {
		if c.p.Start == r.period.Start {
			main = c
			break
		}
	}
	var others []string
	for _, c := range r.used {
		if c.p == main.p {
			continue
		}
		t := periodText(c.p)
		if !containsString(others, t) && len(others) < 2 {
			others = append(others, t)
		}
	}
	note := ""
	if len(others) > 0 {
		note = "the letter also gives " + strings.Join(others, " and ")
		if *r.period != main.p {
			note += "; the period read covers them all"
		}
	}
	return d.evidence(main.at, note)
}

func periodText(p legal.Period) string {
	if p.Start.IsZero() {
		return "from the account's opening to " + p.End.String()
	}
	return p.Start.String() + " to " + p.End.String()
}

// deadlineEvidence quotes the demand that sets the deadline and names any
// other date the letter demands.
func deadlineEvidence(d *doc, r deadlineReading) legal.Evidence {
	if r.deadline == nil {
		return legal.Evidence{}
	}
	var main *dateCand
	var others []string
	for i, c := range r.cands {
		if c.v == *r.deadline {
			if main == nil {
				main = &r.cands[i]
			}
			continue
		}
		if t := c.v.String(); !containsString(others, t) && len(others) < 2 {
			others = append(others, t)
		}
	}
	note := ""
	if len(others) > 0 {
		note = "the letter also mentions " + strings.Join(others, " and ") + "; the earliest is read"
	}
	return d.evidence(main.at, note)
}

// idsEvidence quotes where the first identifier is given.
func idsEvidence(d *doc, ids []idAt) legal.Evidence {
	return d.evidence(ids[0].at, "")
}

func containsString(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
