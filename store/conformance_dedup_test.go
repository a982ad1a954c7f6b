package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// withLink is in with the link outbox item the app passes (a card update).
func withLink(in Incoming) Incoming {
	in.LinkOutbox = []OutboxItem{{Kind: "slack.card_update", Payload: []byte(`{}`)}}
	return in
}

// relayed is raw as delivered once more through a relay: new trace
// fields on top.
func relayed(raw []byte, hop int) []byte {
	return append(fmt.Appendf(nil, "Return-Path: <bounce-%d@agency.gov>\r\nReceived: from relay%d.example.net\r\n"+
		"\tby mx.example.com; Mon, 2 Mar 2026 09:0%d:00 +0000\r\nDelivered-To: legal@example.com\r\n", hop, hop, hop), raw...)
}

// testIdempotent: a duplicate is the same content; a Message-ID alone is not.
func testIdempotent(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	first := withLink(incoming(1, day0))
	r := mustCreate(t, s, first)
	noID := incoming(2, day0)
	noID.MessageID = ""
	r2 := mustCreate(t, s, noID)
	tests := []struct {
		name   string
		in     func() Incoming
		wantID string // "" for a new request
	}{
		{"same bytes again", func() Incoming { return withLink(incoming(1, day0.Add(time.Hour))) }, r.ID},
		{"same message through another relay", func() Incoming {
			in := withLink(incoming(1, day0.Add(time.Hour)))
			in.Raw = relayed(in.Raw, 2)
			return in
		}, r.ID},
		{"no Message-ID, same bytes", func() Incoming {
			in := incoming(2, day0)
			in.MessageID = ""
			return in
		}, r2.ID},
		{"no Message-ID, same message through a relay", func() Incoming {
			in := incoming(2, day0)
			in.MessageID, in.Raw = "", relayed(in.Raw, 3)
			return in
		}, r2.ID},
		{"no Message-ID, other bytes", func() Incoming {
			in := incoming(3, day0)
			in.MessageID = ""
			return in
		}, ""},
		{"a changed header is other content", func() Incoming {
			in := withLink(incoming(1, day0))
			in.Raw = append([]byte("X-Priority: 1\r\n"), in.Raw...)
			return in
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := s.OutboxStats(ctx)
			got, created, err := s.CreateRequest(ctx, tt.in())
			if err != nil {
				t.Fatal(err)
			}
			after, _ := s.OutboxStats(ctx)
			if tt.wantID == "" {
				if !created || got.ID == r.ID || got.ID == r2.ID {
					t.Errorf("got %s created=%v, want a new request", got.ID, created)
				}
				return
			}
			if created || got.ID != tt.wantID || after.Depth != before.Depth {
				t.Errorf("got %s created=%v depth %d→%d, want %s, not created, nothing enqueued", got.ID, created, before.Depth, after.Depth, tt.wantID)
			}
		})
	}
}

