package triage

import (
	"sort"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// phoneRole is what a telephone number in a letter is.
type phoneRole int

const (
	roleTarget  phoneRole = iota // a number records are sought for
	roleContact                  // somebody's contact number: the agent's, another official's, an agency line
	roleOther                    // a number the letter says is not a target (a victim's, a dropped one, another carrier's)
	roleSkip                     // in text the reader skips
)

// labelClass is what the words labelling a number ("Desk:", "Cell",
// "Supervisor phone:", "Target number |") say it is.
type labelClass int

const (
	lblNone labelClass = iota
	lblDesk
	lblMobile
	lblFax
	lblAgency    // a main line, dispatch, wire room, command post, barracks
	lblOther     // another official's: a supervisor, an attorney, a judge, a clerk
	lblNonTarget // a victim's, a relative's, a client's own
	lblTarget
)

// roledPhone is one number with what the reader took it to be.
type roledPhone struct {
	phoneHit
	role  phoneRole
	label labelClass
	// owner is the person whose number it is, when the letter says (a
	// signature block, "Name, title, number", "AUSA Name at number").
	owner string
	// me: the writer gives it as their own ("call me at", "my cell is").
	me bool
	// strong: the letter says outright the number is not a target.
	strong bool
}

// nonTargetAfter reports whether the words right after h, up to the next
// comma or sentence end, say whose it is: "707-555-0170, the victim's
// number, …".
func (d *doc) nonTargetAfter(h phoneHit) bool {
	end := min(len(d.s), h.end+48)
	if k := strings.IndexAny(d.s[h.end:end], ".;\n"); k >= 0 {
		end = h.end + k
	}
	t := strings.TrimLeft(d.s[h.end:end], " ,(")
	if k := strings.IndexAny(t, ",)"); k >= 0 {
		end = end - len(t) + k
	}
	return d.has(cueNonTargetPerson, h.end, end)
}

// phoneRoles decides, once per doc, what every number in d is.
func (d *doc) phoneRoles() []roledPhone {
	if d.roles != nil {
		return d.roles
	}
	out := make([]roledPhone, 0, len(d.phoneHit))
	for i, h := range d.phoneHit {
		rp := roledPhone{phoneHit: h}
		if d.ignorable(h.start) {
			rp.role = roleSkip
			out = append(out, rp)
			continue
		}
		// "(617) 555-0192, -0193 and -0194": the same role as the first.
		if i > 0 && h.end-h.start == 5 && d.s[h.start] == '-' {
			rp.role, rp.label, rp.owner = out[i-1].role, out[i-1].label, out[i-1].owner
			out = append(out, rp)
			continue
		}
		// "407-555-0171 and 407-555-0172": a list takes its first's role.
		if i > 0 && out[i-1].role != roleSkip && h.start-d.phoneHit[i-1].end < 12 {
			if gap := strings.TrimSpace(d.lc[d.phoneHit[i-1].end:h.start]); gap == "and" || gap == "or" || gap == "," || gap == ", and" || gap == "&" || gap == ", or" {
				rp.role, rp.label, rp.owner = out[i-1].role, out[i-1].label, out[i-1].owner
				out = append(out, rp)
				continue
			}
		}
		before, after := d.phoneLabel(i)
		rp.label = d.labelOf(before, after)
		if rp.label == lblNone && strings.TrimSpace(d.s[before.start:before.end]) == "" {
			li := d.lineInfo[d.lineAt(h.start)]
			if li.label != "" && li.value >= 0 && li.value <= h.start {
				lo := d.lines[d.lineAt(h.start)][0]
				rp.label = d.labelOf(span{lo, li.value}, span{h.end, h.end})
			}
		}
		ss, se := d.sentenceAt(h.start)
		rp.me = d.has(cueMeAt, max(ss, h.start-60), h.start)
		blk, inBlock := d.blockAt(h.start)
		if inBlock {
			rp.owner = blk.name
		} else if n := d.nameBefore(max(ss, h.start-120), h.start); n != "" {
			rp.owner = n
		}
		switch {
		case d.notTargetSentence(ss, se, h):
			rp.role, rp.strong = roleOther, true
		case rp.label == lblNonTarget || d.nonTargetAfter(h):
			rp.role = roleOther
		case rp.label == lblTarget:
			rp.role = roleTarget
		case rp.label == lblDesk && d.secAt(h.start) == secTarget && !inBlock && !rp.me:
			rp.role = roleTarget // "Telephone: (909) 555-0142" in a list of identifiers
		case rp.label != lblNone:
			rp.role = roleContact
		case inBlock || rp.me:
			rp.role = roleContact
		case d.secAt(h.start) == secTarget:
			rp.role = roleTarget
		case d.secAt(h.start) == secContact:
			rp.role = roleContact
		case rp.owner != "" || d.emailBeside(h):
			rp.role = roleContact // "Mia Stanton, (804) 555-0120", "rdubois@fbi.gov, +1 628 555 0101"
		default:
			rp.role = d.sentenceRole(ss, h)
		}
		out = append(out, rp)
	}
	d.roles = out
	return out
}

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
	// ("… VOXLINE TELEPHONE NUMBER\n(571) 555-0189").
	if lo > 0 && s[lo-1] == '\n' && strings.TrimSpace(s[lo:h.start]) == "" && wrapsInto(s, lo-1) {
		lo = max(floor, lo-48)
	}
	before = span{lo, h.start}
	// A number that fills a table cell is labelled by the cell beside it
	// ("+1 305 555 0124 | Telephone number").
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
// the number wins ("Supervisor phone", "Agency main line", "Voxline
// telephone number"), and when only generic words label it, "number"
// makes it a target and "phone" or "telephone" someone's desk. A label
// after the number ("(208) 555-0129 office") names it more closely than a
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
	// "O: 305-555-0121", "C: 305-555-0177": one letter and a colon.
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
				continue // "AUSA Danielle R. Okafor at": the agent herself
			}
			if lc.c == cueNonTargetPerson && d.hasAny(x.end, sp.end, "from", "using", "on", "over", "via") {
				continue // "called his sister from (214) 555-0186": the caller's number
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

// providerEnds returns, once per doc, where the provider's name stands as
// a word ("Voxline number").
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

// notTargetSentence reports whether the sentence [ss, se) says the number
// h is not a target: "not a Voxline number", "is a Verizon number", "is
// NOT covered by this order", "was dropped", or, in the next sentence,
// "Neither is a Voxline number".
func (d *doc) notTargetSentence(ss, se int, h phoneHit) bool {
	if d.has(cueNotTarget, ss, se) && !d.isProviderNumberClaim(ss, se) {
		return true
	}
	if next := se + 1; next < len(d.s) {
		ns, ne := d.sentenceAt(min(len(d.s)-1, next+1))
		if ns >= se && ns-se < 4 && d.pronounLead(ns) && d.has(cueNotTarget, ns, ne) {
			return true
		}
	}
	return false
}

// pronounLead reports whether the sentence at ns starts by pointing back
// at what the sentence before named ("It is not a target", "Neither is a
// Voxline number", "This line is excluded").
func (d *doc) pronounLead(ns int) bool {
	t := strings.TrimLeft(d.lc[ns:min(len(d.lc), ns+24)], " \n(\"")
	for _, w := range []string{"it ", "it's", "this ", "that ", "neither", "none", "both", "nor ", "the number", "the line", "which", "they ", "these "} {
		if strings.HasPrefix(t, w) {
			return true
		}
	}
	return false
}

// isProviderNumberClaim: the only "is a X number" in the sentence names the
// provider itself ("is a Voxline number"), which makes it a target, not
// the opposite.
func (d *doc) isProviderNumberClaim(ss, se int) bool {
	if d.provider == "" {
		return false
	}
	for _, h := range d.in(cueNotTarget, ss, se) {
		t := d.lc[h.start:h.end]
		if strings.HasPrefix(t, "is a") && strings.Contains(t, d.provider) {
			continue
		}
		return false
	}
	return true
}

// emailBeside reports whether an e-mail address stands right next to h on
// its line ("Danielle.Okafor@usdoj.gov | (415) 555-0161", "rdubois@fbi.gov,
// +1 628 555 0101"): a contact's details, not a target.
func (d *doc) emailBeside(h phoneHit) bool {
	li := d.lineAt(h.start)
	ls, le := d.lines[li][0], d.lines[li][1]
	for _, e := range findEmails(d.s[ls:le]) {
		a, b := ls+e.start, ls+e.end
		var gap string
		switch {
		case b <= h.start:
			gap = d.s[b:h.start]
		case a >= h.end:
			gap = d.s[h.end:a]
		default:
			continue
		}
		if strings.Trim(gap, " ,|;·•") == "" {
			return true
		}
	}
	return false
}

// sentenceRole decides a number with no label from the words before it in
// its sentence: the nearest of a target word ("number", "for", "associated
// with"), a contact word ("call me at", "desk", "at") or another
// official's title. A number alone on its line is a signature's.
func (d *doc) sentenceRole(ss int, h phoneHit) phoneRole {
	lo := max(ss, h.start-120)
	if p := strings.LastIndex(d.s[lo:h.start], "\n\n"); p >= 0 {
		lo += p + 2
	}
	t := d.last(cueTargetWord, lo, h.start)
	c := d.last(cueContactWord, lo, h.start)
	x := d.last(cueOtherPerson, lo, h.start)
	a := d.last(cueAgencyLine, lo, h.start)
	switch {
	case t < 0 && c < 0 && x < 0 && a < 0:
		ls := strings.LastIndexByte(d.s[lo:h.start], '\n')
		if ls >= 0 && strings.TrimSpace(d.s[lo+ls+1:h.start]) == "" || h.start == 0 || lo == h.start {
			return roleContact
		}
		return roleTarget
	case t >= c && t >= x && t >= a:
		return roleTarget
	}
	return roleContact
}

// nameBefore returns the person named in [lo, i) nearest before i ("AUSA
// Danielle R. Okafor at", "Supervisor: Lt. Karen Oyelaran,"): two to four
// capitalized words closing one of the last few comma- or colon-separated
// pieces of the text; "" when none.
func (d *doc) nameBefore(lo, i int) string {
	chunks := strings.FieldsFunc(d.s[lo:i], func(r rune) bool { return strings.ContainsRune(",:|();\n", r) })
	for k, n := len(chunks)-1, 0; k >= 0 && n < 3; k-- {
		ws := strings.Fields(chunks[k])
		if len(ws) == 0 {
			continue
		}
		n++
		for len(ws) > 0 && !capWord(ws[len(ws)-1]) && len(ws[len(ws)-1]) <= 3 {
			ws = ws[:len(ws)-1] // "… Okafor at"
		}
		end := len(ws)
		start := end
		for start > 0 && capWord(ws[start-1]) && end-start < 6 {
			start--
		}
		for a := start; a < end-1; a++ {
			if name := stripRanks(strings.Join(ws[a:end], " ")); looksLikeName(name) {
				return name
			}
		}
	}
	return ""
}

func capWord(w string) bool {
	if w == "" {
		return false
	}
	r := []rune(w)
	return r[0] >= 'A' && r[0] <= 'Z' || r[0] > 127 && strings.ToUpper(string(r[0])) == string(r[0])
}

// agentNamedIn reports whether the agent's surname stands in [start, end)
// (set once the agent is known; see findAgent).
func (d *doc) agentNamedIn(start, end int) bool {
	if d.agentLast == "" {
		return false
	}
	return strings.Contains(d.s[start:end], d.agentLast)
}

// idAt is one identifier and where the letter gives it.
type idAt struct {
	pos int
	id  string
	at  span
}

// findIdentifiers lists the target identifiers in the order the letter
// gives them: target phone numbers (E.164), customer e-mail addresses (lower
// case) and account ids. The agent's and other officials' contact details,
// the provider's and the sender's own addresses, government addresses and
// numbers the letter says are not targets are not identifiers.
func findIdentifiers(d *doc, m *Message, agent legal.Agent) []idAt {
	var found []idAt
	notTarget := map[string]bool{}
	if agent.Phone != "" {
		notTarget[agent.Phone] = true
	}
	roles := d.phoneRoles()
	labelled := map[string]bool{} // written as a target somewhere ("Target number", "Voxline number")
	for _, p := range roles {
		if p.role == roleTarget && p.label == lblTarget {
			labelled[p.e164] = true
		}
	}
	for _, p := range roles {
		switch {
		case p.role == roleContact, p.role == roleOther && p.strong:
			notTarget[p.e164] = true
		case p.role == roleOther && !labelled[p.e164]:
			notTarget[p.e164] = true
		}
	}
	for _, p := range roles {
		if p.role == roleTarget && !notTarget[p.e164] {
			found = append(found, idAt{p.start, p.e164, span{p.start, p.end}})
		}
	}
	emails := findEmails(d.s)
	if len(emails) > maxEmails {
		emails = emails[:maxEmails]
	}
	for _, e := range emails {
		addr := strings.ToLower(strings.TrimRight(d.s[e.start:e.end], "."))
		if d.ignorable(e.start) || officialAddress(addr, m, agent) || d.isProvider(addr) {
			continue
		}
		if b, ok := d.blockAt(e.start); ok && b.name != "" {
			continue // a signature's own address
		}
		found = append(found, idAt{e.start, addr, e})
	}
	for _, a := range findAccounts(d) {
		if !d.ignorable(a.pos) {
			found = append(found, a)
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].pos < found[j].pos })
	var out []idAt
	seen := map[string]bool{}
	for _, f := range found {
		if !seen[f.id] {
			seen[f.id] = true
			out = append(out, f)
		}
	}
	return out
}

