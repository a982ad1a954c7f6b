package triage

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustReadFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mail", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustParse(tb testing.TB, raw []byte) *Message {
	tb.Helper()
	m, err := Parse(raw)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return m
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file        string
		id, subject string
		from        Address
		date        string // RFC 3339, in the sender's zone
		to          []string
		body        []string // substrings of Body
		notBody     []string
		warnings    []string // substrings, one per expected warning
	}{
		{
			file: "nested-multipart.eml", id: "nested-1@fbi.gov", subject: "Order – Case MJ26-0001",
			from: Address{Name: "Søren Lindqvist", Email: "Soren.Lindqvist@fbi.gov"},
			date: "2026-10-19T15:41:09-07:00", to: []string{"legal@example.com", "records@example.com"},
			body:     []string{"18 U.S.C. § 2703(d). This line is long enough", "soft line break somewhere."},
			notBody:  []string{"HTML version", "multi-part message in MIME format"},
			warnings: []string{"needs manual review: Anlage Ä.docx"},
		},
		{
			file: "latin1-qp.eml", id: "latin1@fbi.gov", subject: "Demande urgente à traiter",
			from: Address{Name: "Renée Dubois", Email: "rdubois@fbi.gov"},
			date: "2026-11-09T11:27:53-08:00", to: []string{"legal@example.com"},
			body: []string{"voici la requête de Renée."},
		},
		{
			file: "base64-utf8.eml", id: "b64@dps.texas.gov", subject: "Emergency request",
			from: Address{Name: "Villarreal, Tomás", Email: "tomas.villarreal@dps.texas.gov"},
			date: "2026-11-12T03:41:18-06:00", to: []string{"legal@example.com"},
			body: []string{"Sgt. Tomás Villarreal — kidnapping in progress.\nCall me at (512) 555-0100."},
		},
		{
			file: "html-only.eml", id: "html-only@ci.eastbrook.ca.us", subject: "Search Warrant Service",
			from: Address{Name: "Moreno, Alicia", Email: "amoreno@ci.eastbrook.ca.us"},
			date: "2026-10-15T16:05:31-07:00", to: []string{"legal@example.com"},
			body:    []string{"Detective Alicia Moreno & partner", "Phone | (650) 555-0148", "Justification |", "- Call records"},
			notBody: []string{"<", "alert", "color: red", "Ignored title"},
		},
		{
			file: "unknown-charset.eml", id: "odd@agency.gov", subject: "Odd charset",
			from: Address{Email: "sender@agency.gov"}, date: "2026-10-13T11:40:02-04:00", to: []string{"legal@example.com"},
			body:     []string{"Plain ASCII text survives an unknown charset."},
			warnings: []string{"unknown charset"},
		},
		{
			file: "reply-to.eml", id: "rt@fbi.gov", subject: "EMERGENCY",
			from: Address{Name: "SA Bradley Whitmore", Email: "bradley.whitmore@fbi.gov"},
			date: "2026-11-16T06:58:10-05:00", to: []string{"legal@example.com"},
			body: []string{"Reply to my other address."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := mustParse(t, mustReadFixture(t, tt.file))
			if m.MessageID != tt.id {
				t.Errorf("MessageID: got %q, want %q", m.MessageID, tt.id)
			}
			if m.Subject != tt.subject {
				t.Errorf("Subject: got %q, want %q", m.Subject, tt.subject)
			}
			if m.From != tt.from {
				t.Errorf("From: got %+v, want %+v", m.From, tt.from)
			}
			if got := m.Date.Format(time.RFC3339); got != tt.date {
				t.Errorf("Date: got %s, want %s (sender's zone kept)", got, tt.date)
			}
			if !slices.Equal(m.To, tt.to) {
				t.Errorf("To: got %q, want %q", m.To, tt.to)
			}
			for _, s := range tt.body {
				if !strings.Contains(m.Body, s) {
					t.Errorf("Body lacks %q; got:\n%s", s, m.Body)
				}
			}
			for _, s := range tt.notBody {
				if strings.Contains(m.Body, s) {
					t.Errorf("Body contains %q; got:\n%s", s, m.Body)
				}
			}
			if len(m.Warnings) != len(tt.warnings) {
				t.Fatalf("Warnings: got %q, want %d matching %q", m.Warnings, len(tt.warnings), tt.warnings)
			}
			for i, w := range tt.warnings {
				if !strings.Contains(m.Warnings[i], w) {
					t.Errorf("Warning %d: got %q, want it to contain %q", i, m.Warnings[i], w)
				}
			}
		})
	}
}

func TestParseAttachments(t *testing.T) {
	m := mustParse(t, mustReadFixture(t, "nested-multipart.eml"))
	want := []Attachment{
		{ContentType: "image/png", Size: 8},
		{Filename: "notes.txt", ContentType: "text/plain", Size: 63,
			Text: "Attachment A: account AC-1001, period 2026-09-01 to 2026-09-30."},
		{Filename: "Anlage Ä.docx", ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			Size: 22, NeedsReview: true},
	}
	if !slices.Equal(m.Attachments, want) {
		t.Errorf("Attachments:\n got %+v\nwant %+v", m.Attachments, want)
	}
}

