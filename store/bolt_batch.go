package store

import (
	"context"
	"sync"
)

// Group commit for the embedded store. Each bbolt write transaction
// ends with an fsync, and bbolt runs one at a time; so concurrent SMTP
// sessions each waiting for their own fsync queue up behind each other.
// batchUpdate lets writes that arrive while a commit is under way share
// the next one: each still returns only once its own write is on disk
// (the 250 still follows durability), but N waiting sessions cost one
// fsync, not N. It is bbolt's DB.Batch without its timer, and run in a
// caller's goroutine, so a damaged file is still caught by guard (see
// Bolt.update), never a panic on a goroutine of bbolt's.
type commitGroup struct {
	mu      sync.Mutex
	queue   []*groupCall
	leading bool // a caller is committing (or about to); the rest wait
}

type groupCall struct {
	fn   func(btx) error
	done chan error    // the call's result
	lead chan struct{} // the caller is to commit the queue
}

// batchUpdate runs fn in a write transaction shared with other calls
// made meanwhile. fn may run more than once (when another call in its
// batch fails, each is run again alone), so it must have no effect
// outside tx.
func (s *Bolt) batchUpdate(ctx context.Context, fn func(btx) error) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	g := &s.group
	c := &groupCall{fn: fn, done: make(chan error, 1), lead: make(chan struct{}, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	if g.leading {
		g.mu.Unlock()
		select {
		case err := <-c.done:
			return err
		case <-c.lead:
		}
	} else {
		g.leading = true
		g.mu.Unlock()
	}
	// Lead: commit everything queued (this call included), then hand
	// over to the first call queued meanwhile, if any.
	g.mu.Lock()
	batch := g.queue
	g.queue = nil
	g.mu.Unlock()
	s.commitBatch(batch)
	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].lead <- struct{}{}
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	return <-c.done
}

// commitBatch runs the calls in one transaction and reports to each. When
// one of them fails, the transaction is rolled back and each runs again
// in a transaction of its own, so one call's error is never another's.
func (s *Bolt) commitBatch(batch []*groupCall) {
	failed := false
	err := s.update(context.Background(), func(tx btx) error {
		for _, c := range batch {
			if err := c.fn(tx); err != nil {
				failed = true
				return err
			}
		}
		return nil
	})
	if failed && len(batch) > 1 {
		for _, c := range batch {
			c.done <- s.update(context.Background(), c.fn)
		}
		return
	}
	for _, c := range batch {
		c.done <- err
	}
}
