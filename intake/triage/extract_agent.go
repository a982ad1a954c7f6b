package triage

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lebot-dev/lebot/legal"
)

// rankRe matches ranks and titles written before a name ("Sgt.",
// "Special Agent", "Det.", "SA"), which the agent's name drops.
var rankRe = regexp.MustCompile(`^(?i:(?:supervisory\s+|senior\s+|assistant\s+|deputy\s+|acting\s+|resident\s+)*(?:special\s+agent(?:\s+in\s+charge)?|task\s+force\s+officer|police\s+officer|patrol\s+officer|postal\s+inspector|u\.?s\.?\s+marshal|marshal|detective|det\.|sergeant|sgt\.?|lieutenant|lt\.?|captain|capt\.?|corporal|cpl\.?|patrolman|ptl\.?|officer|ofc\.?|trooper|tpr\.?|deputy|dep\.?|inspector|insp\.?|investigator|inv\.?|agent|chief|sheriff|commander|cmdr\.?|major|maj\.?|colonel|col\.?|hon\.?|honorable|judge|mr\.?|mrs\.?|ms\.?|dr\.?|analyst|constable|attorney|prosecutor)\s+|(?:SA|SSA|TFO|DUSM|AUSA|DA|ADA)\s+)`)

// notNameRe: display names that are mailboxes, not people.
var notNameRe = regexp.MustCompile(`(?i)\b(?:legal|records|subpoenas?|unit|office|department|dept|division|police|sheriff'?s|team|desk|noreply|no-reply|service|services|center|centre|compliance|intake|mailbox|admin|support|bureau|agency|task\s+force)\b`)

// cleanName turns a display name or signature line into "First M. Last":
// no rank or title, no badge number or parenthesized office, and "Last,
// First" put in reading order.
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
		switch {
		case last == "":
		case regexp.MustCompile(`(?i)^(?:jr|sr|ii|iii|iv)\.?$`).MatchString(last):
		case strings.Count(s, ",") == 1 && !strings.Contains(last, " ") || len(strings.Fields(last)) <= 2 && !rankRe.MatchString(last+" "):
			s = last + " " + strings.TrimSpace(first)
		default:
			s = first
		}
	}
	for {
		t := rankRe.ReplaceAllString(s+" ", "")
		t = strings.TrimSpace(t)
		if t == s || t == "" {
			break
		}
		s = t
	}
	s = strings.Join(strings.Fields(s), " ")
	if !looksLikeName(s) {
		return ""
	}
	return s
}

// looksLikeName: two to four words, each starting with a letter, none a
// mailbox word, no digits or @.
func looksLikeName(s string) bool {
	w := strings.Fields(s)
	if len(w) < 2 || len(w) > 4 || notNameRe.MatchString(s) || strings.ContainsAny(s, "@0123456789") {
		return false
	}
	for _, x := range w {
		r := []rune(x)
		if !unicode.IsUpper(r[0]) {
			return false
		}
	}
	return true
}

// Where a letter names its officer when the From name does not.
var officerLineRe = regexp.MustCompile(`(?im)^(?:requesting\s+(?:officer|agent|investigator|detective|official)(?:\s*/\s*badge)?|agent\s+contact|case\s+agent|affiant|point\s+of\s+contact|contact\s+(?:person|officer|agent))\s*[:|]\s*(.+)$`)

// titleLineRe: a signature line naming an officer's role, under the name.
var titleLineRe = regexp.MustCompile(`(?im)^(?:supervisory\s+|senior\s+)?(?:special\s+agent|detective|investigator|officer|trooper|deputy(?:\s+u\.?s\.?\s+marshal)?|sergeant|task\s+force\s+officer|inspector|agent|assistant\s+(?:united\s+states|u\.s\.|district|state'?s)\s+attorney|deputy\s+prosecuting\s+attorney)\b`)

// findAgent returns the requesting officer: the From person (or, for mail
// forwarded internally, the original sender), named as the letter writes
// them in full, with their own e-mail and telephone number.
func findAgent(d *doc, m *Message) legal.Agent {
	from := m.From
	if m.Forwarded != nil && m.Forwarded.From.Email != "" && internalForward(m) {
		from = m.Forwarded.From
	}
	a := legal.Agent{Email: strings.ToLower(from.Email)}
	a.Name = cleanName(from.Name)
	if a.Name == "" {
		a.Name = nameFromText(d)
	}
	if a.Name == "" {
		a.Name = nameFromEmail(a.Email)
	}
	a.Name = fullerName(d, a.Name)
	a.Phone = agentPhone(d, a)
	return a
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

func nameFromText(d *doc) string {
	for _, g := range officerLineRe.FindAllStringSubmatch(d.s, -1) {
		line := g[1]
		if i := strings.IndexAny(line, ",|"); i >= 0 {
			line = line[:i]
		}
		if n := cleanName(line); n != "" {
			return n
		}
	}
	lines := strings.Split(d.s, "\n")
	for i := len(lines) - 1; i > 0; i-- {
		if titleLineRe.MatchString(lines[i]) && len(lines[i]) < 60 {
			if n := cleanName(lines[i-1]); n != "" {
				return n
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
	if len(w) != 2 {
		return name
	}
	first, last := w[0], w[1]
	// The name comes from the sender: quote it, and give up on a pattern
	// that does not compile (invalid UTF-8) rather than panic.
	var pattern string
	if f := strings.TrimSuffix(first, "."); len(f) == 1 && f[0] < utf8.RuneSelf && unicode.IsUpper(rune(f[0])) {
		pattern = `\b(` + f + `[a-z]+(?:-[A-Z][a-z]+)?)\s+(?:([A-Z]\.?)\s+)?$`
	} else {
		pattern = `\b(` + regexp.QuoteMeta(first) + `)\s+([A-Z]\.?)\s+$`
	}
	before, err := regexp.Compile(pattern)
	if err != nil {
		return name
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
		g := before.FindStringSubmatch(s[max(0, p-40):p])
		if g == nil {
			continue
		}
		out := g[1]
		if mid := g[2]; mid != "" {
			if !strings.HasSuffix(mid, ".") {
				mid += "."
			}
			out += " " + mid
		}
		return out + " " + last
	}
}
