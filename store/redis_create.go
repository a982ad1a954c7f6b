package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/redis/go-redis/v9"
)

// CreateRequest implements Store in two round trips: one pipeline reads
// the dedup keys, the year's sequence and the agency record; one script
// (runCAS) checks that they are unchanged and writes the request, raw
// message, indexes, audit entry, outbox items and links (dedup.go). When
// only the sequence moved (another create took the id), the writes are
// rebuilt for the next id and the script alone runs again. With
// wait_replicas, all of it runs on one connection, which then WAITs.
func (s *Redis) CreateRequest(ctx context.Context, in Incoming) (*legal.Request, bool, error) {
	if err := draft(&in); err != nil {
		return nil, false, err
	}
	var req *legal.Request
	var created bool
	err := s.onOneConn(ctx, s.k.seq(idYear(in.ReceivedAt)), func(c redis.Cmdable) error {
		var err error
		req, created, err = s.create(ctx, c, in)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("create request: %w", err)
	}
	return req, created, nil
}

// onOneConn runs fn with the client, or, with wait_replicas, on one
// connection (its WAIT must follow the writes on the same connection).
// key names the hash slot on Cluster (go-redis hands out one connection
// only as a transaction, so the key is watched and at once unwatched).
func (s *Redis) onOneConn(ctx context.Context, key string, fn func(redis.Cmdable) error) error {
	if s.waitReplicas == 0 {
		return fn(s.c)
	}
	return s.c.Watch(ctx, func(tx *redis.Tx) error {
		if err := tx.Unwatch(ctx).Err(); err != nil {
			return err
		}
		return fn(tx)
	}, key)
}

// createRead is what a create read before it writes.
type createRead struct {
	plan    dedupPlan
	dedup   *redis.StringCmd // the dedup key
	legacy  *redis.StringCmd // the legacy key (nil when none)
	seq     *redis.StringCmd
	reg     *registryRead
	entries []midEntry // the Message-ID's requests
}

func (s *Redis) create(ctx context.Context, c redis.Cmdable, in Incoming) (*legal.Request, bool, error) {
	plan := s.cr.dedupPlan(in.MessageID, in.Raw)
	for try := 0; try < maxTxRetries; try++ {
		r, existing, mark, err := s.createOnce(ctx, c, in, plan)
		if err != nil {
			return nil, false, err
		}
		if r != nil {
			return r, true, s.replicated(ctx, c, nil)
		}
		if existing != "" {
			// Stored before, perhaps only on a master about to be
			// replaced: rewrite the marker and wait for it, so a
			// replica holds the create too (replication is in order).
			if err := s.replicated(ctx, c, mark); err != nil {
				return nil, false, err
			}
			r, err := s.GetRequest(ctx, existing)
			return r, false, err
		}
		if err := sleepCtx(ctx, time.Duration(try%10+1)*time.Millisecond/4); err != nil {
			return nil, false, err
		}
	}
	return nil, false, fmt.Errorf("redis: create kept conflicting after %d tries", maxTxRetries)
}

// createOnce reads and tries to write, holding this process's create
// lock (replicated waits happen after it, not under it). It returns the
// new request, or the id of the stored duplicate and the write that marks
// it again, or neither when another replica's write got in between.
//
// A new message usually costs one round trip: what a create must read —
// the year's sequence, the agency's record and the known agencies — is
// what this process's last create wrote (createCache), and the dedup key
// is most likely absent. The script checks all of it; when the guess was
// wrong (a duplicate, a reused Message-ID, another replica's write) the
// create reads for real and tries again.
func (s *Redis) createOnce(ctx context.Context, c redis.Cmdable, in Incoming, plan dedupPlan) (*legal.Request, string, func(redis.Pipeliner), error) {
	s.creates.Lock()
	defer s.creates.Unlock()
	year := idYear(in.ReceivedAt)
	rd, guessed := s.cache.guess(plan, year, registryDomain(&in.Request))
	if !guessed {
		existing, mark, err := s.readForCreate(ctx, c, in, rd)
		if err != nil || existing != "" {
			return nil, existing, mark, err
		}
	}
	n, err := rd.seq.Int64()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, "", nil, err
	}
	links, linkChecks, err := s.readLinks(ctx, c, rd, in.MessageID != "")
	if err != nil {
		return nil, "", nil, err
	}
	for {
		r, checks, p, after, err := s.createWrites(ctx, in, rd, n, links)
		if err != nil {
			return nil, "", nil, err
		}
		failed, err := runCAS(ctx, c, append(checks, linkChecks...), p)
		if err != nil {
			s.cache.forget()
			return nil, "", nil, err
		}
		if failed == nil {
			s.cache.remember(year, n+1, after)
			return r, "", nil, nil
		}
		if failed.check == 0 && failed.value != nil {
			var next int64
			if _, err := fmt.Sscan(*failed.value, &next); err == nil && next > n {
				n = next // only the sequence moved: the next id
				continue
			}
		}
		s.cache.forget()
		if !guessed {
			return nil, "", nil, nil // read again
		}
		// The guess was wrong: read for real, once.
		guessed, rd = false, &createRead{plan: plan}
		existing, mark, err := s.readForCreate(ctx, c, in, rd)
		if err != nil || existing != "" {
			return nil, existing, mark, err
		}
		if n, err = rd.seq.Int64(); err != nil && !errors.Is(err, redis.Nil) {
			return nil, "", nil, err
		}
		if links, linkChecks, err = s.readLinks(ctx, c, rd, in.MessageID != ""); err != nil {
			return nil, "", nil, err
		}
	}
}

