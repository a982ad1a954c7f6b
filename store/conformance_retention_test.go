package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// testClosedIndex: IndexClosed follows the status, the stamp of the
// status and Purged, on create and update.
func testClosedIndex(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	at := func(h int) time.Time { return day0.Add(time.Duration(h) * time.Hour) }
	var rs []*legal.Request
	for i := range 5 {
		rs = append(rs, mustCreate(t, s, incoming(i, day0)))
	}
	// 0 open; 1 responded; 2 rejected; 3 closed then purged; 4 closed then reopened.
	rs[1].Status, rs[1].RespondedAt = legal.StatusResponded, at(3)
	rs[2].Status, rs[2].ClosedAt = legal.StatusRejected, at(1)
	rs[3].Status, rs[3].ClosedAt = legal.StatusClosed, at(2)
	rs[4].Status, rs[4].ClosedAt = legal.StatusClosed, at(4)
	for _, r := range rs[1:] {
		mustUpdate(t, s, r, "status")
	}
	want := func(name string, ws ...*legal.Request) {
		t.Helper()
		got, err := s.Range(ctx, IndexClosed, time.Unix(0, 0), at(100), 0)
		if err != nil || !slices.Equal(ids(got), ids(ws)) {
			t.Errorf("%s: got %v, %v, want %v", name, ids(got), err, ids(ws))
		}
		n, err := s.CountRange(ctx, IndexClosed, time.Unix(0, 0), at(100))
		if err != nil || n != len(ws) {
			t.Errorf("%s: count got %d, %v, want %d", name, n, err, len(ws))
		}
	}
	want("closed, earliest first", rs[2], rs[3], rs[1], rs[4])
	rs[3].Purged = at(50)
	mustUpdate(t, s, rs[3], "retention")
	rs[4].Status = legal.StatusInReview
	mustUpdate(t, s, rs[4], "status")
	want("purged and reopened leave", rs[2], rs[1])
	rs[4].Status, rs[4].ClosedAt = legal.StatusClosed, at(5)
	mustUpdate(t, s, rs[4], "status")
	want("closed again, at the new stamp", rs[2], rs[1], rs[4])
	if got, err := s.Range(ctx, IndexClosed, at(4), at(6), 0); err != nil || !slices.Equal(ids(got), []string{rs[4].ID}) {
		t.Errorf("closed again: got %v, %v, want [%s] at its new ClosedAt", ids(got), err, rs[4].ID)
	}
}

// testPurgeRaw: PurgeRaw deletes the raw message only, and again is a no-op.
func testPurgeRaw(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	r := mustCreate(t, s, incoming(1, day0))
	other := mustCreate(t, s, incoming(2, day0))
	for range 2 { // idempotent
		if err := s.PurgeRaw(ctx, r.ID); err != nil {
			t.Fatalf("purge: got %v, want nil", err)
		}
	}
	if raw, err := s.RawMessage(ctx, r.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("raw after purge: got %q, %v, want ErrNotFound", raw, err)
	}
	if got := mustGet(t, s, r.ID); got.Version != r.Version || got.Subject != r.Subject {
		t.Errorf("request after purge: got %+v, want it unchanged", got)
	}
	if a, err := s.Audit(ctx, r.ID); err != nil || len(a) != 1 {
		t.Errorf("audit after purge: got %+v, %v, want the created entry", a, err)
	}
	if raw, err := s.RawMessage(ctx, other.ID); err != nil || len(raw) == 0 {
		t.Errorf("other raw: got %q, %v, want it kept", raw, err)
	}
	if err := s.PurgeRaw(ctx, "LE-2026-9999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("purge unknown: got %v, want ErrNotFound", err)
	}
}
