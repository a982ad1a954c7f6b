package store

import (
	"bytes"
	"context"
	"fmt"
	"time"
)

// enqueueTx stores items and queues them by NotBefore; an ordered item
// also joins its order group.
func enqueueTx(tx btx, items []OutboxItem) error {
	for i := range items {
		it := &items[i]
		if err := putItem(tx, it); err != nil {
			return err
		}
		if err := tx.Bucket(bObCreate).Put(timeIDKey(it.Created, it.ID), nil); err != nil {
			return err
		}
		if g := orderGroup(it); g != "" {
			if err := tx.Bucket(bObOrder).Put(orderKey(g, it.Created, it.ID), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// groupHead reports whether it may be claimed now: it has no order group,
// or it is its group's oldest item.
func groupHead(tx btx, it *OutboxItem) bool {
	g := orderGroup(it)
	if g == "" {
		return true
	}
	prefix := groupPrefix(g)
	k, _ := tx.Bucket(bObOrder).Cursor().Seek(prefix)
	return k != nil && bytes.HasPrefix(k, prefix) && string(k[len(prefix)+8:]) == it.ID
}

// leaveGroupTx takes it out of its order group (acknowledged or dead).
func leaveGroupTx(tx btx, it *OutboxItem) error {
	if g := orderGroup(it); g != "" {
		return tx.Bucket(bObOrder).Delete(orderKey(g, it.Created, it.ID))
	}
	return nil
}

// putItem writes it and its queue entry (at readyAt).
func putItem(tx btx, it *OutboxItem) error {
	v, err := tx.cr.encodeItem(it)
	if err != nil {
		return fmt.Errorf("outbox item %s: %w", it.ID, err)
	}
	if err := tx.Bucket(bOutbox).Put([]byte(it.ID), v); err != nil {
		return err
	}
	return tx.Bucket(bObQueue).Put(timeIDKey(readyAt(it), it.ID), nil)
}

func getItemTx(tx btx, id string) (OutboxItem, bool, error) {
	v := tx.Bucket(bOutbox).Get([]byte(id))
	if v == nil {
		return OutboxItem{}, false, nil
	}
	it, err := tx.cr.decodeItem(id, v)
	return it, true, err
}

// Enqueue implements Store.
func (s *Bolt) Enqueue(ctx context.Context, items ...OutboxItem) error {
	items = append([]OutboxItem(nil), items...)
	if err := prepareItems(items, s.now()); err != nil {
		return err
	}
	return s.update(ctx, func(tx btx) error { return enqueueTx(tx, items) })
}

// Claim implements Store. bbolt serializes writers, so two claimers never
// get the same item. An ordered item that is not its group's oldest is
// skipped (it stays queued); the scan reads every due entry at most once.
func (s *Bolt) Claim(ctx context.Context, now time.Time, lease time.Duration, max int) ([]OutboxItem, error) {
	if max <= 0 {
		return nil, nil
	}
	var out []OutboxItem
	err := s.update(ctx, func(tx btx) error {
		out = nil
		limit := timeKey(now)
		var keys [][]byte
		c := tx.Bucket(bObQueue).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k[:8], limit) <= 0; k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys {
			if len(out) == max {
				break
			}
			it, ok, err := getItemTx(tx, string(k[8:]))
			if err != nil {
				return err
			}
			if ok && !groupHead(tx, &it) {
				continue // waits for the items before it in its group
			}
			if err := tx.Bucket(bObQueue).Delete(k); err != nil {
				return err
			}
			if !ok {
				continue // a queue entry without its item: drop it
			}
			it.Attempts++
			it.LeaseUntil = now.Add(lease)
			if err := putItem(tx, &it); err != nil {
				return err
			}
			out = append(out, it)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	return out, nil
}

// Ack implements Store (ErrNotFound for an unknown or already acked id).
func (s *Bolt) Ack(ctx context.Context, id string) error {
	return s.update(ctx, func(tx btx) error {
		it, ok, err := getItemTx(tx, id)
		if !ok {
			return fmt.Errorf("ack outbox item %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		for _, d := range []struct{ b, k []byte }{
			{bOutbox, []byte(id)},
			{bObQueue, timeIDKey(readyAt(&it), id)},
			{bObCreate, timeIDKey(it.Created, id)},
			{bObDead, timeIDKey(it.Created, id)},
		} {
			if err := tx.Bucket(d.b).Delete(d.k); err != nil {
				return err
			}
		}
		return leaveGroupTx(tx, &it)
	})
}

// Retry implements Store (ErrNotFound for an unknown or dead item).
func (s *Bolt) Retry(ctx context.Context, id string, next time.Time, lastErr string, maxAttempts int) error {
	return s.update(ctx, func(tx btx) error {
		it, ok, err := getItemTx(tx, id)
		if err != nil {
			return err
		}
		qk := timeIDKey(readyAt(&it), id)
		q := tx.Bucket(bObQueue)
		if !ok || q.Get(qk) == nil {
			return fmt.Errorf("retry outbox item %s: %w", id, ErrNotFound)
		}
		if err := q.Delete(qk); err != nil {
			return err
		}
		it.LastError, it.LeaseUntil = lastErr, time.Time{}
		if maxAttempts > 0 && it.Attempts >= maxAttempts {
			if err := tx.Bucket(bObCreate).Delete(timeIDKey(it.Created, id)); err != nil {
				return err
			}
			if err := leaveGroupTx(tx, &it); err != nil {
				return err
			}
			v, err := tx.cr.encodeItem(&it)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bOutbox).Put([]byte(id), v); err != nil {
				return err
			}
			return tx.Bucket(bObDead).Put(timeIDKey(it.Created, id), nil)
		}
		it.NotBefore = next
		return putItem(tx, &it)
	})
}

// DeadLetters implements Store, oldest Created first.
func (s *Bolt) DeadLetters(ctx context.Context, limit int) ([]OutboxItem, error) {
	var out []OutboxItem
	err := s.view(ctx, func(tx btx) error {
		c := tx.Bucket(bObDead).Cursor()
		for k, _ := c.First(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
			it, ok, err := getItemTx(tx, string(k[8:]))
			if err != nil {
				return err
			}
			if ok {
				out = append(out, it)
			}
		}
		return nil
	})
	return out, err
}

// OutboxStats implements Store. Depth and dead letters are bucket key
// counts (bbolt walks the bucket's pages: fine for an outbox's size).
func (s *Bolt) OutboxStats(ctx context.Context) (OutboxStats, error) {
	var st OutboxStats
	err := s.view(ctx, func(tx btx) error {
		st.Depth = tx.Bucket(bObQueue).Stats().KeyN
		st.DeadLetter = tx.Bucket(bObDead).Stats().KeyN
		if k, _ := tx.Bucket(bObCreate).Cursor().First(); k != nil {
			st.Oldest = timeOf(k)
		}
		return nil
	})
	return st, err
}
