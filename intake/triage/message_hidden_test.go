package triage

import (
	"context"
	"errors"
	"maps"
	"mime"
	"strings"
	"testing"
)

// TestParseRemovesHiddenCharacters: text is read as a person sees it,
// with a count of what was removed and where; addresses are left as they
// are, so a look-alike address is not taken for the real one.
func TestParseRemovesHiddenCharacters(t *testing.T) {
	raw := []byte(strings.ReplaceAll(`From: `+mime.BEncoding.Encode("utf-8", "Dana\u200D Smith")+` <dana.smith@fbi.gov>
Reply-To: <dana@f`+"\u200B"+`bi.gov>
Subject: `+mime.BEncoding.Encode("utf-8", "URGENT \u202Edetaler-efil\u202C request")+`
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"

--B
Content-Type: text/plain; charset=utf-8

Call (415) 555`+"\u200B"+`-0100 about emer`+"\u00AD"+`gency.
Page two.
--B
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="`+mime.BEncoding.Encode("utf-8", "note\u202Etxt.exe")+`"

Attached `+"\uFEFF"+`text.
--B--
`, "\n", "\r\n"))
	m := mustParse(t, raw)
	if m.Subject != "URGENT detaler-efil request" || m.From.Name != "Dana Smith" {
		t.Errorf("subject %+q, sender name %+q: want them without the hidden characters", m.Subject, m.From.Name)
	}
	if m.Body != "Call (415) 555-0100 about emergency.\nPage two." {
		t.Errorf("body: got %+q", m.Body)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "notetxt.exe" || m.Attachments[0].Text != "Attached text." {
		t.Errorf("attachments: got %+v", m.Attachments)
	}
	want := map[string]int{"subject": 2, "sender name": 1, "body": 2, "attachment names": 1, "attachment text": 1}
	if !maps.Equal(m.Hidden, want) {
		t.Errorf("hidden: got %v, want %v", m.Hidden, want)
	}
	if m.ReplyTo == nil || m.ReplyTo.Email != "dana@f\u200Bbi.gov" {
		t.Fatalf("Reply-To: got %+v, want the address as written", m.ReplyTo)
	}
	v := Verify(context.Background(), raw, m, VerifyConfig{LookupTXT: func(string) ([]string, error) { return nil, errors.New("none") }})
	if !strings.Contains(strings.Join(v.Flags, "; "), "Reply-To") {
		t.Errorf("flags: got %q, want the look-alike Reply-To noted as differing", v.Flags)
	}
	if clean := mustParse(t, []byte("From: a@b.gov\r\nSubject: plain\r\n\r\nplain text\r\n")); clean.Hidden != nil {
		t.Errorf("plain message: got hidden %v, want nil", clean.Hidden)
	}
}
