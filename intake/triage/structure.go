package triage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A careful reader sees a letter's structure before its sentences: the
// headed sections ("RECORDS REQUESTED", "TIME PERIOD", "TARGET ACCOUNT",
// "Attachment A"), the "Label: value" lines and table rows of a form, the
// signature blocks, and the boxes left unchecked or the placeholders left
// unfilled, which say nothing. readStructure marks them once per doc.

// secKind is what a section of a letter is about, read from its heading.
type secKind uint8

const (
	secNone secKind = iota
	secTarget
	secRecords
	secPreserve // the records to be preserved
	secPeriod
	secDanger
	secUrgency
	secContact // the requesting officer
	secOther   // a heading about something else (confidentiality, instructions)
)

// lineKind is what a line of the text is.
type lineKind struct {
	blank, rule, heading bool
	// label is the lower-cased label of a "Label: value" or "Label |
	// value" line ("" when none); value is where its value starts.
	label string
	value int
	// cells are the cells of a table row ("a | b | c").
	cells []span
	sec   secKind // the section the line stands in
	head  int     // the line index of that section's heading (-1: none)
	// unchecked: the line is a form's unchecked box ("[ ] Stored content").
	unchecked bool
}

func (d *doc) readStructure() {
	d.lineInfo = linePool.get(len(d.lines))[:len(d.lines)]
	for i, ln := range d.lines {
		d.lineInfo[i] = d.classifyLine(ln[0], ln[1])
	}
	for i := range d.lineInfo {
		if !d.lineInfo[i].heading && d.shortHeading(i) && signatureName(d.line(i)) == "" {
			d.lineInfo[i].heading = true
		}
	}
	d.markSections()
	d.findBlocks()
	d.findMasks()
}

// line returns the text of line i.
func (d *doc) line(i int) string { return d.s[d.lines[i][0]:d.lines[i][1]] }

func (d *doc) classifyLine(start, end int) lineKind {
	k := lineKind{head: -1, value: -1}
	t := strings.TrimSpace(d.s[start:end])
	if t == "" {
		k.blank = true
		return k
	}
	if strings.Trim(t, "-=_+*~#|. ") == "" {
		k.rule = true
		return k
	}
	lo := start + strings.Index(d.s[start:end], t)
	lt := d.lc[lo : lo+len(t)] // ASCII lower case, as d.lc
	if strings.HasPrefix(t, "[ ]") || strings.HasPrefix(t, "[  ]") || strings.HasPrefix(t, "☐") ||
		strings.HasPrefix(t, "□") || strings.HasPrefix(t, "( )") {
		k.unchecked = true
	}
	// Table rows: cells between "|".
	if strings.Contains(t, "|") {
		off := start + strings.Index(d.s[start:end], t)
		cells := splitCells(d.s, off, off+len(t))
		if len(cells) >= 2 {
			k.cells = cells
			first := strings.TrimSpace(d.s[cells[0].start:cells[0].end])
			if isLabel(first) {
				k.label = strings.ToLower(first)
				k.value = cells[1].start
			}
		}
	}
	if k.label == "" {
		if c := strings.IndexByte(t, ':'); c > 0 && isLabel(t[:c]) && !(c+1 < len(t) && isDigitByte(t[c+1])) {
			k.label = strings.ToLower(strings.TrimSpace(t[:c]))
			off := start + strings.Index(d.s[start:end], t)
			k.value = off + c + 1
		}
	}
	k.heading = isHeading(t, lt, k.label)
	return k
}

// shortHeading reports whether line i is a heading written as a short line
// standing alone between blank lines ("Nature of the emergency",
// "Information requested").
func (d *doc) shortHeading(i int) bool {
	li := d.lineInfo[i]
	if li.blank || li.label != "" || len(li.cells) > 0 {
		return false
	}
	t := strings.TrimSpace(d.line(i))
	if len(t) > 100 || t == "" || strings.ContainsAny(t[len(t)-1:], ".,;!?") {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(t); !unicode.IsUpper(r) || countFields(t) > 14 || listItem(t) {
		return false
	}
	prevBlank := i == 0 || d.lineInfo[i-1].blank || d.lines[i][0] == d.partAt(d.lines[i][0]).start
	nextBlank := i+1 >= len(d.lines) || d.lineInfo[i+1].blank
	return prevBlank && nextBlank
}

// countFields counts the space-separated words of t without allocating.
func countFields(t string) int {
	n := 0
	in := false
	for i := 0; i < len(t); i++ {
		sp := t[i] == ' ' || t[i] == '\t' || t[i] == '\n'
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// splitCells returns the cells of a table row, without the empty ones an
// outer "| a | b |" border leaves.
func splitCells(s string, start, end int) []span {
	var out []span
	from := start
	for i := start; i <= end; i++ {
		if i == end || s[i] == '|' {
			a, b := from, i
			for a < b && s[a] == ' ' {
				a++
			}
			for b > a && s[b-1] == ' ' {
				b--
			}
			if !(a == b && (from == start || i == end)) {
				out = append(out, span{a, b})
			}
			from = i + 1
		}
	}
	return out
}

// isLabel reports whether s reads as a form label: a few words, starting
// with a letter, no sentence in it.
func isLabel(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 60 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(r) && r != '#' {
		return false
	}
	w := strings.Fields(s)
	return len(w) <= 7 && !strings.ContainsAny(s, ".;!?") || len(w) <= 3
}

// isHeading reports whether the line t is a heading: an all-capitals line
// ("RECORDS REQUESTED", "ATTACHMENT A"), a short line ending in a colon with
// nothing after it ("Records to be preserved:"), or a numbered heading
// ("II. Records and Other Information to Be Disclosed").
func isHeading(t, lt, label string) bool {
	if len(t) > 140 {
		return false
	}
	core := stripParens(t)
	core = strings.TrimLeft(core, "0123456789.) ")
	if strings.HasSuffix(core, ":") && fieldCount(core) <= 14 {
		return true
	}
	letters, upper := 0, 0
	for _, r := range core {
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				break // not all capitals: the count no longer matters
			}
			upper++
		}
	}
	if letters >= 4 && upper == letters && fieldCount(core) <= 16 && label == "" {
		return true
	}
	if label != "" {
		return false
	}
	// "I. The Account", "A. Records", "Attachment B", "Schedule A".
	if strings.HasSuffix(t, ".") || strings.HasSuffix(t, ",") {
		return false
	}
	a, b := nextField(t, 0, nil)
	w0 := t[a:b]
	first := strings.TrimSuffix(w0, ".")
	if !(isRoman(first) && strings.HasSuffix(w0, ".")) {
		if !anyWordFold(first, "attachment", "schedule", "exhibit", "rider", "section") {
			return false
		}
	}
	n := fieldCount(t)
	return n >= 2 && n <= 10
}

func isRoman(s string) bool {
	if s == "" || len(s) > 4 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("IVX", c) {
			return false
		}
	}
	return true
}