// maxEmails bounds the e-mail addresses read from one message.
const maxEmails = 500

// findEmails returns the spans of the e-mail addresses in s.
func findEmails(s string) []span {
	var out []span
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '@')
		if j < 0 {
			break
		}
		at := i + j
		a := at
		for a > 0 && isEmailLocal(s[a-1]) {
			a--
		}
		b := at + 1
		for b < len(s) && (isAlnum(s[b]) || s[b] == '-' || s[b] == '.') {
			b++
		}
		for b > at+1 && (s[b-1] == '.' || s[b-1] == '-') {
			b--
		}
		dom := s[at+1 : b]
		if a < at && strings.Contains(dom, ".") && tldOK(dom) {
			out = append(out, span{a, b})
		}
		i = max(b, at+1)
	}
	return out
}

func isEmailLocal(c byte) bool {
	return isAlnum(c) || strings.IndexByte("._%+'-", c) >= 0
}

func tldOK(dom string) bool {
	tld := dom[strings.LastIndexByte(dom, '.')+1:]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !('a' <= tld[i] && tld[i] <= 'z' || 'A' <= tld[i] && tld[i] <= 'Z') {
			return false
		}
	}
	return true
}

// accountWords introduce an account id; idFillers may stand between.
var (
	accountWords = map[string]bool{"account": true, "acct": true, "customer": true, "subscriber": true, "user": true, "client": true, "accounts": true}
	idFillers    = map[string]bool{"id": true, "no": true, "number": true, "num": true, "identifier": true, "ident": true, "is": true, "nos": true, "numbers": true, "ids": true}
	notAccount   = map[string]bool{"bank": true, "card": true, "credit": true, "reference": true, "case": true}
)

