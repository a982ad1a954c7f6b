package triage

import (
	"regexp"
	"sort"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// phoneRole is what a telephone number in a letter is.
type phoneRole int

const (
	roleTarget     phoneRole = iota // a number records are sought for
	roleContact                     // the agent's or the agency's contact number
	roleDistractor                  // another official's number (supervisor, AUSA, judge)
)

// Cues in the words before a number. The nearest cue decides its role.
var (
	targetCueRe     = regexp.MustCompile(`(?i)\b(?:numbers?|no\.|account|acct|targets?|facilit(?:y|ies)|associated\s+with|assigned(?:\s+to)?|registered(?:\s+to)?|subscriber|user\s+of|using|used\s+by|for|device|identifier|target\s+(?:tele)?phone(?:\s+\d+)?\s*:?|victim'?s?|suspect'?s?)(?:\s*[:|]\s*|\s+|$)`)
	contactCueRe    = regexp.MustCompile(`(?i)\b(?:tel|telephone|phone|ph|office|desk|cell|cellular|mobile|fax|direct|callback|call\s+back|dispatch|contact|reach\s+me|call\s+me|me\s+at|at|or|24[- ]?hours?|24/7|work)\b[^\w@]*$|\b(?:tel|telephone|phone|office|desk|cell|mobile|direct)\b\s*(?:\([^)]*\))?\s*[:|.]?\s*$`)
	distractorCueRe = regexp.MustCompile(`(?i)\b(?:supervisor|supervising|sergeant|lieutenant|lt\.|captain|commander|ausa|attorney|prosecutor|judge|magistrate|clerk|counsel|chief)\b`)
	connectorRe     = regexp.MustCompile(`(?i)^\s*(?:,|and|or|/|&|;)?\s*(?:and\s+|or\s+)?$`)
)

type roledPhone struct {
	phoneHit
	role   phoneRole
	anchor int // distance from the nearest preceding agent anchor, or -1
}

// maxPhones bounds the numbers considered; a letter names a handful.
const maxPhones = 200

// phonesOf returns rolePhones for agent a, computed once per doc.
func phonesOf(d *doc, a legal.Agent) []roledPhone {
	if d.phonesFor != nil && *d.phonesFor == a {
		return d.phones
	}
	anchors, names := agentAnchors(d, a)
	d.phones, d.phonesFor = rolePhones(d, anchors, names), &a
	return d.phones
}

// rolePhones finds the numbers in d and decides what each one is. anchors
// are the offsets where the agent's name or e-mail end; nameEnds are those
// of the name alone.
func rolePhones(d *doc, anchors, nameEnds []int) []roledPhone {
	hits := d.findPhones(maxPhones)
	out := make([]roledPhone, 0, len(hits))
	for i, h := range hits {
		rp := roledPhone{phoneHit: h, anchor: -1}
		lo := max(0, h.start-120)
		if p := strings.LastIndex(d.s[lo:h.start], "\n\n"); p >= 0 {
			lo += p + 2
		}
		for _, a := range anchors {
			if a >= lo && a <= h.start && (rp.anchor < 0 || h.start-a < rp.anchor) {
				rp.anchor = h.start - a
			}
		}
		if i > 0 && hits[i-1].end >= lo && connectorRe.MatchString(d.s[hits[i-1].end:h.start]) {
			rp.role = out[i-1].role
			out = append(out, rp)
			continue
		}
		w := d.s[lo:h.start]
		t := d.lastEnd(targetCueRe, w)
		c := d.lastEnd(contactCueRe, w)
		x := d.lastEnd(distractorCueRe, w)
		an := -1
		if rp.anchor >= 0 {
			an = len(w) - rp.anchor
		}
		if x >= 0 && ownTitle(d.s, lo+x, nameEnds) {
			x = -1 // the agent's own title under their name
		}
		switch {
		case t < 0 && c < 0 && x < 0 && an < 0:
			rp.role = roleTarget
			if ls := strings.LastIndex(w, "\n"); ls >= 0 && strings.TrimSpace(w[ls+1:]) == "" || h.start == 0 {
				rp.role = roleContact // a number alone on a line: a signature
			}
		case x > t && x > c && x > an:
			rp.role = roleDistractor
		case t >= c && t >= an:
			rp.role = roleTarget
		default:
			rp.role = roleContact
		}
		out = append(out, rp)
	}
	return out
}

// ownTitle reports whether the distractor word ending at i is the title
// written right after the agent's name ("Joanna Whitaker, Assistant United
// States Attorney"), not another official's.
func ownTitle(s string, i int, nameEnds []int) bool {
	for _, e := range nameEnds {
		if e <= i && i-e <= 45 {
			gap := s[e:i]
			if !strings.ContainsAny(gap, "@:0123456789") {
				return true
			}
		}
	}
	return false
}

func lastEnd(re *regexp.Regexp, s string) int {
	all := re.FindAllStringIndex(s, -1)
	if len(all) == 0 {
		return -1
	}
	return all[len(all)-1][1]
}

// agentAnchors returns where the agent's surname and e-mail end in d, and
// separately where the name ends.
func agentAnchors(d *doc, a legal.Agent) (all, names []int) {
	if w := strings.Fields(a.Name); len(w) > 0 {
		last := w[len(w)-1]
		if len([]rune(last)) >= 2 {
			names = d.wordEnds(last)
		}
	}
	all = append(all, names...)
	if a.Email != "" {
		all = append(all, d.substrEnds(a.Email)...)
	}
	sort.Ints(all)
	return all, names
}

// agentPhone picks the agent's own number: a contact number nearest after
// the agent's name or e-mail, never a supervisor's, attorney's or judge's,
// never a target.
func agentPhone(d *doc, a legal.Agent) string {
	phones := phonesOf(d, a)
	targets := map[string]bool{}
	for _, p := range phones {
		if p.role == roleTarget {
			targets[p.e164] = true
		}
	}
	best, bestDist := "", -1
	for _, p := range phones {
		if p.role != roleContact || targets[p.e164] {
			continue
		}
		dist := p.anchor
		if dist < 0 {
			dist = 1 << 20
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist = p.e164, dist
		}
	}
	return best
}

var (
	emailRe   = regexp.MustCompile(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	accountRe = regexp.MustCompile(`(?i)\b(?:account|acct\.?|customer|subscriber|user|client|billing\s+account)(?:\s+(?:id|no\.?|number|num|#|identifier|ident))?\s*[:#|]?\s*([A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*)\b`)
	moreIDRe  = regexp.MustCompile(`(?i)^\s*(?:,|and|&|/|or)\s*(?:and\s+|or\s+)?([A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*)\b`)
)

// findIdentifiers lists the target identifiers in the order the letter
// gives them: target phone numbers (E.164), customer e-mail addresses (lower
// case) and account ids. The agent's and other officials' contact details,
// the recipient's own addresses and government addresses are not targets.
func findIdentifiers(d *doc, m *Message, agent legal.Agent) []string {
	type at struct {
		pos int
		id  string
	}
	var found []at
	contact := map[string]bool{agent.Phone: true}
	phones := phonesOf(d, legal.Agent{Name: agent.Name, Email: agent.Email})
	for _, p := range phones {
		if p.role != roleTarget {
			contact[p.e164] = true
		}
	}
	for _, p := range phones {
		if p.role == roleTarget && !contact[p.e164] {
			found = append(found, at{p.start, p.e164})
		}
	}
	for _, loc := range d.all(emailRe) {
		e := strings.ToLower(strings.TrimRight(d.s[loc[0]:loc[1]], "."))
		if !officialAddress(e, m, agent) {
			found = append(found, at{loc[0], e})
		}
	}
	for _, g := range d.all(accountRe) {
		pos, end := g[2], g[3]
		for {
			id := d.s[pos:end]
			partOfEmail := end < len(d.s) && (d.s[end] == '@' || d.s[end] == '.' && end+1 < len(d.s) && isDigitByte(d.s[end+1]))
			if _, isPhone := normalizePhone(id); !isPhone && !partOfEmail && len(id) >= 4 {
				found = append(found, at{pos, id})
			}
			n := moreIDRe.FindStringSubmatchIndex(d.s[end:])
			if n == nil || !sameShape(id, d.s[end+n[2]:end+n[3]]) {
				break
			}
			pos, end = end+n[2], end+n[3]
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].pos < found[j].pos })
	out := []string{}
	seen := map[string]bool{}
	for _, f := range found {
		if !seen[f.id] {
			seen[f.id] = true
			out = append(out, f.id)
		}
	}
	return out
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
	return dom == m.From.Domain() && !freeMail(dom)
}

func freeMail(dom string) bool {
	switch dom {
	case "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "aol.com",
		"icloud.com", "me.com", "protonmail.com", "proton.me", "gmx.com", "mail.com", "yandex.com", "zoho.com":
		return true
	}
	return false
}

// sameShape reports whether b is written like a (same letter prefix), so
// "AC-1, AC-2" continues a list while "AC-1, 2026" does not.
func sameShape(a, b string) bool {
	pa := strings.TrimRight(strings.SplitN(a, "-", 2)[0], "0123456789")
	pb := strings.TrimRight(strings.SplitN(b, "-", 2)[0], "0123456789")
	return strings.EqualFold(pa, pb) && (strings.Contains(a, "-") == strings.Contains(b, "-"))
}
