package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestJobsRunRetention runs `lebot jobs run retention` against an
// embedded store: with RETENTION_DAYS unset it keeps everything, --dry-run
// lists the id and deletes nothing, a real run purges.
func TestJobsRunRetention(t *testing.T) {
	env := testEnv(t, fakeslack.New(t))
	ctx := context.Background()
	closed := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	open := func() store.Store {
		st, err := store.Open(ctx, store.Config{DataDir: env["DATA_DIR"]})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	req, _, err := st.CreateRequest(ctx, store.Incoming{Raw: []byte("Subject: x\r\n\r\nx\r\n"), ReceivedAt: closed,
		Request: legal.Request{Facts: legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}, Identifiers: []string{"+14155550100"}}}})
	if err != nil {
		t.Fatal(err)
	}
	req.Status, req.ClosedAt = legal.StatusClosed, closed
	if err := st.UpdateRequest(ctx, req, store.AuditEntry{Actor: "U1", Action: "status"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	run1 := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, append([]string{"jobs", "run", "retention", "--at", "2026-06-10T03:00:00Z"}, args...), envOf(env), &out, io.Discard); err != nil {
			t.Fatalf("jobs run retention %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	rawErr := func() error {
		st := open()
		defer st.Close()
		_, err := st.RawMessage(ctx, req.ID)
		return err
	}
	if out := run1(); !strings.Contains(out, "everything is kept") || rawErr() != nil {
		t.Errorf("RETENTION_DAYS unset: got %q, raw %v; want everything kept", out, rawErr())
	}
	env["RETENTION_DAYS"] = "90"
	if out := run1("--dry-run"); !strings.Contains(out, "would purge: "+req.ID) || rawErr() != nil {
		t.Errorf("dry run: got %q, raw %v; want the id listed and the raw message kept", out, rawErr())
	}
	if out := run1(); !strings.Contains(out, "purged: "+req.ID) || !errors.Is(rawErr(), store.ErrNotFound) {
		t.Errorf("run: got %q, raw %v; want it purged", out, rawErr())
	}
	if out := run1(); !strings.Contains(out, "retention: 0 request(s)") {
		t.Errorf("second run: got %q, want nothing purged", out)
	}
}
