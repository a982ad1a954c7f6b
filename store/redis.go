package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/redis/go-redis/v9"
)

// Redis is the production backend, shared by many replicas. Layout (all
// keys under the hash-tagged prefix, see keys):
//
//	req:ID      request JSON          raw:ID     raw message
//	audit:ID    list of entry JSON    dedup:KEY  request id(s), see dedup.go
//	seq:YYYY    last sequence         years      set of years with requests
//	status:S    zset id by ReceivedAt assignee:U zset id by ReceivedAt (open)
//	idx:I       zset id by index time (ms)
//	ob:item:ID  hash: body (JSON), attempts, not_before, lease, last_error
//	ob:queue    zset id by when claimable; ob:created by Created; ob:dead
//	lock:N, sent:K, oncall
//
// Transactions use WATCH/MULTI/EXEC: a client that dies before EXEC
// leaves nothing behind.
type Redis struct {
	c  redis.UniversalClient
	k  keys
	cr *crypt // encryption at rest; nil: none
	// rc: recently decoded requests, by the bytes they were read as.
	rc  *reqCache
	log *slog.Logger
	now func() time.Time
	// groups: outbox items' order groups (redis_order.go).
	groups groupCache
	// creates serializes this process's creates (redis_create.go), so
	// they do not race each other for the next id; other replicas' are
	// caught by the create script's checks.
	creates sync.Mutex
	cache   createCache // what the last creates wrote; under creates
	// pages, cached, tokens: the last list pages' ids, the last Shared
	// pages, the page token's values (redis_page.go, redis_pagecache.go).
	pages  pageGuesses
	cached pageCache
	tokens pageTokens
	// waitReplicas and waitTimeout: see wait_replicas in newRedisClient.
	waitReplicas int
	waitTimeout  time.Duration
	mode         string // single, sentinel or cluster
}

var _ Store = (*Redis)(nil)

// maxTxRetries bounds optimistic-transaction retries under contention.
const maxTxRetries = 200

// OpenRedis connects to cfg.RedisURL (see newRedisClient for the forms),
// checks that the server answers within ctx, and sets up encryption at
// rest from cfg.EncryptionKeys and the stored key record (crypt.go).
func OpenRedis(ctx context.Context, cfg Config) (*Redis, error) {
	cfg = cfg.withDefaults()
	s, err := openRedisClient(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := s.startEncryption(ctx, cfg.EncryptionKeys); err != nil {
		s.Close()
		return nil, err
	}
	s.log.Info("store: redis", "mode", s.mode, "wait_replicas", s.waitReplicas, "encrypted", s.cr != nil)
	return s, nil
}

// openRedisClient connects to cfg.RedisURL and checks that the server
// answers within ctx; encryption is not set up yet.
func openRedisClient(ctx context.Context, cfg Config) (*Redis, error) {
	c, rc, err := newRedisClient(cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	s := &Redis{c: c, k: newKeys(cfg.KeyPrefix), rc: newReqCache(reqCacheSize), log: cfg.Logger, now: cfg.Now,
		waitReplicas: rc.waitReplicas, waitTimeout: rc.waitTimeout, mode: rc.mode}
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("redis %s: %w", redact(cfg.RedisURL), err)
	}
	return s, nil
}

// startEncryption sets the store's encryption from keys and the stored
// key record (see startCrypt), storing a new record when encryption is
// turned on for an empty store; of replicas starting at once, the first
// record stored wins and the others use it.
func (s *Redis) startEncryption(ctx context.Context, keys [][]byte) error {
	rec, err := s.keyRecord(ctx)
	if err != nil {
		return err
	}
	hasData := false
	if len(keys) > 0 && rec == nil {
		n, err := s.c.Exists(ctx, s.k.years(), s.k.onCall(), s.k.outboxQueue(), s.k.outboxDead(), s.k.agencies()).Result()
		if err != nil {
			return fmt.Errorf("redis: %w", err)
		}
		hasData = n > 0
	}
	cr, nrec, err := startCrypt(keys, rec, hasData)
	if err != nil {
		return err
	}
	if nrec != nil {
		b, _ := json.Marshal(nrec)
		set, err := s.c.SetNX(ctx, s.k.crypt(), b, 0).Result()
		if err != nil {
			return fmt.Errorf("redis: store the key record: %w", err)
		}
		if !set {
			return s.startEncryption(ctx, keys)
		}
	}
	s.cr = cr
	return nil
}

// keyRecord reads the key record (nil when there is none).
func (s *Redis) keyRecord(ctx context.Context) (*keyRecord, error) {
	b, err := s.c.Get(ctx, s.k.crypt()).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("redis: read the key record: %w", err)
	}
	return decodeKeyRecord(b)
}

