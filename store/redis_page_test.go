package store

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestMergeNewest: merging lists each in ZREVRANGE order gives the first
// limit ids of all of them sorted the same way (score descending, ties by
// id descending), many scores tied.
func TestMergeNewest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var lists [][]redis.Z
		var all []redis.Z
		for range rng.IntN(6) {
			var l []redis.Z
			for range rng.IntN(30) {
				z := redis.Z{Score: float64(rng.IntN(10)), Member: fmt.Sprintf("LE-2026-%04d", rng.IntN(1000))}
				l = append(l, z)
				all = append(all, z)
			}
			slices.SortFunc(l, zrevOrder)
			lists = append(lists, l)
		}
		slices.SortFunc(all, zrevOrder)
		limit := rng.IntN(40) // 0: all
		var want []string
		for _, z := range all {
			if limit > 0 && len(want) == limit {
				break
			}
			want = append(want, z.Member.(string))
		}
		if got := mergeNewest(lists, limit); !slices.Equal(got, want) && (len(got) != 0 || len(want) != 0) {
			t.Fatalf("round %d, limit %d: got %v, want %v", round, limit, got, want)
		}
	}
}

func zrevOrder(a, b redis.Z) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Member.(string), a.Member.(string)))
}
