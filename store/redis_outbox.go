package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// enqueue queues items inside a transaction. An item is a hash holding
// its JSON body plus the fields that change (attempts, not_before, lease,
// last_error) and its order group's key ("order", never changed), so the
// Lua scripts never parse JSON. An ordered item also joins its group's
// sorted set, scored by enqueue time in microseconds.
func (s *Redis) enqueue(ctx context.Context, p redis.Pipeliner, items []OutboxItem) error {
	for _, it := range items {
		body, err := s.cr.encodeItem(&it)
		if err != nil {
			return fmt.Errorf("outbox item %s: %w", it.ID, err)
		}
		fields := []any{"body", body, "attempts", it.Attempts}
		if g := orderGroup(&it); g != "" {
			fields = append(fields, "order", s.k.outboxOrder(g))
			p.ZAdd(ctx, s.k.outboxOrder(g), redis.Z{Score: float64(it.Created.UnixMicro()), Member: it.ID})
			s.groups.put(it.ID, s.k.outboxOrder(g))
		}
		p.HSet(ctx, s.k.outboxItem(it.ID), fields...)
		p.ZAdd(ctx, s.k.outboxQueue(), redis.Z{Score: float64(ms(it.NotBefore)), Member: it.ID})
		p.ZAdd(ctx, s.k.outboxCreated(), redis.Z{Score: float64(ms(it.Created)), Member: it.ID})
	}
	return nil
}

// Enqueue implements Store.
func (s *Redis) Enqueue(ctx context.Context, items ...OutboxItem) error {
	items = append([]OutboxItem(nil), items...)
	if err := prepareItems(items, s.now()); err != nil {
		return err
	}
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error { return s.enqueue(ctx, p, items) })
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return nil
}

// claimScript leases the candidate ids that are still claimable, at most
// ARGV[3] of them. KEYS: the queue, the parked set, then each candidate's
// item hash, then each candidate's order group set (its item hash again
// when it has none). ARGV: now, lease end, max, n, the n ids, then n
// flags ("1": ordered). An ordered item is claimable only at the head of
// its group; one that is not is parked: moved back in the queue to its
// head's time, its own score kept in the parked set, so it costs later
// claims nothing (Ack and dead-lettering put the next head back). Being one script, two claimers can never both take an
// item.
var claimScript = redis.NewScript(`
local now, leaseEnd, max, n = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local out = {}
for i = 1, n do
  if #out >= max then break end
  local id, item, group = ARGV[4 + i], KEYS[2 + i], KEYS[2 + n + i]
  local sc = redis.call('ZSCORE', KEYS[1], id)
  if sc and tonumber(sc) <= now and redis.call('EXISTS', item) == 1 then
    local head = id
    if ARGV[4 + n + i] == '1' then
      head = redis.call('ZRANGE', group, 0, 0)[1] or id
    end
    if head == id then
      redis.call('ZADD', KEYS[1], leaseEnd, id)
      redis.call('HINCRBY', item, 'attempts', 1)
      redis.call('HSET', item, 'lease', leaseEnd)
      redis.call('ZREM', KEYS[2], id)
      out[#out + 1] = id
    else
      local hs = tonumber(redis.call('ZSCORE', KEYS[1], head) or now)
      redis.call('ZADD', KEYS[2], 'NX', sc, id)
      redis.call('ZADD', KEYS[1], math.max(hs, now) + 1, id)
    end
  end
end
return out`)

// Claim implements Store. With wait_replicas set, the claims are
// replicated before the items are handed out: a claim lost in a failover
// would reset the item's Attempts, and a first attempt sends without
// looking for an earlier send's effect (a duplicate card).
func (s *Redis) Claim(ctx context.Context, now time.Time, lease time.Duration, max int) ([]OutboxItem, error) {
	if max <= 0 {
		return nil, nil
	}
	var claimed []string
	var err error
	if s.waitReplicas == 0 {
		claimed, err = s.claim(ctx, s.c, now, lease, max)
	} else {
		err = s.c.Watch(ctx, func(tx *redis.Tx) error { // a connection of its own, for WAIT
			var err error
			if claimed, err = s.claim(ctx, tx, now, lease, max); err != nil || len(claimed) == 0 {
				return err
			}
			return s.replicated(ctx, tx, nil)
		}, s.k.outboxQueue())
	}
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	return s.items(ctx, claimed)
}

