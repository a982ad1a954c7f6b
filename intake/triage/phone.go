package triage

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// phoneHit is one telephone number found in a text.
type phoneHit struct {
	start, end int    // byte offsets of the number as written
	e164       string // +19995550100
}

// maxPhones bounds the numbers read from one message; a letter names a
// handful.
const maxPhones = 200

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
	if e, end, ok := nanp(s, 0); ok && strings.TrimSpace(s[end:]) == "" {
		return e, true
	}
	n, err := phonenumbers.Parse(strings.Join(strings.Fields(s), " "), "US")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// findPhones returns the telephone numbers in s in order.
func findPhones(s string) []phoneHit { return findPhonesN(s, -1) }

func (d *doc) findPhones(limit int) []phoneHit { return findPhonesIn(d.s, limit, d.region) }

// findPhonesN is findPhonesIn for North American senders.
func findPhonesN(s string, limit int) []phoneHit { return findPhonesIn(s, limit, "") }

// findPhonesN returns up to limit (< 0: all) telephone numbers in s, in
// order: North American numbers in the usual spellings ("(999) 555-0100",
// "999.555.0100", "+1 999 555 0100", "1-999-555-0100", "9995550100"),
// numbers written with a shared prefix ("(999) 555-0102, -0103 and -0104"
// is three), and international numbers written with "+" and a country
// code other than 1 (read by libphonenumber). A number glued to letters,
// digits or a hyphen ("26-1-00877-4", "GS-26-118734") is a case number,
// not a telephone number.
func findPhonesIn(s string, limit int, region string) []phoneHit {
	var out []phoneHit
	for p := 0; p < len(s) && (limit < 0 || len(out) < limit); p++ {
		c := s[p]
		if !isDigitByte(c) && c != '+' && c != '(' {
			continue
		}
		if p > 0 && gluedBefore(s, p) {
			continue
		}
		e164, end, ok := nanp(s, p)
		if !ok && c == '+' {
			e164, end, ok = international(s, p)
		}
		if !ok && c == '0' && region != "" {
			e164, end, ok = national(s, p, region)
		}
		if !ok || gluedAfter(s, end) {
			continue
		}
		out = append(out, phoneHit{start: p, end: end, e164: e164})
		// "-0193 and -0194" after a number: the same prefix, another line.
		for end < len(s) && (limit < 0 || len(out) < limit) {
			k := end
			for k < len(s) && (s[k] == ' ' || s[k] == ',') {
				k++
			}
			for _, w := range []string{"and ", "or ", "& "} {
				if strings.HasPrefix(s[k:], w) {
					k += len(w)
					break
				}
			}
			n := siblingSuffix(s, k, end)
			if n == 0 {
				break
			}
			prefix := e164[:len(e164)-n]
			out = append(out, phoneHit{start: k, end: k + 1 + n, e164: prefix + s[k+1:k+1+n]})
			end = k + 1 + n
		}
		p = end - 1
	}
	return out
}

// siblingSuffix returns how many final digits the number ending at end
// shares a prefix with at k: "-0193" (four, after ", " or "and "), or
// "/0102" and "/02" written right after the number ("202-555-0101/0102"
// is two numbers); 0 when k starts no such suffix.
func siblingSuffix(s string, k, end int) int {
	if k >= len(s) {
		return 0
	}
	n := 0
	for k+1+n < len(s) && n < 5 && isDigitByte(s[k+1+n]) {
		n++
	}
	if k+1+n < len(s) && (isAlnum(s[k+1+n]) || s[k+1+n] == '-' || s[k+1+n] == '/') {
		return 0
	}
	switch {
	case s[k] == '-' && n == 4:
		return 4
	case s[k] == '/' && k == end && (n == 4 || n == 2):
		return n
	}
	return 0
}

func gluedBefore(s string, p int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:p])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/' || r == '#' || r == '_' ||
		r == '.' && p > 1 && isDigitByte(s[p-2])
}

func gluedAfter(s string, end int) bool {
	if end >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[end:])
	if r == '/' && siblingSuffix(s, end, end) > 0 {
		return false // "202-555-0101/0102"
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '/' || r == '_' ||
		(r == '-' || r == '.') && end+1 < len(s) && isDigitByte(s[end+1])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// nanp reads a North American number at p: an optional "+1" or "1", the
// area code (bare or in parentheses), the exchange and the line, each
// separated by at most one space, dot, hyphen or line break. Area code and
// exchange start with 2-9.
func nanp(s string, p int) (string, int, bool) {
	k := p
	sep := func(k int, newline bool) int {
		if k < len(s) && (s[k] == ' ' || s[k] == '.' || s[k] == '-' || newline && s[k] == '\n') {
			return k + 1
		}
		return k
	}
	digits := func(k, n int) (string, int, bool) {
		if k+n > len(s) || !allDigits(s[k:k+n]) {
			return "", k, false
		}
		return s[k : k+n], k + n, true
	}
	if s[k] == '+' {
		if k+1 >= len(s) || s[k+1] != '1' {
			return "", p, false
		}
		k = sep(k+2, false)
	} else if s[k] == '1' && k+1 < len(s) && (s[k+1] == ' ' || s[k+1] == '-' || s[k+1] == '.' || s[k+1] == '(') {
		k = sep(k+1, false)
	}
	var area string
	var ok bool
	if k < len(s) && s[k] == '(' {
		if area, k, ok = digits(k+1, 3); !ok || k >= len(s) || s[k] != ')' {
			return "", p, false
		}
		k++
		if k < len(s) && (s[k] == ' ' || s[k] == '\n') {
			k++
		}
	} else {
		if area, k, ok = digits(k, 3); !ok {
			return "", p, false
		}
		k = sep(k, true)
	}
	exch, k, ok := digits(k, 3)
	if !ok {
		return "", p, false
	}
	k = sep(k, false)
	line, k, ok := digits(k, 4)
	if !ok || area[0] < '2' || exch[0] < '2' {
		return "", p, false
	}
	return "+1" + area + exch + line, k, true
}

// national reads a number written the national way of a sender outside
// North America, with its trunk 0 ("020 7946 0118", "07700 900482",
// "03 9000 0000"), as libphonenumber reads it for that region.
func national(s string, p int, region string) (string, int, bool) {
	end := p
	lastDigit := -1
	digits := 0
	for end < len(s) && end-p < 18 {
		c := s[end]
		if isDigitByte(c) {
			lastDigit = end
			digits++
		} else if c != ' ' && c != '-' && c != '(' && c != ')' {
			break
		}
		end++
	}
	if lastDigit < 0 || digits < 9 || digits > 12 {
		return "", p, false
	}
	end = lastDigit + 1
	n, err := phonenumbers.Parse(s[p:end], region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", p, false
	}
	return phonenumbers.Format(n, phonenumbers.E164), end, true
}

// international reads "+CC …" (a country code other than 1) at p with
// libphonenumber: digits with spaces, dots, hyphens and parentheses.
func international(s string, p int) (string, int, bool) {
	end := p + 1
	lastDigit := -1
	for end < len(s) && end-p < 24 {
		c := s[end]
		if isDigitByte(c) {
			lastDigit = end
		} else if c != ' ' && c != '.' && c != '-' && c != '(' && c != ')' {
			break
		}
		end++
	}
	if lastDigit < 0 {
		return "", p, false
	}
	end = lastDigit + 1
	e, ok := normalizePhone(s[p:end])
	if !ok || strings.HasPrefix(e, "+1") {
		return "", p, false
	}
	return e, end, true
}
