package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/redis/go-redis/v9"
)

// pageGuesses remembers, per page shape (statuses and limit), the ids the
// last ListByStatuses returned, so the next one can read their values in
// the same round trip as the status sets: a list page rarely changes
// between two looks. It holds ids only, never request values.
type pageGuesses struct {
	mu sync.Mutex
	m  map[string][]string
}

// maxPageShapes bounds pageGuesses: lebot asks for a handful of shapes.
const maxPageShapes = 16

func (g *pageGuesses) get(shape string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.m[shape]
}

func (g *pageGuesses) set(shape string, ids []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil || len(g.m) >= maxPageShapes && g.m[shape] == nil {
		g.m = make(map[string][]string)
	}
	g.m[shape] = ids
}

// ListByStatuses implements Store: one pipeline of ZREVRANGE WITHSCORES
// and ZCARD per status and, after them, an MGET of the ids the same page
// held last time; a merge of the ids by time; and an MGET of the page's
// ids the guess missed, if any. Pages that did not change (most) take one
// round trip. Every value comes from a read made after the status sets
// were read, as with two round trips.
//
// A Shared read runs that pipeline as one MULTI/EXEC with the page token
// (redis_pagecache.go) and keeps a page read whole that way; while the
// token stays the same, the next Shared read of that shape is one GET.
func (s *Redis) ListByStatuses(ctx context.Context, statuses []legal.Status, limit int) ([]*legal.Request, int, error) {
	if len(statuses) == 0 {
		return nil, 0, nil
	}
	var sb strings.Builder
	sb.WriteString(strconv.Itoa(limit))
	for _, st := range statuses {
		sb.WriteString("|" + string(st))
	}
	shape := sb.String()
	share := isShared(ctx)
	if share {
		p, err := s.cachedPageFor(ctx, shape)
		if err != nil {
			return nil, 0, fmt.Errorf("list statuses %v: %w", statuses, err)
		}
		if p != nil {
			return pageHit(p)
		}
	}
	guess := s.pages.get(shape)
	ranges := make([]*redis.ZSliceCmd, len(statuses))
	cards := make([]*redis.IntCmd, len(statuses))
	var guessed *redis.SliceCmd
	var token *redis.StringCmd
	read := time.Now()
	pipe := s.c.Pipelined
	if share {
		pipe = s.c.TxPipelined
	}
	_, err := pipe(ctx, func(p redis.Pipeliner) error {
		if share {
			token = p.Get(ctx, s.k.pageToken())
		}
		for i, st := range statuses {
			key := s.k.status(st)
			ranges[i] = p.ZRevRangeWithScores(ctx, key, 0, stop(limit))
			cards[i] = p.ZCard(ctx, key)
		}
		if len(guess) > 0 {
			guessed = p.MGet(ctx, s.requestKeys(guess)...)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) { // Nil: no page token yet
		return nil, 0, fmt.Errorf("list statuses %v: %w", statuses, err)
	}
	total := 0
	heads := make([][]redis.Z, len(statuses))
	for i := range statuses {
		heads[i] = ranges[i].Val()
		total += int(cards[i].Val())
	}
	ids := mergeNewest(heads, limit)
	s.pages.set(shape, ids)
	known := make(map[string]any, len(guess))
	if guessed != nil {
		for i, v := range guessed.Val() {
			known[guess[i]] = v
		}
	}
	var missing []string
	for _, id := range ids {
		if _, ok := known[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		vals, err := s.c.MGet(ctx, s.requestKeys(missing)...).Result()
		if err != nil {
			return nil, 0, fmt.Errorf("read requests: %w", err)
		}
		for i, v := range vals {
			known[missing[i]] = v
		}
	}
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = known[id]
	}
	reqs, err := s.decodeAll(ctx, ids, vals)
	if err == nil && share && len(missing) == 0 {
		// Read whole inside the MULTI/EXEC with the token.
		s.cached.set(shape, &cachedPage{token: token.Val(), reqs: slices.Clone(reqs), total: total, read: read})
	}
	return reqs, total, err
}

// mergeNewest merges sets' newest members, each list as ZREVRANGE
// WITHSCORES returns it (score descending, ties by member descending),
// into the first limit ids (0 or less: all) in that same order.
func mergeNewest(lists [][]redis.Z, limit int) []string {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if limit > 0 {
		n = min(n, limit)
	}
	ids := make([]string, 0, n)
	for len(ids) < n {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || newer(l[0], lists[best][0])) {
				best = i
			}
		}
		id, _ := lists[best][0].Member.(string)
		ids = append(ids, id)
		lists[best] = lists[best][1:]
	}
	return ids
}

// newer: a comes before b in ZREVRANGE's order.
func newer(a, b redis.Z) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	x, _ := a.Member.(string)
	y, _ := b.Member.(string)
	return x > y
}

func (s *Redis) requestKeys(ids []string) []string {
	ks := make([]string, len(ids))
	for i, id := range ids {
		ks[i] = s.k.request(id)
	}
	return ks
}
