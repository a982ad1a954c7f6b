package store

import (
	"strconv"

	"github.com/redis/go-redis/v9"
)

// createCache remembers what this process's creates last wrote that the
// next create must read: each year's sequence, agencies' records and the
// known agencies. It is only a guess — the create script checks every
// value against Redis — so a stale entry (another replica's create, an
// update of the agency) costs a round trip, never correctness. Guarded by
// Redis.creates.
type createCache struct {
	seq      map[int]int64
	agencies map[string][]byte
	known    []string
	knownOK  bool
}

// maxCachedAgencies bounds the cache; past it, it starts again.
const maxCachedAgencies = 1000

// guess returns a createRead filled from the cache, as if read, with the
// dedup keys absent, and whether the cache had everything; when it did
// not, the createRead is empty.
func (c *createCache) guess(plan dedupPlan, year int, domain string) (*createRead, bool) {
	rd := &createRead{plan: plan}
	n, ok := c.seq[year]
	if !ok {
		return rd, false
	}
	if domain != "" {
		b, ok := c.agencies[domain]
		if !ok || !c.knownOK {
			return rd, false
		}
		rd.reg = &registryRead{domain: domain, agency: redis.NewStringResult(string(b), nil),
			known: redis.NewStringSliceResult(c.known, nil)}
	}
	rd.dedup = redis.NewStringResult("", redis.Nil)
	if plan.legacy != "" {
		rd.legacy = redis.NewStringResult("", redis.Nil)
	}
	rd.seq = redis.NewStringResult(strconv.FormatInt(n, 10), nil)
	return rd, true
}

// remember records what a create wrote: the year's sequence n and the
// registry after it (nil when it named no agency).
func (c *createCache) remember(year int, n int64, reg *registryState) {
	if c.seq == nil {
		c.seq = map[int]int64{}
	}
	c.seq[year] = n
	if reg == nil {
		return
	}
	if c.agencies == nil || len(c.agencies) >= maxCachedAgencies {
		c.agencies = map[string][]byte{}
	}
	c.agencies[reg.domain] = reg.agency
	c.known, c.knownOK = reg.known, true
}

// forget drops everything (a guess proved wrong, or a write failed).
func (c *createCache) forget() { *c = createCache{} }
