package outbox

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/store"
)

// clock is a test clock moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer is a log sink safe for the dispatcher's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is one test's world: a real store, a clock and a log.
type env struct {
	store store.Store
	clock *clock
	logs  *syncBuffer
	log   *slog.Logger
}

// newEnv opens a store on backend ("redis", its keys removed when the
// test ends, or "bolt").
func newEnv(t testing.TB, backend string) *env {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	logs := &syncBuffer{}
	e := &env{clock: clk, logs: logs, log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	cfg := store.Config{Now: clk.Now}
	var err error
	switch backend {
	case "redis":
		cfg.RedisURL = testredis.URL(t)
		cfg.KeyPrefix = testredis.PrefixCleanup(t, cfg.RedisURL)
		e.store, err = store.OpenRedis(context.Background(), cfg)
	case "bolt":
		cfg.DataDir = t.TempDir()
		e.store, err = store.OpenBolt(cfg)
	}
	if err != nil {
		t.Fatalf("open %s store: %v", backend, err)
	}
	t.Cleanup(func() { e.store.Close() })
	return e
}
