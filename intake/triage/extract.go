package triage

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// ExtractOptions configure Extract.
type ExtractOptions struct {
	// Location is the zone for the letter date of a message with no Date.
	Location *time.Location
	// ReceivedAt stands in for the letter date when the message has none.
	ReceivedAt time.Time
	// CompanyName is the provider's name; optional.
	CompanyName string
	// AddBusinessDays resolves "within N business days"; nil skips only
	// weekends.
	AddBusinessDays func(d legal.Date, n int) legal.Date
}

// Extract reads the facts of a request from m: its kinds and flags, the
// agent, the target identifiers, the period and the deadline. v supplies
// the sender's verification (sender_official). Extract never fails: what
// it cannot read is left empty, and the checklist reports it.
//
// It reads the body, then each attachment's text, then the subject, so
// identifiers keep the order in which the letter gives them.
func Extract(m *Message, v legal.Verification, opts ExtractOptions) legal.Facts {
	f := legal.Facts{
		SenderDomain:   m.From.Domain(),
		SenderOfficial: v.Official,
	}
	sent := m.Date
	if sent.IsZero() {
		sent = opts.ReceivedAt
		if sent.IsZero() {
			sent = time.Now()
		}
		if opts.Location != nil {
			sent = sent.In(opts.Location)
		}
	}
	ld := legal.DateOf(sent)
	f.LetterDate = &ld
	for _, a := range m.Attachments {
		if a.NeedsReview {
			name := a.Filename
			if name == "" {
				name = a.ContentType
			}
			note := "has no readable text"
			if a.ReviewNote != "" {
				note = a.ReviewNote
			}
			f.ManualReview = append(f.ManualReview, "attachment "+name+" "+note+"; read the original")
		}
	}
	if m.Incomplete {
		f.ManualReview = append(f.ManualReview, "parts of the message were not read (too many, nested too deep or too large); read the original")
	}
	d := newDoc(m)
	if d.truncated {
		f.ManualReview = append(f.ManualReview, "text longer than the part read automatically; read the rest of the original")
	}
	classify(d, &f)
	f.Agent = findAgent(d, m)
	f.Identifiers = findIdentifiers(d, m, f.Agent)
	f.RecordsSought = findRecords(d, f.ContentRequested)
	f.Period = findPeriod(d, ld)
	add := opts.AddBusinessDays
	if add == nil {
		add = addWeekdays
	}
	f.Deadline = findDeadline(d, sent, add)
	if f.NDO {
		f.NDOUntil = findNDOUntil(d, ld)
	}
	return f
}

// doc is the text of a message prepared for reading: the body, the
// attachments' text and the subject, normalized (one kind of dash, space
// and quote; no quoting marks), with its sentence spans.
type doc struct {
	s         string
	lc        string // s with ASCII letters lower-cased, same offsets
	sentences [][2]int
	matches   map[*regexp.Regexp][][]int // d.all's cache
	spans     map[spanKey]int            // d.lastEnd's cache
	truncated bool                       // the text was longer than MaxExtractText
	phones    []roledPhone
	phonesFor *legal.Agent // the agent phones was computed for
}

// MaxExtractText bounds the text Extract reads (body first, then
// attachments). Requests put their particulars in the first pages; a
// longer text is cut, and the request is flagged for a person to read.
const MaxExtractText = 128 << 10

func newDoc(m *Message) *doc {
	var b strings.Builder
	d := &doc{}
	add := func(s string) {
		if room := MaxExtractText - b.Len(); len(s) > room {
			s, d.truncated = s[:max(0, room)], true
		}
		b.WriteString(s)
	}
	add(normalizeText(m.Body))
	for _, a := range m.Attachments {
		if a.Text != "" {
			add("\n\n")
			add(normalizeText(a.Text))
		}
	}
	b.WriteString("\n\n")
	b.WriteString(normalizeText(m.Subject))
	b.WriteString("\n")
	d.s = strings.ToValidUTF8(b.String(), "")
	d.lc = lowerASCII(d.s)
	d.sentences = splitSentences(d.s)
	return d
}

var textReplacer = strings.NewReplacer(
	"\u00a0", " ", "\u2007", " ", "\u202f", " ", "\u2009", " ", "\t", " ",
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u2212", "-",
	"\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`, "\u00ad", "", "\u200b", "",
	"\r", "",
)

// normalizeText unifies dashes, spaces and quotes, strips e-mail quoting
// ("> ") and collapses runs of spaces, keeping line breaks.
func normalizeText(s string) string {
	s = textReplacer.Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		for strings.HasPrefix(l, ">") {
			l = strings.TrimSpace(l[1:])
		}
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
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
		"ofc", "insp", "inv", "sa", "jr", "sr", "v", "vs", "u.s", "u.s.c", "fed", "r", "evid", "ave", "blvd":
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
