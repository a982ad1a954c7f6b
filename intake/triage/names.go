package triage

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
func rankKey(w string) string {
	if strings.IndexByte(w, '.') >= 0 {
		w = strings.ReplaceAll(w, ".", "")
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; 'A' <= c && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(w)
		}
	}
	return w
}

// rankLen returns how many of the words w at the start are a rank or
// title, 0 when none.
func rankLen(w []string) int {
	// Each word's key is made once, not once per rank tried.
	var buf [8]string
	keys := buf[:0]
	for _, x := range w {
		keys = append(keys, rankKey(x))
	}
	i := 0
	for i < len(w) && rankPrefixes[keys[i]] {
		i++
	}
	for _, r := range multiRanks {
		if i+len(r) <= len(w) {
			ok := true
			for k, x := range r {
				if keys[i+k] != x {
					ok = false
					break
				}
			}
			if ok {
				return i + len(r)
			}
		}
	}
	if i < len(w) && (rankWords[keys[i]] || rankAbbrevs[w[i]]) {
		return i + 1
	}
	if i > 0 && rankWords[keys[i-1]] {
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
			return false // "CUSTODIAN OF RECORDS", "ACME, INC.", "R AN"
		}
	}
	return !notName(s)
}

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

// fullerName returns the fullest spelling of name in the letter: "Mara
// Quill" becomes "Mara J. Quill" when the letter writes the middle
// initial, and "J. Veld" (a From name with an initial) becomes "Jon Veld"
// when the letter writes the given name in full.
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
