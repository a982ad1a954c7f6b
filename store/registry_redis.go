package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/redis/go-redis/v9"
)

// Registry layout in Redis (keys.go):
//
//	agency:DOMAIN       agency JSON
//	agency_reqs:DOMAIN  zset request id by ReceivedAt (ms)
//	agencies            zset domain by last request (ms)
//	agencies_known      set of official or callback-verified domains
//
// The agency key is watched with the request's keys, so a create or
// callback and the registry change commit together or not at all.

// registryKeys are the keys to WATCH for a change to r.
func (s *Redis) registryKeys(r *legal.Request) []string {
	if d := registryDomain(r); d != "" {
		return []string{s.k.agency(d)}
	}
	return nil
}

// agencyWith reads domain's record with c (nil, nil when there is none).
func (s *Redis) agencyWith(ctx context.Context, c redis.Cmdable, domain string) (*Agency, error) {
	b, err := c.Get(ctx, s.k.agency(domain)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("agency %s: %w", domain, err)
	}
	return s.cr.decodeAgency(domain, b)
}

// registryRead is what a create of r read of the registry, queued on a
// pipeline by registryPrefetch (nil when r names no agency).
type registryRead struct {
	domain string
	agency *redis.StringCmd
	known  *redis.StringSliceCmd
}

// registryPrefetch queues on p the reads registryCreate needs for r.
func (s *Redis) registryPrefetch(ctx context.Context, p redis.Pipeliner, r *legal.Request) *registryRead {
	d := registryDomain(r)
	if d == "" {
		return nil
	}
	return &registryRead{domain: d, agency: p.Get(ctx, s.k.agency(d)), known: p.SMembers(ctx, s.k.agenciesKnown())}
}

// registryState is the registry as a create leaves it: the agency's
// stored record and the known domains (for the next create's cache).
type registryState struct {
	domain string
	agency []byte
	known  []string
}

// registryCreate sets r.Sender from what rr read and returns the
// registry writes to queue with the create, the checks that what was
// read is still so when they are applied, and the registry as the
// writes leave it. r.ID must be set.
func (s *Redis) registryCreate(ctx context.Context, rr *registryRead, r *legal.Request) (func(redis.Pipeliner), []casCheck, *registryState, error) {
	if rr == nil {
		return func(redis.Pipeliner) {}, nil, nil, nil
	}
	d := rr.domain
	var a *Agency
	b, err := rr.agency.Bytes()
	switch {
	case err == nil:
		if a, err = s.cr.decodeAgency(d, b); err != nil {
			return nil, nil, nil, err
		}
	case !errors.Is(err, redis.Nil):
		return nil, nil, nil, fmt.Errorf("agency %s: %w", d, err)
	}
	known, err := rr.known.Result()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("known agencies: %w", err)
	}
	checks := []casCheck{stringCheck(s.k.agency(d), b, a != nil), setCheck(s.k.agenciesKnown(), known)}
	a = noteCreate(a, r, d, known)
	write, body, err := s.agencyWrites(ctx, a)
	if err != nil {
		return nil, nil, nil, err
	}
	after := &registryState{domain: d, agency: body, known: known}
	if a.Known() && !slices.Contains(known, d) {
		after.known = append(slices.Clone(known), d)
	}
	return func(p redis.Pipeliner) {
		write(p)
		p.ZAdd(ctx, s.k.agencyReqs(d), redis.Z{Score: float64(ms(r.ReceivedAt)), Member: r.ID})
	}, checks, after, nil
}

// registryUpdate returns the registry writes for an update from old to
// r: the callbacks r gained, if any (nil when there is nothing to write).
func (s *Redis) registryUpdate(ctx context.Context, tx *redis.Tx, old, r *legal.Request) (func(redis.Pipeliner), error) {
	d := registryDomain(r)
	if d == "" || len(r.Callbacks) == len(old.Callbacks) {
		return nil, nil
	}
	a, err := s.agencyWith(ctx, tx, d)
	if err != nil {
		return nil, err
	}
	if a == nil { // a request stored before the registry existed
		a = &Agency{Domain: d, Official: r.OfficialSender()}
	}
	if !noteCallbacks(a, old, r) {
		return nil, nil
	}
	write, _, err := s.agencyWrites(ctx, a)
	return write, err
}

