package triage

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
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
	provider string // the recipient's own name ("voxline"), lower case
	// region is the sender's country for numbers and dates written the
	// national way ("020 7946 0118", "31/10/2026"): "GB", "AU"; "" for
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
	add := func(s, name, from string, provider bool) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		if room := MaxExtractText - b.Len(); len(s) > room {
			s, d.truncated = s[:max(0, room)], true
		}
		start := b.Len()
		b.WriteString(s)
		d.parts = append(d.parts, part{start: start, end: b.Len(), name: name, from: from, provider: provider})
	}
	for _, seg := range splitQuoted(m.Body) {
		name := "body"
		if seg.quoted {
			name = "quoted"
		}
		add(normalizeText(seg.text), name, seg.from, seg.quoted && d.isProvider(seg.from))
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
		add(normalizeText(a.Text), name, from, from != "" && d.isProvider(from))
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
// ("legal@voxline.example" and "le@legal.voxline.com" give "voxline"). The reader uses it to tell "a Voxline number" (the
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
			dom = reg // "legal.voxline.com" is Voxline's
		}
		if label, _, _ := strings.Cut(dom, "."); len(label) >= 3 {
			return label
		}
	}
	return ""
}

// senderRegion returns the country a sender's domain belongs to when it
// is outside North America ("met.police.uk" gives "GB", "afp.gov.au"
// "AU"), else "".
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
	if needsReplace(s) {
		s = textReplacer.Replace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
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
			b.WriteByte('\n')
		}
		// Runs of spaces collapse to one; a run of three or more inside
		// a line lays out columns, and becomes a cell separator.
		spaces := 0
		for k := 0; k < len(l); k++ {
			if c := l[k]; c == ' ' || c == '\t' || c == '\v' || c == '\f' {
				spaces++
				continue
			}
			switch {
			case spaces >= 3 && l[k] != '|' && !strings.HasSuffix(b.String(), "|"):
				b.WriteString(" | ")
			case spaces > 0:
				b.WriteByte(' ')
			}
			spaces = 0
			b.WriteByte(l[k])
		}
		i += e + 1
	}
	return strings.TrimSpace(b.String())
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

// segment is a stretch of a body: the sender's own text or a quoted
// earlier message.
type segment struct {
	text   string
	quoted bool
	from   string // the quoted message's sender, lower case; "" when unknown
}

var (
	// quoteFromRe: the first line of an Outlook-style quoted header
	// written without a separator line ("From: Name <addr>").
	quoteFromRe = regexp.MustCompile(`^(?i)from\s*:\s*\S`)
	quoteHdrRe  = regexp.MustCompile(`^(?i)(?:sent|date|to|subject|cc)\s*:`)
	// wroteRe: "On Mon, 3 Aug 2026 at 17:02, Name <addr> wrote:".
	wroteRe = regexp.MustCompile(`^(?i)on\s.{6,200}\swrote:$`)
)

// splitQuoted cuts a body into the sender's own text and the earlier
// messages quoted or forwarded below it: a separator line ("-----Original
// Message-----", "---------- Forwarded message ---------"), a quoted header
// block ("From: … / Sent: … / To: …"), an "On … wrote:" line, or lines
// quoted with ">" each start a quoted segment.
func splitQuoted(body string) []segment {
	lines := strings.Split(strings.ReplaceAll(body, "\r", ""), "\n")
	var out []segment
	start, quoted := 0, false
	flush := func(end int) {
		if end <= start {
			return
		}
		text := strings.Join(lines[start:end], "\n")
		if strings.TrimSpace(text) == "" {
			return
		}
		seg := segment{text: text, quoted: quoted}
		if quoted {
			seg.from = quotedSender(lines[start:end])
		}
		out = append(out, seg)
	}
	inAngle := false
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		angle := strings.HasPrefix(l, ">")
		bare := strings.TrimSpace(strings.TrimLeft(l, "> "))
		starts := false
		// Cheap tests first: most lines are none of these.
		switch {
		case maybeMarker(l) && forwardMarker.MatchString(l):
			starts = true
		case len(bare) > 5 && (bare[0] == 'F' || bare[0] == 'f') && quoteFromRe.MatchString(bare) && headerBlockFollows(lines, i):
			starts = !(i > 0 && forwardMarker.MatchString(strings.TrimSpace(lines[i-1])))
		case strings.HasSuffix(bare, "wrote:") && wroteRe.MatchString(bare):
			starts = true
		case angle && !inAngle:
			starts = !(i > 0 && strings.HasSuffix(strings.TrimSpace(lines[i-1]), "wrote:"))
		}
		inAngle = angle
		if starts {
			flush(i)
			start, quoted = i, true
		}
	}
	flush(len(lines))
	return out
}

