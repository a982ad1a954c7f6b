package corpus

import (
	"slices"
	"strings"
	"unicode"

	"github.com/lebot-dev/lebot/legal"
)

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
