package triage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The allocation-free word readings must read every line as the
// strings.Fields-based versions they replaced: each is checked against a
// plain restatement on every line of the test messages and on lines made
// to hit the edges (Unicode spaces, invalid UTF-8, street words in odd
// case).
func TestWordReadingsAsFields(t *testing.T) {
	lines := []string{
		"", " ", "a", "Jon  Veld", "Jon\u00a0Veld", "Jon\u2003Veld\u0085", "\xffJon Veld", "Jon \xff",
		"SAN FRANCISCO, CA 94102", "123 Main St.", "PO BOX 12", "SUITE 400", "Suite", "ſuite 4", "Kelvin K Rd",
		"1600 Pennsylvania Avenue NW", "12", "12 ", "CA,94102", "ca 94102", "Special Agent Dana Smith",
		"/s/ Det. Ines Caro, Caro Investigations", "By: Lt. Jon Veld · Unit 4", "Jon Veld • 555", "ATTACHMENT A",
		"II. Records and Other Information", "Schedule A", "schedule a.", "I.  The Account", "Records requested:",
		"Sgt. Ana Ruiz - Patrol", "Ana\u00a0Ruiz", "\u00a0Ana Ruiz\u2003", "Ana Ruiz\xff", "Ana \xffRuiz", "\xc2 Ana Ruiz", "Ana ruiz", "ANA RUIZ", "Ana Ruiz Jr", "Supervisory Special Agent in Charge Mo Li",
	}
	var files []string
	for _, root := range []string{"testdata", filepath.Join("..", "..", "..", "shared", "corpus")} {
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && strings.HasSuffix(p, ".eml") {
				files = append(files, p)
			}
			return nil
		})
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(raw), "\n")...)
	}
	if len(lines) < 1000 {
		t.Fatalf("only %d lines to check", len(lines))
	}
	for _, ln := range lines {
		for _, s := range []string{ln, strings.TrimSpace(ln)} {
			if got, want := fieldCount(s), len(strings.Fields(s)); got != want {
				t.Errorf("fieldCount(%q) = %d, want %d", s, got, want)
			}
			if got, want := addressLine(s), addressLineFields(s); got != want {
				t.Errorf("addressLine(%q) = %v, want %v", s, got, want)
			}
			if got, want := signatureName(s), signatureNameFields(s); got != want {
				t.Errorf("signatureName(%q) = %q, want %q", s, got, want)
			}
			f := strings.Fields(s)
			if got, want := lastTwoCapitalized(s), len(f) >= 2 && startsUpper(f[len(f)-2]) && startsUpper(f[len(f)-1]); got != want {
				t.Errorf("lastTwoCapitalized(%q) = %v, want %v", s, got, want)
			}
			if got, want := signatureCut(s), strings.IndexAny(s, ",|#(<·•@"); got != want {
				t.Errorf("signatureCut(%q) = %d, want %d", s, got, want)
			}
			if got, want := isHeading(s, strings.ToLower(s), ""), isHeadingFields(s); got != want {
				t.Errorf("isHeading(%q) = %v, want %v", s, got, want)
			}
		}
	}
}

func addressLineFields(t string) bool {
	f := strings.Fields(strings.NewReplacer(",", " ", ".", " ").Replace(t))
	for i, w := range f {
		if len(w) == 5 && allDigits(w) && i > 0 && len(f[i-1]) == 2 && strings.ToUpper(f[i-1]) == f[i-1] {
			return true
		}
		switch strings.ToLower(w) {
		case "suite", "ste", "box", "floor", "street", "avenue", "road", "boulevard", "blvd", "st", "ave", "rd":
			return true
		}
	}
	return len(f) > 0 && allDigits(f[0]) && len(f) > 1
}

func signatureNameFields(t string) string {
	t = strings.TrimSpace(t)
	t = strings.TrimSpace(strings.TrimPrefix(t, "/s/"))
	t = strings.TrimSpace(strings.TrimPrefix(t, "By:"))
	t = strings.TrimSpace(strings.TrimPrefix(t, "/s/"))
	if i := strings.IndexAny(t, ",|#(<·•@"); i >= 0 {
		t = t[:i]
	}
	if i := strings.Index(t, " - "); i >= 0 {
		t = t[:i]
	}
	t = strings.TrimSpace(t)
	if t == "" || len(t) > 60 || strings.ContainsAny(t, "0123456789:") {
		return ""
	}
	s := stripRanks(t)
	if !looksLikeName(s) {
		return ""
	}
	return s
}

// isHeadingFields is isHeading with no label, as it read with
// strings.Fields.
func isHeadingFields(t string) bool {
	if len(t) > 140 {
		return false
	}
	core := strings.TrimLeft(stripParens(t), "0123456789.) ")
	if strings.HasSuffix(core, ":") && len(strings.Fields(core)) <= 14 {
		return true
	}
	letters, upper := 0, 0
	for _, r := range core {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters >= 4 && upper == letters && len(strings.Fields(core)) <= 16 {
		return true
	}
	w := strings.Fields(t)
	if len(w) >= 2 && len(w) <= 10 && !strings.HasSuffix(t, ".") && !strings.HasSuffix(t, ",") {
		first := strings.TrimSuffix(w[0], ".")
		if isRoman(first) && strings.HasSuffix(w[0], ".") {
			return true
		}
		switch strings.ToLower(first) {
		case "attachment", "schedule", "exhibit", "rider", "section":
			return true
		}
	}
	return false
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func TestUnixNewlines(t *testing.T) {
	for _, s := range []string{"", "a", "\r", "\n", "\r\n", "\r\r\n", "\n\r", "a\r\nb\rc\n\rd\r", "\r\n\r\n", "x\r"} {
		want := strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		if got := unixNewlines(s); got != want {
			t.Errorf("unixNewlines(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestNormalizeTextSpacing(t *testing.T) {
	for in, want := range map[string]string{
		"a b c\nd e":              "a b c\nd e",
		"a  b\n  c d  ":           "a b\nc d",
		"Name   Value\nx y":       "Name | Value\nx y",
		"a\tb":                    "a | b",
		"> quoted  text\n> > x y": "quoted text\nx y",
		"one two\n\nthree":        "one two\n\nthree",
	} {
		if got := normalizeText(in); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}