// maybeMarker is a cheap test for a line forwardMarker may match.
func maybeMarker(l string) bool {
	t := strings.TrimLeft(l, "> ")
	return strings.HasPrefix(t, "--") || len(t) >= 23 && strings.EqualFold(t[:23], "begin forwarded message")
}

// headerBlockFollows reports whether the line at i starts a quoted header:
// at least two more header lines (Sent:, Date:, To:, Subject:) follow
// within the next five.
func headerBlockFollows(lines []string, i int) bool {
	n := 0
	for j := i + 1; j < len(lines) && j <= i+5; j++ {
		if quoteHdrRe.MatchString(strings.TrimSpace(strings.TrimLeft(lines[j], "> "))) {
			n++
		}
	}
	return n >= 2
}

// quotedSender reads the From: of a quoted segment's header.
func quotedSender(lines []string) string {
	for i, l := range lines {
		if i > 12 {
			break
		}
		l = strings.TrimSpace(strings.TrimLeft(l, "> "))
		if m := forwardHeader.FindStringSubmatch(l); m != nil && strings.EqualFold(m[1], "from") {
			if a, ok := lenientAddress(m[2]); ok {
				return strings.ToLower(a.Email)
			}
			return ""
		}
		if m := wroteRe.FindString(l); m != "" {
			if i, j := strings.LastIndexByte(l, '<'), strings.LastIndexByte(l, '>'); i >= 0 && j > i {
				return strings.ToLower(l[i+1 : j])
			}
		}
	}
	return ""
}

// partAt returns the part holding offset i.
func (d *doc) partAt(i int) part {
	k := sort.Search(len(d.parts), func(k int) bool { return d.parts[k].end > i })
	if k < len(d.parts) && d.parts[k].start <= i {
		return d.parts[k]
	}
	return part{start: i, end: i, name: "body"}
}

// splitLines returns the span of every line of s.
func splitLines(s string) [][2]int {
	var out [][2]int
	for start := 0; start < len(s); {
		e := strings.IndexByte(s[start:], '\n')
		if e < 0 {
			out = append(out, [2]int{start, len(s)})
			break
		}
		out = append(out, [2]int{start, start + e})
		start += e + 1
	}
	return out
}

// lineAt returns the index of the line holding offset i.
func (d *doc) lineAt(i int) int {
	k := sort.Search(len(d.lines), func(k int) bool { return d.lines[k][1] >= i })
	return min(k, len(d.lines)-1)
}

// splitSentences cuts s at sentence ends (". " before a capital letter, "!"
// or "?"), at blank lines and at semicolons. "U.S.C. 2705(b)" and
// "Inc. shall" stay whole.
func splitSentences(s string) [][2]int {
	var out [][2]int
	start := 0
	cut := func(end, next int) {
		if strings.TrimSpace(s[start:end]) != "" {
			out = append(out, [2]int{start, end})
		}
		start = next
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n' && i+1 < len(s) && s[i+1] == '\n':
			cut(i, i+1)
		case c == '\n' && !wrapped(s, i):
			// A line of a form, a table or a list ends its sentence; a
			// paragraph wrapped over lines does not.
			cut(i, i+1)
		case c == ';' || c == '!' || c == '?':
			cut(i+1, i+1)
		case c == '.' && i+2 < len(s) && (s[i+1] == ' ' || s[i+1] == '\n'):
			n := s[i+2]
			if ('A' <= n && n <= 'Z' || n == '(' || n == '"') && !abbrevBefore(s, i) {
				cut(i+1, i+1)
			}
		}
	}
	cut(len(s), len(s))
	return out
}

// abbrevBefore reports whether the period at i ends a short abbreviation
// (a title such as "Sgt.", "Hon.", an initial) rather than a sentence.
func abbrevBefore(s string, i int) bool {
	j := i
	for j > 0 && s[j-1] != ' ' && s[j-1] != '\n' && s[j-1] != '(' {
		j--
	}
	w := strings.ToLower(s[j:i])
	if len(w) == 1 && w[0] >= 'a' && w[0] <= 'z' {
		return true
	}
	switch w {
	case "sgt", "lt", "det", "hon", "mr", "mrs", "ms", "dr", "st", "no", "cpl", "capt", "ptl", "tpr",
		"ofc", "insp", "inv", "sa", "jr", "sr", "v", "vs", "u.s", "u.s.c", "fed", "r", "evid", "ave", "blvd",
		"nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "tel", "ph",
		"civ", "crim", "proc", "app", "stat", "ann", "cal", "rev", "supp", "dept", "approx", "e.g", "i.e", "etc", "inc":
		return true
	}
	return false
}

