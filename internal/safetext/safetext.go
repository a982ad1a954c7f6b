// Package safetext removes from text the characters that change how the
// rest of it looks without being seen themselves: bidirectional controls
// (U+202E makes "exe.pdf" read as "fdp.exe") and zero-width or otherwise
// invisible format characters (they make two different strings look the
// same, or hide words from a reader). Mail-derived text is stripped of
// them at intake, and again before it reaches Slack.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Invisible reports whether r is a character Strip removes:
//   - Unicode's default-ignorable code points, the characters a renderer
//     must not show (bidirectional controls, zero-width spaces and
//     joiners, soft hyphen, invisible operators, tags, fillers, and the
//     unassigned code points reserved for more of them), except
//     variation selectors, which choose the look of the character
//     before them (text or emoji style) and hide nothing;
//   - other format characters (Cf) except the prepended concatenation
//     marks (the Arabic number signs U+0600-U+0605, U+06DD, ...) and the
//     Egyptian hieroglyph format controls, which are visible;
//   - control characters (escape sequences, NUL, ...).
//
// White space of any kind stays (tab, newline, form feed, the Unicode
// line separators, no-break spaces): it hides nothing, and removing it
// would join the words it separates.
//
// Removing any of these changes no letter: at most a soft hyphen no
// longer appears at a line break, or a zero-width joiner no longer fuses
// an emoji or a Persian or Indic ligature (the letters stay).
func Invisible(r rune) bool {
	if r < utf8.RuneSelf {
		return (r < 0x20 || r == 0x7f) && !unicode.IsSpace(r)
	}
	switch {
	case unicode.IsSpace(r):
		return false
	case unicode.IsControl(r):
		return true
	case unicode.Is(unicode.Variation_Selector, r):
		return false
	case unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r):
		return true
	case unicode.Is(unicode.Cf, r):
		return !unicode.Is(unicode.Prepended_Concatenation_Mark, r) && !(r >= 0x13430 && r <= 0x1345f)
	}
	return false
}

// Strip returns s without invisible and direction-changing characters,
// and how many it removed. Text without any is returned as is,
// unallocated; otherwise invalid UTF-8 in it becomes U+FFFD.
func Strip(s string) (string, int) {
	if strings.IndexFunc(s, Invisible) < 0 {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	n := 0
	for _, r := range s {
		if Invisible(r) {
			n++
			continue
		}
		// An invalid byte becomes U+FFFD: kept as it was, it could join
		// the bytes around a removed character into a new one.
		b.WriteRune(r)
	}
	return b.String(), n
}

// Clean is Strip without the count.
func Clean(s string) string {
	s, _ = Strip(s)
	return s
}
