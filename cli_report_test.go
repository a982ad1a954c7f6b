package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestReportCSV runs `lebot report --format csv` over a year of requests
// in an embedded store: each kind counted, every group adding up to the
// requests received in the year, nothing from outside it.
func TestReportCSV(t *testing.T) {
	env := testEnv(t, fakeslack.New(t))
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: env["DATA_DIR"]})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation(env["TIMEZONE"])
	if env["TIMEZONE"] == "" {
		loc, _ = time.LoadLocation("America/Los_Angeles")
	}
	perKind := map[legal.Kind]int{}
	n := 0
	// Every third day of 2026, and one on each side of the year.
	for at := time.Date(2025, 12, 29, 12, 0, 0, 0, loc); at.Year() <= 2027; at = at.AddDate(0, 0, 3) {
		k := legal.Kinds[n%len(legal.Kinds)]
		if at.Year() == 2026 {
			perKind[k]++
		}
		r := legal.Request{Facts: legal.Facts{Kinds: []legal.Kind{k}, SenderDomain: "fbi.gov"}}
		if _, _, err := st.CreateRequest(ctx, store.Incoming{Raw: fmt.Appendf(nil, "n %d", n), ReceivedAt: at, Request: r}); err != nil {
			t.Fatal(err)
		}
		n++
		if at.Year() == 2027 {
			break
		}
	}
	st.Close()
	received := 0
	for _, c := range perKind {
		received += c
	}

	for _, args := range [][]string{{"--half", "2026"}, {"--from", "2026-01-01", "--to", "2026-12-31"}} {
		var out bytes.Buffer
		if err := run(ctx, append(append([]string{"report"}, args...), "--format", "csv"), envOf(env), &out, io.Discard); err != nil {
			t.Fatalf("report %v: %v", args, err)
		}
		rows, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatalf("report %v: not CSV: %v", args, err)
		}
		sums, kinds := map[string]int{}, map[string]int{}
		for _, row := range rows[1:] {
			if row[0] == "note" {
				continue
			}
			c, _ := strconv.Atoi(row[3])
			sums[row[0]] += c
			if row[0] == "kind" {
				kinds[row[1]] = c
			}
		}
		for k, want := range perKind {
			if kinds[string(k)] != want {
				t.Errorf("report %v: kind %s got %d, want %d", args, k, kinds[string(k)], want)
			}
		}
		for _, g := range []string{"received", "kind", "outcome", "level", "country"} {
			if sums[g] != received {
				t.Errorf("report %v: group %s adds up to %d, want %d received", args, g, sums[g], received)
			}
		}
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"report", "--half", "2026H2"}, envOf(env), &out, io.Discard); err != nil ||
		!bytes.Contains(out.Bytes(), []byte("# Law-enforcement requests, 2026-07-01 to 2026-12-31")) {
		t.Errorf("markdown: got %v\n%s", err, out.String())
	}
	for _, bad := range [][]string{{"--half", "2026H3"}, {"--from", "2026-01-01"}, {"--format", "pdf"}, {"extra"}} {
		if err := run(ctx, append([]string{"report"}, bad...), envOf(env), io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("report %v: got %v, want a usage error", bad, err)
		}
	}
}
