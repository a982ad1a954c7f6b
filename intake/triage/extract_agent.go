package triage

import (
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

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
	if m.Forwarded != nil && m.Forwarded.From.Email != "" && (internalForward(m) || d.forwardsFor(m.Forwarded.From)) {
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

// forwardsFor reports whether the sender's own cover note says it passes
// the request on for the forwarded message's author ("Forwarding on behalf
// of Detective Lindqvist", "sending this for Sgt. Ruiz"): the author, who
// signs the request, is its agent, not the forwarder.
func (d *doc) forwardsFor(orig Address) bool {
	last := lastName(cleanName(orig.Name))
	if last == "" {
		last = lastName(nameFromEmail(orig.Email))
	}
	if last == "" {
		return false
	}
	for _, p := range d.parts {
		if p.name != "body" {
			continue
		}
		for _, w := range []string{"on behalf of ", "forwarding for ", "sending for ", "sending this for ", "forwarding this for "} {
			for i := p.start; ; {
				k := strings.Index(d.lc[i:p.end], w)
				if k < 0 {
					break
				}
				i += k + len(w)
				if strings.Contains(d.s[i:min(p.end, i+40)], last) {
					return true
				}
			}
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
		case lblFax, lblAgency, lblNonTarget:
			continue
		case lblOther:
			// An attorney's title counts against the number unless it is
			// the agent's own, in the agent's signature, with nothing on
			// the number's line to say whose it is.
			if last == "" || !strings.Contains(p.owner, last) || !d.bareLine(p.phoneHit) {
				continue
			}
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

// bareLine reports whether h stands alone on its line.
func (d *doc) bareLine(h phoneHit) bool {
	li := d.lineAt(h.start)
	return strings.TrimSpace(d.s[d.lines[li][0]:h.start]) == "" && strings.TrimSpace(d.s[h.end:d.lines[li][1]]) == ""
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
