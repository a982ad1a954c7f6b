package triage

import (
	"context"
	"errors"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets for raw mail, the most hostile input lebot reads:
// whatever arrives, Parse and Triage return (no panic, no hang) with
// output bounded by the input and the documented caps. Seeds are in
// testdata/fuzz/<FuzzName>/; CI runs each target for a few seconds.

// fuzzDeadline bounds one input's parse. It is a hang detector, not a
// speed test: a healthy parse of a fuzz-sized input takes milliseconds.
const fuzzDeadline = 20 * time.Second

// fuzzTextBound is the most decoded text an input of n bytes may yield:
// charset conversion and U+FFFD replacement can triple a byte, and every
// part and header adds a little framing.
func fuzzTextBound(n int) int { return 4*n + 64<<10 }

// within runs f and fails tb if it has not returned by fuzzDeadline.
func within(tb testing.TB, what string, f func()) {
	tb.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(fuzzDeadline):
		tb.Fatalf("%s did not return within %v", what, fuzzDeadline)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@b.gov\r\nSubject: subpoena\r\n\r\nbody\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x--\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var (
			m   *Message
			err error
		)
		within(t, "Parse", func() { m, err = Parse(raw) })
		if err != nil {
			if m != nil {
				t.Fatalf("got a message and error %v, want one or the other", err)
			}
			if !errors.Is(err, ErrNotMessage) {
				t.Fatalf("got error %v, want one wrapping ErrNotMessage", err)
			}
			return
		}
		if m == nil {
			t.Fatal("got nil message and nil error")
		}
		// The body is documented valid UTF-8 (cards and extraction rely on
		// it); headers keep raw 8-bit bytes, which JSON encoding replaces.
		if !utf8.ValidString(m.Body) {
			t.Fatalf("got a body that is not valid UTF-8: %q", m.Body)
		}
		text := len(m.Body) + len(m.Subject)
		for _, a := range m.Attachments {
			text += len(a.Text)
			if a.Size < 0 {
				t.Fatalf("got attachment size %d", a.Size)
			}
		}
		if max := fuzzTextBound(len(raw)); text > max {
			t.Fatalf("got %d bytes of text from a %d-byte message, want at most %d", text, len(raw), max)
		}
		if len(m.Attachments) > MaxParts {
			t.Fatalf("got %d attachments, want at most MaxParts (%d)", len(m.Attachments), MaxParts)
		}
	})
}

func FuzzTriage(f *testing.F) {
	f.Add([]byte("From: Agent <a@fbi.gov>\r\nSubject: Grand jury subpoena\r\nDate: Mon, 02 Mar 2026 10:00:00 -0800\r\n\r\n" +
		"Produce subscriber records for (415) 555-0100 from January 1, 2026 to January 31, 2026 within 10 days.\r\n"))
	received := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	opts := Options{
		// No network: every DKIM key lookup fails like an unknown selector.
		Verify:      VerifyConfig{LookupTXT: func(string) ([]string, error) { return nil, errors.New("no such record") }},
		Location:    time.UTC,
		ReceivedAt:  received,
		Now:         func() time.Time { return received },
		CompanyName: "Acme",
		Source:      "smtp",
	}
	opts.Calendar = opts.calendar()
	f.Fuzz(func(t *testing.T, raw []byte) {
		var (
			res *Result
			err error
		)
		within(t, "Triage", func() { res, err = Triage(context.Background(), raw, opts) })
		if err != nil {
			if !errors.Is(err, ErrNotMessage) {
				t.Fatalf("got error %v, want only unreadable messages to fail (ErrNotMessage)", err)
			}
			return
		}
		if res == nil || res.Message == nil {
			t.Fatal("got a nil result or message with no error")
		}
		if !res.Draft.ReceivedAt.Equal(received) {
			t.Fatalf("got draft received %v, want %v", res.Draft.ReceivedAt, received)
		}
		for _, id := range res.Facts.Identifiers {
			if len(id) > len(raw)+64 {
				t.Fatalf("got identifier of %d bytes from a %d-byte message", len(id), len(raw))
			}
		}
		if _, err := JSON(res); err != nil {
			t.Fatalf("JSON: %v", err)
		}
	})
}
