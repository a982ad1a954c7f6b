package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

func testStatusAndAssignee(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	var rs []*legal.Request
	for i := range 3 {
		rs = append(rs, mustCreate(t, s, incoming(i, day0.Add(time.Duration(i)*time.Hour))))
	}
	rs[0].Assignee, rs[1].Assignee = "U:1", "U:1{x}"
	rs[2].Assignee, rs[2].Status = "U:1", legal.StatusInReview
	for _, r := range rs {
		mustUpdate(t, s, r, "assign")
	}
	check := func(name string, got []*legal.Request, err error, want ...string) {
		t.Helper()
		if err != nil || !slices.Equal(ids(got), want) {
			t.Errorf("%s: got %v, %v, want %v", name, ids(got), err, want)
		}
	}
	got, err := s.ListByStatus(ctx, legal.StatusNew, 0)
	check("new", got, err, rs[1].ID, rs[0].ID)
	got, err = s.ListByStatus(ctx, legal.StatusNew, 1)
	check("new limit 1", got, err, rs[1].ID)
	got, err = s.ListByAssignee(ctx, "U:1", 10)
	check("U:1", got, err, rs[2].ID, rs[0].ID)
	rs[2].Status = legal.StatusClosed
	mustUpdate(t, s, rs[2], "close")
	got, err = s.ListByAssignee(ctx, "U:1", 10)
	check("U:1 after close", got, err, rs[0].ID)
	got, err = s.ListByStatus(ctx, legal.StatusInReview, 10)
	check("in review after close", got, err)
	counts, err := s.CountByStatus(ctx)
	want := map[legal.Status]int{legal.StatusNew: 2, legal.StatusClosed: 1}
	if err != nil || fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("counts: got %v, %v, want %v", counts, err, want)
	}
}

func testResolveID(t *testing.T, _ backend, s Store, _ *clock) {
	mustCreate(t, s, incoming(1, day0)) // LE-2026-0001
	for i := 2; i <= 42; i++ {
		mustCreate(t, s, incoming(i, day0))
	}
	mustCreate(t, s, incoming(100, day0.AddDate(1, 0, 0))) // LE-2027-0001
	tests := []struct{ in, want, errHas string }{
		{"LE-2026-0042", "LE-2026-0042", ""},
		{"le-2026-0042", "LE-2026-0042", ""},
		{" 2026-42 ", "LE-2026-0042", ""},
		{"42", "LE-2026-0042", ""},
		{"0042", "LE-2026-0042", ""},
		{"1", "", "ambiguous"},
		{"LE-2027-1", "LE-2027-0001", ""},
		{"43", "", "no request"},
		{"LE-2025-0001", "", "no request"},
		{"", "", "not a request id"},
		{"hello", "", "not a request id"},
		{"0", "", "not a request id"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := s.ResolveID(context.Background(), tt.in)
			if tt.errHas != "" {
				if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), tt.errHas) {
					t.Errorf("got %q, %v, want ErrNotFound saying %q", got, err, tt.errHas)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v, want %q", got, err, tt.want)
			}
		})
	}
}

