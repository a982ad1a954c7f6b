package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/redis/go-redis/v9"
)

// The page token: every write that can change a list page — a create
// (with the links it adds to earlier requests), an update, a follow-up,
// a rekey of a request — sets the pagetoken key to a value no other
// write uses, in the same script or MULTI/EXEC as its other writes. A
// page read in one MULTI/EXEC together with the token is therefore still
// the page while the token is unchanged, whichever replica wrote last:
// a Shared ListByStatuses then costs one GET instead of reading the
// status sets and 20 stored requests again. The token is unique rather
// than a counter so that a store emptied, restored or failed over to a
// replica that missed the last writes cannot bring an old value back
// with other data under it.

// pageMaxAge bounds how long a page is served on its token alone: a
// safety net for writers that do not set the token (a replica still on
// an older version during a rolling upgrade, a hand edit).
const pageMaxAge = time.Second

// pageTokens makes the values this process writes to the page token: a
// random prefix of its own and a counter.
type pageTokens struct {
	once   sync.Once
	prefix string
	n      atomic.Uint64
}

func (t *pageTokens) next() string {
	t.once.Do(func() {
		b := make([]byte, 12)
		rand.Read(b) // never fails (crypto/rand)
		t.prefix = hex.EncodeToString(b) + "-"
	})
	return t.prefix + strconv.FormatUint(t.n.Add(1), 36)
}

// touchPages queues, on p, the write of a fresh page token: every write
// that changes a request or a status set calls it inside its transaction.
func (s *Redis) touchPages(ctx context.Context, p redis.Pipeliner) {
	p.Set(ctx, s.k.pageToken(), s.tokens.next(), 0)
}

// pageCache holds, per page shape, the page last read in one MULTI/EXEC
// with the page token, and that token ("" when absent). Its requests are
// the reqCache's shared values (Shared): nobody changes them.
type pageCache struct {
	mu sync.Mutex
	m  map[string]*cachedPage
}

type cachedPage struct {
	token string
	reqs  []*legal.Request
	total int
	read  time.Time
}

func (c *pageCache) get(shape string) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[shape]
}

func (c *pageCache) set(shape string, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxPageShapes && c.m[shape] == nil {
		c.m = make(map[string]*cachedPage)
	}
	c.m[shape] = p
}

// cachedPageFor returns the cached page of shape when the page token
// still has the value it was read with (one GET), else nil.
func (s *Redis) cachedPageFor(ctx context.Context, shape string) (*cachedPage, error) {
	p := s.cached.get(shape)
	if p == nil || time.Since(p.read) >= pageMaxAge {
		return nil, nil
	}
	tok, err := s.c.Get(ctx, s.k.pageToken()).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	if tok != p.token {
		return nil, nil
	}
	return p, nil
}

// pageHit is a cached page as ListByStatuses returns it: the caller gets
// its own slice of the shared requests.
func pageHit(p *cachedPage) ([]*legal.Request, int, error) {
	return slices.Clone(p.reqs), p.total, nil
}
