package triage

import (
	"strings"
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
// comma or sentence end, say whose it is: "999-555-0107, the victim's
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
		// "(999) 555-0102, -0103 and -0104": the same role as the first.
		if i > 0 && h.end-h.start <= 6 && (d.s[h.start] == '-' || d.s[h.start] == '/') {
			rp.role, rp.label, rp.owner = out[i-1].role, out[i-1].label, out[i-1].owner
			out = append(out, rp)
			continue
		}
		// "999-555-0105 and 999-555-0106": a list takes its first's role.
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
		}
		// The person named before a number matters only for a contact's
		// number (agentPhone reads contacts only), so it is read when
		// the number is not already a target.
		ownerBefore := func() string {
			if !inBlock && rp.owner == "" {
				rp.owner = d.nameBefore(max(ss, h.start-120), h.start)
			}
			return rp.owner
		}
		switch {
		case d.notTargetSentence(ss, se, h), d.replacedNumber(h):
			rp.role, rp.strong = roleOther, true
		case rp.label == lblNonTarget || d.nonTargetAfter(h):
			rp.role = roleOther
		case rp.label == lblTarget:
			rp.role = roleTarget
		case rp.label == lblDesk && d.secAt(h.start) == secTarget && !inBlock && !rp.me:
			rp.role = roleTarget // "Telephone: (999) 555-0108" in a list of identifiers
		case rp.label != lblNone:
			rp.role = roleContact
		case inBlock || rp.me:
			rp.role = roleContact
		case d.secAt(h.start) == secTarget:
			rp.role = roleTarget
		case d.secAt(h.start) == secContact:
			rp.role = roleContact
		case ownerBefore() != "" || d.emailBeside(h):
			rp.role = roleContact // "Ines Caro, (999) 555-0109", "icaro@agency.gov, +1 999 555 0110"
		default:
			rp.role = d.sentenceRole(ss, h)
		}
		if rp.role == roleContact {
			ownerBefore()
		}
		out = append(out, rp)
	}
	d.roles = out
	return out
}

// notTargetSentence reports whether the sentence [ss, se) says the number
// h is not a target: "not an Acme number", "is a Verizon number", "is
// NOT covered by this order", "was dropped", or, in the next sentence,
// "Neither is an Acme number".
func (d *doc) notTargetSentence(ss, se int, h phoneHit) bool {
	if d.has(cueNotTarget, ss, se) && !d.isProviderNumberClaim(ss, se) {
		return true
	}
	if next := se + 1; next < len(d.s) {
		ns, ne := d.sentenceAt(min(len(d.s)-1, next+1))
		if ns >= se && ns-se < 4 && d.pronounLead(ns) && d.has(cueNotTarget, ns, ne) && !d.phoneIn(ns, ne) {
			return true
		}
	}
	return false
}

// replacedNumber reports whether the letter puts h aside for another
// number: "use X instead of h", "X (not h)", "in place of h", or "h was a
// typo", "h is incorrect" in h's own clause.
func (d *doc) replacedNumber(h phoneHit) bool {
	before := strings.TrimRight(d.lc[max(0, h.start-16):h.start], " (\n")
	for _, w := range []string{"instead of", "in place of", "rather than", " not", "(not"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	end := min(len(d.lc), h.end+48)
	if k := strings.IndexAny(d.lc[h.end:end], ",;.\n"); k >= 0 {
		end = h.end + k
		if d.lc[end] == '.' && end+1 < len(d.lc) && isAlnum(d.lc[end+1]) {
			end = min(len(d.lc), h.end+48) // "a typo." ends; "U.S." does not
		}
	}
	after := d.lc[h.end:end]
	for _, w := range []string{"typo", "typographical", "mistake", "in error", "incorrect", "wrong", "transposed", "mistyped"} {
		if strings.Contains(after, w) {
			return true
		}
	}
	return false
}

// phoneIn reports whether a number stands in [start, end): a sentence
// that names its own number ("The number I typed, X, is not …") speaks
// of that one, not of the number before it.
func (d *doc) phoneIn(start, end int) bool {
	for _, h := range d.phoneHit {
		if h.start >= start && h.start < end {
			return true
		}
	}
	return false
}

// pronounLead reports whether the sentence at ns starts by pointing back
// at what the sentence before named ("It is not a target", "Neither is a
// Acme number", "This line is excluded").
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
// provider itself ("is an Acme number"), which makes it a target, not
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
// its line ("mquill@usdoj.gov | (999) 555-0101", "icaro@agency.gov,
// +1 999 555 0110"): a contact's details, not a target.
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
// Mara J. Quill at", "Supervisor: Lt. Jon Veld,"): two to four
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
			ws = ws[:len(ws)-1] // "… Quill at"
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
