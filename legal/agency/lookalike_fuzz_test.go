package agency

import (
	"fmt"
	"testing"
)

// FuzzLookAlike: any sender domain, however hostile, gets an answer
// without a panic, and a match always names a known domain.
func FuzzLookAlike(f *testing.F) {
	for _, s := range []string{"fbi-gov.com", "xn--fb-ioc.com", "ＦＢＩ.us", "a..b", "xn--", "fbi.gov.co", "\x00.gov", "-.-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, domain string) {
		m, ok := LookAlike(domain, registry)
		if ok && m.Known == "" {
			t.Fatalf("LookAlike(%q): a match without a known domain", domain)
		}
		Classify(domain)
	})
}

// BenchmarkLookAlike compares a sender domain with a registry of 500
// known agency domains, the work done on every request created.
func BenchmarkLookAlike(b *testing.B) {
	known := make([]string, 0, 500)
	for i := range 500 {
		known = append(known, fmt.Sprintf("agency%03dpolice.gov", i))
	}
	known = append(known, "fbi.gov")
	for b.Loop() {
		LookAlike("fbi-gov-secure.com", known)
	}
}
