package triage

import (
	"unicode"
	"unicode/utf8"
)

// Allocation-free readings of a line's words, as strings.Fields splits
// them (at Unicode white space), for the checks made on every line of a
// letter: most lines are sentences, and a check that needs only a count
// or the last two words should not build a slice of all of them.

// nextField returns the bounds of the first word of s at or after from
// (start == len(s) when there is none). sep reports the separators
// besides white space.
func nextField(s string, from int, sep func(r rune) bool) (start, end int) {
	i := from
	for i < len(s) {
		if !fieldBreak(s, i, sep) {
			break
		}
		i += runeLen(s, i)
	}
	start = i
	for i < len(s) && !fieldBreak(s, i, sep) {
		i += runeLen(s, i)
	}
	return start, i
}

// fieldBreak reports whether the character at s[i] separates words.
func fieldBreak(s string, i int, sep func(r rune) bool) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		if c == ' ' || '\t' <= c && c <= '\r' {
			return true
		}
		return sep != nil && sep(rune(c))
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r) || sep != nil && sep(r)
}

func runeLen(s string, i int) int {
	if s[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return n
}

// fieldCount is len(strings.Fields(s)) without the slice.
func fieldCount(s string) int {
	n := 0
	for i := 0; ; n++ {
		a, b := nextField(s, i, nil)
		if a == len(s) {
			return n
		}
		i = b
	}
}

// lastTwoCapitalized reports whether s has at least two words and its last
// two words start with a capital letter, as any name of two words or more
// at the end of a line does.
func lastTwoCapitalized(s string) bool {
	if utf8.ValidString(s) {
		// Read from the end: the same words as from the start.
		end := len(s)
		for k := 0; k < 2; k++ {
			for end > 0 {
				r, n := utf8.DecodeLastRuneInString(s[:end])
				if !unicode.IsSpace(r) {
					break
				}
				end -= n
			}
			if end == 0 {
				return false
			}
			start := end
			for start > 0 {
				r, n := utf8.DecodeLastRuneInString(s[:start])
				if unicode.IsSpace(r) {
					break
				}
				start -= n
			}
			if r, _ := utf8.DecodeRuneInString(s[start:]); !unicode.IsUpper(r) {
				return false
			}
			end = start
		}
		return true
	}
	prev, last := -1, -1
	for i := 0; ; {
		a, b := nextField(s, i, nil)
		if a == len(s) {
			break
		}
		prev, last = last, a
		i = b
	}
	if prev < 0 {
		return false
	}
	for _, at := range [2]int{prev, last} {
		if r, _ := utf8.DecodeRuneInString(s[at:]); !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// anyWordFold reports whether strings.ToLower(w) is one of words, which
// are lower-case ASCII without a "k" (the one letter a character outside
// ASCII, the Kelvin sign, lower-cases into), without lower-casing w.
func anyWordFold(w string, words ...string) bool {
	for _, x := range words {
		if len(x) != len(w) {
			continue
		}
		i := 0
		for ; i < len(w); i++ {
			c := w[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != x[i] {
				break
			}
		}
		if i == len(w) {
			return true
		}
	}
	return false
}
