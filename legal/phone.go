package legal

import (
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// maxPhoneInput bounds what ParsePhone reads.
const maxPhoneInput = 64

// ParsePhone reads a telephone number a person typed ("202-555-0111",
// "+1 (202) 555-0111", "+44 20 7946 0958"; North American without a
// country code) into E.164. It accepts numbers that are possible rather
// than assigned, as the fictional 555-01XX numbers are not. The error
// says what is wrong, for the person who typed it.
func ParsePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("no telephone number given")
	}
	if len(s) > maxPhoneInput {
		return "", fmt.Errorf("that is too long for a telephone number")
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-().", r):
		default:
			return "", fmt.Errorf("%q is not a telephone number: use digits, spaces, + - ( ) . only", s)
		}
	}
	n, err := phonenumbers.Parse(s, "US")
	if err != nil {
		return "", fmt.Errorf("%q is not a telephone number (%d digits): give 10 digits for North America, or + and the country code", s, digits)
	}
	switch phonenumbers.IsPossibleNumberWithReason(n) {
	case phonenumbers.IS_POSSIBLE:
		return phonenumbers.Format(n, phonenumbers.E164), nil
	case phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return "", fmt.Errorf("%q has too few digits: give the area code too", s)
	case phonenumbers.TOO_SHORT, phonenumbers.INVALID_LENGTH:
		return "", fmt.Errorf("%q has too few digits for a telephone number in its country (numbers outside North America need + and the country code)", s)
	case phonenumbers.TOO_LONG:
		return "", fmt.Errorf("%q has too many digits for a telephone number in its country", s)
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "", fmt.Errorf("%q starts with a country code that does not exist", s)
	}
	return "", fmt.Errorf("%q is not a possible telephone number", s)
}

// FormatPhone writes an E.164 number for people, spaced in groups:
// "+1 202 555 0111", "+44 20 7946 0958". Anything it cannot read is
// returned as it is.
func FormatPhone(e164 string) string {
	n, err := phonenumbers.Parse(e164, "US")
	if err != nil {
		return e164
	}
	return strings.ReplaceAll(phonenumbers.Format(n, phonenumbers.INTERNATIONAL), "-", " ")
}
