package triage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/internal/testcorpus"
)

// corpusDKIM is the expected-DKIM table of corpus/README.md; cases not
// listed are unsigned.
var corpusDKIM = map[string]struct {
	result, domain string
	aligned        bool
}{
	"01-gj-subpoena-subscriber-pdf":           {"pass", "usdoj.gov", true},
	"02-dea-admin-subpoena-relative-deadline": {"pass", "dea.gov", true},
	"04-federal-sw-voicemail-ndo":             {"pass", "fbi.gov", true},
	"19-usms-2703d-dkim-body-altered":         {"fail", "usms.doj.gov", false},
	"20-hybrid-2703d-pen-trap-dkim-unaligned": {"pass", "relay-notify.net", false},
}

// TestCorpusReadAndVerify: every corpus message parses, its PDFs give
// text, its DKIM result matches the README table and the domain policy
// matches each label's sender_domain and sender_official.
func TestCorpusReadAndVerify(t *testing.T) {
	t.Parallel()
	corpusDir := testcorpus.Dir(t)
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if len(files) == 0 {
		t.Fatalf("no messages in %s", corpusDir)
	}
	lookup, err := LoadDNSFile(filepath.Join(corpusDir, "dns.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".eml")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var label struct {
				SenderDomain   string `json:"sender_domain"`
				SenderOfficial bool   `json:"sender_official"`
			}
			lb, err := os.ReadFile(strings.TrimSuffix(f, ".eml") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(lb, &label); err != nil {
				t.Fatal(err)
			}
			m := mustParse(t, raw)
			if m.Body == "" || m.Date.IsZero() || m.MessageID == "" || len(m.Warnings) > 0 {
				t.Errorf("read: body %d bytes, date %v, id %q, warnings %q", len(m.Body), m.Date, m.MessageID, m.Warnings)
			}
			for _, a := range m.Attachments {
				if a.ContentType == "application/pdf" && (a.NeedsReview || !strings.Contains(strings.ToLower(a.Text), "voxline")) {
					t.Errorf("PDF %s: NeedsReview=%v, text %.80q", a.Filename, a.NeedsReview, a.Text)
				}
			}
			if isForwardSubject(m.Subject) && (m.Forwarded == nil || m.Forwarded.Date.IsZero()) {
				t.Errorf("Forwarded: got %+v for a Fwd: subject, want the original sender and date", m.Forwarded)
			}
			if got := m.From.Domain(); got != label.SenderDomain {
				t.Errorf("From domain: got %s, want %s", got, label.SenderDomain)
			}
			v := Verify(t.Context(), raw, m, VerifyConfig{LookupTXT: lookup})
			if v.Official != label.SenderOfficial {
				t.Errorf("Official: got %v, want %v (flags %q)", v.Official, label.SenderOfficial, v.Flags)
			}
			want := corpusDKIM[name]
			if want.result == "" {
				want.result = "none"
			}
			if v.DKIM != want.result || v.DKIMDomain != want.domain || v.Aligned != want.aligned {
				t.Errorf("DKIM: got %s d=%q aligned=%v, want %s d=%q aligned=%v",
					v.DKIM, v.DKIMDomain, v.Aligned, want.result, want.domain, want.aligned)
			}
		})
	}
}
