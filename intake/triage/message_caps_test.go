package triage

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"

	"github.com/lebot-dev/lebot/legal"
)

// nestedMessage is a message that attaches a message that attaches ...
// depth levels deep, the innermost with a text body of about size bytes.
func nestedMessage(depth, size int) []byte {
	inner := "From: a@b.gov\r\nSubject: inner\r\nContent-Type: text/plain\r\n\r\n" +
		strings.Repeat("0123456789abcde\r\n", size/17)
	for i := range depth {
		inner = fmt.Sprintf("From: a@b.gov\r\nSubject: level %d\r\nMIME-Version: 1.0\r\n"+
			"Content-Type: multipart/mixed; boundary=\"L%d\"\r\n\r\n--L%d\r\nContent-Type: text/plain\r\n\r\n"+
			"see attached\r\n--L%d\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"+
			"%s\r\n--L%d--\r\n", i, i, i, i, inner, i)
	}
	return []byte(inner)
}

// TestParseNestedMessagesBounded: attached messages were read whole
// before being parsed, once per level of nesting, so a 19 MiB message
// nested four deep raised the heap by 140 MiB. They are parsed as they
// stream in now: the cost is what the text parts keep.
func TestParseNestedMessagesBounded(t *testing.T) {
	raw := nestedMessage(4, 19<<20)
	var m *Message
	heap := peakHeapDuring(func() { m = mustParse(t, raw) })
	t.Logf("%d MiB message: heap +%d MiB; warnings %q", len(raw)>>20, heap>>20, m.Warnings)
	if heap > 48<<20 {
		t.Errorf("heap rose by %d MiB, want < 48 MiB", heap>>20)
	}
	if len(m.Attachments) != 4 {
		t.Fatalf("got %d attachments, want the 4 attached messages", len(m.Attachments))
	}
	if a := m.Attachments[0]; a.Size < 19<<20 || !strings.HasPrefix(a.Text, "From: a@b.gov\nSubject: inner\n\n0123456789abcde") {
		t.Errorf("innermost message: got size %d, text %.60q", a.Size, a.Text)
	}
	if !slices.Contains(m.Warnings, "body part longer than 4194304 bytes was truncated") {
		t.Errorf("warnings: got %q, want the long body noted", m.Warnings)
	}
}

// TestParseReadBudget: once a message's parts have used MaxReadBytes,
// the rest are listed, flagged and not read.
func TestParseReadBudget(t *testing.T) {
	raw := buildMixed(t, "Three attachments.", []testPart{
		{"text/plain", "a.txt", []byte(strings.Repeat("a", 100))},
		{"text/plain", "b.txt", []byte(strings.Repeat("b", 100))},
		{"application/pdf", "c.pdf", []byte("%PDF-1.4")},
	})
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// As if earlier parts had read all but 150 bytes.
	p := &parser{m: &Message{}, st: &msgState{read: MaxReadBytes - 150, pdfDeadline: time.Now().Add(time.Minute)}}
	p.walk(e, 0)
	var got []string
	for _, a := range p.m.Attachments {
		got = append(got, fmt.Sprintf("%s %d %v %q", a.Filename, len(a.Text), a.NeedsReview, a.ReviewNote))
	}
	want := []string{`a.txt 100 false ""`,
		`b.txt 0 true "was not read (the message is too large to read in full)"`,
		`c.pdf 0 true "was not read (the message is too large to read in full)"`}
	if !slices.Equal(got, want) {
		t.Errorf("attachments:\n got %q\nwant %q", got, want)
	}
	if body := p.body(); body != "Three attachments." {
		t.Errorf("body: got %q, want it read (it came first, within the budget)", body)
	}
}

// TestParseBudgetLeavesNormalMailAlone: a message well under the budget
// reads exactly as before.
func TestParseBudgetLeavesNormalMailAlone(t *testing.T) {
	m := mustParse(t, nestedMessage(2, 1<<20))
	for _, w := range m.Warnings {
		if strings.Contains(w, "too large") {
			t.Errorf("got warning %q on a 1 MiB message", w)
		}
	}
	if len(m.Attachments) != 2 || !strings.Contains(m.Attachments[0].Text, "0123456789abcde") {
		t.Errorf("got %d attachments, want both attached messages read, the inner one first", len(m.Attachments))
	}
}

// TestParseCapsFlagIncomplete: a message cut at a cap says so on the
// card's manual-review list; one read whole does not.
func TestParseCapsFlagIncomplete(t *testing.T) {
	many := &bytes.Buffer{}
	many.WriteString("From: a@b.gov\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n")
	for range MaxParts + 5 {
		many.WriteString("--x\r\nContent-Type: text/plain\r\n\r\npart\r\n")
	}
	many.WriteString("--x--\r\n")
	deep := &bytes.Buffer{}
	deep.WriteString("From: a@b.gov\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := 1; i < 20; i++ {
		fmt.Fprintf(deep, "--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i-1, i)
	}
	const note = "parts of the message were not read (too many, nested too deep or too large); read the original"
	for _, tt := range []struct {
		name string
		raw  []byte
		want bool
	}{
		{"too many parts", many.Bytes(), true},
		{"multipart too deep", deep.Bytes(), true},
		{"attached messages too deep", nestedMessage(6, 100), true},
		{"ordinary", nestedMessage(2, 100), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tt.raw)
			f := Extract(m, legal.Verification{}, ExtractOptions{})
			if got := slices.Contains(f.ManualReview, note); m.Incomplete != tt.want || got != tt.want {
				t.Errorf("Incomplete %v, noted %v; want %v (warnings %q)", m.Incomplete, got, tt.want, m.Warnings)
			}
		})
	}
}
