package store

import (
	"context"
	"errors"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Order groups on Redis (see OutboxItem.Order): each group is a sorted
// set of its pending items by enqueue time; an item's hash keeps its
// group's key in "order", written once at enqueue and never changed, so
// it may be read before a script and cached. Items Claim passed over
// wait in the parked sorted set (with their queue score from before)
// until the item before them leaves the group.

// groupCache remembers items' group keys ("" for none) so Ack and Retry
// need no extra round trip for items this process enqueued or claimed.
// It is bounded: when full it starts over (a miss costs one HGET).
type groupCache struct {
	mu sync.Mutex
	m  map[string]string
}

const groupCacheMax = 10_000

func (c *groupCache) get(id string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.m[id]
	return g, ok
}

func (c *groupCache) put(id, group string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= groupCacheMax {
		c.m = map[string]string{}
	}
	c.m[id] = group
}

func (c *groupCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}

// orderKeys returns the order group key of each item ("" for none),
// reading in one pipeline those not cached.
func (s *Redis) orderKeys(ctx context.Context, ids []string) ([]string, error) {
	out := make([]string, len(ids))
	var miss []int
	for i, id := range ids {
		if g, ok := s.groups.get(id); ok {
			out[i] = g
		} else {
			miss = append(miss, i)
		}
	}
	if len(miss) == 0 {
		return out, nil
	}
	cmds := make([]*redis.StringCmd, len(miss))
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for j, i := range miss {
			cmds[j] = p.HGet(ctx, s.k.outboxItem(ids[i]), "order")
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	for j, i := range miss {
		out[i] = cmds[j].Val()
		s.groups.put(ids[i], out[i])
	}
	return out, nil
}

// groupKey is KEYS[5] and ARGV[2] of a script that runs leaveGroup for
// item id: its order group's key and "1", or the item's own key and "0"
// when it has no group.
func (s *Redis) groupKey(ctx context.Context, id string) (string, string, error) {
	gs, err := s.orderKeys(ctx, []string{id})
	if err != nil {
		return "", "", err
	}
	if gs[0] == "" {
		return s.k.outboxItem(id), "0", nil
	}
	return gs[0], "1", nil
}
