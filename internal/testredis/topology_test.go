package testredis

import (
	"context"
	"fmt"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestCluster: the cluster serves every slot across three masters, and
// a cluster client spreads keys over them.
func TestCluster(t *testing.T) {
	c := NewCluster(t)
	if len(c.Addrs) != 3 {
		t.Fatalf("got %d nodes, want 3", len(c.Addrs))
	}
	opt, err := redis.ParseClusterURL("redis://" + c.Addrs[0] + "?addr=" + c.Addrs[1] + "&addr=" + c.Addrs[2])
	if err != nil {
		t.Fatal(err)
	}
	cl := redis.NewClusterClient(opt)
	defer cl.Close()
	ctx := context.Background()
	for i := range 60 {
		if err := cl.Set(ctx, fmt.Sprintf("k%d", i), i, 0).Err(); err != nil {
			t.Fatalf("set: %v", err)
		}
	}
	sizes := c.DBSize(t)
	for addr, n := range sizes {
		if n == 0 {
			t.Errorf("master %s holds no keys, want the keys spread over all three: %v", addr, sizes)
		}
	}
	if m := c.MasterOf(t, "{lebot}:x"); sizes[m] < 0 {
		t.Errorf("MasterOf named %s, not a node", m)
	}
}
