package jobs

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

const (
	legalChannel  = "CLEGAL"
	digestChannel = "CDIGEST"
)

var la = mustLoc("America/Los_Angeles")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a wall-clock instant in Los Angeles.
func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, la) }

// clock is the injected clock shared by the store, fake Slack and jobs.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// env is a store on real Redis (or bbolt), a fake Slack, a dispatcher
// with the jobs' kinds, and the jobs themselves, all on one clock.
type env struct {
	t      testing.TB
	clock  *clock
	url    string
	prefix string
	store  store.Store
	slack  *fakeslack.Server
	cal    *legal.Calendar
	disp   *outbox.Dispatcher
	rem    *Reminders
	digest *Digest
	seq    int
}

func newEnv(tb testing.TB, backend string) *env {
	tb.Helper()
	e := &env{t: tb, clock: &clock{t: at(2026, 3, 2, 8, 0)}, cal: legal.NewCalendar(la)}
	cfg := store.Config{Now: e.clock.Now}
	switch backend {
	case "redis":
		e.url = testredis.URL(tb)
		e.prefix = testredis.PrefixCleanup(tb, e.url)
		cfg.RedisURL, cfg.KeyPrefix = e.url, e.prefix
	default:
		cfg.DataDir = tb.TempDir()
	}
	e.store = mustOpen(tb, cfg)
	e.slack = fakeslack.New(tb)
	e.slack.AddChannel(legalChannel, fakeslack.Private)
	e.slack.AddChannel(digestChannel, fakeslack.Public)
	e.slack.SetClock(e.clock.Now)
	sl, err := bot.New(bot.Config{Token: "xoxb-test", APIURL: e.slack.URL(), Channel: legalChannel,
		Calendar: e.cal, Store: e.store, Now: e.clock.Now})
	if err != nil {
		tb.Fatal(err)
	}
	e.disp, err = outbox.New(outbox.Config{Store: e.store, Now: e.clock.Now})
	if err != nil {
		tb.Fatal(err)
	}
	bot.RegisterSlack(e.disp, sl)
	bot.RegisterJobs(e.disp, sl)
	if e.rem, err = NewReminders(e.store, e.cal, nil); err != nil {
		tb.Fatal(err)
	}
	e.digest, err = NewDigest(DigestConfig{Store: e.store, Calendar: e.cal, Schedule: "0 8 * * 1-5", Channel: digestChannel})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func mustOpen(tb testing.TB, cfg store.Config) store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// create stores a request received at the clock's time, shaped by edit,
// and posts its card.
func (e *env) create(edit func(r *legal.Request)) *legal.Request {
	e.t.Helper()
	id := e.add(edit)
	e.drain()
	return e.get(id)
}

// add stores a request as create does and returns its id, leaving its
// card in the outbox.
func (e *env) add(edit func(r *legal.Request)) string {
	e.t.Helper()
	e.seq++
	now := e.clock.Now()
	r := legal.Request{Source: "smtp", Facts: legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}}}
	r.Due = legal.DueFor(r.Facts, now, e.cal)
	if edit != nil {
		edit(&r)
	}
	got, created, err := e.store.CreateRequest(context.Background(), store.Incoming{
		Raw:        fmt.Appendf(nil, "Message-ID: <m%d@agency.gov>\r\n\r\nbody\r\n", e.seq),
		MessageID:  fmt.Sprintf("m%d@agency.gov", e.seq),
		ReceivedAt: now, Request: r,
		Audit:  store.AuditEntry{Actor: "smtp", Action: "created"},
		Outbox: []store.OutboxItem{bot.CardItem("")},
	})
	if err != nil || !created {
		e.t.Fatalf("create: %v (created %v)", err, created)
	}
	return got.ID
}

func (e *env) get(id string) *legal.Request {
	e.t.Helper()
	r, err := e.store.GetRequest(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) update(id string, edit func(r *legal.Request)) {
	e.t.Helper()
	r := e.get(id)
	edit(r)
	if err := e.store.UpdateRequest(context.Background(), r, store.AuditEntry{Actor: "U1", Action: "edit"}); err != nil {
		e.t.Fatal(err)
	}
}

// drain sends everything due in the outbox.
func (e *env) drain() {
	e.t.Helper()
	for range 100 {
		n, err := e.disp.DrainOnce(context.Background(), e.clock.Now())
		if err != nil {
			e.t.Fatalf("drain: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// tick runs the reminders and digest (unless a test set e.digest to
// nil) as of t, then drains the outbox.
func (e *env) tick(t time.Time) {
	e.t.Helper()
	e.clock.Set(t)
	ctx := context.Background()
	if err := e.rem.Tick(ctx, t); err != nil {
		e.t.Fatalf("reminders at %v: %v", t, err)
	}
	if e.digest != nil {
		if err := e.digest.Tick(ctx, t); err != nil {
			e.t.Fatalf("digest at %v: %v", t, err)
		}
	}
	e.drain()
}

// walk ticks on the cron spec from the clock's time through end.
func (e *env) walk(spec string, end time.Time) {
	e.t.Helper()
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		e.t.Fatal(err)
	}
	for t := sched.Next(e.clock.Now().In(la)); !t.After(end); t = sched.Next(t) {
		e.tick(t)
	}
	e.clock.Set(end)
}

// sent is one message lebot posted, as a test reads it.
type sent struct {
	Where string    // "thread", "thread+channel", "dm:U1"
	At    time.Time // the fake Slack's clock when posted
	Text  string
}

func (s sent) String() string {
	return fmt.Sprintf("%s %s %.60q", s.Where, s.At.In(la).Format("Mon Jan 2 15:04"), s.Text)
}

// reminders lists the messages about req in its thread and the DMs
// mentioning it, in posting order.
func (e *env) reminders(req *legal.Request) []sent {
	var out []sent
	for _, m := range e.slack.Replies(req.CardChannel, req.CardTS) {
		if strings.HasPrefix(m.Text, "✉️") || len(m.Files) > 0 {
			continue // the original .eml
		}
		w := "thread"
		if m.Broadcast {
			w += "+channel"
		}
		out = append(out, sent{w, tsTime(m.TS), m.Text})
	}
	for _, c := range e.slack.Calls("chat.postMessage") {
		ch := c.Params.Get("channel")
		if strings.HasPrefix(ch, "D") && strings.Contains(c.Params.Get("text"), "*"+req.ID+"*") {
			out = append(out, sent{"dm:" + strings.TrimPrefix(ch, "D"), c.At, c.Params.Get("text")})
		}
	}
	return out
}

func tsTime(ts string) time.Time {
	var sec, seq int64
	fmt.Sscanf(ts, "%d.%d", &sec, &seq)
	return time.Unix(sec, 0)
}
