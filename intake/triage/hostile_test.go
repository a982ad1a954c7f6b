package triage

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestTriageHostileShapes: text shaped to defeat a reader that looks
// around every match (a page of dates, of numbers, of one danger word, of
// account lists, of quoted headers, of unchecked boxes) is read in time
// proportional to its length. The bound is a hang detector, far above the
// tens of milliseconds each takes.
func TestTriageHostileShapes(t *testing.T) {
	shapes := map[string]string{
		"dates":     strings.Repeat("from 1/1/26 to 2/2/26 and between 3/3/2026 and the present ", 2500),
		"phones":    strings.Repeat("call (415) 555-0100, -0101 and -0102 or 415.555.0103 ", 2500),
		"one word":  strings.Repeat("kill ", 25000),
		"accounts":  "account " + strings.Repeat("AC-1, ", 20000),
		"e-mails":   strings.Repeat("a@b.example.com ", 8000),
		"names":     strings.Repeat("Det. John Smith\n(415) 555-0100\n\n", 4000),
		"cues":      strings.Repeat("the date of this order within 10 days no later than by Monday not a subpoena ", 1500),
		"table":     strings.Repeat("| From | To |\n| 1/1/2026 | 2/2/2026 |\n", 3000),
		"boxes":     strings.Repeat("[ ] Stored content\n[X] Subscriber\n", 4000),
		"quotes":    strings.Repeat("> From: a@b.com\n> Sent: x\n> To: y\n", 3000),
		"brackets":  strings.Repeat("[DATE RANGE] ", 9000),
		"one line":  strings.Repeat("a", 120000),
		"orders":    strings.Repeat("IT IS ORDERED that records be disclosed for the 90 days preceding the date of this Order. ", 1300),
		"negations": strings.Repeat("do not do not do not suspend ", 5000),
	}
	for name, body := range shapes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := []byte("From: Det. A B <a@b.gov>\r\nTo: legal@acme.example\r\nSubject: subpoena\r\n" +
				"Date: Mon, 02 Mar 2026 10:00:00 -0800\r\n\r\n" + body)
			within(t, "Triage", func() {
				res, err := Triage(context.Background(), raw, Options{Location: time.UTC, ReceivedAt: time.Now(),
					Verify: VerifyConfig{LookupTXT: func(string) ([]string, error) { return nil, nil }}})
				if err != nil || res == nil {
					t.Errorf("got %v, %v; want a result", res, err)
				}
			})
		})
	}
}
