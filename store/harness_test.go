package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	bolt "go.etcd.io/bbolt"
)

// backend is what the conformance suite needs from one backend.
type backend struct {
	// open returns a fresh, empty store whose clock is c.
	open func(t *testing.T, c *clock) Store
	// advance lets backend-side TTLs run d further.
	advance func(d time.Duration)
	// corrupt overwrites the stored request id with garbage.
	corrupt func(t *testing.T, s Store, id string)
}

// clock is a settable clock for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func redisBackend(t *testing.T) backend {
	srv := testredis.NewServer(t)
	t.Logf("redis conformance runs against %s", srv.Kind)
	return backend{
		open: func(t *testing.T, c *clock) Store {
			return mustOpenRedis(t, srv.URL, testredis.PrefixCleanup(t, srv.URL), c)
		},
		advance: srv.FastForward,
		corrupt: func(t *testing.T, s Store, id string) {
			r := s.(*Redis)
			if err := r.c.Set(context.Background(), r.k.request(id), "{not json", 0).Err(); err != nil {
				t.Fatal(err)
			}
		},
	}
}

// topologyBackend runs against a Redis the test started (a Cluster or a
// Sentinel setup), named by url; each store gets a prefix of its own.
func topologyBackend(url string) backend {
	return backend{
		open: func(t *testing.T, c *clock) Store {
			return mustOpenRedis(t, url, testredis.Prefix(t), c)
		},
		advance: func(d time.Duration) { time.Sleep(d) },
		corrupt: func(t *testing.T, s Store, id string) {
			r := s.(*Redis)
			if err := r.c.Set(context.Background(), r.k.request(id), "{not json", 0).Err(); err != nil {
				t.Fatal(err)
			}
		},
	}
}

func boltBackend() backend {
	return backend{
		open: func(t *testing.T, c *clock) Store {
			return mustOpenBolt(t, t.TempDir(), c)
		},
		advance: func(time.Duration) {},
		corrupt: func(t *testing.T, s Store, id string) {
			err := s.(*Bolt).db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket(bRequests).Put([]byte(id), []byte("{not json"))
			})
			if err != nil {
				t.Fatal(err)
			}
		},
	}
}

func mustOpenRedis(tb testing.TB, url, prefix string, c *clock) *Redis {
	tb.Helper()
	cfg := Config{RedisURL: url, KeyPrefix: prefix}
	if c != nil {
		cfg.Now = c.Now
	}
	s, err := OpenRedis(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open redis: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func mustOpenBolt(tb testing.TB, dir string, c *clock) *Bolt {
	tb.Helper()
	cfg := Config{DataDir: dir}
	if c != nil {
		cfg.Now = c.Now
	}
	s, err := OpenBolt(cfg)
	if err != nil {
		tb.Fatalf("open bolt: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// incoming is a received message numbered n.
func incoming(n int, at time.Time) Incoming {
	return Incoming{
		Raw:        fmt.Appendf(nil, "Message-ID: <m%d@agency.gov>\r\nSubject: subpoena %d\r\n\r\nbody %d\r\n", n, n, n),
		MessageID:  fmt.Sprintf("m%d@agency.gov", n),
		ReceivedAt: at,
		Request: legal.Request{
			Source:  "smtp",
			Subject: fmt.Sprintf("subpoena %d", n),
			Facts:   legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}},
		},
		Outbox: []OutboxItem{{Kind: "slack.card", Payload: []byte(`{"n":1}`)}},
		Audit:  AuditEntry{Actor: "smtp", Action: "created"},
	}
}

func mustCreate(tb testing.TB, s Store, in Incoming) *legal.Request {
	tb.Helper()
	r, created, err := s.CreateRequest(context.Background(), in)
	if err != nil {
		tb.Fatalf("create: %v", err)
	}
	if !created {
		tb.Fatalf("create %s: got created=false, want true", in.MessageID)
	}
	return r
}

func mustGet(tb testing.TB, s Store, id string) *legal.Request {
	tb.Helper()
	r, err := s.GetRequest(context.Background(), id)
	if err != nil {
		tb.Fatalf("get %s: %v", id, err)
	}
	return r
}

func mustUpdate(tb testing.TB, s Store, r *legal.Request, action string) {
	tb.Helper()
	if err := s.UpdateRequest(context.Background(), r, AuditEntry{Actor: "U1", Action: action}); err != nil {
		tb.Fatalf("update %s: %v", r.ID, err)
	}
}

func ids(rs []*legal.Request) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}
