package safetext

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

func TestStrip(t *testing.T) {
	tests := []struct {
		name, in, want string
		n              int
	}{
		{"plain", "Grand jury subpoena", "Grand jury subpoena", 0},
		{"right-to-left override", "invoice\u202Efdp.exe", "invoicefdp.exe", 1},
		{"isolates and marks", "\u2067FBI\u2069 \u200Eagent\u200F \u061C", "FBI agent ", 5},
		{"zero width", "f\u200Bb\u200Ci\u200D.\u2060g\uFEFFov", "fbi.gov", 5},
		{"soft hyphen in a domain", "fbi\u00AD.gov", "fbi.gov", 1},
		{"tag characters", "ok\U000E0041\U000E0042\U000E007F", "ok", 3},
		{"controls go, white space stays", "a\x00b\x1b[31mc\td\ne\ff\r\u0085g\u2028h\u00a0i\u0090", "ab[31mc\td\ne\ff\r\u0085g\u2028h\u00a0i", 3},
		{"hangul filler name", "\u3164\u3164", "", 2},
		{"letters of every script stay", "Zoë Zoe\u0308 Ørsted Müller-Lüdenscheidt José", "Zoë Zoe\u0308 Ørsted Müller-Lüdenscheidt José", 0},
		{"right-to-left letters stay", "שלום مرحبا \u0601\u06DD", "שלום مرحبا \u0601\u06DD", 0},
		{"emoji stay, joiners go", "👩\u200D⚖️", "👩⚖️", 1},
		{"invalid UTF-8 untouched without hidden characters", "a\xffb", "a\xffb", 0},
		{"invalid UTF-8 replaced when stripping", "a\xff\u202Eb\xc2\x10\xad", "a\ufffdb\ufffd\ufffd", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := Strip(tt.in)
			if got != tt.want || n != tt.n {
				t.Errorf("Strip(%+q) = %+q, %d; want %+q, %d", tt.in, got, n, tt.want, tt.n)
			}
			if Clean(tt.in) != tt.want {
				t.Errorf("Clean(%+q) = %+q", tt.in, Clean(tt.in))
			}
		})
	}
}

// TestInvisibleCoversBidiControls: every character of Unicode's
// Bidi_Control and Join_Control properties is removed, and no letter,
// digit, mark, punctuation or symbol of any script is.
func TestInvisibleCoversBidiControls(t *testing.T) {
	for _, tab := range []*unicode.RangeTable{unicode.Bidi_Control, unicode.Join_Control} {
		for _, r := range runesOf(tab) {
			if !Invisible(r) {
				t.Errorf("%U is not removed", r)
			}
		}
	}
	for _, tab := range []*unicode.RangeTable{unicode.L, unicode.N, unicode.P, unicode.S, unicode.Zs} {
		for _, r := range runesOf(tab) {
			if Invisible(r) && !unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) {
				t.Errorf("%U (%q) is removed", r, r)
			}
		}
	}
}

func runesOf(tab *unicode.RangeTable) []rune {
	var rs []rune
	for _, r := range tab.R16 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			rs = append(rs, c)
		}
	}
	for _, r := range tab.R32 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			rs = append(rs, c)
		}
	}
	return rs
}

func ExampleStrip() {
	s, n := Strip("Emergency: invoice\u202Efdp.exe")
	fmt.Println(s, n)
	// Output: Emergency: invoicefdp.exe 1
}

// FuzzStrip: whatever the input, the output holds no invisible
// character, keeps every other byte in order, counts what it dropped,
// and a second pass changes nothing.
func FuzzStrip(f *testing.F) {
	f.Add("invoice\u202Efdp.exe")
	f.Add("f\u200Bbi\u00AD.gov \U000E0041 \xff")
	f.Fuzz(func(t *testing.T, s string) {
		got, n := Strip(s)
		if i := strings.IndexFunc(got, Invisible); i >= 0 {
			t.Fatalf("Strip(%+q) = %+q keeps %U", s, got, []rune(got[i:])[0])
		}
		kept := 0
		for _, r := range s {
			if !Invisible(r) {
				kept++
			}
		}
		if n != len([]rune(s))-kept {
			t.Fatalf("Strip(%+q) counted %d removed, want %d", s, n, len([]rune(s))-kept)
		}
		if again, m := Strip(got); again != got || m != 0 {
			t.Fatalf("second Strip changed %+q to %+q", got, again)
		}
		if len(got) > 3*len(s) {
			t.Fatalf("Strip grew %d bytes to %d", len(s), len(got))
		}
	})
}
