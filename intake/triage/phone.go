package triage

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// phoneHit is one telephone number found in a text.
type phoneHit struct {
	start, end int    // byte offsets of the number as written
	e164       string // +15125550162
}

// phoneCandRe finds things shaped like telephone numbers: North American
// numbers in the usual spellings ("(415) 555-0161", "415.555.0161",
// "+1 628 555 0101", "1-206-555-0172") and international numbers written
// with a leading "+". libphonenumber then decides.
var phoneCandRe = regexp.MustCompile(`(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}` +
	`|\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}`)

// phoneAtRe is phoneCandRe anchored at the start; phoneMaxLen bounds the
// length of its matches ("+999 (9999) (9999) (9999) (9999) (9999)").
var phoneAtRe = regexp.MustCompile(`^(?:` + phoneCandRe.String() + `)`)

const phoneMaxLen = 64

// normalizePhone returns the E.164 form of s, read as a US number unless it
// has a country code. It accepts numbers that are possible rather than
// valid: the fictional 555-01XX numbers are not assigned, yet are exactly
// what agents and test fixtures write.
func normalizePhone(s string) (string, bool) {
	digits := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	if digits < 10 || digits > 15 {
		return "", false
	}
	n, err := phonenumbers.Parse(strings.Join(strings.Fields(s), " "), "US")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// findPhones returns the telephone numbers in s in order. A candidate glued
// to letters, digits or a hyphen on either side (case numbers such as
// "26-1-00877-4", "GS-26-118734") is not a phone number.
func findPhones(s string) []phoneHit { return findPhonesN(s, -1) }

// findPhonesN is findPhones stopping after limit numbers (limit < 0: all).
func findPhonesN(s string, limit int) []phoneHit {
	var out []phoneHit
	for pos := 0; pos < len(s) && (limit < 0 || len(out) < limit); {
		// The leftmost candidate at or after pos, as FindStringIndex
		// would return it: a candidate starts with a digit, "+" or "(",
		// and is tried anchored on a short slice (the backtracker).
		start, end := -1, -1
		for p := pos; p < len(s); p++ {
			if c := s[p]; !isDigitByte(c) && c != '+' && c != '(' {
				continue
			}
			if loc := phoneAtRe.FindStringIndex(s[p:min(len(s), p+phoneMaxLen)]); loc != nil {
				start, end = p, p+loc[1]
				break
			}
		}
		if start < 0 {
			break
		}
		pos = end
		if start > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:start])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/' || r == '#' || r == '.' && start > 1 && isDigitByte(s[start-2]) {
				continue
			}
		}
		if end < len(s) {
			r, _ := utf8.DecodeRuneInString(s[end:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '/' || (r == '-' && end+1 < len(s) && isDigitByte(s[end+1])) {
				continue
			}
		}
		e, ok := normalizePhone(strings.TrimSpace(s[start:end]))
		if !ok {
			continue
		}
		out = append(out, phoneHit{start: start, end: end, e164: e})
	}
	return out
}

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }
