package corpus

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/lebot-dev/lebot/legal"
)

// Pseudonymizer replaces identifying values with fake ones, the same fake
// for the same value in every file of one export: telephone numbers (fake
// ones in the 555-01XX range, keeping how each was written), e-mail
// addresses, account identifiers and the agent's name. It is not safe for
// concurrent use.
//
// What it replaces: every telephone number and e-mail address in the
// message (not only the targets and the agent: victims', supervisors' and
// other numbers too), the request's account identifiers, and the agent's
// name (each part of it, as a word with a capital letter). What it cannot
// know and does not replace: other people's names, street addresses,
// case numbers and anything else in prose.
type Pseudonymizer struct {
	phones   map[string]string   // E.164 → fake E.164
	areas    map[string]string   // original area code → fake area code
	lines    map[string]int      // fake area code → fake lines used
	emails   map[string]string   // lower-case address → fake
	words    map[string]string   // name word → fake word
	accounts map[string]string   // lower-case identifier → fake
	forms    map[string][]string // name word (lower case) → as the names wrote it
	usedArea map[string]bool
	avoid    *originals // the current case's values, which no fake may equal
	n        struct{ first, last, person, user, account, intl int }
}

// NewPseudonymizer returns an empty one.
func NewPseudonymizer() *Pseudonymizer {
	return &Pseudonymizer{phones: map[string]string{}, areas: map[string]string{}, lines: map[string]int{},
		emails: map[string]string{}, words: map[string]string{}, accounts: map[string]string{}, usedArea: map[string]bool{},
		forms: map[string][]string{}, avoid: newOriginals()}
}

// fakeAreas are the area codes fake numbers use: real ones, so a fake
// reads like a North American number, with the fictional 555-01XX lines.
var fakeAreas = []string{"202", "212", "213", "303", "305", "312", "404", "415", "503", "512", "602", "615",
	"617", "702", "713", "720", "801", "808", "919", "206"}

var fakeFirst = []string{"Alex", "Blair", "Casey", "Devon", "Emery", "Finley", "Harper", "Jordan", "Kendall", "Logan",
	"Morgan", "Noel", "Parker", "Quinn", "Reese", "Sawyer", "Taylor", "Rowan", "Skyler", "Avery", "Cameron",
	"Dakota", "Elliot", "Hayden", "Jesse", "Marlow", "Peyton", "Sidney", "Tatum", "Winter", "Adrian", "Bailey",
	"Carmen", "Dana", "Eden", "Frances", "Gale", "Hollis", "Iris", "Jamie", "Kerry", "Leslie", "Milan", "Nico",
	"Oakley", "Paige", "Robin", "Shannon", "Terry", "Vivian", "Whitney", "Ash", "Brook", "Corey", "Drew",
	"Ellis", "Flynn", "Greer", "Hunter", "Indra"}

var fakeLast = []string{"Abbott", "Bramley", "Carrow", "Dunmore", "Ellery", "Fairbank", "Garland", "Holloway",
	"Ingram", "Jessop", "Kettering", "Lockwood", "Marchetti", "Northcott", "Oakes", "Pemberton", "Quarles",
	"Radcliffe", "Stanhope", "Thorne", "Underhill", "Whitlock", "Yardley", "Ashdown", "Blakemore", "Corwin",
	"Delacourt", "Everly", "Fenwick", "Galloway", "Hartwell", "Iverson", "Jarrow", "Kingsley", "Lindqvist",
	"Mayhew", "Norwood", "Ormsby", "Prescott", "Redfern", "Sutcliffe", "Trevino", "Upton", "Vickery",
	"Waverly", "Ashby", "Bellamy", "Crowther", "Dalby", "Eastwood", "Fairweather", "Gorman", "Hazelton",
	"Ivers", "Jennings", "Kessler", "Langford", "Merriman", "Nash", "Osgood"}

