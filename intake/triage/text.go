package triage

import (
	"bytes"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// doc is the text of a message prepared for reading: the sender's own text
// (the cover note), the earlier messages quoted or forwarded below it, the
// attachments' text and the subject, each normalized (one kind of dash,
// space and quote; no quoting marks) and joined into one string whose
// parts, lines, sentences and words are indexed once. Everything the
// reader finds (cue phrases, dates, telephone numbers) is found in one pass
// over it and kept here.
type doc struct {
	s         string // the text
	lc        string // s with ASCII letters lower-cased, same offsets
	parts     []part
	lines     [][2]int
	sentences [][2]int
	words     []word
	truncated bool // the text was longer than MaxExtractText

	hits     [][]span  // per cue class (see cues.go), in text order
	dateList []dateHit // every date expression, in text order
	phoneHit []phoneHit
	provider string // the recipient's own name ("acme"), lower case
	// region is the sender's country for numbers and dates written the
	// national way ("020 7000 0000", "31/10/2026"): "GB", "AU"; "" for
	// North America.
	region string

	lineInfo []lineKind // per line (structure.go)
	blocks   []contactBlock
	masked   []span // text that says nothing: unchecked boxes, placeholders

	roles      []roledPhone // phoneRoles' result
	provEnds   []int        // providerEnds' result
	orderDates []dateHit    // the dates orders bear (orderDate)
	agentLast  string       // the agent's surname, once known
}

// part is a stretch of the text from one source.
type part struct {
	start, end int
	// name is "body" (the sender's own text), "quoted" (an earlier
	// message below it), "pdf:NAME", "attachment:NAME" or "subject".
	name string
	// from is, for a quoted message, its sender's address (lower case).
	from string
	// provider: a quoted message the provider itself wrote (the
	// recipient's own earlier reply); its numbers and words are not the
	// request.
	provider bool
}

type span struct{ start, end int }

// word is one word of the text: a run of letters, digits and inner
// apostrophes. brk marks a boundary (sentence, line, table cell, colon)
// between the word before and this one: cue phrases do not run across it.
type word struct {
	start, end int
	brk        bool
}

// MaxExtractText bounds the text Extract reads (body first, then
// attachments). Requests put their particulars in the first pages; a
// longer text is cut, and the request is flagged for a person to read.
const MaxExtractText = 128 << 10

// newDoc builds the doc of m.
func newDoc(m *Message) *doc {
	d := &doc{provider: providerName(m), region: senderRegion(m.From.Domain())}
	var b strings.Builder
	b.Grow(docSize(m))
	norm := normBufs.Get().(*[]byte)
	defer func() {
		if cap(*norm) <= 1<<20 { // a large attachment's is not kept
			normBufs.Put(norm)
		}
	}()
	add := func(text, name, from string, provider bool) {
		*norm = appendNormalized((*norm)[:0], text)
		s := *norm
		if len(s) == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		if room := MaxExtractText - b.Len(); len(s) > room {
			s, d.truncated = s[:max(0, room)], true
		}
		start := b.Len()
		b.Write(s)
		d.parts = append(d.parts, part{start: start, end: b.Len(), name: name, from: from, provider: provider})
	}
	for _, seg := range splitQuoted(m.Body) {
		name := "body"
		if seg.quoted {
			name = "quoted"
		}
		add(seg.text, name, seg.from, seg.quoted && d.isProvider(seg.from))
	}
	for _, a := range m.Attachments {
		if a.Text == "" {
			continue
		}
		name := "attachment:" + a.Filename
		if strings.EqualFold(a.ContentType, "application/pdf") || strings.HasSuffix(strings.ToLower(a.Filename), ".pdf") {
			name = "pdf:" + a.Filename
		}
		from := ""
		if strings.HasPrefix(a.ContentType, "message/") {
			// An attached message (a bounce returns one): who wrote it
			// decides whether it is the sender's or the provider's own.
			name = "quoted"
			from = quotedSender(strings.Split(a.Text, "\n"))
		}
		add(a.Text, name, from, from != "" && d.isProvider(from))
	}
	if subj := normalizeText(m.Subject); subj != "" {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		start := b.Len()
		b.WriteString(strings.ReplaceAll(subj, "\n", " "))
		d.parts = append(d.parts, part{start: start, end: b.Len(), name: "subject"})
	}
	b.WriteString("\n")
	d.s = b.String()
	if !utf8.ValidString(d.s) {
		// Cutting at MaxExtractText can split a rune; offsets are kept by
		// replacing bytes one for one.
		d.s = validUTF8SameLength(d.s)
	}
	d.lc = lowerASCII(d.s)
	d.lines = splitLines(d.s)
	d.sentences = splitSentences(d.s)
	d.words = splitWords(d)
	d.hits = scanCues(d)
	d.dateList = findDates(d)
	d.phoneHit = findPhonesIn(d.s, maxPhones, d.region)
	d.readStructure()
	return d
}

// normBufs holds newDoc's buffers for normalized parts.
var normBufs = sync.Pool{New: func() any { return new([]byte) }}

// docSize is about the size of m's text in a doc, so the text is built
// in one buffer, not grown and copied as each part is added.
func docSize(m *Message) int {
	n := len(m.Body) + len(m.Subject) + 8
	for _, a := range m.Attachments {
		n += len(a.Text) + 2
	}
	return min(n, MaxExtractText+len(m.Subject)+8)
}

// release hands the doc's word, line and sentence slices back for the
// next reading; d must not be used after.
func (d *doc) release() {
	wordPool.put(d.words)
	pairPool.put(d.lines)
	pairPool.put(d.sentences)
	clear(d.lineInfo) // its labels and cells point into this text
	linePool.put(d.lineInfo)
	d.words, d.lines, d.sentences, d.lineInfo = nil, nil, nil, nil
}

// validUTF8SameLength replaces each byte of an invalid sequence with '?'.
func validUTF8SameLength(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			b[i] = '?'
			i++
			continue
		}
		i += n
	}
	return string(b)
}