// Client returns the underlying client (for tests and health checks).
func (s *Redis) Client() redis.UniversalClient { return s.c }

// Ping reads data: the newest request, decoded. Unlike PING, the reads
// go where lebot's keys live (the slot's master on Cluster, the current
// master under Sentinel), so a slot without a master fails here.
func (s *Redis) Ping(ctx context.Context) error {
	var years []int
	if err := s.c.SMembers(ctx, s.k.years()).ScanSlice(&years); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	if len(years) == 0 {
		if err := s.c.Get(ctx, s.k.onCall()).Err(); err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("redis: %w", err)
		}
		return nil
	}
	year := slices.Max(years)
	n, err := s.c.Get(ctx, s.k.seq(year)).Uint64()
	if err != nil {
		return fmt.Errorf("redis: sequence of %d: %w", year, err)
	}
	_, err = s.get(ctx, s.c, FormatID(year, n))
	return err
}

// Close closes the client.
func (s *Redis) Close() error { return s.c.Close() }

// watch runs fn in a WATCH transaction on keys, retrying while another
// client changes them.
func (s *Redis) watch(ctx context.Context, fn func(*redis.Tx) error, keys ...string) error {
	for i := 0; i < maxTxRetries; i++ {
		err := s.c.Watch(ctx, fn, keys...)
		if !errors.Is(err, redis.TxFailedErr) {
			return err
		}
		if err := sleepCtx(ctx, time.Duration(i%10+1)*time.Millisecond/2); err != nil {
			return err
		}
	}
	return fmt.Errorf("redis: transaction kept conflicting after %d tries", maxTxRetries)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// errNotReplicated: fewer replicas than wait_replicas confirmed a write.
var errNotReplicated = errors.New("not confirmed by enough Redis replicas")

// replicated writes write (when given) on tx's connection and then waits
// until waitReplicas replicas have everything that connection wrote
// (WAIT); with waitReplicas 0 it does nothing.
func (s *Redis) replicated(ctx context.Context, tx redis.Cmdable, write func(redis.Pipeliner)) error {
	if s.waitReplicas == 0 {
		return nil
	}
	if write != nil {
		if _, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error { write(p); return nil }); err != nil {
			return err
		}
	}
	w, ok := tx.(interface {
		Wait(context.Context, int, time.Duration) *redis.IntCmd
	})
	if !ok {
		return fmt.Errorf("redis: cannot WAIT on a %T", tx)
	}
	n, err := w.Wait(ctx, s.waitReplicas, s.waitTimeout).Result()
	if err != nil {
		return err
	}
	if int(n) < s.waitReplicas {
		return fmt.Errorf("written to the master but %w (%d of %d within %v)", errNotReplicated, n, s.waitReplicas, s.waitTimeout)
	}
	return nil
}

// reindex moves r's index entries from old (nil on create) to r.
func (s *Redis) reindex(ctx context.Context, p redis.Pipeliner, old, r *legal.Request) {
	recv := float64(ms(r.ReceivedAt))
	if old != nil && old.Status != r.Status {
		p.ZRem(ctx, s.k.status(old.Status), r.ID)
	}
	p.ZAdd(ctx, s.k.status(r.Status), redis.Z{Score: recv, Member: r.ID})
	if old != nil {
		if a := assigneeOf(old); a != "" && a != assigneeOf(r) {
			p.ZRem(ctx, s.k.assignee(a), r.ID)
		}
	}
	if a := assigneeOf(r); a != "" {
		p.ZAdd(ctx, s.k.assignee(a), redis.Z{Score: recv, Member: r.ID})
	}
	now := indexTimes(r)
	for _, idx := range Indexes {
		if t, ok := now[idx]; ok {
			p.ZAdd(ctx, s.k.index(idx), redis.Z{Score: float64(ms(t)), Member: r.ID})
		} else if old != nil {
			p.ZRem(ctx, s.k.index(idx), r.ID)
		}
	}
}

func (s *Redis) pushAudit(ctx context.Context, p redis.Pipeliner, e AuditEntry) {
	if e.Action == "" {
		return
	}
	b, _ := s.cr.encodeAudit(e) // AuditEntry always marshals
	p.RPush(ctx, s.k.audit(e.RequestID), b)
}

// GetRequest implements Store.
func (s *Redis) GetRequest(ctx context.Context, id string) (*legal.Request, error) {
	return s.get(ctx, s.c, id)
}