// agencyWrites bumps a's version and returns the writes that store it
// and the record as stored.
func (s *Redis) agencyWrites(ctx context.Context, a *Agency) (func(redis.Pipeliner), []byte, error) {
	a.Version++
	b, err := s.cr.encodeAgency(a)
	if err != nil {
		return nil, nil, fmt.Errorf("agency %s: %w", a.Domain, err)
	}
	return func(p redis.Pipeliner) {
		p.Set(ctx, s.k.agency(a.Domain), b, 0)
		p.ZAdd(ctx, s.k.agencies(), redis.Z{Score: float64(ms(a.Last)), Member: a.Domain})
		if a.Known() {
			p.SAdd(ctx, s.k.agenciesKnown(), a.Domain)
		}
	}, b, nil
}

// Agency implements Registry.
func (s *Redis) Agency(ctx context.Context, domain string) (*Agency, error) {
	d, ok := NormalizeDomain(domain)
	if !ok {
		return nil, fmt.Errorf("agency %q: %w", domain, ErrNotFound)
	}
	a, err := s.agencyWith(ctx, s.c, d)
	if err == nil && a == nil {
		err = fmt.Errorf("agency %s: %w", d, ErrNotFound)
	}
	return a, err
}

// AgencyRequests implements Registry (ZREVRANGE and ZCARD, one MGET).
func (s *Redis) AgencyRequests(ctx context.Context, domain string, limit int) ([]*legal.Request, int, error) {
	d, ok := NormalizeDomain(domain)
	if !ok {
		return nil, 0, nil
	}
	var ids *redis.StringSliceCmd
	var n *redis.IntCmd
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		ids = p.ZRevRange(ctx, s.k.agencyReqs(d), 0, stop(limit))
		n = p.ZCard(ctx, s.k.agencyReqs(d))
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("requests from %s: %w", d, err)
	}
	reqs, err := s.getMany(ctx, ids.Val())
	return reqs, int(n.Val()), err
}

// Agencies implements Registry.
func (s *Redis) Agencies(ctx context.Context, limit int) ([]*Agency, error) {
	domains, err := s.c.ZRevRange(ctx, s.k.agencies(), 0, stop(limit)).Result()
	if err != nil || len(domains) == 0 {
		return nil, err
	}
	ks := make([]string, len(domains))
	for i, d := range domains {
		ks[i] = s.k.agency(d)
	}
	vals, err := s.c.MGet(ctx, ks...).Result()
	if err != nil {
		return nil, fmt.Errorf("agencies: %w", err)
	}
	out := make([]*Agency, 0, len(vals))
	for i, v := range vals {
		if str, ok := v.(string); ok {
			a, err := s.cr.decodeAgency(domains[i], []byte(str))
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// SetAgency implements Registry.
func (s *Redis) SetAgency(ctx context.Context, in *Agency) error {
	d, ok := NormalizeDomain(in.Domain)
	if !ok {
		return fmt.Errorf("agency %q: not a domain name", in.Domain)
	}
	key := s.k.agency(d)
	var next *Agency
	err := s.watch(ctx, func(tx *redis.Tx) error {
		cur, err := s.agencyWith(ctx, tx, d)
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
		write, _, err := s.agencyWrites(ctx, cur)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error { write(p); return nil })
		next = cur
		return err
	}, key)
	if err != nil {
		return fmt.Errorf("set agency %s: %w", d, err)
	}
	in.Domain, in.Version = d, next.Version
	return nil
}

// receivedBatch is how many requests EachReceived reads at once.
const receivedBatch = 500

// EachReceived implements Registry: one pipeline of ZRANGEBYSCORE over
// the status sets (scored by ReceivedAt) for the ids, then MGETs.
func (s *Redis) EachReceived(ctx context.Context, from, to time.Time, fn func(*legal.Request) error) error {
	by := &redis.ZRangeBy{Min: strconv.FormatInt(ms(from), 10), Max: "(" + strconv.FormatInt(ms(to), 10)}
	cmds := make([]*redis.ZSliceCmd, len(legal.Statuses))
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, st := range legal.Statuses {
			cmds[i] = p.ZRangeByScoreWithScores(ctx, s.k.status(st), by)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("requests received %v to %v: %w", from, to, err)
	}
	type entry struct {
		score float64
		id    string
	}
	var all []entry
	for _, c := range cmds {
		for _, z := range c.Val() {
			id, _ := z.Member.(string)
			all = append(all, entry{z.Score, id})
		}
	}
	slices.SortFunc(all, func(a, b entry) int { return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.id, b.id)) })
	for start := 0; start < len(all); start += receivedBatch {
		end := min(start+receivedBatch, len(all))
		ids := make([]string, 0, end-start)
		for _, e := range all[start:end] {
			ids = append(ids, e.id)
		}
		reqs, err := s.getMany(ctx, ids)
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
