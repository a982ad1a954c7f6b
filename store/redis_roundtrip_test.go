package store

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/redis/go-redis/v9"
)

// roundTrips counts what a client sends: one per command, one per
// pipeline (and per script run).
type roundTrips struct{ n atomic.Int64 }

// connSetup reports whether cmd is one go-redis sends on a connection
// it has just dialed (HELLO, CLIENT SETINFO): those pass through the
// client's hooks too, and the pool dials again now and then, so they are
// not the store's round trips.
func connSetup(cmd redis.Cmder) bool {
	return cmd.Name() == "hello" || cmd.Name() == "client"
}

// allSetup: a pipeline of connection setup only.
func allSetup(cmds []redis.Cmder) bool {
	for _, c := range cmds {
		if !connSetup(c) {
			return false
		}
	}
	return true
}

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !connSetup(cmd) {
			h.n.Add(1)
		}
		return next(ctx, cmd)
	}
}
func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if !allSetup(cmds) {
			h.n.Add(1)
		}
		return next(ctx, cmds)
	}
}

// TestRedisCreateRoundTrips: a new message costs one round trip when
// this process's last create left what it must read (the sequence, the
// agency), two when it must read them; a duplicate three (the guess, the
// lookup, reading the stored request).
func TestRedisCreateRoundTrips(t *testing.T) {
	url := testredis.URL(t)
	s := mustOpenRedis(t, url, testredis.PrefixCleanup(t, url), nil)
	ctx := context.Background()
	mustCreate(t, s, incoming(1, day0)) // loads the script
	h := &roundTrips{}
	s.c.AddHook(h)
	create := func(n int, domain string, want int64) {
		t.Helper()
		h.n.Store(0)
		in := incoming(n, day0)
		in.Request.Facts.SenderDomain = domain
		r := mustCreate(t, s, in)
		if got := h.n.Load(); got != want {
			t.Errorf("request %d from %q: %d round trips, want %d", n, domain, got, want)
		}
		if r.Sender == nil || r.Sender.Domain != domain {
			t.Errorf("sender history not set: %+v", r.Sender)
		}
	}
	create(2, "fbi.gov", 2)  // the agency is not known to this process yet
	create(3, "fbi.gov", 1)  // everything as the last create left it
	create(4, "usss.gov", 2) // another agency
	create(5, "usss.gov", 1)
	if r := mustGet(t, s, "LE-2026-0005"); r.Sender.Earlier != 1 {
		t.Errorf("second request from usss.gov: %d earlier, want 1", r.Sender.Earlier)
	}

	// Another replica's create in between: still right, one more try.
	other := mustOpenRedis(t, url, s.k.p, nil)
	mustCreate(t, other, incoming(6, day0))
	create(7, "usss.gov", 2)
	if _, err := s.GetRequest(ctx, "LE-2026-0007"); err != nil {
		t.Errorf("after another replica's create: %v", err)
	}

	h.n.Store(0)
	in := incoming(7, day0)
	in.Request.Facts.SenderDomain = "usss.gov"
	if _, created, err := s.CreateRequest(ctx, in); err != nil || created {
		t.Fatalf("duplicate: created=%v %v", created, err)
	}
	if got := h.n.Load(); got != 3 {
		t.Errorf("duplicate: %d round trips, want 3", got)
	}
}