// findAccounts returns the account ids the letter names: "Voxline account
// AC-20394", "Customer ID 88123401", "Acct ID# AC-37129", "account
// number: 88231904" — the id itself, with others of the same shape listed
// after it ("AC-1, AC-2 and AC-3").
func findAccounts(d *doc) []idAt {
	var out []idAt
	ws := d.words
	for i := 0; i < len(ws); i++ {
		w := d.lc[ws[i].start:ws[i].end]
		if !accountWords[w] || i > 0 && notAccount[d.lc[ws[i-1].start:ws[i-1].end]] {
			continue
		}
		k := i + 1
		for k < len(ws) && k <= i+3 && idFillers[d.lc[ws[k].start:ws[k].end]] && !ws[k].brk {
			k++
		}
		if w == "user" && k == i+1 {
			continue // "user e-mail", "user login": not an id label
		}
		if k >= len(ws) {
			continue
		}
		gap := d.s[ws[k-1].end:ws[k].start]
		if strings.Trim(gap, " :#|.\n") != "" || strings.Count(gap, "\n") > 1 {
			continue
		}
		for chain := 0; chain < 50; chain++ {
			id, a, b, ok := idToken(d.s, ws[k].start)
			if !ok {
				break
			}
			out = append(out, idAt{a, id, span{a, b}})
			// "AC-1, AC-2 and AC-3".
			next := b
			for next < len(d.s) && (d.s[next] == ' ' || d.s[next] == ',') {
				next++
			}
			for _, conj := range []string{"and ", "or ", "& "} {
				if strings.HasPrefix(d.lc[next:], conj) {
					next += len(conj)
					break
				}
			}
			id2, _, _, ok2 := idToken(d.s, next)
			if !ok2 || !sameShape(id, id2) {
				break
			}
			k = d.wordAt(next)
			if k >= len(ws) {
				break
			}
		}
	}
	return out
}

