package store

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// Registry layout in bbolt (keys.go): bAgency domain → JSON; bAgReqs
// groupedTimeKey(domain, received, id); bAgSeen timeIDKey(last, domain);
// bAgKnown domain. Writes happen in the create's or update's transaction.

func agencyTx(tx btx, domain string) (*Agency, error) {
	v := tx.Bucket(bAgency).Get([]byte(domain))
	if v == nil {
		return nil, nil
	}
	return tx.cr.decodeAgency(domain, v)
}

// registerCreateTx records the new request r (ID set) in the registry and
// sets r.Sender, within tx.
func registerCreateTx(tx btx, r *legal.Request) error {
	d := registryDomain(r)
	if d == "" {
		return nil
	}
	a, err := agencyTx(tx, d)
	if err != nil {
		return err
	}
	var known []string
	err = tx.Bucket(bAgKnown).ForEach(func(k, _ []byte) error {
		known = append(known, string(k))
		return nil
	})
	if err != nil {
		return err
	}
	var oldLast time.Time
	if a != nil {
		oldLast = a.Last
	}
	a = noteCreate(a, r, d, known)
	if err := tx.Bucket(bAgReqs).Put(groupedTimeKey(d, r.ReceivedAt, r.ID), nil); err != nil {
		return err
	}
	return putAgencyTx(tx, a, oldLast)
}

// registerUpdateTx records the callbacks r gained over old, within tx.
func registerUpdateTx(tx btx, old, r *legal.Request) error {
	d := registryDomain(r)
	if d == "" || len(r.Callbacks) == len(old.Callbacks) {
		return nil
	}
	a, err := agencyTx(tx, d)
	if err != nil {
		return err
	}
	if a == nil { // a request stored before the registry existed
		a = &Agency{Domain: d, Official: r.OfficialSender()}
	}
	oldLast := a.Last
	if !noteCallbacks(a, old, r) {
		return nil
	}
	return putAgencyTx(tx, a, oldLast)
}

// putAgencyTx bumps a's version and stores it with its indexes.
func putAgencyTx(tx btx, a *Agency, oldLast time.Time) error {
	a.Version++
	b, err := tx.cr.encodeAgency(a)
	if err != nil {
		return fmt.Errorf("agency %s: %w", a.Domain, err)
	}
	if err := tx.Bucket(bAgency).Put([]byte(a.Domain), b); err != nil {
		return err
	}
	seen := tx.Bucket(bAgSeen)
	if err := seen.Delete(timeIDKey(oldLast, a.Domain)); err != nil {
		return err
	}
	if err := seen.Put(timeIDKey(a.Last, a.Domain), nil); err != nil {
		return err
	}
	if a.Known() {
		return tx.Bucket(bAgKnown).Put([]byte(a.Domain), nil)
	}
	return nil
}

// Agency implements Registry.
func (s *Bolt) Agency(ctx context.Context, domain string) (*Agency, error) {
	d, ok := NormalizeDomain(domain)
	if !ok {
		return nil, fmt.Errorf("agency %q: %w", domain, ErrNotFound)
	}
	var a *Agency
	err := s.view(ctx, func(tx btx) error {
		var err error
		a, err = agencyTx(tx, d)
		return err
	})
	if err == nil && a == nil {
		err = fmt.Errorf("agency %s: %w", d, ErrNotFound)
	}
	return a, err
}

// AgencyRequests implements Registry (a reverse walk of the domain's keys).
func (s *Bolt) AgencyRequests(ctx context.Context, domain string, limit int) ([]*legal.Request, int, error) {
	d, ok := NormalizeDomain(domain)
	if !ok {
		return nil, 0, nil
	}
	var (
		out   []*legal.Request
		total int
	)
	err := s.view(ctx, func(tx btx) error {
		all := newestKeys(tx.Bucket(bAgReqs), d, 0)
		total = len(all)
		if limit > 0 && len(all) > limit {
			all = all[:limit]
		}
		var err error
		out, err = getKeys(tx, all)
		return err
	})
	return out, total, err
}

// Agencies implements Registry (a reverse walk of bAgSeen).
func (s *Bolt) Agencies(ctx context.Context, limit int) ([]*Agency, error) {
	var out []*Agency
	err := s.view(ctx, func(tx btx) error {
		c := tx.Bucket(bAgSeen).Cursor()
		for k, _ := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Prev() {
			a, err := agencyTx(tx, string(k[8:]))
			if err != nil {
				return err
			}
			if a != nil {
				out = append(out, a)
			}
		}
		return nil
	})
	return out, err
}

// SetAgency implements Registry.
func (s *Bolt) SetAgency(ctx context.Context, in *Agency) error {
	d, ok := NormalizeDomain(in.Domain)
	if !ok {
		return fmt.Errorf("agency %q: not a domain name", in.Domain)
	}
	var version int64
	err := s.update(ctx, func(tx btx) error {
		cur, err := agencyTx(tx, d)
		if err != nil {
			return err
		}
		if cur == nil {
			cur = &Agency{Domain: d}
		}
		if cur.Version != in.Version {
			return fmt.Errorf("agency %s: stored version %d, update has %d: %w", d, cur.Version, in.Version, ErrConflict)
		}
		applySettings(cur, in)
		if err := putAgencyTx(tx, cur, cur.Last); err != nil {
			return err
		}
		version = cur.Version
		return nil
	})
	if err != nil {
		return fmt.Errorf("set agency %s: %w", d, err)
	}
	in.Domain, in.Version = d, version
	return nil
}

// EachReceived implements Registry: a cursor Seek per status group for
// the keys, then the requests in batches, each batch in its own read
// transaction.
func (s *Bolt) EachReceived(ctx context.Context, from, to time.Time, fn func(*legal.Request) error) error {
	var all []groupEntry
	err := s.view(ctx, func(tx btx) error {
		c := tx.Bucket(bStatus).Cursor()
		for _, st := range legal.Statuses {
			prefix := groupPrefix(string(st))
			end := append(bytes.Clone(prefix), timeKey(to)...)
			for k, _ := c.Seek(append(bytes.Clone(prefix), timeKey(from)...)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				if bytes.Compare(k[:len(end)], end) >= 0 {
					break
				}
				all = append(all, groupEntry{at: bytes.Clone(k[len(prefix) : len(prefix)+8]), id: string(k[len(prefix)+8:])})
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("requests received %v to %v: %w", from, to, err)
	}
	slices.SortFunc(all, func(a, b groupEntry) int { return cmp.Or(bytes.Compare(a.at, b.at), cmp.Compare(a.id, b.id)) })
	for start := 0; start < len(all); start += receivedBatch {
		var reqs []*legal.Request
		err := s.view(ctx, func(tx btx) error {
			var err error
			reqs, err = getKeys(tx, all[start:min(start+receivedBatch, len(all))])
			return err
		})
		if err != nil {
			return err
		}
		for _, r := range reqs {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}
