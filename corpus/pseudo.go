package corpus

import (
	"fmt"
	"strings"

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