// readForCreate reads, in one pipeline, what a create needs into rd, and
// looks for a duplicate (findDuplicate).
func (s *Redis) readForCreate(ctx context.Context, c redis.Cmdable, in Incoming, rd *createRead) (string, func(redis.Pipeliner), error) {
	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		rd.dedup = p.Get(ctx, s.k.dedup(rd.plan.key))
		if rd.plan.legacy != "" {
			rd.legacy = p.Get(ctx, s.k.dedup(rd.plan.legacy))
		}
		rd.seq = p.Get(ctx, s.k.seq(idYear(in.ReceivedAt)))
		rd.reg = s.registryPrefetch(ctx, p, &in.Request)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", nil, err
	}
	return s.findDuplicate(ctx, c, rd)
}

// createWrites builds the create of in as request n+1 of its year on an
// unexecuted pipeline, and the checks (the sequence first) that what
// was read still holds.
func (s *Redis) createWrites(ctx context.Context, in Incoming, rd *createRead, n int64, links []*legal.Request) (*legal.Request, []casCheck, redis.Pipeliner, *registryState, error) {
	year := idYear(in.ReceivedAt)
	seqKey := s.k.seq(year)
	id := FormatID(year, uint64(n)+1)
	in.Outbox = append([]OutboxItem(nil), in.Outbox...)
	if err := finishCreate(&in, id, s.now()); err != nil {
		return nil, nil, nil, nil, err
	}
	checks := []casCheck{stringCheck(seqKey, []byte(fmt.Sprint(n)), n > 0)}
	dedupVal := id
	if rd.plan.hasMID {
		next, ids := midAdd(rd.entries, id, rd.plan.content)
		dedupVal, in.Request.SharedMessageID = formatMid(next), ids
	}
	v, err := rd.dedup.Bytes()
	checks = append(checks, stringCheck(s.k.dedup(rd.plan.key), v, err == nil))
	if rd.legacy != nil {
		checks = append(checks, casCheck{key: s.k.dedup(rd.plan.legacy), mode: "a"})
	}
	register, regChecks, after, err := s.registryCreate(ctx, rd.reg, &in.Request)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	checks = append(checks, regChecks...)
	body, err := s.cr.encodeRequest(&in.Request)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	p := s.c.Pipeline()
	p.Set(ctx, seqKey, n+1, 0)
	p.Set(ctx, s.k.dedup(rd.plan.key), dedupVal, 0)
	p.SAdd(ctx, s.k.years(), year)
	p.Set(ctx, s.k.raw(id), s.cr.sealRaw(id, in.Raw), 0)
	p.Set(ctx, s.k.request(id), body, 0)
	s.reindex(ctx, p, nil, &in.Request)
	s.pushAudit(ctx, p, in.Audit)
	register(p)
	if err := s.linkEarlier(ctx, p, &in, links); err != nil {
		return nil, nil, nil, nil, err
	}
	s.touchPages(ctx, p)
	if err := s.enqueue(ctx, p, in.Outbox); err != nil {
		return nil, nil, nil, nil, err
	}
	return &in.Request, checks, p, after, nil
}

