package triage

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lebot-dev/lebot/legal"
)

// Ranks and titles written before a name ("Sgt.", "Special Agent",
// "Det.", "SA"), which the agent's name drops.
var (
	rankPrefixes = wordSet("supervisory senior assistant deputy acting resident county chief")
	rankWords    = wordSet("marshal detective det sergeant sgt lieutenant lt captain capt corporal cpl patrolman ptl officer ofc " +
		"trooper tpr deputy dep inspector insp investigator inv agent chief sheriff commander cmdr major maj colonel col " +
		"hon honorable judge mr mrs ms dr analyst constable attorney prosecutor")
	rankAbbrevs = wordSet("SA SSA SAS TFO DUSM AUSA DA ADA AAG ASA DI DC DS PC DCI DSgt Cst Const Det.Sgt")
	multiRanks  = [][]string{{"special", "agent", "in", "charge"}, {"special", "agent"}, {"task", "force", "officer"},
		{"federal", "agent"}, {"detective", "constable"}, {"detective", "sergeant"}, {"detective", "inspector"},
		{"police", "constable"}, {"criminal", "investigator"},
		{"police", "officer"}, {"patrol", "officer"}, {"postal", "inspector"}, {"detective", "investigator"},
		{"us", "marshal"}, {"u", "s", "marshal"}}
	nameSuffixes = wordSet("jr sr ii iii iv")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// rankKey is a word as rank lists hold it: lower case, no dots.
func rankKey(w string) string { return strings.ToLower(strings.ReplaceAll(w, ".", "")) }

// rankLen returns how many of the words w at the start are a rank or
// title, 0 when none.
func rankLen(w []string) int {
	i := 0
	for i < len(w) && rankPrefixes[rankKey(w[i])] {
		i++
	}
	for _, r := range multiRanks {
		if i+len(r) <= len(w) {
			ok := true
			for k, x := range r {
				if rankKey(w[i+k]) != x {
					ok = false
					break
				}
			}
			if ok {
				return i + len(r)
			}
		}
	}
	if i < len(w) && (rankWords[rankKey(w[i])] || rankAbbrevs[w[i]]) {
		return i + 1
	}
	if i > 0 && rankWords[rankKey(w[i-1])] {
		return i // "Deputy Ryan Walsh", "Chief Tolliver"
	}
	return 0
}

// notNameWords are words no person's name holds: mailboxes, offices,
// places, parts of a letter.
var notNameWords = wordSet("legal records subpoena subpoenas unit office department dept division police sheriff team desk " +
	"noreply no-reply service services center centre compliance intake mailbox admin support bureau agency task force " +
	"system notification notifications portal court courts clerk state states county city inc llc llp group training " +
	"administration enforcement investigation investigations federal district united national homeland security justice " +
	"field resident region regional laboratory squad patrol troop command section law secret marshals criminal general " +
	"ministry royal mounted attorney operations street avenue suite road boulevard plaza floor building headquarters " +
	"university college school bank company corporation corp ltd the of and for contact be to searched seized attachment " +
	"exhibit schedule rider property information place square way drive lane parkway see note re dear custodian thank " +
	"thanks regards sincerely respectfully please confidentiality warning sent from case no docket number file matter " +
	"ref reference crimes financial violent narcotics fraud cyber homicide robbery gang organized vice intelligence " +
	"affairs internal standards unknown subscriber target")

// notName reports whether s holds a word no person's name holds.
func notName(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' }) {
		w = strings.TrimSuffix(w, "'s")
		if notNameWords[w] {
			return true
		}
	}
	return false
}

// cleanName turns a display name into "First M. Last": no rank or title,
// no badge number or parenthesized office, and "Last, First" put in
// reading order.
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "(|#<"); i >= 0 {
		s = s[:i]
	}
	s = strings.Trim(strings.TrimSpace(s), `"',;`)
	if i := strings.Index(s, " - "); i >= 0 {
		s = s[:i]
	}
	if first, last, ok := strings.Cut(s, ","); ok {
		last := strings.TrimSpace(last)
		// "Pruett, Landon M SA USARMY CID": the given names are the
		// capitalized words and initials before a rank or an acronym.
		if w := strings.Fields(last); len(w) > 2 {
			k := 0
			for k < len(w) && k < 3 && isGivenName(w[k]) {
				k++
			}
			if k > 0 && k < len(w) {
				last = strings.Join(w[:k], " ")
				s = first + ", " + last
			}
		}
		switch {
		case last == "":
		case nameSuffixes[rankKey(last)]:
		case strings.Count(s, ",") == 1 && !strings.Contains(last, " ") || len(strings.Fields(last)) <= 2 && rankLen(strings.Fields(last)) == 0:
			s = last + " " + strings.TrimSpace(first)
		default:
			s = first
		}
	}
	s = stripRanks(s)
	if !looksLikeName(s) {
		return ""
	}
	// A middle initial is written with its dot.
	w := strings.Fields(s)
	for i := 1; i < len(w)-1; i++ {
		if r := []rune(w[i]); len(r) == 1 && unicode.IsUpper(r[0]) {
			w[i] += "."
		}
	}
	return strings.Join(w, " ")
}

