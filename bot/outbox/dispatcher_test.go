package outbox

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/store"
)

// TestDispatcherRegistry: later issues add kinds with Handle; the outcome
// of their SendFunc decides ack, retry or dead letter.
func TestDispatcherRegistry(t *testing.T) {
	tests := []struct {
		name     string
		send     SendFunc // nil: no handler registered
		drains   int
		wantSent int // times the handler ran
		wantDead bool
		wantLeft int // items still queued (not dead)
	}{
		{name: "delivered", send: func(context.Context, store.OutboxItem) error { return nil },
			drains: 1, wantSent: 1},
		{name: "permanent error dead-letters at once", send: func(context.Context, store.OutboxItem) error {
			return Permanent(errors.New("400 bad request"))
		}, drains: 3, wantSent: 1, wantDead: true},
		{name: "attempts exhausted", send: func(context.Context, store.OutboxItem) error { return errors.New("down") },
			drains: 6, wantSent: 3, wantDead: true},
		{name: "panic is an error", send: func(context.Context, store.OutboxItem) error { panic("boom") },
			drains: 1, wantSent: 1, wantLeft: 1},
		{name: "unknown kind waits for a replica that knows it", drains: 2, wantLeft: 1},
		{name: "retry after", send: func(context.Context, store.OutboxItem) error {
			return RetryAfter(time.Hour, errors.New("later"))
		}, drains: 3, wantSent: 1, wantLeft: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "redis")
			d, err := New(Config{Store: e.store, Logger: e.log, Now: e.clock.Now,
				MaxAttempts: 3, Jitter: func() float64 { return 0 }})
			if err != nil {
				t.Fatal(err)
			}
			sent := 0
			if tt.send != nil {
				d.Handle("page", "slack", func(ctx context.Context, it store.OutboxItem) error {
					sent++
					return tt.send(ctx, it)
				})
			}
			ctx := context.Background()
			if err := e.store.Enqueue(ctx, store.OutboxItem{Kind: "page", Payload: []byte(`{}`)}); err != nil {
				t.Fatal(err)
			}
			for range tt.drains {
				if _, err := d.DrainOnce(ctx, e.clock.Now()); err != nil {
					t.Fatalf("drain: %v", err)
				}
				e.clock.Advance(10 * time.Minute)
			}
			st, err := e.store.OutboxStats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if sent != tt.wantSent || (st.DeadLetter == 1) != tt.wantDead || st.Depth != tt.wantLeft {
				t.Fatalf("got sent %d, stats %+v; want sent %d, dead %v, depth %d", sent, st, tt.wantSent, tt.wantDead, tt.wantLeft)
			}
			if tt.wantDead && !strings.Contains(e.logs.String(), "dead-lettered") {
				t.Errorf("dead letter not logged:\n%s", e.logs.String())
			}
		})
	}
}

