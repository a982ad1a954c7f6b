package triage

import (
	"slices"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestFindPhones(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"parenthesized", "call (415) 555-0161 now", []string{"+14155550161"}},
		{"dots", "Phone: 217.555.0176", []string{"+12175550176"}},
		{"spaced with country code", "at +1 628 555 0101.", []string{"+16285550101"}},
		{"leading 1 and dashes", "telephone 1-206-555-0172, e-mail", []string{"+12065550172"}},
		{"country code and parentheses", "+1 (720) 555-0107 and +1 (720) 555-0108", []string{"+17205550107", "+17205550108"}},
		{"wrapped across a line", "number (206)\n555-0163 and", []string{"+12065550163"}},
		{"international", "UK desk +44 20 7946 0958", []string{"+442079460958"}},
		{"case numbers are not phones", "No. 26-1-00877-4, GS-26-118734, 3:26-mj-71342, 305A-NY-3389164", nil},
		{"dates and zip codes are not phones", "08/01/2026 - 10/15/2026, CA 94107", nil},
		{"too short", "555-0134", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, h := range findPhones(tc.in) {
				got = append(got, h.e164)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestFictionalNumbersArePossible pins why normalizePhone uses
// IsPossibleNumber: the 555-01XX numbers agents and fixtures use are
// possible but not valid, and must still be read.
func TestFictionalNumbersArePossible(t *testing.T) {
	n, err := phonenumbers.Parse("(512) 555-0162", "US")
	if err != nil {
		t.Fatal(err)
	}
	if phonenumbers.IsValidNumber(n) {
		t.Log("libphonenumber now calls 555-01XX valid; IsPossibleNumber is still the right test")
	}
	if got, ok := normalizePhone("(512) 555-0162"); !ok || got != "+15125550162" {
		t.Errorf("got %q %v, want +15125550162 true", got, ok)
	}
}