// isGivenName: a capitalized word that is not all capitals (a given name)
// or a one-letter initial ("M", "M.").
func isGivenName(w string) bool {
	t := strings.TrimSuffix(w, ".")
	r := []rune(t)
	if len(r) == 1 {
		return unicode.IsUpper(r[0])
	}
	return len(r) > 1 && unicode.IsUpper(r[0]) && strings.ToUpper(t) != t && rankLen([]string{w}) == 0
}

// stripRanks drops the ranks and titles written before a name.
func stripRanks(s string) string {
	w := strings.Fields(s)
	for {
		n := rankLen(w)
		if n == 0 || n >= len(w) {
			break
		}
		w = w[n:]
	}
	return strings.Join(w, " ")
}

// looksLikeName: two to four words, each starting with a capital letter,
// none a mailbox word, no digits or @.
func looksLikeName(s string) bool {
	w := strings.Fields(s)
	if len(w) < 2 || len(w) > 4 || strings.ContainsAny(s, "@0123456789/&") {
		return false
	}
	for _, x := range w {
		r, _ := utf8.DecodeRuneInString(x)
		if !unicode.IsUpper(r) {
			return false
		}
		if len([]rune(strings.TrimSuffix(x, "."))) > 1 && strings.ToUpper(x) == x {
			return false // "CUSTODIAN OF RECORDS", "VOXLINE, INC.", "R AN"
		}
	}
	return !notName(s)
}

// officerLabels are the form labels that name the requesting officer.
var officerLabels = []string{"requesting officer", "requesting agent", "requesting investigator", "requesting detective",
	"requesting official", "agent contact", "case agent", "affiant", "point of contact", "contact person",
	"contact officer", "contact agent", "submitted by", "officer", "investigator", "defense investigator", "name", "contact"}

// portalSender reports whether the From address is a system, not a person:
// a portal's or court system's notifications, a no-reply mailbox.
func portalSender(from Address) bool {
	local, _, _ := strings.Cut(strings.ToLower(from.Email), "@")
	for _, w := range []string{"noreply", "no-reply", "donotreply", "do-not-reply", "notification", "notifications", "alerts", "system", "mailer", "portal", "automated"} {
		if strings.Contains(local, w) {
			return true
		}
	}
	return cleanName(from.Name) == "" && from.Name != "" && notName(from.Name)
}

// agentReading is the agent and the words they were read from.
type agentReading struct {
	agent legal.Agent
	at    span          // the name or number in the text ({-1, -1}: from the header only)
	block *contactBlock // the signature the number stands in, if any
}

// findAgent returns the requesting officer: the From person (or, for mail
// forwarded internally, the original sender; for a portal's or court
// system's notification, the officer it names as submitter or contact),
// named as the letter writes them in full, with their own e-mail and
// telephone number.
func findAgent(d *doc, m *Message) agentReading {
	r := agentReading{at: span{-1, -1}}
	from := m.From
	if m.Forwarded != nil && m.Forwarded.From.Email != "" && internalForward(m) {
		from = m.Forwarded.From
	}
	a := &r.agent
	if portalSender(from) {
		if name, email, phone, at := d.formOfficer(); name != "" {
			a.Name, a.Email, a.Phone, r.at = name, email, phone, at
			if a.Email == "" && m.ReplyTo != nil && !d.isProvider(m.ReplyTo.Email) {
				a.Email = strings.ToLower(m.ReplyTo.Email)
			}
			d.agentLast = lastName(a.Name)
			if a.Phone == "" {
				a.Phone = agentPhone(d, *a)
			}
			return r
		}
	}
	a.Email = strings.ToLower(from.Email)
	a.Name = cleanName(from.Name)
	if a.Name == "" {
		a.Name = nameFromText(d)
	}
	if a.Name == "" {
		a.Name = nameFromEmail(a.Email)
	}
	a.Name = d.namedAs(fullerName(d, a.Name))
	if a.Name == "" {
		// A shared mailbox that names no person: no agent (its
		// address is still the request's From).
		return agentReading{at: span{-1, -1}}
	}
	d.agentLast = lastName(a.Name)
	a.Phone = agentPhone(d, *a)
	for _, p := range d.phoneRoles() {
		if p.e164 == a.Phone && a.Phone != "" && p.role == roleContact {
			r.at = p.phoneHit.span()
			if b, ok := d.blockAt(p.start); ok {
				r.block = &b
			}
			break
		}
	}
	return r
}

