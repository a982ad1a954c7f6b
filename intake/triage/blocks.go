package triage

import (
	"sort"
	"strings"
)

// contactBlock is a signature or contact block: a person's name line and
// the lines under it (titles, agency, address, numbers, e-mail).
type contactBlock struct {
	start, end int
	name       string // the person, as cleanName writes it
	nameEnd    int
}

// findBlocks finds the contact blocks: a line that is a person's name (a
// signature: "Det. Mara Quill", "Jon Veld, Esq.", "/s/ Ines Caro")
// followed, with no blank line between, by lines of titles,
// agency, address, numbers and e-mail; or one line holding a name and a
// telephone number ("SA Jon Veld, Field Office, (999) 555-0117").
func (d *doc) findBlocks() {
	for i := 0; i < len(d.lines); i++ {
		li := d.lineInfo[i]
		if li.blank || li.rule {
			continue
		}
		t := strings.TrimSpace(d.line(i))
		name, nameEnd := "", -1
		switch {
		case li.label != "" && li.value >= 0:
			// "Defense investigator: Ines Caro, Caro Investigations, (999) 555-0118".
			v := d.s[li.value:d.lines[i][1]]
			if n := signatureName(v); n != "" && d.hasPhoneIn(li.value, d.lines[i][1]) {
				name, nameEnd = n, li.value+len(v)
			}
		case len(t) <= 140:
			// signatureName first: it turns most lines down sooner.
			if n := signatureName(t); n != "" && !addressLine(t) {
				name, nameEnd = n, d.lines[i][0]+len(d.line(i))
			}
		}
		if name == "" {
			continue
		}
		end := d.lines[i][1]
		j := i + 1
		if len(t) <= 70 && li.label == "" {
			for ; j < len(d.lines) && j <= i+12; j++ {
				lj := d.lineInfo[j]
				if lj.blank || lj.rule || lj.heading && !looksLikeContactLine(d.line(j)) || len(d.line(j)) > 160 {
					break
				}
				if j > i+1 && d.personLine(j) {
					break // another person's block
				}
				if lj.label != "" && lj.value >= 0 && signatureName(d.s[lj.value:d.lines[j][1]]) != "" {
					break // "Case agent: TFO Jon Veld, (999) 555-0119"
				}
				if lj.label != "" && !contactLabel(lj.label) {
					break // a form's next field ("Target telephone | …")
				}
				end = d.lines[j][1]
			}
		}
		if !d.hasPhoneIn(d.lines[i][0], end) && !strings.Contains(d.s[d.lines[i][0]:end], "@") && j-i < 2 {
			continue
		}
		if j-i < 2 && !d.hasPhoneIn(d.lines[i][0], end) {
			continue
		}
		d.blocks = append(d.blocks, contactBlock{start: d.lines[i][0], end: end, name: name, nameEnd: nameEnd})
		i = j - 1
	}
}

