package store

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

func testRange(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	d := func(n int) *legal.Date { v := legal.DateOf(day0).AddDays(n); return &v }
	var rs []*legal.Request
	for i := range 4 {
		r := mustCreate(t, s, incoming(i, day0))
		r.Due = day0.Add(time.Duration(i+1) * 24 * time.Hour)
		r.Preservation = &legal.Preservation{Start: *d(0), Expires: *d(90 + i)}
		r.NDO = legal.NDO{Active: true, Until: d(180 + i)}
		r.OrderExpires = d(60 + i)
		r.NextEscalation = day0.Add(time.Duration(i+1) * 5 * time.Minute)
		mustUpdate(t, s, r, "dates")
		rs = append(rs, r)
	}
	// Leaving an index: closed (due, order), released, acked.
	rs[3].Status = legal.StatusClosed
	rs[3].Preservation.Released = true
	rs[3].AckedBy = "U1"
	rs[3].NDO.Until = nil
	mustUpdate(t, s, rs[3], "close")
	utc := func(n int) time.Time { return d(n).In(time.UTC) }
	tests := []struct {
		name     string
		idx      Index
		from, to time.Time
		limit    int
		want     []*legal.Request
	}{
		{"due all", IndexDue, day0, day0.AddDate(1, 0, 0), 0, rs[:3]},
		{"due to is exclusive", IndexDue, day0, rs[1].Due, 0, rs[:1]},
		{"due from is inclusive", IndexDue, rs[1].Due, rs[2].Due.Add(time.Millisecond), 0, rs[1:3]},
		{"due limit", IndexDue, day0, day0.AddDate(1, 0, 0), 2, rs[:2]},
		{"due empty", IndexDue, day0.AddDate(2, 0, 0), day0.AddDate(3, 0, 0), 0, nil},
		{"preservation", IndexPreservation, utc(91), utc(200), 0, rs[1:3]},
		{"ndo", IndexNDO, utc(0), utc(365), 0, rs[:3]},
		{"order", IndexOrder, utc(60), utc(62), 0, rs[:2]},
		{"escalation", IndexEscalation, day0, day0.Add(time.Hour), 0, rs[:3]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Range(ctx, tt.idx, tt.from, tt.to, tt.limit)
			if err != nil || !slices.Equal(ids(got), ids(tt.want)) {
				t.Errorf("got %v, %v, want %v", ids(got), err, ids(tt.want))
			}
		})
	}
}

func testOutbox(t *testing.T, _ backend, s Store, c *clock) {
	ctx := context.Background()
	now := c.Now()
	err := s.Enqueue(ctx,
		OutboxItem{ID: "a", Kind: "page", Payload: []byte(`{"to":"U1"}`)},
		OutboxItem{ID: "b", Kind: "page", NotBefore: now.Add(time.Hour)},
	)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := s.OutboxStats(ctx); st.Depth != 2 || !st.Oldest.Equal(now) {
		t.Errorf("stats: got %+v, want depth 2, oldest %v", st, now)
	}
	got, err := s.Claim(ctx, now, time.Minute, 10)
	if err != nil || len(got) != 1 || got[0].ID != "a" || got[0].Attempts != 1 || string(got[0].Payload) != `{"to":"U1"}` {
		t.Fatalf("claim: got %+v, %v, want a (attempt 1) only", got, err)
	}
	if !got[0].LeaseUntil.Equal(now.Add(time.Minute)) {
		t.Errorf("got lease until %v, want %v", got[0].LeaseUntil, now.Add(time.Minute))
	}
	if again, _ := s.Claim(ctx, now.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
		t.Errorf("claim during lease: got %d items, want 0", len(again))
	}
	// The claimer "crashed": after the lease the item comes back.
	back, err := s.Claim(ctx, now.Add(61*time.Second), time.Minute, 10)
	if err != nil || len(back) != 1 || back[0].ID != "a" || back[0].Attempts != 2 {
		t.Fatalf("claim after lease: got %+v, %v, want a (attempt 2)", back, err)
	}
	if err := s.Ack(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second ack: got %v, want ErrNotFound", err)
	}
	later, _ := s.Claim(ctx, now.Add(2*time.Hour), time.Minute, 10)
	if len(later) != 1 || later[0].ID != "b" {
		t.Errorf("claim later: got %+v, want b", later)
	}
	if st, _ := s.OutboxStats(ctx); st.Depth != 1 || st.DeadLetter != 0 {
		t.Errorf("stats: got %+v, want depth 1", st)
	}
	if got, _ := s.Claim(ctx, now, time.Minute, 0); len(got) != 0 {
		t.Errorf("claim max 0: got %d items, want 0", len(got))
	}
}

