package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

var acquireScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`)

// releaseScript deletes the lock only if owner still holds it.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// AcquireLock implements Store. Expiry follows the Redis server's clock.
func (s *Redis) AcquireLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		return false, fmt.Errorf("lock %s: %w", name, errNoTTL)
	}
	n, err := acquireScript.Run(ctx, s.c, []string{s.k.lock(name)}, owner, ttl.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", name, err)
	}
	return n == 1, nil
}

// ReleaseLock implements Store; releasing a lock one does not hold is a no-op.
func (s *Redis) ReleaseLock(ctx context.Context, name, owner string) error {
	if err := releaseScript.Run(ctx, s.c, []string{s.k.lock(name)}, owner).Err(); err != nil {
		return fmt.Errorf("unlock %s: %w", name, err)
	}
	return nil
}

// MarkSent implements Store; ttl <= 0 marks forever.
func (s *Redis) MarkSent(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	ok, err := s.c.SetNX(ctx, s.k.sent(key), 1, max(ttl, 0)).Result()
	if err != nil {
		return false, fmt.Errorf("mark sent: %w", err)
	}
	return ok, nil
}

// WasSent implements Store.
func (s *Redis) WasSent(ctx context.Context, key string) (bool, error) {
	n, err := s.c.Exists(ctx, s.k.sent(key)).Result()
	if err != nil {
		return false, fmt.Errorf("was sent: %w", err)
	}
	return n > 0, nil
}

// EnqueueOnce implements Store: WATCH the marker, then set it and enqueue
// in one MULTI/EXEC.
func (s *Redis) EnqueueOnce(ctx context.Context, key string, ttl time.Duration, items ...OutboxItem) (bool, error) {
	items = append([]OutboxItem(nil), items...)
	if err := prepareItems(items, s.now()); err != nil {
		return false, err
	}
	mk := s.k.sent(key)
	var did bool
	err := s.watch(ctx, func(tx *redis.Tx) error {
		did = false
		n, err := tx.Exists(ctx, mk).Result()
		if err != nil || n > 0 {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, mk, 1, max(ttl, 0))
			return s.enqueue(ctx, p, items)
		})
		did = err == nil
		return err
	}, mk)
	if err != nil {
		return false, fmt.Errorf("enqueue once: %w", err)
	}
	return did, nil
}

// OnCall implements Store.
func (s *Redis) OnCall(ctx context.Context) (OnCall, error) {
	var oc OnCall
	b, err := s.c.Get(ctx, s.k.onCall()).Bytes()
	if errors.Is(err, redis.Nil) {
		return oc, nil
	}
	if err != nil {
		return oc, fmt.Errorf("on-call: %w", err)
	}
	return s.cr.decodeOnCall(b)
}

// SetOnCall implements Store.
func (s *Redis) SetOnCall(ctx context.Context, oc OnCall) error {
	key := s.k.onCall()
	err := s.watch(ctx, func(tx *redis.Tx) error {
		var cur OnCall
		b, err := tx.Get(ctx, key).Bytes()
		switch {
		case errors.Is(err, redis.Nil):
		case err != nil:
			return err
		default:
			if cur, err = s.cr.decodeOnCall(b); err != nil {
				return err
			}
		}
		if cur.Version != oc.Version {
			return fmt.Errorf("on-call settings: %w (stored %d, given %d)", ErrConflict, cur.Version, oc.Version)
		}
		next := oc
		next.Version++
		nb, err := s.cr.encodeOnCall(next)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, nb, 0)
			return nil
		})
		return err
	}, key)
	if err != nil {
		return fmt.Errorf("set on-call: %w", err)
	}
	return nil
}