// findDuplicate decides from what rd read whether the message is stored
// already (dedup.go): it returns that request's id ("" for none) and the
// write that stores its marker again (for replicated), and fills
// rd.entries.
func (s *Redis) findDuplicate(ctx context.Context, c redis.Cmdable, rd *createRead) (string, func(redis.Pipeliner), error) {
	if !rd.plan.hasMID {
		for _, cmd := range []*redis.StringCmd{rd.dedup, rd.legacy} {
			if cmd == nil {
				continue
			}
			id, err := cmd.Result()
			if err == nil {
				key := cmd.Args()[1].(string)
				return id, func(p redis.Pipeliner) { p.Set(ctx, key, id, 0) }, nil
			}
			if !errors.Is(err, redis.Nil) {
				return "", nil, err
			}
		}
		return "", nil, nil
	}
	v, err := rd.dedup.Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", nil, err
	}
	rd.entries = parseMid(v)
	id, err := midMatch(rd.entries, rd.plan.content, func(id string) ([]byte, bool, error) {
		b, err := c.Get(ctx, s.k.raw(id)).Bytes()
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
		return "", nil, err
	}
	key := s.k.dedup(rd.plan.key)
	return id, func(p redis.Pipeliner) { p.Set(ctx, key, v, 0) }, nil
}

// readLinks reads the earlier requests a new request with rd's
// Message-ID links to (those not yet at maxSharedLinks), with checks
// that they are unchanged when the create writes.
func (s *Redis) readLinks(ctx context.Context, c redis.Cmdable, rd *createRead, hasMID bool) ([]*legal.Request, []casCheck, error) {
	if !hasMID || len(rd.entries) == 0 {
		return nil, nil, nil
	}
	_, ids := midAdd(rd.entries, "", "")
	var reqs []*legal.Request
	var checks []casCheck
	for _, id := range ids {
		b, err := c.Get(ctx, s.k.request(id)).Bytes()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		r, err := s.cr.decodeRequest(id, b)
		if err != nil {
			return nil, nil, err
		}
		if len(r.SharedMessageID) >= maxSharedLinks {
			continue
		}
		reqs = append(reqs, r)
		checks = append(checks, stringCheck(s.k.request(id), b, true))
	}
	return reqs, checks, nil
}

// linkEarlier queues on p the writes that record in's new request on
// each earlier request in links (as readLinks read them).
func (s *Redis) linkEarlier(ctx context.Context, p redis.Pipeliner, in *Incoming, links []*legal.Request) error {
	for _, old := range links {
		next := *old
		next.SharedMessageID = slices.Clone(old.SharedMessageID)
		if !linkShared(&next, in.Request.ID) {
			continue
		}
		next.Version++
		body, err := s.cr.encodeRequest(&next)
		if err != nil {
			return err
		}
		items := linkItems(in.LinkOutbox, old.ID)
		if err := prepareItems(items, s.now()); err != nil {
			return err
		}
		p.Set(ctx, s.k.request(old.ID), body, 0)
		s.pushAudit(ctx, p, linkAudit(old.ID, in.Request.ID, in))
		if err := s.enqueue(ctx, p, items); err != nil {
			return err
		}
	}
	return nil
}