// fakeName is the nth fake from list: the list itself, then pairs of
// its names joined by a hyphen (letters only, as names are written).
func fakeName(list []string, n int) string {
	if n < len(list) {
		return list[n]
	}
	k := n - len(list)
	a, b := k%len(list), (k/len(list)+1+k%len(list))%len(list)
	return list[a] + "-" + list[b]
}

// nameSkip are words of a name that are titles, ranks or suffixes, not
// the person's name.
var nameSkip = map[string]bool{"det": true, "detective": true, "agent": true, "special": true, "sa": true, "sgt": true,
	"sergeant": true, "officer": true, "lt": true, "lieutenant": true, "capt": true, "captain": true, "inv": true,
	"investigator": true, "mr": true, "ms": true, "mrs": true, "dr": true, "jr": true, "sr": true, "ii": true,
	"iii": true, "iv": true, "tfo": true, "deputy": true, "trooper": true, "cpl": true, "corporal": true,
	"dps": true, "esq": true, "ausa": true, "ada": true}

// commonWords are name words that are also ordinary capitalised words
// (months, weekdays, and a few others): they are replaced only as part
// of the full name, and checked for only as the full name.
var commonWords = map[string]bool{"january": true, "february": true, "march": true, "april": true, "may": true,
	"june": true, "july": true, "august": true, "september": true, "october": true, "november": true,
	"december": true, "monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "will": true, "mark": true, "grant": true, "bill": true, "rose": true,
	"hope": true, "art": true, "chase": true, "case": true, "law": true, "court": true, "judge": true,
	"major": true, "general": true, "justice": true, "street": true, "page": true, "post": true, "march's": true,
	"young": true, "king": true, "price": true, "long": true, "state": true, "county": true, "city": true}

