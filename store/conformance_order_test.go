package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// claimIDs claims at at and returns the ids, failing on an error.
func claimIDs(t *testing.T, s Store, at time.Time, max int) []string {
	t.Helper()
	got, err := s.Claim(context.Background(), at, time.Minute, max)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range got {
		ids = append(ids, it.ID)
	}
	slices.Sort(ids)
	return ids
}

// testOutboxOrder: items of one order group are claimed one at a time in
// enqueue order, across retries, dead letters and enqueue calls; other
// groups and unordered items are not held up.
func testOutboxOrder(t *testing.T, _ backend, s Store, c *clock) {
	ctx := context.Background()
	now := c.Now()
	if err := s.Enqueue(ctx,
		OutboxItem{ID: "r1", Kind: "slack.thread", RequestID: "R", Order: "slack"},
		OutboxItem{ID: "r2", Kind: "slack.thread", RequestID: "R", Order: "slack"},
		OutboxItem{ID: "s1", Kind: "slack.thread", RequestID: "S", Order: "slack"},
		OutboxItem{ID: "p", Kind: "page", RequestID: "R"},
	); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Millisecond)
	if err := s.Enqueue(ctx, OutboxItem{ID: "r3", Kind: "slack.thread", RequestID: "R", Order: "slack"}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		do   func()
		at   time.Duration
		want []string
	}{
		{"heads and unordered only", nil, time.Second, []string{"p", "r1", "s1"}},
		{"r1 waits 30s: R waits with it", func() { mustRetry(t, s, "r1", now.Add(31*time.Second), 0) }, 2 * time.Second, nil},
		{"nothing more while r1 waits", func() { mustAck(t, s, "s1"); mustAck(t, s, "p") }, 3 * time.Second, nil},
		{"r1 again, still alone", nil, 32 * time.Second, []string{"r1"}},
		{"r2 once r1 is acked", func() { mustAck(t, s, "r1") }, 33 * time.Second, []string{"r2"}},
		{"r3 once r2 is dead", func() { mustRetry(t, s, "r2", now, 1) }, 34 * time.Second, []string{"r3"}},
	}
	for _, st := range steps {
		if st.do != nil {
			st.do()
		}
		if got := claimIDs(t, s, now.Add(st.at), 10); !slices.Equal(got, st.want) {
			t.Fatalf("%s: claimed %v, want %v", st.name, got, st.want)
		}
	}
}

func mustAck(t *testing.T, s Store, id string) {
	t.Helper()
	if err := s.Ack(context.Background(), id); err != nil {
		t.Fatalf("ack %s: %v", id, err)
	}
}

func mustRetry(t *testing.T, s Store, id string, next time.Time, maxAttempts int) {
	t.Helper()
	if err := s.Retry(context.Background(), id, next, "ratelimited", maxAttempts); err != nil {
		t.Fatalf("retry %s: %v", id, err)
	}
}

// testConcurrentOrderedClaims: many claimers drain many groups at once;
// each group's items are delivered in enqueue order and never two of a
// group at the same time, even when some deliveries fail and retry.
func testConcurrentOrderedClaims(t *testing.T, _ backend, s Store, c *clock) {
	ctx := context.Background()
	const groups, per = 20, 5
	for i := range per {
		var items []OutboxItem
		for g := range groups {
			items = append(items, OutboxItem{ID: fmt.Sprintf("g%02d-%d", g, i), Kind: "slack.thread",
				RequestID: fmt.Sprintf("R%02d", g), Order: "slack"})
		}
		if err := s.Enqueue(ctx, items...); err != nil {
			t.Fatal(err)
		}
		c.Add(time.Millisecond)
	}
	var (
		mu       sync.Mutex
		order    = map[string][]string{} // group -> delivered ids
		inFlight = map[string]bool{}
		failed   = map[string]bool{}
		wg       sync.WaitGroup
	)
	for range 6 {
		wg.Go(func() {
			for idle := 0; idle < 20; {
				got, err := s.Claim(ctx, c.Now().Add(time.Hour), time.Hour, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					idle++
					time.Sleep(time.Millisecond)
					continue
				}
				idle = 0
				for _, it := range got {
					g := it.RequestID
					mu.Lock()
					if inFlight[g] {
						t.Errorf("group %s: two items claimed at once", g)
					}
					inFlight[g] = true
					fail := !failed[it.ID] && it.ID[len(it.ID)-1] == '2'
					failed[it.ID] = true
					if !fail {
						order[g] = append(order[g], it.ID)
					}
					mu.Unlock()
					time.Sleep(100 * time.Microsecond) // the send; no other claim of g may happen now
					mu.Lock()
					inFlight[g] = false
					mu.Unlock()
					if fail {
						mustRetry(t, s, it.ID, c.Now(), 0) // fails once, tried again
					} else {
						mustAck(t, s, it.ID)
					}
				}
			}
		})
	}
	wg.Wait()
	for g := range groups {
		var want []string
		for i := range per {
			want = append(want, fmt.Sprintf("g%02d-%d", g, i))
		}
		if got := order[fmt.Sprintf("R%02d", g)]; !slices.Equal(got, want) {
			t.Errorf("group R%02d delivered %v, want %v", g, got, want)
		}
	}
}