func (s *Redis) claim(ctx context.Context, c redis.Cmdable, now time.Time, lease time.Duration, max int) ([]string, error) {
	until := ms(now.Add(lease))
	var claimed []string
	// Candidates come a few more than wanted: an ordered item behind its
	// group's head is passed over and parked, so the next round (and the
	// next Claim) meets new ones; the rounds are bounded all the same.
	for round := 0; round < 20 && len(claimed) < max; round++ {
		cand, err := c.ZRangeByScore(ctx, s.k.outboxQueue(), &redis.ZRangeBy{
			Min: "-inf", Max: strconv.FormatInt(ms(now), 10), Count: int64(2*(max-len(claimed)) + 8),
		}).Result()
		if err != nil {
			return nil, err
		}
		if len(cand) == 0 {
			break
		}
		groups, err := s.orderKeys(ctx, cand)
		if err != nil {
			return nil, err
		}
		ks := []string{s.k.outboxQueue(), s.k.outboxParked()}
		args := []any{ms(now), until, max - len(claimed), len(cand)}
		for _, id := range cand {
			ks = append(ks, s.k.outboxItem(id))
			args = append(args, id)
		}
		for i, g := range groups {
			if g == "" {
				ks = append(ks, s.k.outboxItem(cand[i]))
				args = append(args, "0")
			} else {
				ks = append(ks, g)
				args = append(args, "1")
			}
		}
		got, err := claimScript.Run(ctx, c, ks, args...).StringSlice()
		if err != nil {
			return nil, err
		}
		claimed = append(claimed, got...)
		if len(got) == len(cand) || len(cand) < 2*(max-len(claimed)+len(got))+8 {
			break // every candidate taken, or none left to try
		}
	}
	return claimed, nil
}

