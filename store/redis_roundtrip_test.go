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

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}

// TestRedisCreateRoundTrips: a new message from an agency (registry read
// and written) costs two round trips, a duplicate two (the lookup, then
// reading the stored request), however the store is used meanwhile.
func TestRedisCreateRoundTrips(t *testing.T) {
	url := testredis.URL(t)
	s := mustOpenRedis(t, url, testredis.PrefixCleanup(t, url), nil)
	ctx := context.Background()
	mustCreate(t, s, incoming(1, day0)) // loads the script
	h := &roundTrips{}
	s.c.AddHook(h)
	in := incoming(2, day0)
	in.Request.Facts.SenderDomain = "fbi.gov"
	r := mustCreate(t, s, in)
	if got := h.n.Load(); got != 2 {
		t.Errorf("new request: %d round trips, want 2", got)
	}
	if r.Sender == nil || r.Sender.Domain != "fbi.gov" {
		t.Errorf("sender history not set: %+v", r.Sender)
	}
	h.n.Store(0)
	if _, created, err := s.CreateRequest(ctx, in); err != nil || created {
		t.Fatalf("duplicate: created=%v %v", created, err)
	}
	if got := h.n.Load(); got != 2 {
		t.Errorf("duplicate: %d round trips, want 2", got)
	}
}