func stripParens(s string) string {
	if strings.IndexByte(s, '(') < 0 {
		return strings.TrimSpace(s) // nothing to strip: no copy
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// headingKind reads what a heading (or a "the following …:" intro) is
// about. A document's title ("EMERGENCY DISCLOSURE REQUEST", "ORDER",
// "SUBPOENA DUCES TECUM") heads no section.
func headingKind(h string) secKind {
	h = strings.ToLower(h)
	has := func(ws ...string) bool {
		for _, w := range ws {
			if strings.Contains(h, w) {
				return true
			}
		}
		return false
	}
	word := func(ws ...string) bool {
		for _, w := range ws {
			for i := 0; ; {
				j := strings.Index(h[i:], w)
				if j < 0 {
					break
				}
				a := i + j
				if wordBoundary(h, a) && wordBoundary(h, a+len(w)) {
					return true
				}
				i = a + 1
			}
		}
		return false
	}
	switch {
	case has("preserv") && !word("request", "letter"):
		return secPreserve
	case has("to be searched", "target", "identifier", "account(s)", "accounts", "account:", "the account", "facilit", "telephone number", "phone number", "number / account", "number(s)", "numbers and accounts") ||
		strings.HasSuffix(strings.TrimSpace(h), "number:") || strings.HasSuffix(strings.TrimSpace(h), "numbers:"):
		if has("records", "information to be", "to be disclosed", "to be produced", "requested", "to be seized") && !has("target account") {
			return secRecords
		}
		return secTarget
	case word("request", "order", "subpoena", "warrant", "summons", "application", "matter", "affidavit", "certification", "notice"):
		return secOther
	case has("time period", "date range", "period", "dates"):
		return secPeriod
	case has("nature of", "describe the emergency", "danger", "emergency"):
		return secDanger
	case has("how ", "why ", "help", "cannot wait", "can't wait"):
		return secUrgency
	case has("requesting officer", "requesting agent", "contact", "officer", "affiant", "submitted by", "requested by"):
		return secContact
	case has("record", "information", "data", "seize", "disclose", "produce", "requested", "following"):
		return secRecords
	case has("account"):
		return secTarget
	}
	return secOther
}

// markSections gives every line the section it stands in. An all-capitals
// or numbered heading ("ATTACHMENT B", "II. Records …") runs to the next
// heading of its part; a list heading or intro ending in a colon
// ("Accounts:", "… the following identifiers:") runs to the next blank
// line after its first item.
func (d *doc) markSections() {
	cur, curHead := secNone, -1
	listOnly := false
	seenItem := false
	partEnd := -1
	for i := range d.lineInfo {
		li := &d.lineInfo[i]
		if d.lines[i][0] >= partEnd {
			p := d.partAt(d.lines[i][0])
			partEnd = p.end
			cur, curHead, listOnly, seenItem = secNone, -1, false, false
		}
		t := strings.TrimSpace(d.line(i))
		switch {
		case li.heading:
			cur, curHead = headingKind(t), i
			listOnly = strings.HasSuffix(strings.TrimSpace(stripParens(t)), ":") && !isAllCaps(t)
			seenItem = false
			li.sec, li.head = cur, curHead
			continue
		case li.blank:
			if listOnly && seenItem {
				cur, curHead, listOnly = secNone, -1, false
			}
		case strings.HasSuffix(t, ":") && len(t) < 600:
			// "… associated with the following identifiers:" introduces a
			// list of its own.
			cur, curHead, listOnly, seenItem = headingKind(lastWords(t, 12)), i, true, false
			li.sec, li.head = cur, curHead
			continue
		default:
			seenItem = true
		}
		li.sec, li.head = cur, curHead
	}
}

func isAllCaps(t string) bool {
	letters, upper := 0, 0
	for _, r := range stripParens(t) {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 4 && upper == letters
}

// lastWords returns the last n words of t.
func lastWords(t string, n int) string {
	w := strings.Fields(t)
	if len(w) > n {
		w = w[len(w)-n:]
	}
	return strings.Join(w, " ")
}

// secAt returns the section of the line holding offset i.
func (d *doc) secAt(i int) secKind {
	if len(d.lineInfo) == 0 {
		return secNone
	}
	return d.lineInfo[d.lineAt(i)].sec
}
