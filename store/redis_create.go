package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/lebot-dev/lebot/legal"
	"github.com/redis/go-redis/v9"
)

// CreateRequest implements Store. The dedup keys and the year's sequence
// are watched (and any earlier request the new one is linked to); the
// request, raw message, indexes, audit entry, outbox items and links are
// written in one MULTI/EXEC.
func (s *Redis) CreateRequest(ctx context.Context, in Incoming) (*legal.Request, bool, error) {
	if err := draft(&in); err != nil {
		return nil, false, err
	}
	year := idYear(in.ReceivedAt)
	plan := s.cr.dedupPlan(in.MessageID, in.Raw)
	dedup, seqKey := s.k.dedup(plan.key), s.k.seq(year)
	watched := []string{dedup, seqKey}
	if plan.legacy != "" {
		watched = append(watched, s.k.dedup(plan.legacy))
	}
	var existing string
	var created *legal.Request
	err := s.watch(ctx, func(tx *redis.Tx) error {
		existing, created = "", nil
		var entries []midEntry
		var err error
		var mark func(redis.Pipeliner)
		if existing, entries, mark, err = s.findDuplicate(ctx, tx, plan); err != nil {
			return err
		}
		if existing != "" {
			// Stored before, perhaps only on a master about to be
			// replaced: rewrite the marker and wait for it, so a
			// replica holds the create too (replication is in order).
			return s.replicated(ctx, tx, mark)
		}
		n, err := tx.Get(ctx, seqKey).Int64()
		if err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		id := FormatID(year, uint64(n)+1)
		in := in // a retry starts again from the caller's draft
		in.Outbox = append([]OutboxItem(nil), in.Outbox...)
		if err := finishCreate(&in, id, s.now()); err != nil {
			return err
		}
		dedupVal := id
		var link func(redis.Pipeliner) error
		if plan.hasMID {
			next, links := midAdd(entries, id, plan.content)
			dedupVal, in.Request.SharedMessageID = formatMid(next), links
			if link, err = s.linkEarlier(ctx, tx, &in, links); err != nil {
				return err
			}
		}
		register, err := s.registryCreate(ctx, tx, &in.Request)
		if err != nil {
			return err
		}
		body, err := s.cr.encodeRequest(&in.Request)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, seqKey, n+1, 0)
			p.Set(ctx, dedup, dedupVal, 0)
			p.SAdd(ctx, s.k.years(), year)
			p.Set(ctx, s.k.raw(id), s.cr.sealRaw(id, in.Raw), 0)
			p.Set(ctx, s.k.request(id), body, 0)
			s.reindex(ctx, p, nil, &in.Request)
			s.pushAudit(ctx, p, in.Audit)
			register(p)
			if link != nil {
				if err := link(p); err != nil {
					return err
				}
			}
			return s.enqueue(ctx, p, in.Outbox)
		})
		if err != nil {
			return err
		}
		if err := s.replicated(ctx, tx, nil); err != nil {
			return err
		}
		created = &in.Request
		return nil
	}, append(watched, s.registryKeys(&in.Request)...)...)
	if err != nil {
		return nil, false, fmt.Errorf("create request: %w", err)
	}
	if created != nil {
		return created, true, nil
	}
	r, err := s.GetRequest(ctx, existing)
	return r, false, err
}

// findDuplicate looks up plan's keys within tx (dedup.go). It returns
// the id of the stored request with the same content ("" for none), the
// entries of the Message-ID's key, and the write that stores the marker
// found again (for replicated).
func (s *Redis) findDuplicate(ctx context.Context, tx *redis.Tx, plan dedupPlan) (string, []midEntry, func(redis.Pipeliner), error) {
	if !plan.hasMID {
		for _, k := range []string{plan.key, plan.legacy} {
			if k == "" {
				continue
			}
			id, err := tx.Get(ctx, s.k.dedup(k)).Result()
			if err == nil {
				key := s.k.dedup(k)
				return id, nil, func(p redis.Pipeliner) { p.Set(ctx, key, id, 0) }, nil
			}
			if !errors.Is(err, redis.Nil) {
				return "", nil, nil, err
			}
		}
		return "", nil, nil, nil
	}
	key := s.k.dedup(plan.key)
	v, err := tx.Get(ctx, key).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", nil, nil, err
	}
	entries := parseMid(v)
	id, err := midMatch(entries, plan.content, func(id string) ([]byte, bool, error) {
		b, err := tx.Get(ctx, s.k.raw(id)).Bytes()
		if errors.Is(err, redis.Nil) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		raw, err := s.cr.openRaw(id, b)
		return raw, err == nil, err
	}, s.cr)
	if err != nil || id == "" {
		return "", entries, nil, err
	}
	return id, nil, func(p redis.Pipeliner) { p.Set(ctx, key, v, 0) }, nil
}

// linkEarlier reads (within tx, watching them) the earlier requests in
// links and returns the writes that record in's new request on each.
func (s *Redis) linkEarlier(ctx context.Context, tx *redis.Tx, in *Incoming, links []string) (func(redis.Pipeliner) error, error) {
	if len(links) == 0 {
		return nil, nil
	}
	keys := make([]string, len(links))
	for i, id := range links {
		keys[i] = s.k.request(id)
	}
	if err := tx.Watch(ctx, keys...).Err(); err != nil {
		return nil, err
	}
	type write struct {
		id    string
		body  []byte
		audit AuditEntry
		items []OutboxItem
	}
	var writes []write
	for _, id := range links {
		old, err := s.get(ctx, tx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		next := *old
		next.SharedMessageID = slices.Clone(old.SharedMessageID)
		if !linkShared(&next, in.Request.ID) {
			continue
		}
		next.Version++
		body, err := s.cr.encodeRequest(&next)
		if err != nil {
			return nil, err
		}
		items := linkItems(in.LinkOutbox, id)
		if err := prepareItems(items, s.now()); err != nil {
			return nil, err
		}
		writes = append(writes, write{id, body, linkAudit(id, in.Request.ID, in), items})
	}
	return func(p redis.Pipeliner) error {
		for _, w := range writes {
			p.Set(ctx, s.k.request(w.id), w.body, 0)
			s.pushAudit(ctx, p, w.audit)
			if err := s.enqueue(ctx, p, w.items); err != nil {
				return err
			}
		}
		return nil
	}, nil
}