// providerName is the provider's own name as mail is addressed to it: the
// first label of the registrable domain of the first recipient
// ("legal@acme.example" and "le@legal.acme.com" give "acme"). The reader uses it to tell "an Acme number" (the
// provider's) from "a Verizon number" and the provider's own quoted replies
// from the sender's words.
func providerName(m *Message) string {
	for _, t := range m.To {
		at := strings.LastIndexByte(t, '@')
		if at < 0 {
			continue
		}
		dom := strings.ToLower(strings.Trim(t[at+1:], "<> "))
		if reg, err := publicsuffix.EffectiveTLDPlusOne(dom); err == nil {
			dom = reg // "legal.acme.com" is Acme's
		}
		if label, _, _ := strings.Cut(dom, "."); len(label) >= 3 {
			return label
		}
	}
	return ""
}

// senderRegion returns the country a sender's domain belongs to when it
// is outside North America ("constabulary.police.uk" gives "GB",
// "police.gov.au" "AU"), else "".
func senderRegion(domain string) string {
	i := strings.LastIndexByte(domain, '.')
	tld := strings.ToUpper(domain[i+1:])
	switch {
	case len(tld) != 2, tld == "US", tld == "CA":
		return ""
	case tld == "UK":
		return "GB"
	}
	return tld
}

// isProvider reports whether addr is at the provider's own domain.
func (d *doc) isProvider(addr string) bool {
	at := strings.LastIndexByte(addr, '@')
	if d.provider == "" || at < 0 {
		return false
	}
	dom := strings.ToLower(addr[at+1:])
	return dom == d.provider || strings.HasPrefix(dom, d.provider+".") || strings.Contains(dom, "."+d.provider+".")
}

var textReplacer = strings.NewReplacer(
	"\u00a0", " ", "\u2007", " ", "\u202f", " ", "\u2009", " ", "\t", "   ",
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u2212", "-",
	"\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`, "\u00ad", "", "\u200b", "", "\ufeff", "",
	"\r", "",
)

// normalizeText unifies dashes, spaces and quotes, strips e-mail quoting
// ("> ") and collapses runs of spaces, keeping line breaks.
func normalizeText(s string) string {
	return string(appendNormalized(nil, s))
}

// appendNormalized appends normalizeText(s) to dst: newDoc normalizes
// every part into one reused buffer, not a string apiece.
func appendNormalized(dst []byte, s string) []byte {
	if needsReplace(s) {
		s = textReplacer.Replace(s)
	}
	start := len(dst)
	for i := 0; i <= len(s); {
		e := strings.IndexByte(s[i:], '\n')
		if e < 0 {
			e = len(s) - i
		}
		l := strings.TrimSpace(s[i : i+e])
		for strings.HasPrefix(l, ">") {
			l = strings.TrimSpace(l[1:])
		}
		if i > 0 {
			dst = append(dst, '\n')
		}
		if singleSpaced(l) {
			// Nothing to collapse (most lines): the line as it is.
			dst = append(dst, l...)
			i += e + 1
			continue
		}
		// Runs of spaces collapse to one; a run of three or more inside
		// a line lays out columns, and becomes a cell separator.
		spaces := 0
		for k := 0; k < len(l); {
			if c := l[k]; c == ' ' || c == '\t' || c == '\v' || c == '\f' {
				spaces++
				k++
				continue
			}
			switch {
			case spaces >= 3 && l[k] != '|' && !bytes.HasSuffix(dst[start:], []byte("|")):
				dst = append(dst, " | "...)
			case spaces > 0:
				dst = append(dst, ' ')
			}
			spaces = 0
			// Copy the run up to the next space in one append.
			e := k + 1
			for e < len(l) && l[e] != ' ' && l[e] != '\t' && l[e] != '\v' && l[e] != '\f' {
				e++
			}
			dst = append(dst, l[k:e]...)
			k = e
		}
		i += e + 1
	}
	// Trimmed as strings.TrimSpace trims, in place.
	t := bytes.TrimSpace(dst[start:])
	n := copy(dst[start:], t)
	return dst[:start+n]
}

// singleSpaced reports whether l has no tab, vertical tab or form feed
// and no two spaces in a row.
func singleSpaced(l string) bool {
	for k := 0; k < len(l); k++ {
		switch l[k] {
		case '\t', '\v', '\f':
			return false
		case ' ':
			if k+1 < len(l) && l[k+1] == ' ' {
				return false
			}
		}
	}
	return true
}

// needsReplace reports whether s holds a byte textReplacer changes: a tab,
// a carriage return or any non-ASCII byte.
func needsReplace(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == '\t' || c == '\r' {
			return true
		}
	}
	return false
}

// partAt returns the part holding offset i.
func (d *doc) partAt(i int) part {
	k := sort.Search(len(d.parts), func(k int) bool { return d.parts[k].end > i })
	if k < len(d.parts) && d.parts[k].start <= i {
		return d.parts[k]
	}
	return part{start: i, end: i, name: "body"}
}