// testSharedMessageID: a message reusing a stored Message-ID with other
// content is its own request (its own card item), and both record the
// link, the earlier one with an audit entry and the link item; a
// re-delivery of either is a duplicate of that one.
func testSharedMessageID(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	forged := withLink(incoming(1, day0))
	forged.Raw = []byte("Message-ID: <m1@agency.gov>\r\nSubject: hello\r\n\r\nnothing to see\r\n")
	a := mustCreate(t, s, forged)

	real := withLink(incoming(1, day0.Add(time.Minute)))
	before, _ := s.OutboxStats(ctx)
	b, created, err := s.CreateRequest(ctx, real)
	if err != nil || !created || b.ID == a.ID {
		t.Fatalf("other content, same Message-ID: got %v created=%v %v, want a new request", b, created, err)
	}
	after, _ := s.OutboxStats(ctx)
	if after.Depth != before.Depth+2 {
		t.Errorf("outbox %d→%d, want the new card and the earlier card's update", before.Depth, after.Depth)
	}
	if !slices.Equal(b.SharedMessageID, []string{a.ID}) || b.Subject != "subpoena 1" {
		t.Errorf("new request: shared %v subject %q, want linked to %s and its own content", b.SharedMessageID, b.Subject, a.ID)
	}
	if got := mustGet(t, s, b.ID); !slices.Equal(got.SharedMessageID, []string{a.ID}) {
		t.Errorf("stored new request: shared %v, want [%s]", got.SharedMessageID, a.ID)
	}
	ga := mustGet(t, s, a.ID)
	if !slices.Equal(ga.SharedMessageID, []string{b.ID}) || ga.Version != a.Version+1 {
		t.Errorf("earlier request: shared %v version %d, want [%s] and version %d", ga.SharedMessageID, ga.Version, b.ID, a.Version+1)
	}
	audit, err := s.Audit(ctx, a.ID)
	if err != nil || len(audit) != 2 || audit[1].After != b.ID {
		t.Errorf("earlier request's audit: %+v %v, want the link recorded", audit, err)
	}
	items, err := s.Claim(ctx, day0.Add(time.Hour), time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	var updates []string
	for _, it := range items {
		if it.Kind == "slack.card_update" {
			updates = append(updates, it.RequestID)
		}
	}
	if !slices.Equal(updates, []string{a.ID}) {
		t.Errorf("link items for %v, want one for %s", updates, a.ID)
	}
	if raw, err := s.RawMessage(ctx, b.ID); err != nil || string(raw) != string(real.Raw) {
		t.Errorf("new request's raw message: %q %v", raw, err)
	}

	// Re-deliveries of either message are duplicates of their own request.
	for _, tt := range []struct {
		raw  []byte
		want string
	}{{relayed(real.Raw, 1), b.ID}, {forged.Raw, a.ID}} {
		in := withLink(incoming(1, day0.Add(time.Hour)))
		in.Raw = tt.raw
		got, created, err := s.CreateRequest(ctx, in)
		if err != nil || created || got.ID != tt.want {
			t.Errorf("re-delivery: got %v created=%v %v, want %s", got, created, err, tt.want)
		}
	}

	// A third content links to both; both earlier ones gain the link.
	third := withLink(incoming(1, day0.Add(2*time.Minute)))
	third.Raw = append(third.Raw, "third\r\n"...)
	c := mustCreate(t, s, third)
	if !slices.Equal(c.SharedMessageID, []string{a.ID, b.ID}) {
		t.Errorf("third: shared %v, want [%s %s]", c.SharedMessageID, a.ID, b.ID)
	}
	for _, id := range []string{a.ID, b.ID} {
		if r := mustGet(t, s, id); !slices.Contains(r.SharedMessageID, c.ID) {
			t.Errorf("%s: shared %v, want %s in it", id, r.SharedMessageID, c.ID)
		}
	}
}

// testLegacyDedup: data stored before content was part of dedup — a
// mid: key holding a bare id, a sha256 key over all the bytes — still
// dedups a re-delivery of the same message; other content under an old
// Message-ID, or an old one whose raw message was purged, becomes a
// new, linked request (never a lost one).
func testLegacyDedup(t *testing.T, _ backend, s Store, _ *clock) {
	ctx := context.Background()
	put := func(key, id string) {
		t.Helper()
		var err error
		switch st := s.(type) {
		case *Redis:
			err = st.c.Set(ctx, st.k.dedup(st.cr.lookupKey(key)), id, 0).Err()
		case *Bolt:
			err = st.db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket(bDedup).Put([]byte(st.cr.lookupKey(key)), []byte(id))
			})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// Three requests stored the old way: their dedup keys replaced by old-style ones.
	var old []string
	for i := range 3 {
		in := incoming(40+i, day0)
		in.MessageID = fmt.Sprintf("old-%d@agency.gov", i)
		in.Raw = relayed(in.Raw, i)
		r := mustCreate(t, s, in)
		old = append(old, r.ID)
		put(dedupKey(in.MessageID, ""), r.ID)
	}
	if err := s.PurgeRaw(ctx, old[2]); err != nil {
		t.Fatal(err)
	}
	noID := incoming(50, day0)
	noID.MessageID = ""
	noID.Raw = relayed(noID.Raw, 5)
	r := mustCreate(t, s, noID)
	whole := sha256Hex(noID.Raw)
	put(dedupKey("", whole), r.ID)
	if err := deleteDedup(ctx, s, noID); err != nil {
		t.Fatal(err)
	}

	redeliver := func(n int, raw []byte) (*Incoming, string, bool) {
		in := withLink(incoming(40+n, day0.Add(time.Hour)))
		in.MessageID, in.Raw = fmt.Sprintf("old-%d@agency.gov", n), raw
		got, created, err := s.CreateRequest(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return &in, got.ID, created
	}
	same := relayed(incoming(40, day0).Raw, 0)
	if _, id, created := redeliver(0, same); created || id != old[0] {
		t.Errorf("old Message-ID, same bytes: got %s created=%v, want %s", id, created, old[0])
	}
	if _, id, created := redeliver(0, relayed(incoming(40, day0).Raw, 7)); created || id != old[0] {
		t.Errorf("old Message-ID, same message through another relay: got %s created=%v, want %s", id, created, old[0])
	}
	if _, id, created := redeliver(1, []byte("Message-ID: <old-1@agency.gov>\r\n\r\nother\r\n")); !created {
		t.Errorf("old Message-ID, other content: got %s created=false, want a new request", id)
	} else if r := mustGet(t, s, old[1]); !slices.Equal(r.SharedMessageID, []string{id}) {
		t.Errorf("old request: shared %v, want [%s]", r.SharedMessageID, id)
	}
	if _, id, created := redeliver(2, relayed(incoming(42, day0).Raw, 2)); !created || id == old[2] {
		t.Errorf("old Message-ID, raw purged: got %s created=%v, want a new (linked) request", id, created)
	}
	if got, created, err := s.CreateRequest(ctx, noID); err != nil || created || got.ID != r.ID {
		t.Errorf("no Message-ID, old whole-bytes key: got %v created=%v %v, want %s", got, created, err, r.ID)
	}
}

// deleteDedup removes the current-style dedup key of in (no Message-ID).
func deleteDedup(ctx context.Context, s Store, in Incoming) error {
	switch st := s.(type) {
	case *Redis:
		return st.c.Del(ctx, st.k.dedup(st.cr.dedupPlan("", in.Raw).key)).Err()
	case *Bolt:
		return st.db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bDedup).Delete([]byte(st.cr.dedupPlan("", in.Raw).key))
		})
	}
	return errors.New("unknown backend")
}
