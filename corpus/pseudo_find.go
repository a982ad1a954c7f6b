package corpus

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Finding what to replace in a text, and replacing it.

// span is one replacement in a text.
type span struct {
	start, end int
	with       string
}

var (
	reEmail = regexp.MustCompile(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	// rePhone: North American numbers in the usual spellings, and
	// international ones written with a leading "+" (as intake reads
	// them). A separator may also be a no-break space or hyphen, as a
	// character or an HTML entity.
	rePhone = regexp.MustCompile(`(?:\+?1` + sep + `)?(?:\(\d{3}\)|\d{3})` + sep + `\d{3}` + sep + `\d{4}` +
		`|\+\d{1,3}(?:` + sep + `\(?\d{1,4}\)?){2,5}`)
	// reMore: a list that goes on with only the last four digits of
	// numbers sharing the area code and exchange: ", -0147 and -0148".
	reMore = regexp.MustCompile(`^(\s*(?:,|;|/|&|and|or|,\s*and|,\s*or)\s*-\s*)(\d{4})`)
)

const sep = `(?:[\s.\-\x{00A0}\x{2011}]|&nbsp;|&#160;|&#[xX][aA]0;|&#8209;)?`

// phoneAt is a telephone number found in a text.
type phoneAt struct {
	start, end int
	e164       string
}

// phonesIn finds the telephone numbers in s: candidates not glued to
// other digits, that read as possible numbers and, in North America, as
// NANP numbers (area code and exchange not starting with 0 or 1), so
// timestamps, ids and MIME boundaries are not taken for numbers.
func phonesIn(s string) []phoneAt {
	var out []phoneAt
	for _, m := range rePhone.FindAllStringIndex(s, -1) {
		if (m[0] > 0 && isDigit(s[m[0]-1])) || (m[1] < len(s) && isDigit(s[m[1]])) {
			continue
		}
		if e, ok := normalize(s[m[0]:m[1]]); ok {
			out = append(out, phoneAt{m[0], m[1], e})
		}
	}
	return out
}

// Replace returns s with every telephone number, e-mail address, known
// account identifier and known name word replaced by its fake.
func (p *Pseudonymizer) Replace(s string) string {
	var spans []span
	for _, m := range reEmail.FindAllStringIndex(s, -1) {
		spans = append(spans, span{m[0], m[1], p.email(s[m[0]:m[1]])})
	}
	spans = append(spans, p.phoneSpans(s)...)
	for key, fake := range p.accounts {
		spans = append(spans, findWord(s, key, fake, false)...)
	}
	spans = append(spans, p.nameSpans(s)...)
	return apply(s, spans)
}

// phoneSpans finds the numbers in s, each replaced by its fake written
// the way the original was (the same separators; the leading 1 kept).
func (p *Pseudonymizer) phoneSpans(s string) []span {
	var spans []span
	for _, m := range phonesIn(s) {
		raw := s[m.start:m.end]
		fake := p.phone(m.e164)
		spans = append(spans, span{m.start, m.end, writeDigits(raw, fake)})
		if !strings.HasPrefix(m.e164, "+1") || len(m.e164) != 12 {
			continue
		}
		for pos := m.end; ; {
			more := reMore.FindStringSubmatchIndex(s[pos:])
			if more == nil || (pos+more[1] < len(s) && isDigit(s[pos+more[1]])) {
				break
			}
			orig := m.e164[:8] + s[pos+more[4]:pos+more[5]]
			f := p.phone(orig)
			spans = append(spans, span{pos + more[4], pos + more[5], f[len(f)-4:]})
			pos += more[1]
		}
	}
	return spans
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// normalize reads a candidate as E.164 (North American unless it has a
// country code), as a possible number; North American ones must have
// the NANP's shape.
func normalize(raw string) (string, bool) {
	var b strings.Builder
	if strings.HasPrefix(raw, "+") {
		b.WriteByte('+')
	}
	for i := 0; i < len(raw); i++ {
		if isDigit(raw[i]) {
			b.WriteByte(raw[i])
		}
	}
	digits := b.String()
	if n := len(strings.TrimPrefix(digits, "+")); n < 10 || n > 15 {
		return "", false
	}
	num, err := phonenumbers.Parse(digits, "US")
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return "", false
	}
	e := phonenumbers.Format(num, phonenumbers.E164)
	if strings.HasPrefix(e, "+1") && (len(e) != 12 || e[2] < '2' || e[5] < '2') {
		return "", false
	}
	return e, true
}

// writeDigits writes fake's digits into raw's digit positions. A raw
// with more digits than the national number keeps its leading ones (the
// country code).
func writeDigits(raw, fake string) string {
	fd := []byte(fake[1:]) // without +
	have := countDigits(raw)
	skip := have - len(fd) // digits of raw that stay (a leading 1 not in fake's count)
	if skip < 0 {
		fd, skip = fd[-skip:], 0 // raw lacks the country code: write the national part
	}
	var b strings.Builder
	i := 0
	for _, r := range raw {
		if r >= '0' && r <= '9' {
			if skip > 0 {
				skip--
				b.WriteRune(r)
				continue
			}
			if i < len(fd) {
				b.WriteByte(fd[i])
				i++
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// nameSpans finds the name words as people write them: as in the name,
// capitalised or in capitals, whole words; a common word only within the
// whole name (replaceWords on the name as written).
func (p *Pseudonymizer) nameSpans(s string) []span {
	var spans []span
	for key, fake := range p.words {
		if commonWords[key] {
			continue
		}
		for _, form := range wordForms(key, p.forms[key]) {
			with := fake
			if form == strings.ToUpper(form) {
				with = strings.ToUpper(fake)
			}
			spans = append(spans, findWord(s, form, with, true)...)
		}
	}
	for _, name := range p.avoid.names {
		spans = append(spans, findWord(s, name, replaceWords(name, p.words), false)...)
	}
	return spans
}

// wordForms are the spellings of a name word to look for: as written,
// capitalised, in capitals.
func wordForms(key string, written []string) []string {
	r := []rune(key)
	forms := append(slices.Clone(written), string(unicode.ToUpper(r[0]))+string(r[1:]), strings.ToUpper(key))
	slices.Sort(forms)
	return slices.Compact(forms)
}

// findWord finds word in s as a whole word (case-sensitively when exact,
// else ignoring case), replaced by with.
func findWord(s, word, with string, exact bool) []span {
	if word == "" {
		return nil
	}
	hay, needle := s, word
	if !exact {
		hay, needle = strings.ToLower(s), strings.ToLower(word)
		if len(hay) != len(s) {
			hay, needle = s, word // a case change altered byte offsets: fall back to the exact form
		}
	}
	var spans []span
	for i := 0; ; {
		j := strings.Index(hay[i:], needle)
		if j < 0 {
			return spans
		}
		start, end := i+j, i+j+len(needle)
		if boundary(s, start, end) {
			spans = append(spans, span{start, end, with})
		}
		i = end
	}
}

// boundary reports whether s[start:end] is not part of a longer word.
func boundary(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// replaceWords replaces the name words in a name string (every word,
// common ones too: in a name they are the name).
func replaceWords(name string, words map[string]string) string {
	var spans []span
	for key, fake := range words {
		spans = append(spans, findWord(name, key, fake, false)...)
	}
	return apply(name, spans)
}

// apply makes the replacements, the earliest (then the longest) winning
// where they overlap.
func apply(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp.start < last {
			continue
		}
		b.WriteString(s[last:sp.start])
		b.WriteString(sp.with)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}
