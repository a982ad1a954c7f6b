package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testcorpus"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestCorpusExportThenEval: `lebot corpus export --all-corrected` writes
// the corrected request of the configured store, byte for byte as
// received with labels carrying the correction, and `lebot eval` reads
// the exported directory and scores the reader against it.
func TestCorpusExportThenEval(t *testing.T) {
	corpusDir := testcorpus.Dir(t)
	env := testEnv(t, fakeslack.New(t))
	ctx := context.Background()
	raw, err := os.ReadFile(filepath.Join(corpusDir, "58-ak-model-2703f-unfilled-date-range.eml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := triage.Triage(ctx, raw, triage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, store.Config{DataDir: env["DATA_DIR"]})
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := st.CreateRequest(ctx, store.Incoming{Raw: raw, ReceivedAt: res.Draft.ReceivedAt, Request: res.Draft})
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := st.CreateRequest(ctx, store.Incoming{Raw: []byte("From: x@fbi.gov\r\n\r\nhello"), ReceivedAt: res.Draft.ReceivedAt,
		Request: legal.Request{Facts: legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}}}})
	if err != nil {
		t.Fatal(err)
	}
	to := r.Facts.Clone()
	to.Period = &legal.Period{Start: legal.Date{Year: 2026, Month: 7, Day: 1}, End: legal.Date{Year: 2026, Month: 10, Day: 19}}
	r.Correct(to, "U0ALICE", time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC), legal.NewCalendar(time.UTC))
	if err := st.UpdateRequest(ctx, r, store.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	dir := filepath.Join(t.TempDir(), "cases")
	var out bytes.Buffer
	if err := run(ctx, []string{"corpus", "export", "--all-corrected", "--since", "2026-10-20", dir}, envOf(env), &out, io.Discard); err != nil {
		t.Fatalf("corpus export: %v\n%s", err, out.String())
	}
	if want := r.ID + ": written (corrected: period)\n1 of 1 written to " + dir; !strings.Contains(out.String(), want) {
		t.Fatalf("output: got %q, want %q", out.String(), want)
	}
	if strings.Contains(out.String(), other.ID) {
		t.Fatalf("exported %s, which nobody corrected: %s", other.ID, out.String())
	}
	if eml, err := os.ReadFile(filepath.Join(dir, r.ID+".eml")); err != nil || !bytes.Equal(eml, raw) {
		t.Fatalf("%s.eml is not the message received (%v)", r.ID, err)
	}

	out.Reset()
	if err := run(ctx, []string{"eval", "--dns", filepath.Join(corpusDir, "dns.json"), dir}, envOf(env), &out, io.Discard); err != nil {
		t.Fatalf("eval: %v", err)
	}
	for _, want := range []string{"1 cases in " + dir, "period                     0/1", "kinds                      1/1",
		r.ID + "  period: got null, want 2026-07-01..2026-10-19"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("eval output: missing %q in\n%s", want, out.String())
		}
	}

	out.Reset()
	err = run(ctx, []string{"corpus", "export", other.ID, "LE-1999-0001", dir}, envOf(env), &out, io.Discard)
	if err == nil || errors.Is(err, errUsage) || !strings.Contains(out.String(), "LE-1999-0001: not written: no request matches") {
		t.Fatalf("a missing id: got %v, output %q; want a failure naming it", err, out.String())
	}
}

func TestCorpusExportUsage(t *testing.T) {
	env := testEnv(t, fakeslack.New(t))
	var help bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, envOf(env), &help, io.Discard); err != nil ||
		!strings.Contains(help.String(), "lebot corpus export [--pseudonymize] (ID... | --all-corrected [--since DATE]) DIR") {
		t.Errorf("lebot --help: %v, %q", err, help.String())
	}
	for _, args := range [][]string{
		{"corpus"},
		{"corpus", "import", "x"},
		{"corpus", "export"},
		{"corpus", "export", "LE-2026-0001"},
		{"corpus", "export", "LE-2026-0001", "--since", "2026-01-01", "out"},
		{"corpus", "export", "--all-corrected", "LE-2026-0001", "out"},
		{"corpus", "export", "--all-corrected", "--since", "2026-02-30", t.TempDir()},
		{"corpus", "export", "--nope", "out"},
	} {
		err := run(context.Background(), args, envOf(env), io.Discard, io.Discard)
		if !errors.Is(err, errUsage) {
			t.Errorf("%v: got %v, want a usage error", args, err)
		}
	}
}
