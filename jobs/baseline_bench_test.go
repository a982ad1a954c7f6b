package jobs

import (
	"context"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/store"
)

// BenchmarkBaselineRedisGet is one round trip to the Redis the reminder
// tick benchmark uses, through the store's own client: a GET of a
// request-sized value. BENCHMARKS.md divides a tick by it, so a tick's
// cost reads as "worth N round trips" on any machine.
func BenchmarkBaselineRedisGet(b *testing.B) {
	url := testredis.URL(b)
	prefix := testredis.PrefixCleanup(b, url)
	st := mustOpen(b, store.Config{RedisURL: url, KeyPrefix: prefix})
	c := st.(*store.Redis).Client()
	ctx := context.Background()
	key := prefix + "baseline"
	if err := c.Set(ctx, key, strings.Repeat("x", 1500), 0).Err(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := c.Get(ctx, key).Err(); err != nil {
			b.Fatal(err)
		}
	}
}