func (h phoneHit) span() span { return span{h.start, h.end} }

// namedAs returns name as the letter writes it when a signature names the
// same person in another order ("Oyelowo Harriet" in From, "DC Harriet
// Oyelowo" in the signature).
func (d *doc) namedAs(name string) string {
	w := strings.Fields(name)
	if len(w) != 2 {
		return name
	}
	rev := w[1] + " " + w[0]
	for _, b := range d.blocks {
		if b.name == rev {
			return rev
		}
	}
	if strings.Contains(d.s, rev) && !strings.Contains(d.s, name) {
		return rev
	}
	return name
}

func lastName(name string) string {
	w := strings.Fields(name)
	if len(w) == 0 {
		return ""
	}
	return w[len(w)-1]
}

// formOfficer reads the officer a form or notification names: the value
// of a "Submitted by:", "Affiant / contact:", "Requesting officer |" line,
// with the e-mail and telephone number on the lines labelled for them
// after it ("Officer e-mail:", "Contact phone:").
func (d *doc) formOfficer() (name, email, phone string, at span) {
	at = span{-1, -1}
	for i, li := range d.lineInfo {
		if li.label == "" || li.value < 0 || name != "" {
			continue
		}
		if !labelIsOfficer(li.label) {
			continue
		}
		v := d.s[li.value:d.lines[i][1]]
		if n := signatureName(v); n != "" {
			name, at = n, span{li.value, d.lines[i][1]}
			// The officer's own lines follow.
			for j := i + 1; j < len(d.lines) && j <= i+8; j++ {
				lj := d.lineInfo[j]
				if lj.blank || lj.label == "" {
					break
				}
				val := d.s[max(lj.value, d.lines[j][0]):d.lines[j][1]]
				switch {
				case strings.Contains(lj.label, "mail") && email == "":
					if es := findEmails(val); len(es) > 0 {
						email = strings.ToLower(val[es[0].start:es[0].end])
					}
				case strings.Contains(lj.label, "phone") && !strings.Contains(lj.label, "main") && phone == "":
					if ps := findPhones(val); len(ps) > 0 {
						phone = ps[0].e164
					}
				}
			}
		}
	}
	return name, email, phone, at
}

func labelIsOfficer(l string) bool {
	for _, o := range officerLabels {
		if strings.HasPrefix(l, o) || strings.Contains(l, "/ "+o) || strings.Contains(l, o+" /") {
			return true
		}
	}
	return false
}

// internalForward reports whether m was forwarded from inside the
// recipient's own domain (a colleague passing on an agency's mail).
func internalForward(m *Message) bool {
	fd := m.From.Domain()
	for _, t := range m.To {
		if at := strings.LastIndex(t, "@"); at >= 0 && strings.EqualFold(strings.Trim(t[at+1:], "> "), fd) {
			return true
		}
	}
	return false
}

// titleWords start a signature line naming an officer's role, under the
// name.
var titleWords = []string{"special agent", "detective", "investigator", "officer", "trooper", "deputy", "sergeant",
	"task force officer", "inspector", "agent", "assistant united states attorney", "assistant u.s. attorney",
	"assistant district attorney", "assistant state's attorney", "deputy prosecuting attorney", "postal inspector",
	"supervisory special agent", "senior special agent", "senior investigator", "county detective", "corporal",
	"assistant attorney general", "attorney", "united states magistrate", "magistrate", "judge", "chief", "lieutenant",
	"captain", "associate", "counsel", "paralegal", "analyst"}

// nameFromText finds the officer's name in the letter when the From name
// does not give it: an officer label in a form, or the line above a
// title line in a signature.
func nameFromText(d *doc) string {
	if n, _, _, _ := d.formOfficer(); n != "" {
		return n
	}
	for i := len(d.lines) - 1; i > 0; i-- {
		l := strings.ToLower(strings.TrimSpace(d.line(i)))
		if len(l) >= 60 {
			continue
		}
		for _, t := range titleWords {
			if strings.HasPrefix(l, t) {
				if n := signatureName(d.line(i - 1)); n != "" {
					return n
				}
			}
		}
	}
	return ""
}

