// Package jobs runs lebot's scheduled work on a robfig/cron schedule in
// the team's time zone: deadline reminders, preservation, NDO and order
// expiries, the managers' daily digest and the escalation tick. Each run
// takes a store lock so one replica does it, has its own context with a
// timeout, and recovers from panics. Every job takes the instant it runs
// "as of", so tests and `lebot jobs run --at` move a clock instead of
// waiting.
//
// Exactly once: each message is enqueued with store.EnqueueOnce under a
// marker keyed by request, reminder kind and day, so a tick repeated by
// another replica or a retry sends nothing twice. A moment that passed
// while no tick ran is caught up at the next tick, once: only the latest
// moment that applies is considered.
package jobs

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// Store is the part of the store the jobs use; store.Store satisfies it.
// Implementations are safe for concurrent use and honour ctx.
type Store interface {
	Range(ctx context.Context, idx store.Index, from, to time.Time, limit int) ([]*legal.Request, error)
	ListByStatus(ctx context.Context, status legal.Status, limit int) ([]*legal.Request, error)
	CountByStatus(ctx context.Context) (map[legal.Status]int, error)
	EnqueueOnce(ctx context.Context, key string, ttl time.Duration, items ...store.OutboxItem) (bool, error)
	WasSent(ctx context.Context, key string) (bool, error)
	MarkSent(ctx context.Context, key string, ttl time.Duration) (bool, error)
	AcquireLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)
	ReleaseLock(ctx context.Context, name, owner string) error
}

var _ Store = store.Store(nil)

// markerTTL is how long a sent marker lives: longer than any moment stays
// the latest one that applies (the widest look-back below is 8 days, the
// widest gap between moments 23), so a marker never expires while it can
// still be consulted.
const markerTTL = 90 * 24 * time.Hour

// Message is one thing a job would send: the outbox items enqueued once
// under Key, and a one-line summary for dry runs (ids and dates only).
type Message struct {
	Key     string
	Summary string
	Items   []store.OutboxItem
}

// Result is what one run of a job did or, in a dry run, would do.
type Result struct {
	Planned []Message // messages due and not yet sent
	Sent    int       // enqueued by this run (0 in a dry run)
}

// send enqueues each planned message once. A message another replica
// enqueued meanwhile is skipped silently by EnqueueOnce.
func send(ctx context.Context, st Store, planned []Message) (int, error) {
	n := 0
	for _, m := range planned {
		ok, err := st.EnqueueOnce(ctx, m.Key, markerTTL, m.Items...)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// unsent keeps the messages whose key is not yet marked, so a dry run
// shows only what would really go out and a steady tick costs one marker
// read per candidate.
func unsent(ctx context.Context, st Store, msgs []Message) ([]Message, error) {
	var out []Message
	for _, m := range msgs {
		sent, err := st.WasSent(ctx, m.Key)
		if err != nil {
			return nil, err
		}
		if !sent {
			out = append(out, m)
		}
	}
	return out, nil
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
