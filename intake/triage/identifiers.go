package triage

import (
	"sort"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

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
	labelled := map[string]bool{} // written as a target somewhere ("Target number", "Acme number")
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
	accountWords = map[string]bool{"account": true, "acct": true, "customer": true, "subscriber": true, "user": true, "client": true, "accounts": true,
		// Device and VoIP identities name a target as an account id does.
		"imsi": true, "imei": true, "meid": true, "esn": true, "iccid": true, "sip": true, "username": true, "login": true}
	idFillers = map[string]bool{"id": true, "no": true, "number": true, "num": true, "identifier": true, "ident": true, "is": true, "nos": true, "numbers": true, "ids": true,
		"username": true, "name": true, "uri": true, "user": true}
	// loginWords label a user name, which may hold dots and underscores
	// and need not hold a digit ("SIP username: kestrel.ops").
	loginWords = map[string]bool{"username": true, "name": true, "user": true, "login": true, "uri": true}
	notAccount = map[string]bool{"bank": true, "card": true, "credit": true, "reference": true, "case": true}
)

// isAccountWord is accountWords[w] without hashing every word of the
// letter: a word's length and first letter rule out nearly all.
func isAccountWord(w string) bool {
	if len(w) < 3 || len(w) > 10 {
		return false
	}
	switch w[0] {
	case 'a', 'c', 's', 'u', 'i', 'm', 'e', 'l':
		return accountWords[w]
	}
	return false
}

// findAccounts returns the account ids the letter names: "Acme account
// AC-20394", "Customer ID 88123401", "Acct ID# AC-37129", "account
// number: 88231904" — the id itself, with others of the same shape listed
// after it ("AC-1, AC-2 and AC-3").
func findAccounts(d *doc) []idAt {
	var out []idAt
	ws := d.words
	for i := 0; i < len(ws); i++ {
		w := d.lc[ws[i].start:ws[i].end]
		if !isAccountWord(w) || i > 0 && notAccount[d.lc[ws[i-1].start:ws[i-1].end]] {
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
		if loginWords[d.lc[ws[k-1].start:ws[k-1].end]] {
			if id, a, b, ok := loginToken(d.s, ws[k].start); ok {
				out = append(out, idAt{a, id, span{a, b}})
				continue
			}
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

// loginToken reads a user name at i: letters, digits, dots, underscores
// and hyphens, three characters or more, holding a digit, a dot or an
// underscore (so a plain word is not taken), not an e-mail address.
func loginToken(s string, i int) (string, int, int, bool) {
	j := i
	marked := false
	for j < len(s) && j-i < 64 && (isAlnum(s[j]) || strings.IndexByte("._-", s[j]) >= 0 && j+1 < len(s) && isAlnum(s[j+1])) {
		marked = marked || isDigitByte(s[j]) || s[j] == '.' || s[j] == '_'
		j++
	}
	if j-i < 3 || !marked || j < len(s) && (s[j] == '@' || isAlnum(s[j])) {
		return "", i, i, false
	}
	if _, isPhone := normalizePhone(s[i:j]); isPhone {
		return "", i, i, false
	}
	return s[i:j], i, j, true
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
