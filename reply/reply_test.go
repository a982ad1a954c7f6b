package reply

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

func emergency() *legal.Request {
	return &legal.Request{ID: "LE-2026-0031", Subject: "Emergency disclosure request", From: "sam.ortiz@pd.springfield.gov",
		ReceivedAt: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
		Facts: legal.Facts{Kinds: []legal.Kind{legal.KindEmergency}, Exigent: true, SenderDomain: "pd.springfield.gov", SenderOfficial: true,
			Agent: legal.Agent{Name: "Sam Ortiz", Email: "sam.ortiz@pd.springfield.gov"}, Identifiers: []string{"+14155550142"},
			RecordsSought: []string{"subscriber information"}, Period: &legal.Period{Start: legal.Date{Year: 2026, Month: 11, Day: 1}, End: legal.Date{Year: 2026, Month: 12, Day: 2}}}}
}

func TestDeficiencyNamesWhatIsMissing(t *testing.T) {
	ts, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	r := emergency()
	d, err := NewDraft(ts, Deficiency, r, "Acme Voice", legal.NewCalendar(time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the nature of the emergency", "why normal disclosure would be too slow", "Acme Voice", r.ID} {
		if !strings.Contains(d.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, d.Body)
		}
	}
	// Nothing about the customer: the identifiers and records stay out.
	for _, never := range []string{"555", "subscriber information"} {
		if strings.Contains(d.Body, never) {
			t.Errorf("body reveals %q:\n%s", never, d.Body)
		}
	}
	if d.To != "sam.ortiz@pd.springfield.gov" || d.Subject != "Re: Emergency disclosure request [LE-2026-0031]" || d.Warning != "" {
		t.Errorf("draft: %+v", d)
	}
	// Once the facts are there, nothing is listed as missing.
	r.Facts.DangerDescribed, r.Facts.UrgencyJustified = true, true
	d, _ = NewDraft(ts, Deficiency, r, "Acme Voice", legal.NewCalendar(time.UTC))
	if strings.Contains(d.Body, "nature of the emergency") {
		t.Errorf("met item still listed:\n%s", d.Body)
	}
}

func TestReceiptAndWarning(t *testing.T) {
	ts, _ := LoadTemplates("")
	r := emergency()
	r.Facts.Kinds, r.Facts.Exigent = []legal.Kind{legal.KindSubpoena}, false
	r.Facts.SenderDomain, r.Facts.SenderOfficial, r.From = "gmail.com", false, "cop@gmail.com"
	r.Subject = "RE: Re: subpoena [LE-2026-0031]"
	d, err := NewDraft(ts, Receipt, r, "Acme Voice", legal.NewCalendar(time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// Received Thu Dec 3; ten business days later is Thu Dec 17.
	if !strings.Contains(d.Body, "Thu Dec 17, 2026") || !strings.Contains(d.Body, "subpoena of Thu Dec 3, 2026") {
		t.Errorf("receipt body:\n%s", d.Body)
	}
	if !strings.Contains(d.Warning, "gmail.com is not an official government domain") || !strings.Contains(d.Warning, "call the agency") {
		t.Errorf("warning: %q", d.Warning)
	}
	if d.To != "cop@gmail.com" || d.Subject != "Re: subpoena [LE-2026-0031]" {
		t.Errorf("to %q subject %q", d.To, d.Subject)
	}
	r.Callbacks = []legal.Callback{{Result: legal.CallbackConfirmed}}
	if d, _ := NewDraft(ts, Receipt, r, "Acme Voice", legal.NewCalendar(time.UTC)); d.Warning != "" {
		t.Errorf("warning after a confirmed callback: %q", d.Warning)
	}
}

func TestTeamTemplates(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "receipt.txt"), []byte("{{.Company}} got {{.RequestID}}."), 0o644)
	ts, err := LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := ts.Render(Receipt, DataOf(emergency(), "Acme", legal.NewCalendar(time.UTC))); got != "Acme got LE-2026-0031.\n" {
		t.Errorf("team receipt: %q", got)
	}
	if got, _ := ts.Render(Deficiency, DataOf(emergency(), "Acme", legal.NewCalendar(time.UTC))); !strings.Contains(got, "nature of the emergency") {
		t.Errorf("deficiency should stay built in: %q", got)
	}
	for name, src := range map[string]string{"syntax": "{{.Company", "unknown field": "{{.Customer}}"} {
		os.WriteFile(filepath.Join(dir, "custom.txt"), []byte(src), 0o644)
		_, err := LoadTemplates(dir)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "custom.txt")) {
			t.Errorf("%s: got %v, want an error naming the file", name, err)
		}
	}
}

func TestMessageBytes(t *testing.T) {
	from, _ := mail.ParseAddress("Acme Legal <legal@acme.example>")
	m := Message{From: from, To: []string{"sam@pd.example.gov"}, Subject: "Re: Ürgent\r\nBcc: evil@x.example [LE-2026-0001]",
		Body: "Line one\n" + strings.Repeat("long ", 300) + "\nend", MessageID: NewMessageID(from),
		InReplyTo: "orig@pd.example.gov", References: []string{"orig@pd.example.gov"}, Date: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
	raw := m.Bytes()
	for _, l := range bytes.Split(raw, []byte("\r\n")) {
		if len(l) > 998 {
			t.Fatalf("line of %d bytes", len(l))
		}
	}
	got, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got.Header.Get("Bcc") != "" || got.Header.Get("In-Reply-To") != "<orig@pd.example.gov>" ||
		got.Header.Get("References") != "<orig@pd.example.gov>" || !strings.HasSuffix(got.Header.Get("Message-ID"), "@acme.example>") {
		t.Errorf("headers: %v", got.Header)
	}
	if s, _ := new(mime.WordDecoder).DecodeHeader(got.Header.Get("Subject")); !strings.HasPrefix(s, "Re: Ürgent") {
		t.Errorf("subject: %q", s)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(got.Body))
	if !strings.HasSuffix(strings.TrimSpace(string(body)), "end") || !strings.Contains(string(body), "Line one\r\n") {
		t.Errorf("body: %q", body)
	}
}