// contactLabel reports whether a label names a person's contact detail
// ("Desk", "E-mail", "Cell (24/7)") rather than another field of a form.
func contactLabel(l string) bool {
	for _, w := range []string{"phone", "tel", "cell", "mobile", "fax", "desk", "office", "e-mail", "email", "direct", "main",
		"address", "title", "rank", "agency", "unit", "division", "badge", "pager", "work", "center", "centre", "dispatch",
		"line", "24", "room", "o", "c", "d", "m", "t", "f"} {
		if l == w || strings.HasPrefix(l, w+" ") || strings.HasSuffix(l, " "+w) || len(w) > 2 && strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// personLine reports whether line j names another person within a block:
// a name with a rank or title before it ("Lt. Jon Veld"), or a name
// followed by a title line ("Ines Caro / Assistant Attorney General").
func (d *doc) personLine(j int) bool {
	t := strings.TrimSpace(d.line(j))
	n := signatureName(t)
	if n == "" || addressLine(t) {
		return false
	}
	bare := strings.TrimSpace(strings.TrimPrefix(t, "/s/"))
	if i := strings.IndexAny(bare, ",|#(<"); i >= 0 {
		bare = strings.TrimSpace(bare[:i])
	}
	if bare != n || strings.HasPrefix(t, "/s/") {
		return true
	}
	if j+1 < len(d.lines) {
		next := strings.ToLower(strings.TrimSpace(d.line(j + 1)))
		for _, w := range titleWords {
			if strings.HasPrefix(next, w) {
				return true
			}
		}
	}
	return false
}

// addressLine reports whether t reads as a postal address line: a ZIP
// code after a state ("San Francisco, CA 94102"), a street number, a
// suite or post office box.
func addressLine(t string) bool {
	// The words of t with commas and dots as spaces, read in place.
	n, prev, first := 0, "", ""
	for i := 0; ; n++ {
		a, b := nextField(t, i, isCommaDot)
		if a == len(t) {
			break
		}
		w := t[a:b]
		i = b
		if n == 0 {
			first = w
		}
		if len(w) == 5 && allDigits(w) && n > 0 && len(prev) == 2 && strings.ToUpper(prev) == prev {
			return true
		}
		if addressWord(w) {
			return true
		}
		prev = w
	}
	return n > 1 && allDigits(first)
}

func isCommaDot(r rune) bool { return r == ',' || r == '.' }

// addressWord reports whether w, in any case, is a street word.
func addressWord(w string) bool {
	return anyWordFold(w, "suite", "ste", "box", "floor", "street", "avenue", "road", "boulevard", "blvd", "st", "ave", "rd")
}

func looksLikeContactLine(t string) bool {
	lt := strings.ToLower(t)
	return strings.Contains(lt, "@") || strings.ContainsAny(lt, "0123456789")
}

func (d *doc) hasPhoneIn(start, end int) bool {
	for _, p := range d.phoneHit {
		if p.start >= start && p.end <= end {
			return true
		}
	}
	return false
}

// blockAt returns the contact block holding offset i (blocks are in text
// order and do not overlap).
func (d *doc) blockAt(i int) (contactBlock, bool) {
	k := sort.Search(len(d.blocks), func(k int) bool { return d.blocks[k].end > i })
	if k < len(d.blocks) && d.blocks[k].start <= i {
		return d.blocks[k], true
	}
	return contactBlock{}, false
}

// signatureName reads a signature line's person: the text before the
// first comma, dash, bar or badge number, without "/s/", rank or title;
// "" when it is not a person's name.
func signatureName(t string) string {
	t = strings.TrimSpace(t)
	t = strings.TrimSpace(strings.TrimPrefix(t, "/s/"))
	t = strings.TrimSpace(strings.TrimPrefix(t, "By:"))
	t = strings.TrimSpace(strings.TrimPrefix(t, "/s/"))
	if i := signatureCut(t); i >= 0 {
		t = t[:i]
	}
	// (A '-' first: a search for " - " stops at every space.)
	if strings.IndexByte(t, '-') >= 0 {
		if i := strings.Index(t, " - "); i >= 0 {
			t = t[:i]
		}
	}
	t = strings.TrimSpace(t)
	if t == "" || len(t) > 60 || strings.ContainsAny(t, "0123456789:") {
		return ""
	}
	// Ranks come off the front only, so a name's last two words are the
	// line's: most lines (sentences) end in a word in lower case.
	if !lastTwoCapitalized(t) {
		return ""
	}
	s := stripRanks(t)
	if !looksLikeName(s) {
		return ""
	}
	return s
}

// signatureCut is strings.IndexAny(t, ",|#(<·•@"): where a signature
// line's name ends.
func signatureCut(t string) int {
	for i, r := range t {
		switch r {
		case ',', '|', '#', '(', '<', '·', '•', '@':
			return i
		}
	}
	return -1
}