func TestParseReplyTo(t *testing.T) {
	tests := []struct {
		file string
		want *Address
	}{
		{"reply-to.eml", &Address{Email: "fbi.emergency.desk@gmail.com"}},
		{"latin1-qp.eml", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := mustParse(t, mustReadFixture(t, tt.file))
			switch {
			case tt.want == nil && m.ReplyTo != nil:
				t.Errorf("ReplyTo: got %+v, want nil", *m.ReplyTo)
			case tt.want != nil && (m.ReplyTo == nil || *m.ReplyTo != *tt.want):
				t.Errorf("ReplyTo: got %v, want %+v", m.ReplyTo, *tt.want)
			}
		})
	}
}

func TestParseAttachedMessage(t *testing.T) {
	m := mustParse(t, mustReadFixture(t, "attached-message.eml"))
	if m.Body != "Forwarding the original as an attachment." {
		t.Errorf("Body: got %q", m.Body)
	}
	if m.Forwarded == nil || m.Forwarded.From.Email != "danielle.okafor@usdoj.gov" ||
		m.Forwarded.Date.Format(time.RFC3339) != "2026-10-06T10:14:22-07:00" {
		t.Errorf("Forwarded: got %+v, want the attached original's sender and date", m.Forwarded)
	}
	var names []string
	var eml string
	for _, a := range m.Attachments {
		names = append(names, a.Filename)
		if a.ContentType == "message/rfc822" {
			eml = a.Text
		}
	}
	if want := []string{"schedule.txt", "original.eml"}; !slices.Equal(names, want) {
		t.Errorf("attachments: got %q, want %q (the inner file is listed too)", names, want)
	}
	for _, s := range []string{"From: Okafor, Danielle <danielle.okafor@usdoj.gov>", "Subject: Grand Jury Subpoena 26-GJ-0417", "account AC-2002"} {
		if !strings.Contains(eml, s) {
			t.Errorf("attached message text lacks %q; got:\n%s", s, eml)
		}
	}
}

func TestParseLenientFrom(t *testing.T) {
	tests := []struct {
		header string
		want   Address
	}{
		{`"Okafor, Danielle (USACAN)" <Danielle.Okafor@usdoj.gov>`, Address{"Okafor, Danielle (USACAN)", "Danielle.Okafor@usdoj.gov"}},
		{`Okafor, Danielle <d.okafor@usdoj.gov>`, Address{"Okafor, Danielle", "d.okafor@usdoj.gov"}},
		{`Sgt. J. Smith <j.smith@police.example.org>`, Address{"Sgt. J. Smith", "j.smith@police.example.org"}},
		{`plain@agency.gov`, Address{Email: "plain@agency.gov"}},
		{`=?utf-8?q?Zo=C3=AB_K.?= <zk@pd.example.org>`, Address{"Zoë K.", "zk@pd.example.org"}},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			m := mustParse(t, []byte("From: "+tt.header+"\r\nSubject: x\r\n\r\nbody\r\n"))
			if m.From != tt.want {
				t.Errorf("From: got %+v, want %+v", m.From, tt.want)
			}
		})
	}
}

// TestParseHostile feeds malformed and oversized input: Parse must not
// panic, and must either fail cleanly or return a message.
func TestParseHostile(t *testing.T) {
	deep := &bytes.Buffer{}
	deep.WriteString("From: a@b.gov\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := 1; i < 60; i++ {
		fmt.Fprintf(deep, "--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i-1, i)
	}
	many := &bytes.Buffer{}
	many.WriteString("From: a@b.gov\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n")
	for range MaxParts + 50 {
		many.WriteString("--x\r\nContent-Type: text/plain\r\n\r\npart\r\n")
	}
	many.WriteString("--x--\r\n")
	tests := []struct {
		name    string
		raw     []byte
		wantErr bool
		warning string
	}{
		{name: "empty", raw: nil, wantErr: true},
		{name: "binary garbage", raw: []byte("\x00\x01\xff\xfe\r\n\r\n\x00"), wantErr: true},
		{name: "header only", raw: []byte("From: a@b.gov\r\nSubject: hi")},
		{name: "huge header", raw: append([]byte("X-Long: "), bytes.Repeat([]byte("a"), MaxHeaderBytes+10)...), wantErr: true},
		{name: "multipart without boundary", raw: []byte("From: a@b.gov\r\nContent-Type: multipart/mixed\r\n\r\nbody\r\n")},
		{name: "unterminated multipart", raw: []byte("From: a@b.gov\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nhalf")},
		{name: "bad base64", raw: []byte("From: a@b.gov\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64***\r\n")},
		{name: "unknown encoding", raw: []byte("From: a@b.gov\r\nContent-Transfer-Encoding: x-weird\r\n\r\nbody\r\n"), warning: "unknown transfer encoding"},
		{name: "bad dates and ids", raw: []byte("From: <<<>>>\r\nDate: yesterday\r\nMessage-ID: not-an-id\r\nReply-To: ,,,\r\n\r\nx\r\n"), warning: "unreadable Date"},
		{name: "deep nesting", raw: deep.Bytes(), warning: "nesting deeper"},
		{name: "too many parts", raw: many.Bytes(), warning: "more than 100 parts"},
		{name: "broken pdf", raw: []byte("From: a@b.gov\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: application/pdf; name=x.pdf\r\n\r\n%PDF-1.4 garbage\r\n--q--\r\n"), warning: "needs manual review: x.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Parse error: got %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if tt.warning != "" && !slices.ContainsFunc(m.Warnings, func(w string) bool { return strings.Contains(w, tt.warning) }) {
				t.Errorf("Warnings: got %q, want one containing %q", m.Warnings, tt.warning)
			}
		})
	}
}
