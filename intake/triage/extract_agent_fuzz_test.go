package triage

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestFullerNameHostileNames: fullerName built a regexp from the From
// name, and a one-byte Latin-1 "initial" (invalid UTF-8, yet
// unicode.IsUpper as a rune) made regexp.MustCompile panic. Found by
// FuzzTriage.
func TestFullerNameHostileNames(t *testing.T) {
	d := &doc{s: "Signed, Chidi Okoro, Special Agent"}
	for _, name := range []string{"\xc0 Okoro", "\xc0. Okoro", "\xff\xfe Okoro", "C( Okoro", "C[ Okoro", "Chidi Okoro"} {
		t.Run(name, func(t *testing.T) {
			got := fullerName(d, name) // must not panic
			if name == "Chidi Okoro" && got != name {
				t.Errorf("got %q, want %q", got, name)
			}
		})
	}
	raw := []byte("From: \"\xc0. Okoro\" <c.okoro@doj.state.wi.us>\r\nSubject: Order\r\n\r\nSigned, Chidi Okoro\r\n")
	if _, err := Triage(context.Background(), raw, Options{Location: time.UTC, ReceivedAt: time.Now(),
		Verify: VerifyConfig{LookupTXT: func(string) ([]string, error) { return nil, nil }}}); err != nil {
		t.Fatalf("Triage: %v", err)
	}
}

// TestTriageLongSentenceLinear: mentionOf graded the whole sentence
// around every match, so one 60 KB sentence repeating "court order"
// cost minutes (quadratic). Found by fuzzing Triage. The bound is a
// hang detector far above the milliseconds a linear pass takes.
func TestTriageLongSentenceLinear(t *testing.T) {
	body := strings.Repeat("uance of a court order or other", 2000)
	raw := []byte("From: a@isp.state.il.us\r\nSubject: Preservation\r\n\r\nPlease preserve pending iss" + body + ".\r\n")
	within(t, "Triage of one long sentence", func() {
		if _, err := Triage(context.Background(), raw, Options{Location: time.UTC, ReceivedAt: time.Now(),
			Verify: VerifyConfig{LookupTXT: func(string) ([]string, error) { return nil, nil }}}); err != nil {
			t.Errorf("Triage: %v", err)
		}
	})
}
