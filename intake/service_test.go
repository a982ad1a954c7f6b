package intake

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// storeSink is a plain store-backed Sink for the Service's own tests. It
// is not lebot's sink: that is internal/app.StoreSink (which also stores
// an emergency's first escalation step and the real card item), tested
// through serve in internal/app; this package's tests cannot import it.
type storeSink struct{ st store.Store }

func (s storeSink) StoreMessage(ctx context.Context, m Accepted) (*legal.Request, Outcome, error) {
	req, created, err := s.st.CreateRequest(ctx, store.Incoming{
		Raw: m.Raw, MessageID: m.MessageID, ReceivedAt: m.ReceivedAt, Request: m.Request,
		Audit:  store.AuditEntry{At: m.ReceivedAt, Actor: m.Source, Action: "created", Note: m.Note},
		Outbox: []store.OutboxItem{{Kind: "slack.card", Payload: []byte(`{}`), Created: m.ReceivedAt}},
	})
	if created {
		return req, Created, err
	}
	return req, Duplicate, err
}

// testStore is a Redis store reached through a proxy the test can take
// down, so "the store is down" is a real network failure.
type testStore struct {
	store.Store
	url, prefix string
	proxy       *proxy
}

func mustRedisStore(tb testing.TB) *testStore {
	tb.Helper()
	rawURL := testredis.URL(tb)
	prefix := testredis.PrefixCleanup(tb, rawURL)
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "redis" {
		tb.Skipf("proxy needs a redis:// URL, have %s", u.Scheme)
	}
	p := mustProxy(tb, u.Host)
	u.Host = p.addr
	// With the proxy down, go-redis's own retries (3 per command, each
	// dialling 5 times) would hold every call for seconds before the
	// same error; the intake's answer to it is what these tests check.
	q := u.Query()
	q.Set("max_retries", "-1")
	u.RawQuery = q.Encode()
	st, err := store.Open(context.Background(), store.Config{RedisURL: u.String(), KeyPrefix: prefix})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	return &testStore{Store: st, url: rawURL, prefix: prefix, proxy: p}
}