// nameWords are the words of a name that identify the person.
func nameWords(name string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '-' }) {
		w = strings.Trim(w, "'-")
		if utf8.RuneCountInString(w) < 2 || nameSkip[strings.ToLower(w)] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// seed makes the fakes for a request's facts, so the agent's e-mail is
// named after the agent's fake name, and targets are told from others.
func (p *Pseudonymizer) seed(f legal.Facts) {
	words := nameWords(f.Agent.Name)
	for i, w := range words {
		p.word(w, i == 0 && len(words) > 1)
	}
	if f.Agent.Email != "" {
		p.agentEmail(strings.ToLower(f.Agent.Email), words)
	}
	if f.Agent.Phone != "" {
		p.phone(f.Agent.Phone)
	}
	for _, id := range f.Identifiers {
		switch kindOf(id) {
		case "phone":
			p.phone(id)
		case "email":
			p.targetEmail(strings.ToLower(id))
		default:
			p.account(id)
		}
	}
}

func kindOf(id string) string {
	switch {
	case strings.Contains(id, "@"):
		return "email"
	case strings.HasPrefix(id, "+") && countDigits(id) >= 8 && countDigits(id) == len(id)-1:
		return "phone"
	}
	return "account"
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// word is the fake for a word of a name: a first name for the first word
// of a name of several words, else a surname.
func (p *Pseudonymizer) word(w string, first bool) string {
	key := strings.ToLower(w)
	if !slices.Contains(p.forms[key], w) {
		p.forms[key] = append(p.forms[key], w)
	}
	if f, ok := p.words[key]; ok {
		return f
	}
	list, n := fakeLast, &p.n.last
	if first {
		list, n = fakeFirst, &p.n.first
	}
	var fake string
	for {
		fake = fakeName(list, *n)
		*n++
		if !p.avoid.words[strings.ToLower(fake)] && !p.fakeWord(fake) {
			break
		}
	}
	p.words[key] = fake
	return fake
}

// fakeWord reports whether w is already some word's fake.
func (p *Pseudonymizer) fakeWord(w string) bool {
	for _, f := range p.words {
		if strings.EqualFold(f, w) {
			return true
		}
	}
	return false
}

func (p *Pseudonymizer) agentEmail(addr string, words []string) {
	if _, ok := p.emails[addr]; ok {
		return
	}
	local := ""
	for _, w := range words {
		if local != "" {
			local += "."
		}
		local += strings.ToLower(p.words[strings.ToLower(w)])
	}
	if local == "" || p.taken(local+addr[strings.LastIndex(addr, "@"):]) {
		p.n.person++
		local = fmt.Sprintf("agent%d", p.n.person)
	}
	p.emails[addr] = local + addr[strings.LastIndex(addr, "@"):]
}

func (p *Pseudonymizer) taken(fake string) bool {
	for _, v := range p.emails {
		if v == fake {
			return true
		}
	}
	return false
}

// targetEmail: a target's address gets a fake mailbox at example.net,
// as its own domain may say who the customer is.
func (p *Pseudonymizer) targetEmail(addr string) {
	if _, ok := p.emails[addr]; !ok {
		p.n.user++
		p.emails[addr] = fmt.Sprintf("user%d@example.net", p.n.user)
	}
}

// email is the fake for any other address: a fake mailbox at the same
// domain (the sender's domain is what the checklist reads).
func (p *Pseudonymizer) email(addr string) string {
	key := strings.ToLower(addr)
	if f, ok := p.emails[key]; ok {
		return f
	}
	p.n.person++
	at := strings.LastIndex(key, "@")
	f := fmt.Sprintf("person%d%s", p.n.person, key[at:])
	p.emails[key] = f
	return f
}

// phone is the fake for a number in E.164. North American numbers get a
// fake area code per real one (so numbers written as a list with one
// area code still read as one) and a 555-01XX line; others keep their
// country code and get fake digits.
func (p *Pseudonymizer) phone(e164 string) string {
	if f, ok := p.phones[e164]; ok {
		return f
	}
	var fake string
	if len(e164) == 12 && strings.HasPrefix(e164, "+1") {
		for {
			area := p.fakeArea(e164[2:5])
			line := p.lines[area]
			p.lines[area]++
			fake = fmt.Sprintf("+1%s55501%02d", area, line%100)
			// Nor may its last seven digits be an original's: a number
			// written without its area code is looked for too.
			if !p.avoid.local[fake[5:]] {
				break
			}
		}
	} else {
		cc := "1"
		if n, err := phonenumbers.Parse(e164, "US"); err == nil {
			cc = fmt.Sprint(n.GetCountryCode())
		}
		p.n.intl++
		rest := len(e164) - 1 - len(cc)
		fake = "+" + cc + fmt.Sprintf("%0*d", rest, 5550100+p.n.intl)[:rest]
	}
	p.phones[e164] = fake
	return fake
}

func (p *Pseudonymizer) fakeArea(orig string) string {
	if a, ok := p.areas[orig]; ok && p.lines[a] < 100 {
		return a
	}
	for _, a := range fakeAreas {
		if !p.usedArea[a] && !p.avoid.areas[a] && a != orig {
			p.usedArea[a] = true
			p.areas[orig] = a
			return a
		}
	}
	// More real area codes than the list: numbered ones, still 555-01XX.
	for i := 200; ; i++ {
		a := fmt.Sprint(i)
		if !p.usedArea[a] && !p.avoid.areas[a] && a != orig {
			p.usedArea[a] = true
			p.areas[orig] = a
			return a
		}
	}
}

// account is the fake for an account identifier: the same shape, with
// other digits (and other letters when it has few digits).
func (p *Pseudonymizer) account(id string) string {
	key := strings.ToLower(id)
	if f, ok := p.accounts[key]; ok {
		return f
	}
	letters := countDigits(id) < 4
	for {
		p.n.account++
		seed := uint64(p.n.account)*2654435761 + 97
		var b strings.Builder
		for _, r := range id {
			seed = seed*6364136223846793005 + 1442695040888963407
			d := int(seed >> 33)
			switch {
			case r >= '0' && r <= '9':
				b.WriteByte(byte('0' + d%10))
			case letters && r >= 'a' && r <= 'z':
				b.WriteByte(byte('a' + d%26))
			case letters && r >= 'A' && r <= 'Z':
				b.WriteByte(byte('A' + d%26))
			default:
				b.WriteRune(r)
			}
		}
		f := b.String()
		if !strings.EqualFold(f, id) && !p.avoid.accounts[strings.ToLower(f)] {
			p.accounts[key] = f
			return f
		}
	}
}

// FakeFacts are f with every identifying value replaced by its fake.
func (p *Pseudonymizer) FakeFacts(f legal.Facts) legal.Facts {
	g := f.Clone()
	g.Agent.Name = replaceWords(f.Agent.Name, p.words)
	if f.Agent.Email != "" {
		g.Agent.Email = p.email(f.Agent.Email)
	}
	if f.Agent.Phone != "" {
		g.Agent.Phone = p.phone(f.Agent.Phone)
	}
	g.Identifiers = nil
	for _, id := range f.Identifiers {
		switch kindOf(id) {
		case "phone":
			g.Identifiers = append(g.Identifiers, p.phone(id))
		case "email":
			g.Identifiers = append(g.Identifiers, p.email(id))
		default:
			g.Identifiers = append(g.Identifiers, p.account(id))
		}
	}
	return g
}

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
	// numbers sharing the area code and exchange: ", -0193 and -0194".
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

// originals are the values of one case that must not appear in its
// pseudonymized files, and that no fake may equal.
type originals struct {
	phones   []string        // E.164
	local    map[string]bool // North American numbers' last seven digits
	areas    map[string]bool // their area codes
	emails   []string        // lower case
	locals   []string        // the agent's and targets' mailbox names that are not words, lower case
	accounts map[string]bool // lower case
	words    map[string]bool // the agent's name words, lower case
	names    []string        // the agent's full name, as written
}

func newOriginals() *originals {
	return &originals{local: map[string]bool{}, areas: map[string]bool{}, accounts: map[string]bool{}, words: map[string]bool{}}
}

// originalsOf collects what must not survive: the facts' values and every
// number and address in the message's texts.
func originalsOf(f legal.Facts, texts string) *originals {
	o := newOriginals()
	addPhone := func(e string) {
		if slices.Contains(o.phones, e) {
			return
		}
		o.phones = append(o.phones, e)
		if len(e) == 12 && strings.HasPrefix(e, "+1") {
			o.areas[e[2:5]], o.local[e[5:]] = true, true
		}
	}
	for _, m := range phonesIn(texts) {
		addPhone(m.e164)
	}
	addMail := func(a string, own bool) {
		a = strings.ToLower(a)
		o.emails = append(o.emails, a)
		// A mailbox name alone (a user name) is looked for too, unless it
		// is an ordinary word ("target", "legal").
		local := a[:max(strings.LastIndex(a, "@"), 0)]
		if own && len(local) >= 5 && strings.ContainsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) }) {
			o.locals = append(o.locals, local)
		}
	}
	for _, m := range reEmail.FindAllString(texts, -1) {
		addMail(m, false)
	}
	if f.Agent.Phone != "" {
		addPhone(f.Agent.Phone)
	}
	if f.Agent.Email != "" {
		addMail(f.Agent.Email, true)
	}
	for _, id := range f.Identifiers {
		switch kindOf(id) {
		case "phone":
			addPhone(id)
		case "email":
			addMail(id, true)
		default:
			o.accounts[strings.ToLower(id)] = true
		}
	}
	for _, w := range nameWords(f.Agent.Name) {
		o.words[strings.ToLower(w)] = true
	}
	if n := strings.TrimSpace(f.Agent.Name); n != "" {
		o.names = append(o.names, n)
	}
	return o
}