// sentenceAt returns the span of the sentence holding byte offset i.
func (d *doc) sentenceAt(i int) (int, int) {
	k := sort.Search(len(d.sentences), func(k int) bool { return d.sentences[k][1] > i })
	if k < len(d.sentences) && d.sentences[k][0] <= i {
		return d.sentences[k][0], d.sentences[k][1]
	}
	return max(0, i-200), min(len(d.s), i+200)
}

// splitWords finds the words of d.s and marks the boundaries between them.
func splitWords(d *doc) []word {
	s := d.s
	out := make([]word, 0, len(s)/5)
	sent := 0
	prevEnd := 0
	for i := 0; i < len(s); {
		if !wordByteAt(s, i) {
			if s[i] < utf8.RuneSelf {
				i++
			} else {
				_, n := utf8.DecodeRuneInString(s[i:])
				i += n
			}
			continue
		}
		j := i
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				if asciiWord[c] {
					j++
					continue
				}
				if c == '\'' && j > i && j+1 < len(s) && wordByteAt(s, j+1) {
					j++
					continue
				}
				break
			}
			if !wordByteAt(s, j) {
				break
			}
			_, n := utf8.DecodeRuneInString(s[j:])
			j += n
		}
		brk := len(out) == 0
		for sent < len(d.sentences) && d.sentences[sent][1] <= i {
			sent++
			brk = true
		}
		if !brk {
			for k := prevEnd; k < i; k++ {
				switch s[k] {
				case '|', ';', ':', '?', '!':
					brk = true
				case '\n':
					brk = brk || !wrapped(s, prevEnd)
				}
				if brk {
					break
				}
			}
		}
		out = append(out, word{start: i, end: j, brk: brk})
		prevEnd = j
		i = j
	}
	return out
}

var asciiWord = func() (t [128]bool) {
	for c := 0; c < 128; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return
}()

// wordByteAt reports whether the character at i is a letter or digit.
func wordByteAt(s string, i int) bool {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiWord[c]
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wrapped reports whether the line break after offset i only wraps a
// sentence (a long line of running text, as PDFs break them) rather than
// ending a line of a form, a list or a signature.
func wrapped(s string, i int) bool {
	ls := strings.LastIndexByte(s[:i], '\n') + 1
	line := strings.TrimSpace(s[ls:i])
	if len(line) < 45 || strings.Contains(line, " | ") {
		return false
	}
	switch line[len(line)-1] {
	case '.', ':', ';', '|', '!', '?':
		return false
	}
	return true
}

// wordAt returns the index of the first word that ends after offset i.
func (d *doc) wordAt(i int) int {
	return sort.Search(len(d.words), func(k int) bool { return d.words[k].end > i })
}

// lowerASCII lower-cases the ASCII letters of s, keeping every byte offset.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// wordBoundary reports whether \b holds at i in s (ASCII word characters,
// as Go's regexp defines it).
func wordBoundary(s string, i int) bool {
	before := i > 0 && isWordByte(s[i-1])
	after := i < len(s) && isWordByte(s[i])
	return before != after
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

// substrEnds returns the end offsets of the case-insensitive (ASCII)
// occurrences of t in d.s.
func (d *doc) substrEnds(t string) []int {
	t = lowerASCII(t)
	if t == "" {
		return nil
	}
	var out []int
	for i := 0; ; {
		j := strings.Index(d.lc[i:], t)
		if j < 0 {
			return out
		}
		i += j + len(t)
		out = append(out, i)
	}
}

// wordEnds returns the end offsets of the case-insensitive (ASCII)
// occurrences of w in d.s that stand as a word.
func (d *doc) wordEnds(w string) []int {
	var out []int
	for _, e := range d.substrEnds(w) {
		if s := e - len(w); wordBoundary(d.s, s) && wordBoundary(d.s, e) {
			out = append(out, e)
		}
	}
	return out
}

// hasWord reports whether the word w (lower case) stands in [start, end).
func (d *doc) hasWord(w string, start, end int) bool {
	for k := d.wordAt(start); k < len(d.words) && d.words[k].end <= end; k++ {
		if d.lc[d.words[k].start:d.words[k].end] == w {
			return true
		}
	}
	return false
}
