package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lebot-dev/lebot/legal"
	bolt "go.etcd.io/bbolt"
)

func beUint(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// reindexTx moves r's index entries from old (nil on create) to r.
func reindexTx(tx btx, old, r *legal.Request) error {
	st, as, ix := tx.Bucket(bStatus), tx.Bucket(bAssignee), tx.Bucket(bIndex)
	type entry struct {
		b *bolt.Bucket
		k []byte
	}
	var dels, puts []entry
	add := func(list *[]entry, b *bolt.Bucket, k []byte) { *list = append(*list, entry{b, k}) }
	if old != nil {
		add(&dels, st, groupedTimeKey(string(old.Status), old.ReceivedAt, r.ID))
		if a := assigneeOf(old); a != "" {
			add(&dels, as, groupedTimeKey(a, old.ReceivedAt, r.ID))
		}
		for idx, t := range indexTimes(old) {
			add(&dels, ix, groupedTimeKey(string(idx), t, r.ID))
		}
	}
	add(&puts, st, groupedTimeKey(string(r.Status), r.ReceivedAt, r.ID))
	if a := assigneeOf(r); a != "" {
		add(&puts, as, groupedTimeKey(a, r.ReceivedAt, r.ID))
	}
	for idx, t := range indexTimes(r) {
		add(&puts, ix, groupedTimeKey(string(idx), t, r.ID))
	}
	for _, d := range dels {
		if err := d.b.Delete(d.k); err != nil {
			return err
		}
	}
	for _, p := range puts {
		if err := p.b.Put(p.k, nil); err != nil {
			return err
		}
	}
	if old == nil || old.Status != r.Status {
		if old != nil {
			if err := bump(tx, old.Status, -1); err != nil {
				return err
			}
		}
		return bump(tx, r.Status, +1)
	}
	return nil
}

// bump adjusts the per-status counter, so CountByStatus is O(statuses).
func bump(tx btx, st legal.Status, d int64) error {
	b := tx.Bucket(bCounts)
	var n int64
	if v := b.Get([]byte(st)); len(v) == 8 {
		n = int64(beUint(v))
	}
	return b.Put([]byte(st), u64(uint64(max(n+d, 0))))
}

func appendAuditTx(tx btx, e AuditEntry) error {
	if e.Action == "" {
		return nil
	}
	b, err := tx.Bucket(bAudit).CreateBucketIfNotExists([]byte(e.RequestID))
	if err != nil {
		return err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	v, err := tx.cr.encodeAudit(e)
	if err != nil {
		return err
	}
	return b.Put(u64(seq), v)
}

// ListByStatus implements Store (a reverse cursor over the status group).
func (s *Bolt) ListByStatus(ctx context.Context, status legal.Status, limit int) ([]*legal.Request, error) {
	return s.newest(ctx, bStatus, string(status), limit)
}

// ListByAssignee implements Store.
func (s *Bolt) ListByAssignee(ctx context.Context, user string, limit int) ([]*legal.Request, error) {
	return s.newest(ctx, bAssignee, user, limit)
}

func (s *Bolt) newest(ctx context.Context, bucket []byte, group string, limit int) ([]*legal.Request, error) {
	var out []*legal.Request
	err := s.view(ctx, func(tx btx) error {
		var err error
		out, err = getKeys(tx, newestKeys(tx.Bucket(bucket), group, limit))
		return err
	})
	return out, err
}

// groupEntry is one groupedTimeKey split into its time bytes and id.
type groupEntry struct {
	at []byte // timeKey
	id string
}

// newestKeys walks group backwards and returns at most limit entries
// (0: all), newest first, without reading the requests.
func newestKeys(b *bolt.Bucket, group string, limit int) []groupEntry {
	prefix := groupPrefix(group)
	upper := append(bytes.Clone(prefix[:len(prefix)-1]), 1) // just past the group
	c := b.Cursor()
	k, _ := c.Seek(upper)
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	var out []groupEntry
	for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		out = append(out, groupEntry{at: bytes.Clone(k[len(prefix) : len(prefix)+8]), id: string(k[len(prefix)+8:])})
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}

func getKeys(tx btx, es []groupEntry) ([]*legal.Request, error) {
	out := make([]*legal.Request, 0, len(es))
	for _, e := range es {
		r, err := getTx(tx, e.id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ListByStatuses implements Store: the newest keys of each status are
// merged by time and only the page is read; totals come from the counts.
func (s *Bolt) ListByStatuses(ctx context.Context, statuses []legal.Status, limit int) ([]*legal.Request, int, error) {
	var (
		out   []*legal.Request
		total int
	)
	err := s.view(ctx, func(tx btx) error {
		var merged []groupEntry
		for _, st := range statuses {
			merged = append(merged, newestKeys(tx.Bucket(bStatus), string(st), limit)...)
			if v := tx.Bucket(bCounts).Get([]byte(st)); len(v) == 8 {
				total += int(beUint(v))
			}
		}
		slices.SortFunc(merged, func(a, b groupEntry) int {
			return cmp.Or(bytes.Compare(b.at, a.at), cmp.Compare(b.id, a.id))
		})
		if limit > 0 && len(merged) > limit {
			merged = merged[:limit]
		}
		var err error
		out, err = getKeys(tx, merged)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list statuses %v: %w", statuses, err)
	}
	return out, total, nil
}

// CountByAssignee implements Store (a walk over the user's keys).
func (s *Bolt) CountByAssignee(ctx context.Context, user string) (int, error) {
	n := 0
	err := s.view(ctx, func(tx btx) error {
		n = len(newestKeys(tx.Bucket(bAssignee), user, 0))
		return nil
	})
	return n, err
}

// CountRange implements Store: a key walk from from to to, reading no
// request.
func (s *Bolt) CountRange(ctx context.Context, idx Index, from, to time.Time) (int, error) {
	n := 0
	err := s.view(ctx, func(tx btx) error {
		prefix := groupPrefix(string(idx))
		end := append(bytes.Clone(prefix), timeKey(to)...)
		c := tx.Bucket(bIndex).Cursor()
		for k, _ := c.Seek(append(bytes.Clone(prefix), timeKey(from)...)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if bytes.Compare(k[:len(end)], end) >= 0 {
				break
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", idx, err)
	}
	return n, nil
}

// Range implements Store: a cursor Seek to from, O(log N + results).
func (s *Bolt) Range(ctx context.Context, idx Index, from, to time.Time, limit int) ([]*legal.Request, error) {
	var out []*legal.Request
	err := s.view(ctx, func(tx btx) error {
		prefix := groupPrefix(string(idx))
		end := append(bytes.Clone(prefix), timeKey(to)...)
		c := tx.Bucket(bIndex).Cursor()
		for k, _ := c.Seek(append(bytes.Clone(prefix), timeKey(from)...)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if bytes.Compare(k[:len(end)], end) >= 0 {
				break
			}
			r, err := getTx(tx, string(k[len(prefix)+8:]))
			if err != nil {
				return err
			}
			out = append(out, r)
			if limit > 0 && len(out) == limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("range %s: %w", idx, err)
	}
	return out, nil
}

// CountByStatus implements Store.
func (s *Bolt) CountByStatus(ctx context.Context) (map[legal.Status]int, error) {
	m := map[legal.Status]int{}
	err := s.view(ctx, func(tx btx) error {
		return tx.Bucket(bCounts).ForEach(func(k, v []byte) error {
			if len(v) != 8 {
				return fmt.Errorf("status count %s: %w", k, ErrCorrupt)
			}
			if n := int(beUint(v)); n > 0 {
				m[legal.Status(k)] = n
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("count by status: %w", err)
	}
	return m, nil
}

// Audit implements Store.
func (s *Bolt) Audit(ctx context.Context, id string) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.view(ctx, func(tx btx) error {
		if tx.Bucket(bRequests).Get([]byte(id)) == nil {
			return fmt.Errorf("request %s: %w", id, ErrNotFound)
		}
		b := tx.Bucket(bAudit).Bucket([]byte(id))
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			e, err := tx.cr.decodeAudit(id, v)
			out = append(out, e)
			return err
		})
	})
	return out, err
}

// AppendAudit implements Store (ErrNotFound for an unknown request).
func (s *Bolt) AppendAudit(ctx context.Context, e AuditEntry) error {
	if e.RequestID == "" || e.Action == "" {
		return errors.New("append audit: request id and action are required")
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	return s.update(ctx, func(tx btx) error {
		if tx.Bucket(bRequests).Get([]byte(e.RequestID)) == nil {
			return fmt.Errorf("append audit to %s: %w", e.RequestID, ErrNotFound)
		}
		return appendAuditTx(tx, e)
	})
}