func testAudit(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	r := mustCreate(t, s, incoming(1, day0))
	for i := range 3 {
		e := AuditEntry{RequestID: r.ID, Actor: "U1", Action: "note", Note: fmt.Sprint(i), At: day0.Add(time.Duration(i) * time.Minute)}
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	r.Status = legal.StatusProducing
	if err := s.UpdateRequest(ctx, r, AuditEntry{Actor: "U2", Action: "status", Before: "new", After: "producing"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Audit(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var seq []string
	for _, e := range got {
		seq = append(seq, e.Action+e.Note+e.After)
	}
	want := []string{"created", "note0", "note1", "note2", "statusproducing"}
	if !slices.Equal(seq, want) {
		t.Errorf("got %v, want %v", seq, want)
	}
}

func testCorrupt(t *testing.T, b backend, s Store, _ *clock) {
	ctx := context.Background()
	r := mustCreate(t, s, incoming(1, day0))
	b.corrupt(t, s, r.ID)
	tests := []struct {
		name string
		call func() error
	}{
		{"GetRequest", func() error { _, err := s.GetRequest(ctx, r.ID); return err }},
		{"ListByStatus", func() error { _, err := s.ListByStatus(ctx, legal.StatusNew, 10); return err }},
		{"UpdateRequest", func() error { return s.UpdateRequest(ctx, r, AuditEntry{}) }},
		{"CreateRequest duplicate", func() error { _, _, err := s.CreateRequest(ctx, incoming(1, day0)); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), r.ID) {
				t.Errorf("got %v, want ErrCorrupt naming %s", err, r.ID)
			}
		})
	}
}

// testPages checks the page reads /legal list uses: a merged newest-first
// page across statuses with the total, and counts that read no request.
func testPages(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	statuses := []legal.Status{legal.StatusNew, legal.StatusInReview, legal.StatusProducing, legal.StatusClosed}
	var rs []*legal.Request // rs[i] received at day0 + i hours
	for i := range 8 {
		r := mustCreate(t, s, incoming(i, day0.Add(time.Duration(i)*time.Hour)))
		r.Status, r.Due = statuses[i%len(statuses)], day0.AddDate(0, 0, 10+i)
		if i < 3 {
			r.Assignee = "U:7"
		}
		mustUpdate(t, s, r, "status")
		rs = append(rs, r)
	}
	open := []legal.Status{legal.StatusNew, legal.StatusInReview, legal.StatusProducing}
	tests := []struct {
		name      string
		statuses  []legal.Status
		limit     int
		want      []int // indexes into rs, newest first
		wantTotal int
	}{
		{"open, page of 3", open, 3, []int{6, 5, 4}, 6},
		{"open, all", open, 0, []int{6, 5, 4, 2, 1, 0}, 6},
		{"one status", []legal.Status{legal.StatusClosed}, 5, []int{7, 3}, 2},
		{"every status, page of 1", legal.Statuses, 1, []int{7}, 8},
		{"none", []legal.Status{legal.StatusRejected}, 5, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.ListByStatuses(ctx, tt.statuses, tt.limit)
			var want []string
			for _, i := range tt.want {
				want = append(want, rs[i].ID)
			}
			if err != nil || !slices.Equal(ids(got), want) || total != tt.wantTotal {
				t.Errorf("got %v total %d (%v), want %v total %d", ids(got), total, err, want, tt.wantTotal)
			}
		})
	}
	counts := []struct {
		name string
		call func() (int, error)
		want int
	}{
		{"assignee with open requests", func() (int, error) { return s.CountByAssignee(ctx, "U:7") }, 3},
		{"assignee without", func() (int, error) { return s.CountByAssignee(ctx, "U:8") }, 0},
		// Due is indexed only while open: rs[3] and rs[7] are closed.
		{"due, all", func() (int, error) { return s.CountRange(ctx, IndexDue, time.Unix(0, 0), day0.AddDate(1, 0, 0)) }, 6},
		{"due, [day 11, day 14)", func() (int, error) {
			return s.CountRange(ctx, IndexDue, day0.AddDate(0, 0, 11), day0.AddDate(0, 0, 14))
		}, 2},
		{"preservation, empty", func() (int, error) {
			return s.CountRange(ctx, IndexPreservation, time.Unix(0, 0), day0.AddDate(1, 0, 0))
		}, 0},
	}
	for _, tt := range counts {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := tt.call(); err != nil || got != tt.want {
				t.Errorf("got %d (%v), want %d", got, err, tt.want)
			}
		})
	}
}

// testPageTies checks a page across statuses when requests arrived at
// the same instant: ties go greater id first (as one status set orders
// them), the page cuts the merged order, and a page holds each request
// once with the same values a single read gives.
func testPageTies(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	statuses := []legal.Status{legal.StatusNew, legal.StatusInReview, legal.StatusProducing}
	var want []string
	for i := range 12 {
		r := mustCreate(t, s, incoming(i, day0))
		if st := statuses[i%len(statuses)]; st != r.Status {
			r.Status = st
			mustUpdate(t, s, r, "status")
		}
		want = append(want, r.ID)
	}
	slices.SortFunc(want, func(a, b string) int { return strings.Compare(b, a) })
	for _, limit := range []int{1, 5, 12, 0} {
		got, total, err := s.ListByStatuses(ctx, statuses, limit)
		w := want
		if limit > 0 {
			w = want[:min(limit, len(want))]
		}
		if err != nil || !slices.Equal(ids(got), w) || total != len(want) {
			t.Fatalf("limit %d: got %v total %d (%v), want %v total %d", limit, ids(got), total, err, w, len(want))
		}
		for _, r := range got {
			one, err := s.GetRequest(ctx, r.ID)
			if err != nil || !reflect.DeepEqual(one, r) {
				t.Errorf("limit %d: %s on the page differs from a single read (%v)", limit, r.ID, err)
			}
		}
	}
	if got, total, err := s.ListByStatuses(ctx, nil, 5); err != nil || len(got) != 0 || total != 0 {
		t.Errorf("no statuses: got %v total %d (%v), want nothing", ids(got), total, err)
	}
}

