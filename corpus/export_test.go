package corpus

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/internal/testcorpus"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

var la = func() *time.Location {
	l, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		panic(err)
	}
	return l
}()

func openStore(tb testing.TB) store.Store {
	tb.Helper()
	url := testredis.URL(tb)
	st, err := store.Open(context.Background(), store.Config{RedisURL: url, KeyPrefix: testredis.PrefixCleanup(tb, url)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// receive stores raw as intake would: read by the reader, received at
// its own Date.
func receive(tb testing.TB, st store.Store, raw []byte, opts triage.Options) *legal.Request {
	tb.Helper()
	res, err := triage.Triage(context.Background(), raw, opts)
	if err != nil {
		tb.Fatal(err)
	}
	r, created, err := st.CreateRequest(context.Background(), store.Incoming{Raw: raw, MessageID: res.Message.MessageID,
		ReceivedAt: res.Draft.ReceivedAt, Request: res.Draft, Audit: store.AuditEntry{At: res.Draft.ReceivedAt, Actor: "smtp", Action: "created"}})
	if err != nil || !created {
		tb.Fatalf("create: %v (created %v)", err, created)
	}
	return r
}

func correct(tb testing.TB, st store.Store, r *legal.Request, at time.Time, set func(*legal.Facts)) *legal.Request {
	tb.Helper()
	to := r.Facts.Clone()
	set(&to)
	if c := r.Correct(to, "U0ALICE", at, legal.NewCalendar(la)); len(c.Fields) == 0 {
		tb.Fatal("the correction changed nothing")
	}
	if err := st.UpdateRequest(context.Background(), r, store.AuditEntry{RequestID: r.ID, At: at, Actor: "U0ALICE", Action: "correct"}); err != nil {
		tb.Fatal(err)
	}
	return r
}

// corpusFields are the sixteen fields of the corpus label schema.
var corpusFields = []string{"kinds", "preservation_extension", "exigent", "child_endangerment", "ndo", "ndo_until",
	"no_tos_action", "content_requested", "sender_domain", "sender_official", "agent", "identifiers", "period",
	"deadline", "missing", "notes"}

func readLabel(tb testing.TB, path string) triage.Label {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		tb.Fatal(err)
	}
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := slices.Clone(corpusFields)
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		tb.Fatalf("%s: fields %v, want the corpus schema's %v", path, keys, want)
	}
	for _, k := range []string{"kinds", "identifiers", "missing"} {
		if string(fields[k]) == "null" {
			tb.Fatalf("%s: %s is null, want a list", path, k)
		}
	}
	var l triage.Label
	if err := json.Unmarshal(b, &l); err != nil {
		tb.Fatal(err)
	}
	return l
}

// TestExportEvalRoundTrip: a request read without a period is corrected
// by the team, exported, and `eval` reads the exported case: the message
// byte for byte as received, the label carrying the correction, and the
// reader scored against it (wrong on the period, right on the rest).
// Pseudonymized, the reader still agrees with the label on the
// identifiers and the agent: both files carry the same fakes.
func TestExportEvalRoundTrip(t *testing.T) {
	dir := testcorpus.Dir(t)
	opts := triageOpts(t, dir)
	st := openStore(t)
	ctx := context.Background()
	raw := readCase(t, dir, "58-ak-model-2703f-unfilled-date-range")
	r := receive(t, st, raw, opts)
	if r.Facts.Period != nil || !slices.Contains(legal.Missing(r.Checklist()), legal.ItemTimePeriod) {
		t.Fatalf("the reader found a period (%v): pick a case without one", r.Facts.Period)
	}
	period := &legal.Period{Start: legal.Date{Year: 2026, Month: 7, Day: 1}, End: legal.Date{Year: 2026, Month: 10, Day: 19}}
	correct(t, st, r, r.ReceivedAt.Add(time.Hour), func(f *legal.Facts) { f.Period = period })

	out := t.TempDir()
	got, err := Export(ctx, st, []string{strings.TrimPrefix(r.ID, "LE-")}, Options{Dir: out})
	if err != nil || len(got) != 1 || !got[0].Written || got[0].ID != r.ID ||
		!slices.Equal(got[0].Corrected, []legal.Field{legal.FieldPeriod}) {
		t.Fatalf("export: %+v, %v", got, err)
	}
	eml, err := os.ReadFile(filepath.Join(out, r.ID+".eml"))
	if err != nil || string(eml) != string(raw) {
		t.Fatalf("%s.eml differs from the message received (%v)", r.ID, err)
	}
	l := readLabel(t, filepath.Join(out, r.ID+".json"))
	if l.Period == nil || *l.Period != *period || slices.Contains(l.Missing, legal.ItemTimePeriod) ||
		!strings.Contains(l.Notes, "corrected period") {
		t.Fatalf("label: period %v missing %v notes %q", l.Period, l.Missing, l.Notes)
	}

	rep, err := triage.Eval(ctx, out, opts)
	if err != nil || rep.Cases != 1 || len(rep.Errors) != 0 {
		t.Fatalf("eval: %+v, %v", rep, err)
	}
	score := func(rep *triage.EvalReport, field string) int {
		s, _ := rep.Score(field)
		return s.Correct
	}
	for field, want := range map[string]int{"period": 0, "missing": 0, "kinds": 1, "identifiers": 1, "agent": 1, "deadline": 1} {
		if got := score(rep, field); got != want {
			t.Errorf("eval %s: %d/1 correct, want %d", field, got, want)
		}
	}
	if m := rep.Mismatches[slices.IndexFunc(rep.Mismatches, func(m triage.Mismatch) bool { return m.Field == "period" })]; m.Got != "null" ||
		m.Want != "2026-07-01..2026-10-19" {
		t.Errorf("period mismatch: %+v", m)
	}

	pseudo := t.TempDir()
	got, err = Export(ctx, st, []string{r.ID}, Options{Dir: pseudo, Pseudonymize: true})
	if err != nil || !got[0].Written {
		t.Fatalf("pseudonymized export: %+v, %v", got, err)
	}
	pl := readLabel(t, filepath.Join(pseudo, r.ID+".json"))
	if pl.Agent == nil || l.Agent == nil || *pl.Agent == *l.Agent || slices.Equal(pl.Identifiers, l.Identifiers) || *pl.Period != *period {
		t.Fatalf("pseudonymized label: agent %+v identifiers %v", pl.Agent, pl.Identifiers)
	}
	prep, err := triage.Eval(ctx, pseudo, opts)
	if err != nil || prep.Cases != 1 {
		t.Fatalf("eval: %v", err)
	}
	for field, want := range map[string]int{"period": 0, "identifiers": 1, "agent": 1, "kinds": 1, "sender_domain": 1} {
		if got := score(prep, field); got != want {
			t.Errorf("pseudonymized eval %s: %d/1 correct, want %d", field, got, want)
		}
	}
}

// TestExportSkips: requests that cannot be exported are reported and
// leave no file; a PDF case refused for pseudonymization writes neither
// file, even where an earlier export of it exists.
func TestExportSkips(t *testing.T) {
	dir := testcorpus.Dir(t)
	opts := triageOpts(t, dir)
	st := openStore(t)
	ctx := context.Background()
	pdf := receive(t, st, readCase(t, dir, "01-gj-subpoena-subscriber-pdf"), opts)
	draft := legal.NewDraft(legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}}, legal.Verification{}, pdf.ReceivedAt, "manual", legal.NewCalendar(la))
	manual, _, err := st.CreateRequest(ctx, store.Incoming{Raw: []byte("Entered by hand"), MessageID: "manual.V1",
		ReceivedAt: pdf.ReceivedAt, Request: draft})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	old := []byte("an earlier export")
	for _, ext := range []string{".eml", ".json"} {
		if err := os.WriteFile(filepath.Join(out, pdf.ID+ext), old, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Export(ctx, st, []string{pdf.ID, manual.ID, "LE-1999-0001"}, Options{Dir: out, Pseudonymize: true})
	if err != nil || len(got) != 3 {
		t.Fatalf("export: %+v, %v", got, err)
	}
	for i, want := range []string{"an attachment (application/pdf)", "entered by hand", "no request matches"} {
		if got[i].Written || !strings.Contains(got[i].Reason, want) {
			t.Errorf("outcome %d: %+v, want not written: %q", i, got[i], want)
		}
	}
	for _, ext := range []string{".eml", ".json"} {
		if b, _ := os.ReadFile(filepath.Join(out, pdf.ID+ext)); string(b) != string(old) {
			t.Errorf("%s%s was touched by a refused export", pdf.ID, ext)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(out, "*")); len(files) != 2 {
		t.Errorf("files: %v, want only the earlier export", files)
	}
	hidden, _ := filepath.Glob(filepath.Join(out, ".*"))
	if len(hidden) != 0 {
		t.Errorf("temporary files left: %v", hidden)
	}
}

func TestCorrected(t *testing.T) {
	dir := testcorpus.Dir(t)
	opts := triageOpts(t, dir)
	st := openStore(t)
	ctx := context.Background()
	a := receive(t, st, readCase(t, dir, "58-ak-model-2703f-unfilled-date-range"), opts)
	b := receive(t, st, readCase(t, dir, "02-dea-admin-subpoena-relative-deadline"), opts)
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, la)
	correct(t, st, b, at, func(f *legal.Facts) { f.ContentRequested = !f.ContentRequested })
	now := at.Add(24 * time.Hour)
	for _, tt := range []struct {
		since time.Time
		want  []string
	}{{time.Time{}, []string{b.ID}}, {at, []string{b.ID}}, {at.Add(time.Second), nil}} {
		got, err := Corrected(ctx, st, tt.since, now)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("since %v: got %v (%v), want %v (not %s, never corrected)", tt.since, got, err, tt.want, a.ID)
		}
	}
}
