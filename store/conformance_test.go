package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
)

// The conformance suite: every backend must pass all of it.

func TestRedisConformance(t *testing.T) { runConformance(t, redisBackend(t, nil)) }

func TestBoltConformance(t *testing.T) { runConformance(t, boltBackend(nil)) }

// The same with STORE_ENCRYPTION_KEY set: encryption changes nothing the
// rest of lebot can see.
func TestRedisConformanceEncrypted(t *testing.T) {
	runConformance(t, redisBackend(t, [][]byte{testKey(1), testKey(2)}))
}

func TestBoltConformanceEncrypted(t *testing.T) {
	runConformance(t, boltBackend([][]byte{testKey(1), testKey(2)}))
}

// The Redis forms lebot documents for scale-out, each against a real
// deployment: a three-master Cluster, and Sentinel (a master, a replica
// and three sentinels; each create waits for the replica).
func TestRedisClusterConformance(t *testing.T) {
	t.Parallel() // its own servers
	runConformance(t, topologyBackend(testredis.NewCluster(t).URL, nil))
}

func TestRedisSentinelConformance(t *testing.T) {
	t.Parallel() // its own servers
	// Each create waits for the replica (WAIT); on a loaded machine the
	// default second can pass, which is not what this suite is about.
	runConformance(t, topologyBackend(testredis.NewSentinel(t).URL+"&wait_timeout=10s", nil))
}

func runConformance(t *testing.T, b backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, b backend, s Store, c *clock)
	}{
		{"CreateAndRead", testCreateAndRead},
		{"IDsPerYear", testIDsPerYear},
		{"Idempotent", testIdempotent},
		{"SharedMessageID", testSharedMessageID},
		{"LegacyDedupKeys", testLegacyDedup},
		{"ConcurrentDuplicateDelivery", testConcurrentDuplicate},
		{"ConcurrentDistinctCreates", testConcurrentDistinct},
		{"NotFound", testNotFound},
		{"UpdateOptimistic", testUpdateOptimistic},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"StatusAndAssignee", testStatusAndAssignee},
		{"Pages", testPages},
		{"PageTies", testPageTies},
		{"SharedReads", testSharedReads},
		{"PageChanges", testPageChanges},
		{"Range", testRange},
		{"ResolveID", testResolveID},
		{"Audit", testAudit},
		{"Corrupt", testCorrupt},
		{"Outbox", testOutbox},
		{"OutboxRetryDeadLetter", testOutboxRetry},
		{"ConcurrentClaims", testConcurrentClaims},
		{"OutboxOrder", testOutboxOrder},
		{"ConcurrentOrderedClaims", testConcurrentOrderedClaims},
		{"Locks", testLocks},
		{"Markers", testMarkers},
		{"OnCall", testOnCall},
		{"ClosedIndex", testClosedIndex},
		{"PurgeRaw", testPurgeRaw},
		{"Threads", testThreads},
		{"FollowUps", testFollowUps},
		{"ConcurrentFollowUps", testConcurrentFollowUps},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newClock()
			tt.fn(t, b, b.open(t, c), c)
		})
	}
}

var day0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func testCreateAndRead(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	in := incoming(1, day0)
	r := mustCreate(t, s, in)
	if r.ID != "LE-2026-0001" || r.Version != 1 || r.Status != legal.StatusNew {
		t.Errorf("got id %s version %d status %s, want LE-2026-0001 1 new", r.ID, r.Version, r.Status)
	}
	got := mustGet(t, s, r.ID)
	if got.Subject != "subpoena 1" || !got.ReceivedAt.Equal(day0) || got.MessageID != "m1@agency.gov" {
		t.Errorf("got %+v, want the created request", got)
	}
	raw, err := s.RawMessage(ctx, r.ID)
	if err != nil || string(raw) != string(in.Raw) {
		t.Errorf("raw: got %q, %v, want %q", raw, err, in.Raw)
	}
	audit, err := s.Audit(ctx, r.ID)
	if err != nil || len(audit) != 1 || audit[0].Action != "created" || audit[0].RequestID != r.ID {
		t.Errorf("audit: got %+v, %v, want one created entry", audit, err)
	}
	items, err := s.Claim(ctx, day0.Add(time.Hour), time.Minute, 10)
	if err != nil || len(items) != 1 || items[0].RequestID != r.ID || items[0].Kind != "slack.card" {
		t.Errorf("outbox: got %+v, %v, want one slack.card for %s", items, err, r.ID)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("ping: got %v, want nil", err)
	}
}