// fresh opens a second handle on the same data, straight to Redis.
func (ts *testStore) fresh(tb testing.TB) store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), store.Config{RedisURL: ts.url, KeyPrefix: ts.prefix})
	if err != nil {
		tb.Fatalf("open fresh store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// mustRequests returns every stored request (status new), via a fresh handle.
func (ts *testStore) mustRequests(tb testing.TB) []*legal.Request {
	tb.Helper()
	reqs, err := ts.fresh(tb).ListByStatus(context.Background(), legal.StatusNew, 1000)
	if err != nil {
		tb.Fatalf("list requests: %v", err)
	}
	return reqs
}

func mustService(tb testing.TB, sink Sink) *Service {
	tb.Helper()
	svc, err := NewService(ServiceConfig{Sink: sink, Location: time.UTC})
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// proxy forwards TCP to a target until Down; Up listens again on the
// same address.
type proxy struct {
	tb     testing.TB
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
	down   bool // set by Down: a connection accepted just before is cut too
}

func mustProxy(tb testing.TB, target string) *proxy {
	tb.Helper()
	p := &proxy{tb: tb, target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	tb.Cleanup(p.Down)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln, p.down = ln, false
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

func (p *proxy) pipe(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.down { // accepted before Down, registered after it: cut it now
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}

// Down refuses new connections and cuts the open ones.
func (p *proxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Up listens again on the same address.
func (p *proxy) Up() {
	p.tb.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.tb.Fatalf("proxy up: %v", err)
	}
	p.serve(ln)
}

// testMessage is a small, well-formed subpoena-like message.
func testMessage(msgID string) []byte {
	return []byte(strings.ReplaceAll(fmt.Sprintf(`From: Agent Dana Smith <dana.smith@fbi.gov>
To: legal@example.com
Subject: Grand jury subpoena for subscriber records
Date: Mon, 02 Mar 2026 10:00:00 -0800
Message-ID: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Please find attached a grand jury subpoena for subscriber information for
phone number (415) 555-0100 for the period January 1, 2026 to February 1, 2026.

Special Agent Dana Smith
Federal Bureau of Investigation
(202) 555-0199
`, msgID), "\n", "\r\n"))
}

func TestServiceAccept(t *testing.T) {
	ts := mustRedisStore(t)
	svc := mustService(t, storeSink{ts})
	ctx := context.Background()
	tests := []struct {
		name     string
		raw      []byte
		wantKind legal.Kind
		review   bool // flagged for manual review
	}{
		{"subpoena", testMessage("svc-1@fbi.gov"), "", false},
		{"binary garbage", []byte("\x00\xff\xfe\x01garbage\x00\r\n\r\n\x00"), legal.KindUnclassified, false},
		{"no headers at all", []byte("hello, is this the legal department?\r\n"), legal.KindUnclassified, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, created, err := svc.Accept(ctx, tt.raw, "smtp", []string{"legal@example.com"})
			if err != nil || !created {
				t.Fatalf("Accept: got created=%v err=%v, want a new request", created, err)
			}
			got, err := ts.fresh(t).GetRequest(ctx, req.ID)
			if err != nil {
				t.Fatalf("read back %s: %v", req.ID, err)
			}
			if tt.wantKind != "" && got.Kind() != tt.wantKind {
				t.Errorf("kind: got %s, want %s", got.Kind(), tt.wantKind)
			}
			if got.Source != "smtp" || got.Status != legal.StatusNew {
				t.Errorf("source/status: got %q/%q, want smtp/new", got.Source, got.Status)
			}
			raw, err := ts.fresh(t).RawMessage(ctx, req.ID)
			if err != nil || string(raw) != string(tt.raw) {
				t.Errorf("raw message: got %q (%v), want the bytes received", raw, err)
			}
			audit, err := ts.Audit(ctx, req.ID)
			if err != nil || len(audit) != 1 || audit[0].Note != "received via smtp" {
				t.Errorf("audit: got %+v (%v), want one entry noting smtp", audit, err)
			}
		})
	}
}

func TestServiceNeverDropsWhenTriagePanics(t *testing.T) {
	ts := mustRedisStore(t)
	svc := mustService(t, storeSink{ts})
	svc.triage = func(context.Context, []byte, time.Time, string) (*triage.Result, error) { panic("boom") }
	req, created, err := svc.Accept(context.Background(), testMessage("panic@x"), "http", nil)
	if err != nil || !created {
		t.Fatalf("got created=%v err=%v, want a stored request", created, err)
	}
	if req.Kind() != legal.KindUnclassified || len(req.Facts.ManualReview) == 0 {
		t.Errorf("got kind %s review %q, want unclassified flagged for review", req.Kind(), req.Facts.ManualReview)
	}
	if req.MessageID != "panic@x" {
		t.Errorf("Message-ID: got %q, want panic@x (dedup must still work)", req.MessageID)
	}
	// A retry of the same message is the same request.
	again, created, err := svc.Accept(context.Background(), testMessage("panic@x"), "http", nil)
	if err != nil || created || again.ID != req.ID {
		t.Errorf("retry: got %v created=%v err=%v, want %s not created", again, created, err, req.ID)
	}
}

func TestHeaderMessageID(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"angle brackets", "Message-ID: <a@b>\r\nSubject: x\r\n\r\nbody", "a@b"},
		{"lower case, LF", "message-id: <c@d>\n\nbody", "c@d"},
		{"in the body only", "Subject: x\r\n\r\nMessage-ID: <e@f>\r\n", ""},
		{"none", "garbage", ""},
		{"space inside", "Message-ID: <a b@c>\r\n\r\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := headerMessageID([]byte(tt.raw)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
