package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// testThreads: Message-IDs link to their request (the first link stands),
// the Message-ID a request was created from finds it, and unknown ones
// are ErrNotFound.
func testThreads(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	r := mustCreate(t, s, incoming(1, day0))
	other := mustCreate(t, s, incoming(2, day0))
	if id, err := s.ThreadOf(ctx, r.MessageID); err != nil || id != r.ID {
		t.Errorf("thread of the original: got %q, %v, want %s", id, err, r.ID)
	}
	if id, err := s.ThreadOf(ctx, "notice-1@lebot"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unlinked: got %q, %v, want ErrNotFound", id, err)
	}
	if id, err := s.LinkMessage(ctx, "notice-1@lebot", r.ID); err != nil || id != r.ID {
		t.Fatalf("link: got %q, %v", id, err)
	}
	if id, err := s.LinkMessage(ctx, "notice-1@lebot", other.ID); err != nil || id != r.ID {
		t.Errorf("second link: got %q, %v, want the first (%s) to stand", id, err, r.ID)
	}
	if id, err := s.ThreadOf(ctx, "notice-1@lebot"); err != nil || id != r.ID {
		t.Errorf("thread of the notice: got %q, %v, want %s", id, err, r.ID)
	}
	if _, err := s.LinkMessage(ctx, "", r.ID); err == nil {
		t.Error("link of an empty Message-ID: got nil, want an error")
	}
}

// testFollowUps: a follow-up is stored with its request in one step,
// once; a stale version is refused with nothing written.
func testFollowUps(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	r := mustCreate(t, s, incoming(1, day0))
	raw := []byte("Message-ID: <re-1@agency.gov>\r\nIn-Reply-To: <m1@agency.gov>\r\n\r\nhere it is\r\n")
	add := func(r *legal.Request, f FollowUpMessage) (bool, error) {
		r.FollowUps = append(r.FollowUps, legal.FollowUp{MessageID: f.MessageID, RawID: FollowUpRawID(r.ID, len(r.FollowUps)+1)})
		return s.AddFollowUp(ctx, r, f, AuditEntry{Actor: "smtp", Action: "follow-up"},
			OutboxItem{Kind: "slack.thread", Payload: []byte(`{}`)})
	}
	stale := mustGet(t, s, r.ID)
	cur := mustGet(t, s, r.ID)
	if ok, err := add(cur, FollowUpMessage{MessageID: "re-1@agency.gov", Raw: raw}); err != nil || !ok {
		t.Fatalf("add: got %v, %v, want true", ok, err)
	}
	if cur.Version != r.Version+1 {
		t.Errorf("version: got %d, want %d", cur.Version, r.Version+1)
	}
	got := mustGet(t, s, r.ID)
	if len(got.FollowUps) != 1 || got.FollowUps[0].MessageID != "re-1@agency.gov" {
		t.Errorf("stored follow-ups: %+v", got.FollowUps)
	}
	if b, err := s.RawMessage(ctx, FollowUpRawID(r.ID, 1)); err != nil || string(b) != string(raw) {
		t.Errorf("follow-up raw: got %q, %v", b, err)
	}
	if b, err := s.RawMessage(ctx, r.ID); err != nil || string(b) == string(raw) {
		t.Errorf("original raw: got %q, %v, want the original kept", b, err)
	}
	if id, err := s.ThreadOf(ctx, "re-1@agency.gov"); err != nil || id != r.ID {
		t.Errorf("thread of the follow-up: got %q, %v", id, err)
	}
	if a, err := s.Audit(ctx, r.ID); err != nil || len(a) != 2 || a[1].Action != "follow-up" {
		t.Errorf("audit: got %+v, %v", a, err)
	}
	st, _ := s.OutboxStats(ctx)
	// The same message again (a retried delivery): nothing written.
	again := mustGet(t, s, r.ID)
	if ok, err := add(again, FollowUpMessage{MessageID: "re-1@agency.gov", Raw: raw}); err != nil || ok {
		t.Fatalf("again: got %v, %v, want false", ok, err)
	}
	if g := mustGet(t, s, r.ID); g.Version != cur.Version || len(g.FollowUps) != 1 {
		t.Errorf("after the repeat: version %d, %d follow-ups; want unchanged", g.Version, len(g.FollowUps))
	}
	if st2, _ := s.OutboxStats(ctx); st2.Depth != st.Depth {
		t.Errorf("outbox after the repeat: %d, want %d", st2.Depth, st.Depth)
	}
	// A stale version: ErrConflict, nothing written.
	if _, err := add(stale, FollowUpMessage{MessageID: "re-2@agency.gov", Raw: raw}); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale: got %v, want ErrConflict", err)
	}
	if _, err := s.ThreadOf(ctx, "re-2@agency.gov"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a refused follow-up was linked: %v", err)
	}
	// Without a Message-ID the bytes identify it.
	noID := []byte("Subject: Re: [" + r.ID + "]\r\n\r\nno id\r\n")
	for i, want := range []bool{true, false} {
		if ok, err := add(mustGet(t, s, r.ID), FollowUpMessage{Raw: noID}); err != nil || ok != want {
			t.Errorf("no Message-ID, delivery %d: got %v, %v, want %v", i+1, ok, err, want)
		}
	}
	if g := mustGet(t, s, r.ID); len(g.FollowUps) != 2 {
		t.Errorf("follow-ups: got %d, want 2", len(g.FollowUps))
	}
	// Purging the raw messages takes the follow-ups' too.
	if err := s.PurgeRaw(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 2; n++ {
		if b, err := s.RawMessage(ctx, FollowUpRawID(r.ID, n)); !errors.Is(err, ErrNotFound) {
			t.Errorf("follow-up %d raw after purge: got %q, %v, want ErrNotFound", n, b, err)
		}
	}
}

// testConcurrentFollowUps: the same follow-up delivered by several
// replicas at once joins once.
func testConcurrentFollowUps(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	r := mustCreate(t, s, incoming(1, day0))
	raw := []byte("Message-ID: <re-c@agency.gov>\r\n\r\nsame\r\n")
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				cur, err := s.GetRequest(ctx, r.ID)
				if err != nil {
					t.Error(err)
					return
				}
				cur.FollowUps = append(cur.FollowUps, legal.FollowUp{MessageID: "re-c@agency.gov", Subject: fmt.Sprint(i)})
				ok, err := s.AddFollowUp(ctx, cur, FollowUpMessage{MessageID: "re-c@agency.gov", Raw: raw},
					AuditEntry{Actor: "smtp", Action: "follow-up", At: time.Now()})
				if errors.Is(err, ErrConflict) {
					continue
				}
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					added++
					mu.Unlock()
				}
				return
			}
		}()
	}
	wg.Wait()
	if g := mustGet(t, s, r.ID); added != 1 || len(g.FollowUps) != 1 {
		t.Fatalf("added %d times, %d stored; want once", added, len(g.FollowUps))
	}
}