func testIDsPerYear(t *testing.T, _ backend, s Store, _ *clock) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"first of 2026", day0, "LE-2026-0001"},
		{"second of 2026", day0.Add(time.Hour), "LE-2026-0002"},
		{"first of 2027", day0.AddDate(1, 0, 0), "LE-2027-0001"},
		// 23:30 on 31 Dec in Los Angeles is 2027 in UTC: the receipt's zone wins.
		{"new year's eve in LA", time.Date(2026, 12, 31, 23, 30, 0, 0, la), "LE-2026-0003"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := mustCreate(t, s, incoming(i, tt.at)); r.ID != tt.want {
				t.Errorf("got %s, want %s", r.ID, tt.want)
			}
		})
	}
}

func testConcurrentDuplicate(t *testing.T, _ backend, s Store, _ *clock) {
	const n = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, seen := 0, map[string]bool{}
	for range n {
		wg.Go(func() {
			r, c, err := s.CreateRequest(context.Background(), incoming(7, day0))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			seen[r.ID] = true
			if c {
				created++
			}
		})
	}
	wg.Wait()
	st, _ := s.OutboxStats(context.Background())
	if created != 1 || len(seen) != 1 || st.Depth != 1 {
		t.Errorf("got %d creations, ids %v, outbox depth %d; want 1, one id, 1", created, seen, st.Depth)
	}
}

func testConcurrentDistinct(t *testing.T, _ backend, s Store, _ *clock) {
	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	var got []string
	for i := range n {
		wg.Go(func() {
			r, _, err := s.CreateRequest(context.Background(), incoming(i, day0))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got = append(got, r.ID)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(got)
	var want []string
	for i := 1; i <= n; i++ {
		want = append(want, FormatID(2026, uint64(i)))
	}
	if !slices.Equal(got, want) {
		t.Errorf("got ids %v, want %v", got, want)
	}
}

func testNotFound(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	const id = "LE-2026-9999"
	tests := []struct {
		name string
		call func() error
	}{
		{"GetRequest", func() error { _, err := s.GetRequest(ctx, id); return err }},
		{"RawMessage", func() error { _, err := s.RawMessage(ctx, id); return err }},
		{"Audit", func() error { _, err := s.Audit(ctx, id); return err }},
		{"AppendAudit", func() error { return s.AppendAudit(ctx, AuditEntry{RequestID: id, Action: "note"}) }},
		{"UpdateRequest", func() error { return s.UpdateRequest(ctx, &legal.Request{ID: id, Version: 1}, AuditEntry{}) }},
		{"Ack", func() error { return s.Ack(ctx, "ob-nope") }},
		{"Retry", func() error { return s.Retry(ctx, "ob-nope", day0, "x", 3) }},
		{"hostile id", func() error { _, err := s.GetRequest(ctx, "a:b{c}*\x00"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
		})
	}
}

func testUpdateOptimistic(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	r := mustCreate(t, s, incoming(1, day0))
	stale := *r
	r.Status = legal.StatusInReview
	mustUpdate(t, s, r, "status")
	if r.Version != 2 {
		t.Errorf("got version %d after update, want 2", r.Version)
	}
	stale.Subject = "overwritten"
	err := s.UpdateRequest(ctx, &stale, AuditEntry{Action: "subject"})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("stale update: got %v, want ErrConflict", err)
	}
	if got := mustGet(t, s, r.ID); got.Subject != "subpoena 1" || got.Status != legal.StatusInReview || got.Version != 2 {
		t.Errorf("got %q %s v%d, want the first update kept", got.Subject, got.Status, got.Version)
	}
	if a, _ := s.Audit(ctx, r.ID); len(a) != 2 {
		t.Errorf("got %d audit entries, want 2 (stale update adds none)", len(a))
	}
}

func testConcurrentUpdates(t *testing.T, _ backend, s Store, _ *clock) {
	r := mustCreate(t, s, incoming(1, day0))
	const n = 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for i := range n {
		wg.Go(func() {
			mine := *r
			mine.Assignee = fmt.Sprintf("U%d", i)
			err := s.UpdateRequest(context.Background(), &mine, AuditEntry{Actor: mine.Assignee, Action: "claim"})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, ErrConflict):
				conflicts++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins != 1 || conflicts != n-1 {
		t.Errorf("got %d wins, %d conflicts; want 1, %d", wins, conflicts, n-1)
	}
	if got := mustGet(t, s, r.ID); got.Version != 2 {
		t.Errorf("got version %d, want 2", got.Version)
	}
}
