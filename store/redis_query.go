package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/redis/go-redis/v9"
)

// ListByStatus implements Store (ZREVRANGE on the status set).
func (s *Redis) ListByStatus(ctx context.Context, status legal.Status, limit int) ([]*legal.Request, error) {
	ids, err := s.c.ZRevRange(ctx, s.k.status(status), 0, stop(limit)).Result()
	if err != nil {
		return nil, fmt.Errorf("list status %s: %w", status, err)
	}
	return s.getMany(ctx, ids)
}

// ListByAssignee implements Store.
func (s *Redis) ListByAssignee(ctx context.Context, user string, limit int) ([]*legal.Request, error) {
	ids, err := s.c.ZRevRange(ctx, s.k.assignee(user), 0, stop(limit)).Result()
	if err != nil {
		return nil, fmt.Errorf("list assignee: %w", err)
	}
	return s.getMany(ctx, ids)
}

// stop is the ZRANGE stop index for limit (0 or less: all).
func stop(limit int) int64 {
	if limit <= 0 {
		return -1
	}
	return int64(limit) - 1
}

// Range implements Store: ZRANGE BYSCORE with LIMIT, O(log N + results).
func (s *Redis) Range(ctx context.Context, idx Index, from, to time.Time, limit int) ([]*legal.Request, error) {
	by := &redis.ZRangeBy{
		Min: strconv.FormatInt(ms(from), 10),
		Max: "(" + strconv.FormatInt(ms(to), 10),
	}
	if limit > 0 {
		by.Count = int64(limit)
	}
	ids, err := s.c.ZRangeByScore(ctx, s.k.index(idx), by).Result()
	if err != nil {
		return nil, fmt.Errorf("range %s: %w", idx, err)
	}
	return s.getMany(ctx, ids)
}

// getMany reads requests in order with one MGET.
func (s *Redis) getMany(ctx context.Context, ids []string) ([]*legal.Request, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ks := make([]string, len(ids))
	for i, id := range ids {
		ks[i] = s.k.request(id)
	}
	vals, err := s.c.MGet(ctx, ks...).Result()
	if err != nil {
		return nil, fmt.Errorf("read requests: %w", err)
	}
	return s.decodeAll(ctx, ids, vals)
}

// decodeAll decodes the values MGET read for ids, in order, leaving out
// the absent ones.
func (s *Redis) decodeAll(ctx context.Context, ids []string, vals []any) ([]*legal.Request, error) {
	share := isShared(ctx)
	out := make([]*legal.Request, 0, len(ids))
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue // an index entry whose request is gone: nothing to show
		}
		r, err := s.rc.decode(s.cr, ids[i], []byte(str), share)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// CountByStatus implements Store (ZCARD per status).
func (s *Redis) CountByStatus(ctx context.Context) (map[legal.Status]int, error) {
	cmds := make([]*redis.IntCmd, len(legal.Statuses))
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, st := range legal.Statuses {
			cmds[i] = p.ZCard(ctx, s.k.status(st))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count by status: %w", err)
	}
	m := make(map[legal.Status]int, len(cmds))
	for i, c := range cmds {
		if n := c.Val(); n > 0 {
			m[legal.Statuses[i]] = int(n)
		}
	}
	return m, nil
}

// Audit implements Store.
func (s *Redis) Audit(ctx context.Context, id string) ([]AuditEntry, error) {
	vals, err := s.c.LRange(ctx, s.k.audit(id), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("audit of %s: %w", id, err)
	}
	if len(vals) == 0 {
		if err := s.exists(ctx, id); err != nil {
			return nil, err
		}
	}
	out := make([]AuditEntry, 0, len(vals))
	for _, v := range vals {
		e, err := s.cr.decodeAudit(id, []byte(v))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (s *Redis) exists(ctx context.Context, id string) error {
	n, err := s.c.Exists(ctx, s.k.request(id)).Result()
	if err != nil {
		return fmt.Errorf("request %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("request %s: %w", id, ErrNotFound)
	}
	return nil
}

// appendAudit appends e only if its request exists (atomically).
var appendAudit = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
return 1`)

// AppendAudit implements Store (ErrNotFound for an unknown request).
func (s *Redis) AppendAudit(ctx context.Context, e AuditEntry) error {
	if e.RequestID == "" || e.Action == "" {
		return errors.New("append audit: request id and action are required")
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	b, err := s.cr.encodeAudit(e)
	if err != nil {
		return err
	}
	n, err := appendAudit.Run(ctx, s.c, []string{s.k.request(e.RequestID), s.k.audit(e.RequestID)}, b).Int64()
	if err != nil {
		return fmt.Errorf("append audit to %s: %w", e.RequestID, err)
	}
	if n == 0 {
		return fmt.Errorf("append audit to %s: %w", e.RequestID, ErrNotFound)
	}
	return nil
}

// CountByAssignee implements Store (ZCARD).
func (s *Redis) CountByAssignee(ctx context.Context, user string) (int, error) {
	n, err := s.c.ZCard(ctx, s.k.assignee(user)).Result()
	if err != nil {
		return 0, fmt.Errorf("count assignee: %w", err)
	}
	return int(n), nil
}

// CountRange implements Store (ZCOUNT, O(log N)).
func (s *Redis) CountRange(ctx context.Context, idx Index, from, to time.Time) (int, error) {
	n, err := s.c.ZCount(ctx, s.k.index(idx), strconv.FormatInt(ms(from), 10), "("+strconv.FormatInt(ms(to), 10)).Result()
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", idx, err)
	}
	return int(n), nil
}
