package triage

import (
	"sort"
	"strings"
	"unicode"
)

// findMasks marks the text that says nothing: each unchecked box of a
// form, from the box to the next box, cell or line end ("☐ Child in
// danger; ☒ Threat of suicide" masks the first only), and the placeholders
// of a template never filled in ("[DATE RANGE]", "____").
func (d *doc) findMasks() {
	s := d.s
	for i := 0; i < len(s); {
		k, n := nextBox(s, i)
		if k < 0 {
			break
		}
		end := k + n
		for end < len(s) && s[end] != '\n' && s[end] != ';' && s[end] != '|' {
			if b, bn := boxAt(s, end); bn > 0 && end > k+n {
				_ = b
				break
			}
			end++
		}
		if unchecked, _ := boxAt(s, k); unchecked {
			d.masked = append(d.masked, span{k, end})
		}
		i = max(end, k+n)
	}
	for i := 0; i < len(d.s); {
		j := strings.IndexByte(d.s[i:], '[')
		if j < 0 {
			break
		}
		a := i + j
		b := strings.IndexByte(d.s[a:], ']')
		if b < 0 || b > 40 {
			i = a + 1
			continue
		}
		inner := d.s[a+1 : a+b]
		if isPlaceholder(inner) {
			d.masked = append(d.masked, span{a, a + b + 1})
		}
		i = a + b + 1
	}
	sortSpans(d.masked)
	d.masked = dedupSpans(d.masked)
}

// The boxes of a form, unchecked and checked.
var (
	uncheckedBoxes = []string{"[ ]", "[  ]", "☐", "□", "❑", "❒"}
	checkedBoxes   = []string{"[X]", "[x]", "[✓]", "[✔]", "☒", "☑", "■", "✔", "✓", "(X)", "(x)"}
)

// boxAt reports whether a box starts at i: its length, and whether it is
// unchecked.
func boxAt(s string, i int) (unchecked bool, n int) {
	for _, b := range uncheckedBoxes {
		if strings.HasPrefix(s[i:], b) {
			return true, len(b)
		}
	}
	for _, b := range checkedBoxes {
		if strings.HasPrefix(s[i:], b) {
			return false, len(b)
		}
	}
	return false, 0
}

// nextBox returns where the next box starts at or after i, and its length.
func nextBox(s string, i int) (int, int) {
	for k := i; k < len(s); k++ {
		if c := s[k]; c != '[' && c != '(' && c < 0x80 {
			continue
		}
		if _, n := boxAt(s, k); n > 0 {
			return k, n
		}
	}
	return -1, 0
}

// isPlaceholder: "[DATE RANGE]", "[CASE NUMBER]", "[NAME]": capitals and
// spaces only, two letters at least.
func isPlaceholder(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			letters++
		case r == ' ' || r == '/' || r == '-' || r == '_':
		default:
			return false
		}
	}
	return letters >= 2 && s != "X" && strings.TrimSpace(s) != ""
}

func sortSpans(s []span) {
	sort.Slice(s, func(i, j int) bool { return s[i].start < s[j].start })
}

// isMasked reports whether offset i lies in text that says nothing
// (masks are in text order and do not overlap).
func (d *doc) isMasked(i int) bool {
	k := sort.Search(len(d.masked), func(k int) bool { return d.masked[k].end > i })
	return k < len(d.masked) && d.masked[k].start <= i
}

// placeholderIn reports whether an unfilled placeholder lies in [start, end).
func (d *doc) placeholderIn(start, end int) bool {
	for _, m := range d.masked {
		if m.start >= start && m.end <= end && d.s[m.start] == '[' {
			return true
		}
	}
	return false
}

// quotedByProvider reports whether offset i lies in the provider's own
// earlier reply, quoted below the sender's message.
func (d *doc) quotedByProvider(i int) bool { return d.partAt(i).provider }

// ignorable reports whether offset i is in text the reader skips: an
// unchecked box, a placeholder, or the provider's own quoted words.
func (d *doc) ignorable(i int) bool { return d.isMasked(i) || d.quotedByProvider(i) }
