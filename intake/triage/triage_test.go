package triage

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/internal/testcorpus"
	"github.com/lebot-dev/lebot/legal"
	"time"
)

// TestEvalFixtures triages the hand-written fixtures of testdata/triage
// and expects every field right.
func TestEvalFixtures(t *testing.T) {
	rep, err := Eval(context.Background(), filepath.Join("testdata", "triage"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cases == 0 {
		t.Fatal("no labelled fixtures")
	}
	for _, m := range rep.Mismatches {
		t.Errorf("%s %s: got %s, want %s", m.File, m.Field, m.Got, m.Want)
	}
	for _, e := range rep.Errors {
		t.Error(e)
	}
}

// evalFloorsFile is the committed ratchet of per-field floors.
const evalFloorsFile = "../../testdata/eval-floors.json"

// TestEvalCorpus holds the reader to the ratchet on the shared corpus:
// no field may score below its floor, and a field that now scores above
// its floor must have the floor raised in the same change.
func TestEvalCorpus(t *testing.T) {
	t.Parallel()
	dir := testcorpus.Dir(t)
	floors, err := LoadFloors(evalFloorsFile)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Eval(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Print(&out)
	t.Log("\n" + out.String())
	below, above := floors.Check(rep)
	for _, r := range below {
		t.Errorf("%s: got %.1f%%, want >= its floor %.1f%%", r.Field, r.Score, r.Floor)
	}
	for _, r := range above {
		t.Errorf("%s: got %.1f%%, above its floor %.1f%%: raise the floor in %s "+
			"(go run . eval --floors testdata/eval-floors.json --raise ../shared/corpus)", r.Field, r.Score, r.Floor, evalFloorsFile)
	}
}

func TestEvalPrint(t *testing.T) {
	rep := &EvalReport{Dir: "x", Cases: 2,
		Fields:     []FieldScore{{Field: "kinds", Correct: 1, Total: 2}},
		Mismatches: []Mismatch{{File: "a", Field: "kinds", Got: "[subpoena]", Want: "[court_order]"}}}
	var b bytes.Buffer
	rep.Print(&b)
	for _, want := range []string{"kinds", "1/2", "50.0%", "a  kinds: got [subpoena], want [court_order]"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("got %q, want it to contain %q", b.String(), want)
		}
	}
}

func TestEvalMissingDir(t *testing.T) {
	if _, err := Eval(context.Background(), t.TempDir(), Options{}); err == nil {
		t.Error("got nil error for a directory with no messages, want one")
	}
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestTriageJSON checks the JSON object carries the label fields, DKIM,
// the checklist and the due date.
func TestTriageJSON(t *testing.T) {
	raw := mustRead(t, filepath.Join("testdata", "triage", "a-html-order-business-days.eml"))
	res, err := Triage(context.Background(), raw, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	b, err := JSON(res)
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(b, &obj); err != nil {
		t.Fatalf("not one JSON object: %v", err)
	}
	for _, k := range append(append([]string{}, EvalFields...), "dkim", "checklist", "due") {
		if _, ok := obj[k]; !ok {
			t.Errorf("key %q: missing from %s", k, b)
		}
	}
	dkim, _ := obj["dkim"].(map[string]any)
	if dkim["result"] != "none" || dkim["domain"] != nil || dkim["aligned"] != false {
		t.Errorf("dkim: got %v, want none/null/false for an unsigned message", dkim)
	}
	if got, want := obj["due"], "2026-07-09T17:00:00Z"; got != want {
		t.Errorf("due: got %v, want %v (the stated deadline at end of business)", got, want)
	}
	if got := obj["ndo_until"]; got != nil {
		t.Errorf("ndo_until: got %v, want null", got)
	}
	if got, _ := json.Marshal(obj["records"]); string(got) != `["subscriber","call_detail"]` {
		t.Errorf("records: got %s, want subscriber and call_detail", got)
	}
	ev, _ := obj["evidence"].(map[string]any)
	for field, want := range map[string]string{
		"kinds":       "order",
		"period":      "from February 1, 2026 through April 30, 2026",
		"deadline":    "within five (5) business days of service",
		"identifiers": "Acme account WX-77310",
		"agent":       "(608) 555-0120",
	} {
		e, _ := ev[field].(map[string]any)
		if q, _ := e["quote"].(string); !strings.Contains(strings.ToLower(q), strings.ToLower(want)) || e["part"] != "body" || len(q) > 200 {
			t.Errorf("evidence %s: got %v, want a quote from the body with %q", field, e, want)
		}
	}
}

// TestEvidenceNotesConflicts: where the letter gives two dates that both
// could be the deadline, the evidence says so instead of silently picking
// one; every period and deadline read carries a quote.
func TestEvidenceNotesConflicts(t *testing.T) {
	m := &Message{From: Address{Name: "Ann Lee", Email: "alee@atf.gov"}, Date: mustDate(t, "Mon, 02 Nov 2026 09:00:00 -0500"),
		Subject: "Subpoena", To: []string{"legal@acme.example"},
		Body: "YOU ARE COMMANDED to produce call detail records for 312-555-0141 from August 1, 2026 to August 31, 2026.\n" +
			"Return date: November 20, 2026.\n\nPlease send them by November 16, 2026 if you can.\n\nAnn Lee\nSpecial Agent\nDesk: 312-555-0100"}
	f := Extract(m, legal.Verification{Official: true}, ExtractOptions{})
	if f.Deadline == nil || f.Deadline.String() != "2026-11-16" {
		t.Fatalf("deadline: got %v, want 2026-11-16", f.Deadline)
	}
	e := f.Evidence[legal.EvidenceDeadline]
	if !strings.Contains(e.Quote, "by November 16, 2026") || !strings.Contains(e.Note, "2026-11-20") {
		t.Errorf("deadline evidence: got %+v, want the November 16 sentence and a note naming 2026-11-20", e)
	}
	if p := f.Evidence[legal.EvidencePeriod]; !strings.Contains(p.Quote, "from August 1, 2026 to August 31, 2026") || p.Note != "" {
		t.Errorf("period evidence: got %+v, want the range and no note", p)
	}
}

func TestTriageUnreadable(t *testing.T) {
	res, err := Triage(context.Background(), []byte("not a message at all"), Options{
		Now: func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		return // refusing to read it is fine
	}
	if len(res.Facts.Kinds) != 1 || res.Facts.Kinds[0] != "unclassified" {
		t.Errorf("kinds: got %v, want [unclassified]", res.Facts.Kinds)
	}
}
