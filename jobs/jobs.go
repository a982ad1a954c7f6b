// Package jobs owns lebot's periodic work. The Engine runs the cron jobs
// on a robfig/cron schedule in the team's time zone — deadline reminders,
// preservation, NDO and order expiries, the managers' daily digest,
// retention — and the escalation loop, which runs every 15 s and at once
// when triggered. Every run, scheduled or from `lebot jobs run`, goes
// through the Runner: a store lock so one replica does it (ErrBusy when
// another holds it; escalations take none), a context with the job's
// timeout, panics recovered, and a count and duration in the metrics.
// Every job takes the instant it runs "as of", so tests and
// `lebot jobs run --at` move a clock instead of waiting.
//
// Exactly once: each message is enqueued with store.EnqueueOnce under a
// marker keyed by request, reminder kind and day, so a tick repeated by
// another replica or a retry sends nothing twice. A moment that passed
// while no tick ran is caught up at the next tick, once: only the latest
// moment that applies is considered.
package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
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
	build   func() []store.OutboxItem // fills Items when still nil
	// Also is a further marker written once Items are enqueued: a missed
	// daily reminder caught up before today's own moment stands for
	// today's too, so the day gets one, not two an hour apart.
	Also string
}

// Result is what one run of a job did or, in a dry run, would do.
type Result struct {
	Planned []Message // messages due and not yet sent
	Sent    int       // enqueued by this run (0 in a dry run)
}

// parallel bounds the store calls a tick has in flight: the round
// trips are one per message, and overlapping them keeps a tick with a
// hundred reminders well under a second even on a slow network.
const parallel = 8

// each runs fn for every index of n in up to parallel goroutines and
// returns the first error.
func each(n int, fn func(i int) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		next = make(chan int)
	)
	for range min(parallel, n) {
		wg.Go(func() {
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// send enqueues each planned message once. A message another replica
// enqueued meanwhile is skipped by EnqueueOnce and not counted.
func send(ctx context.Context, st Store, planned []Message) (int, error) {
	var n atomic.Int64
	err := each(len(planned), func(i int) error {
		ok, err := st.EnqueueOnce(ctx, planned[i].Key, markerTTL, planned[i].Items...)
		if err != nil || !ok {
			return err
		}
		n.Add(1)
		if planned[i].Also != "" {
			_, err = st.MarkSent(ctx, planned[i].Also, markerTTL)
		}
		return err
	})
	return int(n.Load()), err
}

// unsent keeps the messages whose key is not yet marked, in order, so a
// dry run shows only what would really go out and a steady tick costs
// one marker read per candidate.
func unsent(ctx context.Context, st Store, msgs []Message) ([]Message, error) {
	sent := make([]bool, len(msgs))
	err := each(len(msgs), func(i int) error {
		var err error
		sent[i], err = st.WasSent(ctx, msgs[i].Key)
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []Message
	for i, m := range msgs {
		if !sent[i] {
			if m.Items == nil && m.build != nil {
				m.Items = m.build()
			}
			out = append(out, m)
		}
	}
	return out, nil
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