// idToken reads an account id at i: letters, digits and hyphens with at
// least one digit, four characters or more, not a telephone number, not
// part of an e-mail address or a longer number.
func idToken(s string, i int) (string, int, int, bool) {
	if i >= len(s) || !isAlnum(s[i]) {
		return "", i, i, false
	}
	j := i
	digits := 0
	for j < len(s) && (isAlnum(s[j]) || s[j] == '-' && j+1 < len(s) && isAlnum(s[j+1])) {
		if isDigitByte(s[j]) {
			digits++
		}
		j++
	}
	id := s[i:j]
	if digits == 0 || len(id) < 4 || j < len(s) && (s[j] == '@' || s[j] == '.' && j+1 < len(s) && isAlnum(s[j+1])) {
		return "", i, i, false
	}
	if _, isPhone := normalizePhone(id); isPhone {
		return "", i, i, false
	}
	return id, i, j, true
}

// officialAddress reports whether e is not a target: the sender's, the
// agent's or a recipient's address, or an address at a government domain
// or at the sender's own (non-free-mail) domain.
func officialAddress(e string, m *Message, agent legal.Agent) bool {
	if e == agent.Email || strings.EqualFold(e, m.From.Email) {
		return true
	}
	if m.ReplyTo != nil && strings.EqualFold(e, m.ReplyTo.Email) {
		return true
	}
	dom := e[strings.LastIndex(e, "@")+1:]
	for _, t := range m.To {
		if strings.Contains(strings.ToLower(t), e) || strings.HasSuffix(strings.ToLower(strings.Trim(t, "<> ")), "@"+dom) {
			return true
		}
	}
	if m.Forwarded != nil && strings.EqualFold(e, m.Forwarded.From.Email) {
		return true
	}
	if OfficialDomain(dom, nil) || strings.HasSuffix(dom, ".us") && strings.Contains(dom, ".state.") {
		return true
	}
	return dom == m.From.Domain() && !FreeMailDomain(dom)
}

// sameShape reports whether b is written like a (same letter prefix), so
// "AC-1, AC-2" continues a list while "AC-1, 2026" does not.
func sameShape(a, b string) bool {
	pa := strings.TrimRight(strings.SplitN(a, "-", 2)[0], "0123456789")
	pb := strings.TrimRight(strings.SplitN(b, "-", 2)[0], "0123456789")
	return strings.EqualFold(pa, pb) && (strings.Contains(a, "-") == strings.Contains(b, "-"))
}
