package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

type boltLock struct {
	Owner string    `json:"owner"`
	Until time.Time `json:"until"`
}

// AcquireLock implements Store. Expiry follows Config.Now.
func (s *Bolt) AcquireLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		return false, fmt.Errorf("lock %s: %w", name, errNoTTL)
	}
	var got bool
	err := s.update(ctx, func(tx btx) error {
		b := tx.Bucket(bLocks)
		now := s.now()
		var l boltLock
		if v := b.Get([]byte(name)); v != nil && json.Unmarshal(v, &l) == nil &&
			l.Owner != owner && l.Until.After(now) {
			got = false
			return nil
		}
		v, _ := json.Marshal(boltLock{Owner: owner, Until: now.Add(ttl)})
		got = true
		return b.Put([]byte(name), v)
	})
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", name, err)
	}
	return got, nil
}

// ReleaseLock implements Store; releasing a lock one does not hold is a no-op.
func (s *Bolt) ReleaseLock(ctx context.Context, name, owner string) error {
	return s.update(ctx, func(tx btx) error {
		b := tx.Bucket(bLocks)
		var l boltLock
		if v := b.Get([]byte(name)); v != nil && json.Unmarshal(v, &l) == nil && l.Owner == owner {
			return b.Delete([]byte(name))
		}
		return nil
	})
}

// markTx sets the marker key unless it is set and unexpired; it reports
// whether it set it. It also prunes a few expired markers.
func markTx(tx btx, key string, ttl time.Duration, now time.Time) (bool, error) {
	sent, exp := tx.Bucket(bSent), tx.Bucket(bSentExp)
	if err := pruneMarkers(sent, exp, now); err != nil {
		return false, err
	}
	if v := sent.Get([]byte(key)); len(v) == 8 && markerLive(v, now) {
		return false, nil
	}
	var until uint64
	if ttl > 0 {
		t := now.Add(ttl)
		until = beUint(timeKey(t))
		if err := exp.Put(timeIDKey(t, key), nil); err != nil {
			return false, err
		}
	}
	return true, sent.Put([]byte(key), u64(until))
}

// markerLive: 0 means no expiry, else a timeKey of the expiry.
func markerLive(v []byte, now time.Time) bool {
	return beUint(v) == 0 || bytes.Compare(v, timeKey(now)) > 0
}

func pruneMarkers(sent, exp *bolt.Bucket, now time.Time) error {
	c := exp.Cursor()
	limit := timeKey(now)
	var dead [][]byte
	for k, _ := c.First(); k != nil && len(dead) < 100 && bytes.Compare(k[:8], limit) <= 0; k, _ = c.Next() {
		dead = append(dead, bytes.Clone(k))
	}
	for _, k := range dead {
		if v := sent.Get(k[8:]); len(v) == 8 && bytes.Equal(v, k[:8]) {
			if err := sent.Delete(k[8:]); err != nil {
				return err
			}
		}
		if err := exp.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// MarkSent implements Store; ttl <= 0 marks forever.
func (s *Bolt) MarkSent(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	var did bool
	err := s.update(ctx, func(tx btx) error {
		var err error
		did, err = markTx(tx, key, ttl, s.now())
		return err
	})
	return did, err
}

// EnqueueOnce implements Store in one Update transaction.
func (s *Bolt) EnqueueOnce(ctx context.Context, key string, ttl time.Duration, items ...OutboxItem) (bool, error) {
	now := s.now()
	items = append([]OutboxItem(nil), items...)
	if err := prepareItems(items, now); err != nil {
		return false, err
	}
	var did bool
	err := s.update(ctx, func(tx btx) error {
		var err error
		if did, err = markTx(tx, key, ttl, now); err != nil || !did {
			return err
		}
		return enqueueTx(tx, items)
	})
	return did, err
}

// WasSent implements Store.
func (s *Bolt) WasSent(ctx context.Context, key string) (bool, error) {
	var live bool
	err := s.view(ctx, func(tx btx) error {
		v := tx.Bucket(bSent).Get([]byte(key))
		live = len(v) == 8 && markerLive(v, s.now())
		return nil
	})
	return live, err
}

// OnCall implements Store.
func (s *Bolt) OnCall(ctx context.Context) (OnCall, error) {
	var oc OnCall
	err := s.view(ctx, func(tx btx) error {
		v := tx.Bucket(bMeta).Get([]byte("oncall"))
		if v == nil {
			return nil
		}
		var err error
		oc, err = tx.cr.decodeOnCall(v)
		return err
	})
	return oc, err
}

// SetOnCall implements Store.
func (s *Bolt) SetOnCall(ctx context.Context, oc OnCall) error {
	return s.update(ctx, func(tx btx) error {
		b := tx.Bucket(bMeta)
		var cur OnCall
		if v := b.Get([]byte("oncall")); v != nil {
			var err error
			if cur, err = tx.cr.decodeOnCall(v); err != nil {
				return err
			}
		}
		if cur.Version != oc.Version {
			return fmt.Errorf("on-call settings: %w (stored %d, given %d)", ErrConflict, cur.Version, oc.Version)
		}
		next := oc
		next.Version++
		v, err := tx.cr.encodeOnCall(next)
		if err != nil {
			return err
		}
		return b.Put([]byte("oncall"), v)
	})
}