func (s *Redis) get(ctx context.Context, c redis.Cmdable, id string) (*legal.Request, error) {
	b, err := c.Get(ctx, s.k.request(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("request %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get request %s: %w", id, err)
	}
	return s.rc.decode(s.cr, id, b, false)
}

// RawMessage implements Store.
func (s *Redis) RawMessage(ctx context.Context, id string) ([]byte, error) {
	b, err := s.c.Get(ctx, s.k.raw(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("raw message of %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("raw message of %s: %w", id, err)
	}
	return s.cr.openRaw(id, b)
}

// PurgeRaw implements Store.
func (s *Redis) PurgeRaw(ctx context.Context, id string) error {
	n, err := s.c.Exists(ctx, s.k.request(id)).Result()
	if err != nil {
		return fmt.Errorf("purge raw message of %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("purge raw message of %s: %w", id, ErrNotFound)
	}
	dead := []string{s.k.raw(id)}
	if r, err := s.GetRequest(ctx, id); err == nil {
		for n := range len(r.FollowUps) {
			dead = append(dead, s.k.raw(FollowUpRawID(id, n+1)))
		}
	}
	if err := s.c.Del(ctx, dead...).Err(); err != nil {
		return fmt.Errorf("purge raw message of %s: %w", id, err)
	}
	return nil
}

// UpdateRequest implements Store: WATCH the request, compare versions,
// then write, re-index, audit and enqueue in one MULTI/EXEC.
func (s *Redis) UpdateRequest(ctx context.Context, req *legal.Request, audit AuditEntry, outbox ...OutboxItem) error {
	if err := checkUpdate(req); err != nil {
		return err
	}
	finishUpdate(req, &audit, s.now())
	outbox = append([]OutboxItem(nil), outbox...)
	if err := prepareItems(outbox, s.now()); err != nil {
		return err
	}
	key := s.k.request(req.ID)
	next := *req
	next.Version = req.Version + 1
	body, err := s.cr.encodeRequest(&next)
	if err != nil {
		return fmt.Errorf("update request %s: %w", req.ID, err)
	}
	err = s.watch(ctx, func(tx *redis.Tx) error {
		return s.writeUpdate(ctx, tx, req.Version, &next, body, audit, outbox, nil)
	}, append([]string{key}, s.registryKeys(&next)...)...)
	if err != nil {
		return fmt.Errorf("update request %s: %w", req.ID, err)
	}
	req.Version = next.Version
	s.rc.put(req.ID, body, deepCopy(&next))
	return nil
}

// writeUpdate is every update's part inside WATCH: it checks that the
// stored request still has version, then writes body (next, encoded),
// its indexes, the agency registry, the audit entry, the outbox items
// and whatever also queues, in one MULTI/EXEC.
func (s *Redis) writeUpdate(ctx context.Context, tx *redis.Tx, version int64, next *legal.Request, body []byte,
	audit AuditEntry, outbox []OutboxItem, also func(redis.Pipeliner)) error {
	old, err := s.get(ctx, tx, next.ID)
	if err != nil {
		return err
	}
	if old.Version != version {
		return fmt.Errorf("request %s: stored version %d, update has %d: %w", next.ID, old.Version, version, ErrConflict)
	}
	register, err := s.registryUpdate(ctx, tx, old, next)
	if err != nil {
		return err
	}
	_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if also != nil {
			also(p)
		}
		p.Set(ctx, s.k.request(next.ID), body, 0)
		s.reindex(ctx, p, old, next)
		s.touchPages(ctx, p)
		s.pushAudit(ctx, p, audit)
		if register != nil {
			register(p)
		}
		return s.enqueue(ctx, p, outbox)
	})
	return err
}

// ResolveID implements Store.
func (s *Redis) ResolveID(ctx context.Context, input string) (string, error) {
	year, seq, err := parseIDInput(input)
	if err != nil {
		return "", err
	}
	var years []int
	if year != 0 {
		years = []int{year}
	} else if err := s.c.SMembers(ctx, s.k.years()).ScanSlice(&years); err != nil {
		return "", fmt.Errorf("resolve %q: %w", input, err)
	}
	sort.Ints(years)
	var found []string
	for _, y := range years {
		id := FormatID(y, seq)
		n, err := s.c.Exists(ctx, s.k.request(id)).Result()
		if err != nil {
			return "", fmt.Errorf("resolve %q: %w", input, err)
		}
		if n > 0 {
			found = append(found, id)
		}
	}
	return resolveAmong(input, found)
}
