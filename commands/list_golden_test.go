package commands

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestListRepliesGolden pins the bytes Slack receives for every list
// over a store holding every kind of line (each status, emergencies
// acknowledged or not, preservations, NDOs, unofficial senders, probable
// non-requests, deadlines overdue, today, tomorrow, over a weekend, by
// default; requests received in the same minute; more than a page), so
// a change to how lists are read or rendered keeps replies identical.
// The golden file was written by the code before the one-round-trip page
// (go test ./commands -run TestListRepliesGolden -update).
func TestListRepliesGolden(t *testing.T) {
	e := newEnv(t) // now: Mon Mar 2, 2026 10:00 in Los Angeles
	ctx := context.Background()
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, la) }
	emergency := func(f *legal.Facts) { f.Kinds, f.Exigent = []legal.Kind{legal.KindEmergency}, true }
	variants := []struct {
		facts  func(*legal.Facts)
		change func(*legal.Request)
	}{
		{nil, nil},
		{nil, func(r *legal.Request) { r.Status, r.Assignee = legal.StatusInReview, member }},
		{emergency, nil},
		{emergency, func(r *legal.Request) { r.AckedBy = member2 }},
		{func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindPreservation} }, nil},
		{nil, func(r *legal.Request) { r.NDO.Active = true; r.Status = legal.StatusProducing }},
		{func(f *legal.Facts) { f.SenderDomain, f.SenderOfficial = "gmail.com", false }, nil},
		{func(f *legal.Facts) { f.NotRequest = "an automatic reply" }, nil},
		{nil, func(r *legal.Request) { r.Due = at(1, 17) }},
		{nil, func(r *legal.Request) { r.Due = at(2, 16) }},
		{nil, func(r *legal.Request) { r.Due = at(3, 17); r.Assignee = member }},
		{nil, func(r *legal.Request) { r.Due = at(8, 12) }},
		{nil, func(r *legal.Request) { r.Status = legal.StatusClosed }},
		{nil, func(r *legal.Request) { r.Status = legal.StatusRejected }},
	}
	for round := range 3 {
		for i, v := range variants {
			f := subpoenaFacts()
			if v.facts != nil {
				v.facts(&f)
			}
			r := e.create(t, f)
			if v.change != nil {
				v.change(r)
				if err := e.st.UpdateRequest(ctx, r, store.AuditEntry{}); err != nil {
					t.Fatal(err)
				}
			}
			if (round*len(variants)+i)%3 != 2 { // two of every three arrive in the same minute as the last
				e.now = e.now.Add(time.Minute)
			}
		}
	}
	var got strings.Builder
	for _, which := range []string{"", "open", "all", "mine", "overdue", "exigent", "preservations", "unverified"} {
		code, body := e.post(t, "/slack/commands", e.commandBody(member, strings.TrimSpace("list "+which), "golden-"+which))
		fmt.Fprintf(&got, "== list %s (%d)\n%s\n", which, code, body)
	}
	path := filepath.Join("testdata", "list_replies.golden")
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("list replies differ from %s:\n%s", path, got.String())
	}
}