// nameFromEmail reads "first.last@" as "First Last".
func nameFromEmail(email string) string {
	local, _, _ := strings.Cut(email, "@")
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' })
	if len(parts) < 2 || len(parts) > 3 {
		return ""
	}
	for i, p := range parts {
		if len(p) == 0 || strings.ContainsAny(p, "0123456789") {
			return ""
		}
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, " ")
}

// fullerName returns the fullest spelling of name in the letter: "Danielle
// Okafor" becomes "Danielle R. Okafor" when the letter writes the middle
// initial, and "R. Castellanos" (a From name with an initial) becomes "Rosa
// Castellanos" when the letter writes the given name in full.
func fullerName(d *doc, name string) string {
	w := strings.Fields(name)
	if len(w) != 2 || !utf8.ValidString(name) {
		return name
	}
	first, last := w[0], w[1]
	initial := ""
	if f := strings.TrimSuffix(first, "."); len([]rune(f)) == 1 {
		r, _ := utf8.DecodeRuneInString(f)
		if !unicode.IsUpper(r) {
			return name
		}
		initial = f
	}
	s := d.s
	for i := 0; ; {
		j := strings.Index(s[i:], last)
		if j < 0 {
			return name
		}
		p := i + j
		i = p + len(last)
		if !wordBoundary(s, p) || !wordBoundary(s, i) {
			continue
		}
		before := strings.Fields(s[max(0, p-40):p])
		if len(before) == 0 || strings.ContainsAny(s[max(0, p-2):p], "\n") {
			continue
		}
		// The word right before the surname may be a middle initial.
		mid := ""
		k := len(before) - 1
		if m := before[k]; len([]rune(strings.TrimSuffix(m, "."))) == 1 && isUpperWord(m) {
			mid, k = m, k-1
		}
		if k < 0 {
			continue
		}
		given := before[k]
		switch {
		case initial != "":
			// "R." in From: the given name written in full, starting with R.
			if len(given) > 2 && strings.HasPrefix(given, initial) && isNameWord(given) {
				out := given
				if mid != "" {
					out += " " + dotted(mid)
				}
				return out + " " + last
			}
		case given == first && mid != "":
			return first + " " + dotted(mid) + " " + last
		}
	}
}

func dotted(m string) string {
	if strings.HasSuffix(m, ".") {
		return m
	}
	return m + "."
}

func isUpperWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// isNameWord: a capitalized word of letters (and inner hyphens).
func isNameWord(w string) bool {
	for i, r := range w {
		if i == 0 && !unicode.IsUpper(r) || !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return true
}

// agentPhone picks the agent's own number among the contact numbers: one
// in the agent's signature or contact block, given as "call me at", or
// under the agent's name in a form, preferring the desk or office number
// to a cell, and never a fax, an agency's main line, dispatch, a command
// post or wire room, or another official's number.
func agentPhone(d *doc, a legal.Agent) string {
	roles := d.phoneRoles()
	last := lastName(a.Name)
	best, bestRank := "", 1<<30
	for _, p := range roles {
		if p.role != roleContact {
			continue
		}
		switch p.label {
		case lblFax, lblAgency, lblOther, lblNonTarget:
			continue
		}
		own := false
		switch {
		case p.owner != "":
			own = last != "" && strings.Contains(p.owner, last)
		case p.me:
			own = true
		default:
			own = d.secAt(p.start) == secContact || d.nearAgent(p.start, a)
		}
		if !own {
			continue
		}
		rank := 1
		switch p.label {
		case lblDesk:
			rank = 0
		case lblMobile:
			rank = 2
		}
		rank = rank*4 + partRank(d.partAt(p.start).name)
		if rank < bestRank {
			best, bestRank = p.e164, rank
		}
	}
	return best
}

// partRank prefers the sender's own words to a quoted message or an
// attachment.
func partRank(name string) int {
	switch {
	case name == "body":
		return 0
	case strings.HasPrefix(name, "pdf:"), strings.HasPrefix(name, "attachment:"):
		return 1
	}
	return 2
}

// nearAgent reports whether the agent's name or e-mail stands shortly
// before offset i, in the same paragraph.
func (d *doc) nearAgent(i int, a legal.Agent) bool {
	lo := max(0, i-160)
	if p := strings.LastIndex(d.s[lo:i], "\n\n"); p >= 0 {
		lo += p + 2
	}
	seg := d.s[lo:i]
	if l := lastName(a.Name); l != "" && strings.Contains(seg, l) {
		return true
	}
	return a.Email != "" && strings.Contains(strings.ToLower(seg), a.Email)
}