func testOutboxRetry(t *testing.T, _ backend, s Store, c *clock) {
	ctx := context.Background()
	now := c.Now()
	if err := s.Enqueue(ctx, OutboxItem{ID: "x", Kind: "slack.card"}); err != nil {
		t.Fatal(err)
	}
	const maxAttempts = 3
	at := now
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		got, err := s.Claim(ctx, at, time.Minute, 1)
		if err != nil || len(got) != 1 || got[0].Attempts != attempt {
			t.Fatalf("attempt %d: got %+v, %v, want the item", attempt, got, err)
		}
		if early, _ := s.Claim(ctx, at, time.Minute, 1); len(early) != 0 {
			t.Fatalf("attempt %d: claimed twice", attempt)
		}
		at = at.Add(time.Duration(attempt) * time.Minute) // backoff chosen by the caller
		if err := s.Retry(ctx, "x", at, "slack: 503", maxAttempts); err != nil {
			t.Fatal(err)
		}
		if attempt < maxAttempts {
			if early, _ := s.Claim(ctx, at.Add(-time.Second), time.Minute, 1); len(early) != 0 {
				t.Fatalf("attempt %d: claimed before the backoff", attempt)
			}
		}
	}
	if got, _ := s.Claim(ctx, at.Add(time.Hour), time.Minute, 1); len(got) != 0 {
		t.Errorf("got %+v after dead-lettering, want nothing to claim", got)
	}
	dead, err := s.DeadLetters(ctx, 10)
	if err != nil || len(dead) != 1 || dead[0].ID != "x" || dead[0].LastError != "slack: 503" || dead[0].Attempts != maxAttempts {
		t.Errorf("dead letters: got %+v, %v, want x with its last error", dead, err)
	}
	if st, _ := s.OutboxStats(ctx); st.Depth != 0 || st.DeadLetter != 1 || !st.Oldest.IsZero() {
		t.Errorf("stats: got %+v, want depth 0, 1 dead letter", st)
	}
	if err := s.Retry(ctx, "x", at, "again", maxAttempts); !errors.Is(err, ErrNotFound) {
		t.Errorf("retry of a dead letter: got %v, want ErrNotFound", err)
	}
	if err := s.Ack(ctx, "x"); err != nil {
		t.Errorf("ack of a dead letter: got %v, want nil", err)
	}
	if dead, _ := s.DeadLetters(ctx, 10); len(dead) != 0 {
		t.Errorf("got %d dead letters after ack, want 0", len(dead))
	}
}

