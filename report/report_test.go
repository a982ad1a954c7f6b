package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/legal/agency"
	"github.com/lebot-dev/lebot/store"
)

var la = func() *time.Location {
	l, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		panic(err)
	}
	return l
}()

func TestPeriods(t *testing.T) {
	tests := []struct {
		in, from, to, err string
	}{
		{"2026H1", "2026-01-01", "2026-07-01", ""},
		{"2026h2", "2026-07-01", "2027-01-01", ""},
		{"2026", "2026-01-01", "2027-01-01", ""},
		{"2026H3", "", "", "not a half-year"},
		{"H2", "", "", "not a half-year"},
	}
	for _, tt := range tests {
		p, err := Half(tt.in, la)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Half(%q): got %v, want an error saying %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || p.From.Format("2006-01-02") != tt.from || p.To.Format("2006-01-02") != tt.to || p.From.Location() != la {
			t.Errorf("Half(%q): got %v to %v, %v; want %s to %s in LA", tt.in, p.From, p.To, err, tt.from, tt.to)
		}
	}
	p, err := Dates("2026-01-01", "2026-12-31", la)
	if err != nil || !p.To.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, la)) || p.LastDay().Format("2006-01-02") != "2026-12-31" {
		t.Errorf("Dates: got %v to %v, %v; want the last day included", p.From, p.To, err)
	}
	if _, err := Dates("2026-02-01", "2026-01-01", la); err == nil {
		t.Error("Dates backwards: got nil error")
	}
	if got := HalfOf(time.Date(2026, 7, 1, 3, 0, 0, 0, time.UTC), la).Label; got != "2026H1" {
		t.Errorf("HalfOf(July 1 03:00 UTC, still June 30 in LA): got %s, want 2026H1", got)
	}
}

func req(kinds ...legal.Kind) *legal.Request {
	return &legal.Request{Status: legal.StatusNew, Facts: legal.Facts{Kinds: kinds}}
}

func TestTally(t *testing.T) {
	produced := req(legal.KindEmergency)
	produced.Facts.Exigent, produced.Status, produced.Disposition = true, legal.StatusResponded, legal.DispositionProduced
	refused := req(legal.KindEmergency)
	refused.Status, refused.Disposition = legal.StatusRejected, legal.DispositionRejected
	both := req(legal.KindPreservation, legal.KindSubpoena)
	both.Facts.NDO = true
	both.Facts.Identifiers = []string{"+14155550100", "acct-7"}
	ext := req(legal.KindPreservation)
	ext.Facts.PreservationExtension = true
	ext.Facts.Identifiers = []string{"+14155550100 "} // the same account again
	costly := req(legal.KindSubpoena)
	costly.Status = legal.StatusResponded
	costly.Costs = []legal.Cost{{Cents: 12550}, {Cents: 5000}}
	pen := req(legal.KindPenTrap) // sealed by statute: an NDO without one stated
	purged := req(legal.KindCourtOrder)
	purged.Status, purged.Disposition, purged.Purged = legal.StatusClosed, legal.DispositionWithdrawn, time.Unix(1, 0)

	tl := NewTally()
	tl.Add(produced, agency.LevelFederal, "US")
	tl.Add(refused, agency.LevelState, "US")
	tl.Add(both, agency.LevelLocal, "US")
	tl.Add(ext, agency.LevelForeign, "DE")
	tl.Add(costly, "", "")
	tl.Add(pen, agency.LevelFederal, "US")
	tl.Add(purged, agency.LevelUnknown, "")
	rep := tl.Report(Period{From: time.Date(2026, 1, 1, 0, 0, 0, 0, la), To: time.Date(2026, 7, 1, 0, 0, 0, 0, la)})

	want := map[string]int{
		"received/total": 7, "kind/emergency": 2, "kind/preservation": 2, "kind/subpoena": 2, "kind/pen_trap": 1,
		"kind/court_order": 1, "kind/unclassified": 0,
		"outcome/produced": 1, "outcome/rejected": 1, "outcome/withdrawn": 1, "outcome/pending": 3, "outcome/not_recorded": 1,
		"emergency/received": 2, "emergency/granted": 1, "emergency/not_granted": 1,
		"ndo/with_ndo": 2, "ndo/without_ndo": 5, "preservation/requests": 2, "preservation/extensions": 1,
		"accounts/distinct_identifiers": 2, "level/federal": 2, "level/unknown": 2, "level/foreign": 1,
		"country/US": 4, "country/DE": 1, "country/unknown": 2, "cost/reimbursable": 1,
	}
	for k, n := range want {
		g, c, _ := strings.Cut(k, "/")
		if got := rep.Count(g, c); got != n {
			t.Errorf("%s: got %d, want %d", k, got, n)
		}
	}
	for _, g := range []string{"outcome", "ndo", "level", "country"} {
		sum := 0
		for _, row := range rep.Group(g) {
			sum += row.Count
		}
		if sum != rep.Received {
			t.Errorf("group %s adds up to %d, want %d received", g, sum, rep.Received)
		}
	}
	if rep.MultiKind != 1 || rep.Purged != 1 || rep.Group("cost")[0].Cents != 17550 {
		t.Errorf("got multi-kind %d purged %d cost %d, want 1 1 17550", rep.MultiKind, rep.Purged, rep.Group("cost")[0].Cents)
	}
	if c := rep.Group("country"); c[0].Category != "US" || c[len(c)-1].Category != "unknown" {
		t.Errorf("countries: got %+v, want the most first and unknown last", c)
	}

	var md bytes.Buffer
	if err := Markdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"# Law-enforcement requests, 2026-01-01 to 2026-06-30", "received **7** requests",
		"| Emergency disclosure | 2 |", "| Granted (data produced) | 1 |", "| Germany | 1 |", "$175.50", "counts once under each; 1 requests"} {
		if !strings.Contains(md.String(), s) {
			t.Errorf("markdown: missing %q in\n%s", s, md.String())
		}
	}
	var js bytes.Buffer
	if err := Write(&js, rep, "json"); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Received != 7 || back.To != "2026-06-30" {
		t.Errorf("json: got %+v, %v", back, err)
	}
	if err := Write(&js, rep, "pdf"); err == nil {
		t.Error("unknown format: got nil error")
	}
}