// testSharedReads: list reads under Shared return what plain reads do,
// on every backend, before and after a write.
func testSharedReads(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	sh := Shared(ctx)
	open := []legal.Status{legal.StatusNew, legal.StatusInReview}
	for i := range 6 {
		r := mustCreate(t, s, incoming(i, day0.Add(time.Duration(i)*time.Minute)))
		r.Assignee, r.Due = "U:7", day0.AddDate(0, 0, 3+i)
		if i%2 == 1 {
			r.Status = legal.StatusInReview
		}
		mustUpdate(t, s, r, "status")
	}
	reads := []struct {
		name string
		read func(ctx context.Context) ([]*legal.Request, error)
	}{
		{"ListByStatuses", func(ctx context.Context) ([]*legal.Request, error) {
			rs, _, err := s.ListByStatuses(ctx, open, 4)
			return rs, err
		}},
		{"ListByStatus", func(ctx context.Context) ([]*legal.Request, error) { return s.ListByStatus(ctx, legal.StatusNew, 0) }},
		{"ListByAssignee", func(ctx context.Context) ([]*legal.Request, error) { return s.ListByAssignee(ctx, "U:7", 0) }},
		{"Range", func(ctx context.Context) ([]*legal.Request, error) {
			return s.Range(ctx, IndexDue, time.Unix(0, 0), day0.AddDate(1, 0, 0), 0)
		}},
	}
	check := func(when string) {
		for _, rd := range reads {
			for range 2 { // the second read hits the cache
				plain, err1 := rd.read(ctx)
				shared, err2 := rd.read(sh)
				if err1 != nil || err2 != nil || len(plain) == 0 || !reflect.DeepEqual(plain, shared) {
					t.Errorf("%s %s: shared read %v (%v) differs from plain %v (%v)", when, rd.name, ids(shared), err2, ids(plain), err1)
				}
			}
		}
	}
	check("before a write")
	rs, _, err := s.ListByStatuses(sh, open, 1)
	if err != nil || len(rs) != 1 {
		t.Fatalf("got %v (%v)", ids(rs), err)
	}
	r, err := s.GetRequest(ctx, rs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	r.Subject, r.Assignee = "changed", "U:8"
	mustUpdate(t, s, r, "edit")
	check("after a write")
	if got, _, err := s.ListByStatuses(sh, open, 1); err != nil || len(got) != 1 || got[0].Subject != "changed" || got[0].Assignee != "U:8" {
		t.Errorf("after a write a shared read gave %+v (%v), want the new values", got, err)
	}
}

// testPageChanges reads the same page again and again while requests
// arrive, change and move between statuses: each read shows the page as
// it is now (the Redis store guesses the page from the last read).
func testPageChanges(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	open := []legal.Status{legal.StatusNew, legal.StatusInReview}
	var rs []*legal.Request
	at := day0
	add := func() {
		at = at.Add(time.Minute)
		rs = append(rs, mustCreate(t, s, incoming(len(rs), at)))
	}
	look := func(when string, want ...*legal.Request) {
		t.Helper()
		for _, c := range []context.Context{ctx, Shared(ctx)} {
			got, total, err := s.ListByStatuses(c, open, 3)
			if err != nil || !slices.Equal(ids(got), ids(want)) || total != countOpen(t, s, rs) {
				t.Fatalf("%s: got %v total %d (%v), want %v total %d", when, ids(got), total, err, ids(want), countOpen(t, s, rs))
			}
			for i := range got {
				if got[i].Subject != want[i].Subject || got[i].Status != want[i].Status {
					t.Errorf("%s: %s reads %q %s, want %q %s", when, got[i].ID, got[i].Subject, got[i].Status, want[i].Subject, want[i].Status)
				}
			}
		}
	}
	for range 4 {
		add()
	}
	look("first", rs[3], rs[2], rs[1])
	look("unchanged", rs[3], rs[2], rs[1])
	add()
	look("one arrived", rs[4], rs[3], rs[2])
	rs[3].Subject = "changed on the page"
	mustUpdate(t, s, rs[3], "edit")
	look("one changed", rs[4], rs[3], rs[2])
	rs[4].Status = legal.StatusInReview
	mustUpdate(t, s, rs[4], "status")
	look("one moved to another open status", rs[4], rs[3], rs[2])
	rs[3].Status = legal.StatusClosed
	mustUpdate(t, s, rs[3], "status")
	look("one closed", rs[4], rs[2], rs[1])
}

// countOpen counts rs still new or in review, as the store has them.
func countOpen(t *testing.T, s Store, rs []*legal.Request) int {
	n := 0
	for _, r := range rs {
		got, err := s.GetRequest(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == legal.StatusNew || got.Status == legal.StatusInReview {
			n++
		}
	}
	return n
}