func testConcurrentClaims(t *testing.T, _ backend, s Store, c *clock) {
	ctx := context.Background()
	const n = 200
	items := make([]OutboxItem, n)
	for i := range items {
		items[i] = OutboxItem{Kind: "page"}
	}
	if err := s.Enqueue(ctx, items...); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				got, err := s.Claim(ctx, c.Now(), time.Hour, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, it := range got {
					seen[it.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	dups := 0
	for _, k := range seen {
		if k > 1 {
			dups++
		}
	}
	if len(seen) != n || dups != 0 {
		t.Errorf("got %d distinct items, %d claimed twice; want %d, 0", len(seen), dups, n)
	}
}

func testLocks(t *testing.T, b backend, s Store, c *clock) {
	ctx := context.Background()
	const ttl = 200 * time.Millisecond
	steps := []struct {
		name  string
		do    func() (bool, error)
		want  bool
		sleep time.Duration
	}{
		{"a acquires", func() (bool, error) { return s.AcquireLock(ctx, "job:digest", "a", ttl) }, true, 0},
		{"b is refused", func() (bool, error) { return s.AcquireLock(ctx, "job:digest", "b", ttl) }, false, 0},
		{"a re-acquires", func() (bool, error) { return s.AcquireLock(ctx, "job:digest", "a", ttl) }, true, 0},
		{"b cannot release", func() (bool, error) { return true, s.ReleaseLock(ctx, "job:digest", "b") }, true, 0},
		{"still held", func() (bool, error) { return s.AcquireLock(ctx, "job:digest", "b", ttl) }, false, 0},
		{"a releases", func() (bool, error) { return true, s.ReleaseLock(ctx, "job:digest", "a") }, true, 0},
		{"b acquires", func() (bool, error) { return s.AcquireLock(ctx, "job:digest", "b", ttl) }, true, ttl + 100*time.Millisecond},
		{"expired: a acquires", func() (bool, error) { return s.AcquireLock(ctx, "job:digest", "a", ttl) }, true, 0},
		{"other lock is free", func() (bool, error) { return s.AcquireLock(ctx, "job:digest:x", "b", ttl) }, true, 0},
	}
	for _, st := range steps {
		got, err := st.do()
		if err != nil || got != st.want {
			t.Fatalf("%s: got %v, %v, want %v", st.name, got, err, st.want)
		}
		if st.sleep > 0 {
			c.Add(st.sleep)
			b.advance(st.sleep)
		}
	}
	if _, err := s.AcquireLock(ctx, "x", "a", 0); err == nil {
		t.Errorf("zero ttl: got nil error, want one")
	}
}

func testMarkers(t *testing.T, b backend, s Store, c *clock) {
	ctx := context.Background()
	const ttl = 200 * time.Millisecond
	if ok, err := s.MarkSent(ctx, "remind:LE-2026-0001:due:2026-03-02", ttl); !ok || err != nil {
		t.Fatalf("first mark: got %v, %v, want true", ok, err)
	}
	if ok, _ := s.MarkSent(ctx, "remind:LE-2026-0001:due:2026-03-02", ttl); ok {
		t.Errorf("second mark: got true, want false")
	}
	if ok, _ := s.WasSent(ctx, "remind:LE-2026-0001:due:2026-03-02"); !ok {
		t.Errorf("was sent: got false, want true")
	}
	if ok, _ := s.WasSent(ctx, "remind:LE-2026-0001:due"); ok {
		t.Errorf("was sent (other key): got true, want false")
	}
	forever, _ := s.MarkSent(ctx, "forever", 0)
	c.Add(ttl + 100*time.Millisecond)
	b.advance(ttl + 100*time.Millisecond)
	if ok, _ := s.WasSent(ctx, "remind:LE-2026-0001:due:2026-03-02"); ok {
		t.Errorf("was sent after ttl: got true, want false")
	}
	if ok, _ := s.WasSent(ctx, "forever"); !forever || !ok {
		t.Errorf("forever marker: got %v %v, want true true", forever, ok)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	did := 0
	for range 10 {
		wg.Go(func() {
			ok, err := s.EnqueueOnce(ctx, "digest:2026-03-02", time.Hour, OutboxItem{Kind: "slack.digest"}, OutboxItem{Kind: "email.digest"})
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				did++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if st, _ := s.OutboxStats(ctx); did != 1 || st.Depth != 2 {
		t.Errorf("enqueue once: got %d winners, depth %d; want 1, 2", did, st.Depth)
	}
}

func testOnCall(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	if oc, err := s.OnCall(ctx); err != nil || oc.Levels != nil {
		t.Errorf("empty: got %+v, %v, want zero", oc, err)
	}
	want := OnCall{
		Levels:    [][]string{{"U1"}, {"U2", "S3"}},
		Overrides: []OnCallOverride{{User: "U9", Until: day0}},
		UpdatedBy: "U1", UpdatedAt: day0,
	}
	if err := s.SetOnCall(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.OnCall(ctx)
	if err != nil || len(got.Levels) != 2 || got.Levels[1][1] != "S3" || got.Overrides[0].User != "U9" || !got.UpdatedAt.Equal(day0) {
		t.Errorf("got %+v, %v, want %+v", got, err, want)
	}
	if got.Version != 1 {
		t.Errorf("version after the first save: got %d, want 1", got.Version)
	}
	// A second editor who read before the first save is refused, not
	// silently overwriting it.
	stale := want
	stale.Levels = [][]string{{"U7"}}
	if err := s.SetOnCall(ctx, stale); !errors.Is(err, ErrConflict) {
		t.Errorf("stale save: got %v, want ErrConflict", err)
	}
	got.Levels = [][]string{{"U8"}}
	if err := s.SetOnCall(ctx, got); err != nil {
		t.Fatalf("save at the current version: %v", err)
	}
	if again, err := s.OnCall(ctx); err != nil || again.Version != 2 || again.Levels[0][0] != "U8" {
		t.Errorf("after second save: got %+v, %v, want version 2 with U8", again, err)
	}
}