// TestBuildYear counts a year of requests in a real store: every kind
// counted, the total equal to the requests received, halves adding up.
func TestBuildYear(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	domains := []string{"fbi.gov", "ohio.gov", "nyc.gov", "met.police.uk", "sheriff.example.org"}
	kinds := legal.Kinds
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, la)
	perKind := map[legal.Kind]int{}
	n := 0
	for day := start; day.Year() == 2026; day = day.AddDate(0, 0, 1) {
		k := kinds[n%len(kinds)]
		perKind[k]++
		r := legal.Request{Facts: legal.Facts{Kinds: []legal.Kind{k}, SenderDomain: domains[n%len(domains)]}}
		_, _, err := st.CreateRequest(ctx, store.Incoming{Raw: fmt.Appendf(nil, "Message-ID: <y%d@x>\r\n\r\n%d", n, n),
			MessageID: fmt.Sprintf("y%d@x", n), ReceivedAt: day, Request: r, Audit: store.AuditEntry{Actor: "smtp"}})
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	// Outside the year: not counted.
	for i, at := range []time.Time{start.AddDate(0, 0, -2), start.AddDate(1, 0, 0)} {
		_, _, err := st.CreateRequest(ctx, store.Incoming{Raw: fmt.Appendf(nil, "out %d", i), ReceivedAt: at,
			Request: legal.Request{Facts: legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	sheriff, err := st.Agency(ctx, "sheriff.example.org")
	if err != nil {
		t.Fatal(err)
	}
	sheriff.Level, sheriff.Country = agency.LevelLocal, "US"
	if err := st.SetAgency(ctx, sheriff); err != nil {
		t.Fatal(err)
	}
	year, _ := Half("2026", la)
	rep, err := Build(ctx, st, year)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Received != 365 || n != 365 {
		t.Fatalf("received: got %d, want 365", rep.Received)
	}
	for k, want := range perKind {
		if got := rep.Count("kind", string(k)); got != want {
			t.Errorf("kind %s: got %d, want %d", k, got, want)
		}
	}
	if got := rep.Count("level", "local"); got != 2*73 { // nyc.gov by CISA's list, the sheriff by the team
		t.Errorf("local: got %d, want %d", got, 2*73)
	}
	if got := rep.Count("level", "foreign"); got != 73 {
		t.Errorf("foreign: got %d, want 73", got)
	}
	h1, _ := Half("2026H1", la)
	h2, _ := Half("2026H2", la)
	r1, err1 := Build(ctx, st, h1)
	r2, err2 := Build(ctx, st, h2)
	if err1 != nil || err2 != nil || r1.Received+r2.Received != 365 || r1.Received != 181 {
		t.Errorf("halves: got %d + %d (%v, %v), want 181 + 184", r1.Received, r2.Received, err1, err2)
	}

	var buf bytes.Buffer
	if err := CSV(&buf, rep); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "group,category,label,count,amount_usd" {
		t.Errorf("header: got %v", rows[0])
	}
	sums := map[string]int{}
	for _, row := range rows[1:] {
		if row[0] == "note" {
			continue
		}
		c, err := strconv.Atoi(row[3])
		if err != nil {
			t.Fatalf("row %v: count %q is not a number", row, row[3])
		}
		sums[row[0]] += c
	}
	for _, g := range []string{"received", "kind", "outcome", "ndo", "level", "country"} {
		if sums[g] != 365 {
			t.Errorf("csv group %s: adds up to %d, want 365", g, sums[g])
		}
	}
	if last := rows[len(rows)-1]; last[0] != "note" || !strings.Contains(last[2], "several kinds") {
		t.Errorf("last row: got %v, want the note on requests of several kinds", last)
	}
}