// items reads outbox items by id, in order, skipping vanished ones.
func (s *Redis) items(ctx context.Context, ids []string) ([]OutboxItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGetAll(ctx, s.k.outboxItem(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox items: %w", err)
	}
	out := make([]OutboxItem, 0, len(ids))
	for i, c := range cmds {
		h := c.Val()
		if len(h) == 0 {
			continue
		}
		it, err := s.itemFromHash(ids[i], h)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func (s *Redis) itemFromHash(id string, h map[string]string) (OutboxItem, error) {
	it, err := s.cr.decodeItem(id, []byte(h["body"]))
	if err != nil {
		return it, err
	}
	num := func(f string) (int64, bool) {
		v, ok := h[f]
		if !ok {
			return 0, false
		}
		n, err2 := strconv.ParseInt(v, 10, 64)
		if err2 != nil {
			err = fmt.Errorf("outbox item %s: %w: field %s", id, ErrCorrupt, f)
		}
		return n, true
	}
	if n, ok := num("attempts"); ok {
		it.Attempts = int(n)
	}
	if n, ok := num("not_before"); ok {
		it.NotBefore = time.UnixMilli(n).UTC()
	}
	it.LeaseUntil = time.Time{}
	if n, ok := num("lease"); ok && n != 0 {
		it.LeaseUntil = time.UnixMilli(n).UTC()
	}
	if v, ok := h["last_error"]; ok && err == nil {
		var b []byte
		if b, err = s.cr.open(aadItemErr(id), []byte(v)); err != nil {
			err = fmt.Errorf("outbox item %s, last error: %w", id, err)
		}
		it.LastError = string(b)
	}
	return it, err
}

// leaveGroup is the Lua that takes item ARGV[1] out of its order group
// KEYS[5] (when ARGV[2] is "1") and, if Claim had parked the group's next
// item (the parked set KEYS[6] keeps its queue score from before), puts
// it back in the queue at that score: due again at once.
const leaveGroup = `
if ARGV[2] == '1' then
  redis.call('ZREM', KEYS[5], ARGV[1])
  local nxt = redis.call('ZRANGE', KEYS[5], 0, 0)[1]
  local was = nxt and redis.call('ZSCORE', KEYS[6], nxt)
  if was then
    redis.call('ZREM', KEYS[6], nxt)
    redis.call('ZADD', KEYS[2], was, nxt)
  end
end`

var ackScript = redis.NewScript(`
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])` + leaveGroup + `
return 1`)

// Ack implements Store (ErrNotFound for an unknown or already acked id).
func (s *Redis) Ack(ctx context.Context, id string) error {
	group, flag, err := s.groupKey(ctx, id)
	if err != nil {
		return fmt.Errorf("ack %s: %w", id, err)
	}
	n, err := ackScript.Run(ctx, s.c, []string{s.k.outboxItem(id), s.k.outboxQueue(),
		s.k.outboxCreated(), s.k.outboxDead(), group, s.k.outboxParked()}, id, flag, ms(s.now())).Int64()
	if err != nil {
		return fmt.Errorf("ack %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("ack outbox item %s: %w", id, ErrNotFound)
	}
	s.groups.drop(id)
	return nil
}

// retryScript: -1 unknown or not pending, 1 requeued, 2 dead-lettered
// (which also lets the item's order group move on). ARGV: id, the group
// flag, now, next, last error, max attempts.
var retryScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 or not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -1 end
redis.call('HSET', KEYS[1], 'last_error', ARGV[5], 'lease', 0)
local n = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
local max = tonumber(ARGV[6])
if max > 0 and n >= max then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
  redis.call('ZREM', KEYS[6], ARGV[1])` + leaveGroup + `
  return 2
end
redis.call('HSET', KEYS[1], 'not_before', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return 1`)

// Retry implements Store (ErrNotFound for an unknown or dead item).
func (s *Redis) Retry(ctx context.Context, id string, next time.Time, lastErr string, maxAttempts int) error {
	group, flag, err := s.groupKey(ctx, id)
	if err != nil {
		return fmt.Errorf("retry %s: %w", id, err)
	}
	n, err := retryScript.Run(ctx, s.c, []string{s.k.outboxItem(id), s.k.outboxQueue(),
		s.k.outboxCreated(), s.k.outboxDead(), group, s.k.outboxParked()}, id, flag, ms(s.now()), ms(next),
		s.cr.seal(aadItemErr(id), []byte(lastErr)), maxAttempts).Int64()
	if err != nil {
		return fmt.Errorf("retry %s: %w", id, err)
	}
	if n < 0 {
		return fmt.Errorf("retry outbox item %s: %w", id, ErrNotFound)
	}
	return nil
}

// DeadLetters implements Store, oldest first.
func (s *Redis) DeadLetters(ctx context.Context, limit int) ([]OutboxItem, error) {
	ids, err := s.c.ZRange(ctx, s.k.outboxDead(), 0, stop(limit)).Result()
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	return s.items(ctx, ids)
}

// OutboxStats implements Store.
func (s *Redis) OutboxStats(ctx context.Context) (OutboxStats, error) {
	var depth, dead *redis.IntCmd
	var oldest *redis.ZSliceCmd
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		depth = p.ZCard(ctx, s.k.outboxQueue())
		dead = p.ZCard(ctx, s.k.outboxDead())
		oldest = p.ZRangeWithScores(ctx, s.k.outboxCreated(), 0, 0)
		return nil
	})
	if err != nil {
		return OutboxStats{}, fmt.Errorf("outbox stats: %w", err)
	}
	st := OutboxStats{Depth: int(depth.Val()), DeadLetter: int(dead.Val())}
	if z := oldest.Val(); len(z) > 0 {
		st.Oldest = time.UnixMilli(int64(z[0].Score)).UTC()
	}
	return st, nil
}

var errNoTTL = errors.New("lock ttl must be positive")
