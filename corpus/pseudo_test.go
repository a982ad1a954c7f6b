package corpus

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/internal/testcorpus"
	"github.com/lebot-dev/lebot/legal"
)

func readCase(tb testing.TB, dir, name string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, name+".eml"))
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func triageOpts(tb testing.TB, dir string) triage.Options {
	tb.Helper()
	lookup, err := triage.LoadDNSFile(filepath.Join(dir, "dns.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return triage.Options{Verify: triage.VerifyConfig{LookupTXT: lookup}}
}

func read(tb testing.TB, raw []byte, opts triage.Options) legal.Facts {
	tb.Helper()
	res, err := triage.Triage(context.Background(), raw, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return res.Facts
}

// TestPseudonymizeCorpus pseudonymizes every corpus message with one
// Pseudonymizer, as one export would. A message with a part that cannot
// be read as text (a PDF) is refused whole. Every other one is checked
// from outside: the reader, reading the pseudonymized message, finds the
// fake identifiers and agent that the label would carry (the two files
// agree) and everything else as it read the original; none of the
// original numbers, addresses or identifiers is left in any text of it.
func TestPseudonymizeCorpus(t *testing.T) {
	dir := testcorpus.Dir(t)
	opts := triageOpts(t, dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	p := NewPseudonymizer()
	var written, refused int
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".eml")
		t.Run(name, func(t *testing.T) {
			raw := readCase(t, dir, name)
			orig := read(t, raw, opts)
			out, fake, err := p.Pseudonymize(raw, orig)
			hasPDF := strings.Contains(strings.ToLower(string(raw)), "application/pdf")
			if hasPDF {
				if !errors.Is(err, ErrNotSafe) || !strings.Contains(err.Error(), "application/pdf") || out != nil {
					t.Fatalf("a message with a PDF: got %v, want refused naming the PDF", err)
				}
				refused++
				return
			}
			if err != nil {
				t.Fatalf("pseudonymize: %v", err)
			}
			written++
			got := read(t, out, opts)
			if !slices.Equal(got.Identifiers, fake.Identifiers) || got.Agent != fake.Agent {
				t.Errorf("the reader of the pseudonymized message finds identifiers %v agent %+v, the label says %v %+v",
					got.Identifiers, got.Agent, fake.Identifiers, fake.Agent)
			}
			same := func(f legal.Facts) legal.Facts {
				f.Identifiers, f.Agent, f.ManualReview = nil, legal.Agent{}, nil
				f.Evidence = nil // its quotes carry the replaced names and numbers
				return f
			}
			if !reflect.DeepEqual(same(got), same(orig)) {
				t.Errorf("other facts changed:\n got %+v\nwant %+v", same(got), same(orig))
			}
			texts, err := readTexts(out)
			if err != nil {
				t.Fatal(err)
			}
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return ' '
			}, texts)
			for _, id := range append(slices.Clone(orig.Identifiers), orig.Agent.Phone, orig.Agent.Email) {
				if id == "" {
					continue
				}
				if strings.Contains(strings.ToLower(texts), strings.ToLower(id)) ||
					(strings.HasPrefix(id, "+1") && strings.Contains(strings.ReplaceAll(digits, " ", ""), id[2:])) {
					t.Errorf("%s is still in the pseudonymized message", id)
				}
			}
			if orig.Agent.Name != "" && strings.Contains(texts, orig.Agent.Name) {
				t.Errorf("the agent's name is still in the message")
			}
		})
	}
	t.Logf("%d pseudonymized, %d refused (PDF)", written, refused)
}
