package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// rekeyRedis rewrites every sealed value under the prefix, one
// transaction each, between a key record marked rekeying and one not.
func rekeyRedis(ctx context.Context, cfg Config) (RekeyResult, error) {
	s, err := openRedisClient(ctx, cfg)
	if err != nil {
		return RekeyResult{}, err
	}
	defer s.Close()
	rec, err := s.keyRecord(ctx)
	if err != nil {
		return RekeyResult{}, err
	}
	rk, done, err := newRekeyer(cfg.EncryptionKeys, rec)
	if err != nil {
		return RekeyResult{}, err
	}
	running := *done
	running.Rekeying, running.FromPlain = true, rk.fromPlain
	if err := s.putKeyRecord(ctx, &running); err != nil {
		return RekeyResult{}, err
	}
	var keys []string
	if err := s.scanPrefix(ctx, func(k string) { keys = append(keys, k) }); err != nil {
		return RekeyResult{}, fmt.Errorf("rekey: list keys: %w", err)
	}
	for _, k := range keys {
		if err := s.rekeyKey(ctx, rk, k); err != nil {
			return RekeyResult{}, fmt.Errorf("rekey %s: %w", strings.TrimPrefix(k, s.k.p), err)
		}
	}
	if err := s.putKeyRecord(ctx, done); err != nil {
		return RekeyResult{}, err
	}
	return rk.result(), nil
}

func (s *Redis) putKeyRecord(ctx context.Context, rec *keyRecord) error {
	b, _ := json.Marshal(rec)
	if err := s.c.Set(ctx, s.k.crypt(), b, 0).Err(); err != nil {
		return fmt.Errorf("redis: store the key record: %w", err)
	}
	return nil
}

// scanPrefix calls fn with every key under the store's prefix (on a
// Cluster, on every master: all of them live on the one serving the
// prefix's hash tag).
func (s *Redis) scanPrefix(ctx context.Context, fn func(string)) error {
	match := globEscape(s.k.p) + "*"
	scan := func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, match, 10000).Iterator()
		for it.Next(ctx) {
			fn(it.Val())
		}
		return it.Err()
	}
	if cc, ok := s.c.(*redis.ClusterClient); ok {
		var mu sync.Mutex
		return cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			mu.Lock() // fn is not safe for concurrent use
			defer mu.Unlock()
			return scan(ctx, c)
		})
	}
	return scan(ctx, s.c)
}

// rekeyKey rewrites one key's sealed values, if it has any.
func (s *Redis) rekeyKey(ctx context.Context, rk *rekeyer, key string) error {
	rest := strings.TrimPrefix(key, s.k.p)
	field := func(p string) (string, bool) {
		if !strings.HasPrefix(rest, p) {
			return "", false
		}
		return unescape(rest[len(p):]), true
	}
	if id, ok := field("req:"); ok {
		return s.rekeyString(ctx, rk, key, "request "+id, aadRequest(id))
	}
	if id, ok := field("raw:"); ok {
		return s.rekeyString(ctx, rk, key, "raw message of "+id, aadRaw(id))
	}
	if d, ok := field("agency:"); ok {
		return s.rekeyString(ctx, rk, key, "agency "+d, aadAgency(d))
	}
	if rest == "oncall" {
		return s.rekeyString(ctx, rk, key, "on-call settings", aadOnCall)
	}
	if id, ok := field("audit:"); ok {
		return s.watch(ctx, func(tx *redis.Tx) error {
			vals, err := tx.LRange(ctx, key, 0, -1).Result()
			if err != nil {
				return err
			}
			out := make([]any, len(vals))
			changed := false
			for i, v := range vals {
				nv, ch := rk.reseal("audit of "+id, aadAudit(id), []byte(v))
				out[i], changed = nv, changed || ch
			}
			if !changed {
				return nil
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Del(ctx, key)
				p.RPush(ctx, key, out...)
				return nil
			})
			return err
		}, key)
	}
	if id, ok := field("ob:item:"); ok {
		return s.watch(ctx, func(tx *redis.Tx) error {
			h, err := tx.HGetAll(ctx, key).Result()
			if err != nil || len(h) == 0 {
				return err
			}
			var set []any
			for f, aad := range map[string]string{"body": aadItem(id), "last_error": aadItemErr(id)} {
				v, ok := h[f]
				if !ok {
					continue
				}
				nv, ch := rk.reseal("outbox item "+id, aad, []byte(v))
				if ch {
					set = append(set, f, nv)
				}
			}
			if len(set) == 0 {
				return nil
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error { p.HSet(ctx, key, set...); return nil })
			return err
		}, key)
	}
	if dk, ok := field("dedup:"); ok {
		nk, changed := rk.dedupKey(dk)
		if !changed {
			return nil
		}
		nkey := s.k.dedup(nk)
		return s.watch(ctx, func(tx *redis.Tx) error {
			v, err := tx.Get(ctx, key).Bytes()
			if err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, nkey, rk.dedupValue(v), 0)
				p.Del(ctx, key)
				return nil
			})
			return err
		}, key, nkey)
	}
	return nil
}

// rekeyString rewrites a string value, and sets the page token (a
// request's value changes; what it decodes to does not, but a cached
// page must never outlive its bytes).
func (s *Redis) rekeyString(ctx context.Context, rk *rekeyer, key, what, aad string) error {
	return s.watch(ctx, func(tx *redis.Tx) error {
		v, err := tx.Get(ctx, key).Bytes()
		if errors.Is(err, redis.Nil) {
			return nil
		}
		if err != nil {
			return err
		}
		nv, changed := rk.reseal(what, aad, v)
		if !changed {
			return nil
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, nv, 0)
			s.touchPages(ctx, p)
			return nil
		})
		return err
	}, key)
}
