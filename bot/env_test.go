package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

const testChannel = "C0LEGAL"

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

// env is one test's world: a fake Slack, a real store, a clock and a log.
type env struct {
	t     testing.TB
	slack *fakeslack.Server
	store store.Store
	clock *clock
	logs  *syncBuffer
	log   *slog.Logger
	cal   *legal.Calendar
}

// backends are the store backends the dispatcher tests run against.
var backends = []string{"redis", "bolt"}

func newEnv(t testing.TB, backend string) *env {
	t.Helper()
	cal := legal.NewCalendar(mustLoc(t))
	clk := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, cal.Location())}
	fs := fakeslack.New(t)
	fs.AddChannel(testChannel, fakeslack.Private)
	fs.SetClock(clk.Now)
	logs := &syncBuffer{}
	e := &env{t: t, slack: fs, clock: clk, logs: logs, cal: cal,
		log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
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

// bot is a Slack client on st (the env's store when nil).
func (e *env) bot(st Store) *Slack {
	e.t.Helper()
	if st == nil {
		st = e.store
	}
	s, err := New(Config{Token: "xoxb-test", APIURL: e.slack.URL(), Channel: testChannel,
		Calendar: e.cal, Store: st, Logger: e.log, Now: e.clock.Now})
	if err != nil {
		e.t.Fatalf("new bot: %v", err)
	}
	return s
}

// dispatcher drains st (the env's store when nil) with no jitter,
// sending the slack.* kinds.
func (e *env) dispatcher(st store.Store) *outbox.Dispatcher {
	e.t.Helper()
	if st == nil {
		st = e.store
	}
	d, err := outbox.New(outbox.Config{Store: st, Logger: e.log,
		Now: e.clock.Now, Jitter: func() float64 { return 0 }})
	if err != nil {
		e.t.Fatalf("new dispatcher: %v", err)
	}
	RegisterSlack(d, e.bot(st))
	return d
}

// receive stores a received subpoena with the given outbox items (a card
// when none), as intake does.
func (e *env) receive(items ...store.OutboxItem) *legal.Request {
	e.t.Helper()
	if len(items) == 0 {
		items = []store.OutboxItem{CardItem("")}
	}
	draft := subpoena(e.t)
	draft.ID = ""
	req, created, err := e.store.CreateRequest(context.Background(), store.Incoming{
		Raw:        []byte("From: asmith@police.example.gov\r\nSubject: subpoena\r\n\r\nPlease produce."),
		MessageID:  "m1@police.example.gov",
		ReceivedAt: draft.ReceivedAt,
		Request:    *draft,
		Outbox:     items,
		Audit:      store.AuditEntry{Actor: "smtp", Action: "created"},
	})
	if err != nil || !created {
		e.t.Fatalf("create request: created=%v, %v", created, err)
	}
	return req
}

// drain runs one DrainOnce at the clock's time.
func (e *env) drain(d *outbox.Dispatcher) int {
	e.t.Helper()
	n, err := d.DrainOnce(context.Background(), e.clock.Now())
	if err != nil {
		e.t.Fatalf("drain: %v", err)
	}
	return n
}

func (e *env) get(id string) *legal.Request {
	e.t.Helper()
	r, err := e.store.GetRequest(context.Background(), id)
	if err != nil {
		e.t.Fatalf("get %s: %v", id, err)
	}
	return r
}

// checkOneCard asserts the channel holds exactly one top-level message,
// the card of req, recorded on the request.
func (e *env) checkOneCard(id string) {
	e.t.Helper()
	top := e.slack.TopLevel(testChannel)
	if len(top) != 1 {
		e.t.Fatalf("got %d top-level messages, want exactly 1 card", len(top))
	}
	if md := top[0].Metadata; md == nil || md.EventType != MetadataEventType || md.EventPayload["request_id"] != id {
		e.t.Fatalf("got card metadata %+v, want %s for %s", top[0].Metadata, MetadataEventType, id)
	}
	r := e.get(id)
	if r.CardChannel != testChannel || r.CardTS != top[0].TS {
		e.t.Fatalf("got card recorded at %s/%s, want %s/%s", r.CardChannel, r.CardTS, testChannel, top[0].TS)
	}
}

// checkLogsClean asserts no identifiers, names or subjects were logged.
func (e *env) checkLogsClean() {
	e.t.Helper()
	r := subpoena(e.t)
	for _, s := range append([]string{r.Subject, r.Facts.Agent.Name, r.Facts.Agent.Email, "xoxb-test"}, r.Facts.Identifiers...) {
		if strings.Contains(e.logs.String(), s) {
			e.t.Errorf("log contains %q:\n%s", s, e.logs.String())
		}
	}
}

// crashStore is a store in a process that dies at a given call: that
// call and every later one fail, as if the process were killed there.
type crashStore struct {
	store.Store
	at string // "UpdateRequest" or "Ack"

	mu   sync.Mutex
	dead bool
}

var errKilled = errors.New("process killed")

func (c *crashStore) check(method string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if method == c.at {
		c.dead = true
	}
	if c.dead {
		return errKilled
	}
	return nil
}

func (c *crashStore) GetRequest(ctx context.Context, id string) (*legal.Request, error) {
	if err := c.check("GetRequest"); err != nil {
		return nil, err
	}
	return c.Store.GetRequest(ctx, id)
}

func (c *crashStore) UpdateRequest(ctx context.Context, r *legal.Request, a store.AuditEntry, o ...store.OutboxItem) error {
	if err := c.check("UpdateRequest"); err != nil {
		return err
	}
	return c.Store.UpdateRequest(ctx, r, a, o...)
}

func (c *crashStore) Ack(ctx context.Context, id string) error {
	if err := c.check("Ack"); err != nil {
		return err
	}
	return c.Store.Ack(ctx, id)
}

func (c *crashStore) Retry(ctx context.Context, id string, next time.Time, lastErr string, max int) error {
	if err := c.check("Retry"); err != nil {
		return err
	}
	return c.Store.Retry(ctx, id, next, lastErr, max)
}
