package store

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
)

// TestRedisPageCacheAcrossReplicas: a Shared page read again with no
// write in between costs one round trip, and after any write by another
// replica (an update, a status change off the page, a create, a
// follow-up) or by the reader itself, the reader's next page shows it.
func TestRedisPageCacheAcrossReplicas(t *testing.T) {
	url := testredis.URL(t)
	prefix := testredis.PrefixCleanup(t, url)
	writer := mustOpenRedis(t, url, prefix, nil)
	reader := mustOpenRedis(t, url, prefix, nil)
	ctx := context.Background()
	sh := Shared(ctx)
	open := []legal.Status{legal.StatusNew, legal.StatusInReview}
	var rs []*legal.Request
	for i := range 3 {
		rs = append(rs, mustCreate(t, writer, incoming(i+1, day0.Add(time.Duration(i)*time.Minute))))
	}
	h := &roundTrips{}
	reader.c.AddHook(h)
	page := func(wantIDs []string, wantTotal int) map[string]*legal.Request {
		t.Helper()
		got, total, err := reader.ListByStatuses(sh, open, 20)
		if err != nil || !slices.Equal(ids(got), wantIDs) || total != wantTotal {
			t.Fatalf("page: got %v total %d (%v), want %v total %d", ids(got), total, err, wantIDs, wantTotal)
		}
		plain, _, err := reader.ListByStatuses(ctx, open, 20)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range got {
			if !reflect.DeepEqual(r, plain[i]) {
				t.Errorf("%s on the shared page differs from a plain read", r.ID)
			}
		}
		m := map[string]*legal.Request{}
		for _, r := range got {
			m[r.ID] = r
		}
		return m
	}
	want := []string{rs[2].ID, rs[1].ID, rs[0].ID}
	page(want, 3)
	h.n.Store(0)
	if _, _, err := reader.ListByStatuses(sh, open, 20); err != nil {
		t.Fatal(err)
	}
	if got := h.n.Load(); got != 1 {
		t.Errorf("unchanged page: %d round trips, want 1", got)
	}

	update := func(s *Redis, id string, change func(*legal.Request)) {
		t.Helper()
		r := mustGet(t, s, id)
		change(r)
		if err := s.UpdateRequest(ctx, r, AuditEntry{Actor: "U1", Action: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	update(writer, rs[0].ID, func(r *legal.Request) { r.Status = legal.StatusInReview })
	if got := page(want, 3)[rs[0].ID].Status; got != legal.StatusInReview {
		t.Errorf("after another replica's status change: got %s, want in_review", got)
	}
	update(writer, rs[1].ID, func(r *legal.Request) { r.Assignee = "U:7" })
	if got := page(want, 3)[rs[1].ID].Assignee; got != "U:7" {
		t.Errorf("after another replica's assignment: got %q, want U:7", got)
	}
	update(writer, rs[2].ID, func(r *legal.Request) { r.Status = legal.StatusClosed })
	page([]string{rs[1].ID, rs[0].ID}, 2)

	r4 := mustCreate(t, writer, incoming(4, day0.Add(time.Hour)))
	page([]string{r4.ID, rs[1].ID, rs[0].ID}, 3)

	cur := mustGet(t, writer, r4.ID)
	cur.FollowUps = append(cur.FollowUps, legal.FollowUp{MessageID: "re-4@agency.gov", RawID: FollowUpRawID(r4.ID, 1)})
	if ok, err := writer.AddFollowUp(ctx, cur, FollowUpMessage{MessageID: "re-4@agency.gov", Raw: []byte("re")},
		AuditEntry{Actor: "smtp", Action: "follow-up"}); err != nil || !ok {
		t.Fatalf("follow-up: %v, %v", ok, err)
	}
	if got := page([]string{r4.ID, rs[1].ID, rs[0].ID}, 3)[r4.ID].FollowUps; len(got) != 1 {
		t.Errorf("after another replica's follow-up: %d follow-ups on the page, want 1", len(got))
	}

	update(reader, rs[1].ID, func(r *legal.Request) { r.Status = legal.StatusResponded })
	page([]string{r4.ID, rs[0].ID}, 2)

	// A store emptied or restored: the token it held is gone, not reused.
	if err := reader.c.Del(ctx, reader.k.pageToken()).Err(); err != nil {
		t.Fatal(err)
	}
	update(writer, rs[0].ID, func(r *legal.Request) { r.Status = legal.StatusNew })
	if err := writer.c.Del(ctx, writer.k.pageToken()).Err(); err != nil {
		t.Fatal(err)
	}
	if got := page([]string{r4.ID, rs[0].ID}, 2)[rs[0].ID].Status; got != legal.StatusNew {
		t.Errorf("after the token was removed: got %s, want new", got)
	}
}