// TestRunFinishesItemInHand: cancelling Run while an item is being sent
// lets the send finish and be acknowledged; Run then returns.
func TestRunFinishesItemInHand(t *testing.T) {
	e := newEnv(t, "redis")
	d, err := New(Config{Store: e.store, Logger: e.log, Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	inHand, finish := make(chan struct{}), make(chan struct{})
	var sendErr error
	d.Handle("page", "slack", func(ctx context.Context, _ store.OutboxItem) error {
		close(inHand)
		<-finish
		sendErr = ctx.Err() // the send's own context must outlive Run's
		return nil
	})
	bg := context.Background()
	if err := e.store.Enqueue(bg, store.OutboxItem{Kind: "page", Payload: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(bg)
	done := make(chan error)
	go func() { done <- d.Run(ctx) }()
	<-inHand
	cancel()
	close(finish)
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v, want nil", err)
	}
	if sendErr != nil {
		t.Errorf("send context was %v during shutdown, want alive", sendErr)
	}
	if st, _ := e.store.OutboxStats(bg); st.Depth != 0 {
		t.Errorf("got depth %d after shutdown, want 0 (the item acked)", st.Depth)
	}
}

// TestRunDeliversOrderedItemsAtOnce: an item ordered behind another (a
// card's update, then its thread note) is sent as soon as the first is,
// not at the next poll an hour later.
func TestRunDeliversOrderedItemsAtOnce(t *testing.T) {
	e := newEnv(t, "redis")
	d, err := New(Config{Store: e.store, Logger: e.log, Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	sent := make(chan string, 3)
	d.Handle("note", "slack", func(_ context.Context, it store.OutboxItem) error {
		sent <- string(it.Payload)
		return nil
	})
	bg := context.Background()
	created := time.Now().Add(-time.Minute)
	for i, p := range []string{`"first"`, `"second"`, `"third"`} {
		it := store.OutboxItem{Kind: "note", RequestID: "LE-2026-0001", Order: "thread", Payload: []byte(p),
			Created: created.Add(time.Duration(i) * time.Microsecond)}
		if err := e.store.Enqueue(bg, it); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(bg)
	done := make(chan error)
	go func() { done <- d.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for _, want := range []string{`"first"`, `"second"`, `"third"`} {
		select {
		case got := <-sent:
			if got != want {
				t.Fatalf("got %s, want %s (in order)", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s not sent: waiting for the next poll", want)
		}
	}
}

// TestDrainReleasesOnCancel: items claimed but not started when ctx is
// cancelled go back to the queue at once, not after their lease.
func TestDrainReleasesOnCancel(t *testing.T) {
	e := newEnv(t, "redis")
	d, err := New(Config{Store: e.store, Logger: e.log, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.Handle("page", "slack", func(context.Context, store.OutboxItem) error { cancel(); return nil })
	for range 3 {
		if err := e.store.Enqueue(context.Background(), store.OutboxItem{Kind: "page", Payload: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := d.DrainOnce(ctx, e.clock.Now()); n != 1 || err != nil {
		t.Fatalf("got %d, %v; want 1 delivered before the cancel", n, err)
	}
	items, err := e.store.Claim(context.Background(), e.clock.Now(), time.Minute, 10)
	if err != nil || len(items) != 2 {
		t.Fatalf("got %d claimable items (%v), want the 2 released", len(items), err)
	}
}

func TestNewDispatcherValidates(t *testing.T) {
	e := newEnv(t, "bolt")
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no store", Config{}, "needs a store"},
		{"timeout beyond lease", Config{Store: e.store, Lease: time.Minute, SendTimeout: 2 * time.Minute}, "shorter than the lease"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestDispatcherLogsErrorText: a failed or dead-lettered delivery is
// logged with the service's error text, so an operator sees why, but
// without an e-mail address the error may quote.
func TestDispatcherLogsErrorText(t *testing.T) {
	for _, tt := range []struct {
		name, want string
		err        error
	}{
		{"retry", "will retry", errors.New("mail: 451 4.3.0 mailbox of oncall@example.com busy")},
		{"dead", "dead-lettered", Permanent(errors.New("mail: relay refused: 550 5.1.1 <oncall@example.com>: user unknown"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "redis")
			d, err := New(Config{Store: e.store, Logger: e.log, Now: e.clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			d.Handle("page", "slack", func(context.Context, store.OutboxItem) error { return tt.err })
			ctx := context.Background()
			if err := e.store.Enqueue(ctx, store.OutboxItem{Kind: "page", Payload: []byte(`{}`)}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.DrainOnce(ctx, e.clock.Now()); err != nil {
				t.Fatal(err)
			}
			logs := e.logs.String()
			if !strings.Contains(logs, tt.want) || !strings.Contains(logs, "user unknown") && !strings.Contains(logs, "busy") {
				t.Errorf("log lacks the failure and its error text:\n%s", logs)
			}
			if strings.Contains(logs, "oncall@example.com") || !strings.Contains(logs, "<address>") {
				t.Errorf("log shows the address instead of masking it:\n%s", logs)
			}
		})
	}
}

func TestFindThenSend(t *testing.T) {
	errFind := errors.New("history unavailable")
	tests := []struct {
		name     string
		attempts int
		found    bool
		findErr  error
		wantFind bool // find was asked
		wantSend bool
		wantErr  error
	}{
		{"first attempt sends without looking", 1, true, nil, false, true, nil},
		{"retry finds the earlier send", 2, true, nil, true, false, nil},
		{"retry finds nothing and sends", 3, false, nil, true, true, nil},
		{"retry cannot look: retried later", 2, false, errFind, true, false, errFind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked, sent bool
			err := FindThenSend(context.Background(), store.OutboxItem{Attempts: tt.attempts},
				func(context.Context) (bool, error) { asked = true; return tt.found, tt.findErr },
				func(context.Context) error { sent = true; return nil })
			if asked != tt.wantFind || sent != tt.wantSend || !errors.Is(err, tt.wantErr) {
				t.Errorf("got find %v, send %v, err %v; want find %v, send %v, err %v",
					asked, sent, err, tt.wantFind, tt.wantSend, tt.wantErr)
			}
		})
	}
}

func TestCode(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{base, "error"},
		{WithCode("channel_not_found", base), "channel_not_found"},
		{Permanent(WithCode("invalid_blocks", base)), "invalid_blocks"},
		{Throttled(time.Second, WithCode("ignored", base)), "ratelimited"},
		{context.DeadlineExceeded, "timeout"},
		{context.Canceled, "canceled"},
	}
	for _, tt := range tests {
		if got := Code(tt.err); got != tt.want {
			t.Errorf("Code(%v): got %q, want %q", tt.err, got, tt.want)
		}
	}
}
