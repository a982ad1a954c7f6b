package testredis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// MasterName is the name the Sentinel setup monitors.
const MasterName = "mymaster"

// Sentinel is a real Sentinel deployment on free local ports: one
// master, one replica and three sentinels (quorum 2), stopped at
// cleanup. The data nodes keep an append-only file fsynced on every
// write, as production should.
type Sentinel struct {
	// URL is the REDIS_URL of the Sentinel form lebot documents:
	// redis://s1:p1,s2:p2,s3:p3/0?master=mymaster.
	URL string

	master, replica *node
	sentinels       []*node
}

// NewSentinel starts the deployment and waits until every sentinel
// knows the master, the replica and the other sentinels, and the
// replica is in sync. It skips tb when redis-server is missing (fails
// it under LEBOT_REQUIRE_REDIS_TOPOLOGIES=1).
func NewSentinel(tb testing.TB) *Sentinel {
	tb.Helper()
	needRedisServer(tb, "a Redis Sentinel setup")
	dir := tb.TempDir()
	s := &Sentinel{}
	tb.Cleanup(s.stop)
	data := []string{"--save", "", "--appendonly", "yes", "--appendfsync", "always",
		// A replica (re)syncs at once rather than after the default 5 s
		// that diskless sync waits for more replicas to join.
		"--repl-diskless-sync-delay", "0"}
	s.master = newNode(tb, dir, "master", data...)
	s.master.start()
	s.replica = newNode(tb, dir, "replica", append(data, "--replicaof", "127.0.0.1", strconv.Itoa(s.master.port))...)
	s.replica.start()
	var addrs []string
	for i := range 3 {
		n := newNode(tb, dir, fmt.Sprintf("sentinel-%d", i+1), "--sentinel")
		n.conf = filepath.Join(n.dir, "sentinel.conf")
		conf := fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d 2\n"+
			"sentinel down-after-milliseconds %s 1000\n"+
			"sentinel failover-timeout %s 10000\n"+
			"sentinel parallel-syncs %s 1\n", MasterName, s.master.port, MasterName, MasterName, MasterName)
		if err := os.WriteFile(n.conf, []byte(conf), 0o600); err != nil {
			tb.Fatal(err)
		}
		n.start()
		fastSentinel(tb, n)
		s.sentinels = append(s.sentinels, n)
		addrs = append(addrs, n.addr())
	}
	s.URL = "redis://" + strings.Join(addrs, ",") + "/0?master=" + MasterName
	s.waitSettled(tb, s.master.addr(), 30*time.Second, true)
	tb.Logf("testredis: started Sentinel: master %s, replica %s, sentinels %s",
		s.master.addr(), s.replica.addr(), strings.Join(addrs, ","))
	return s
}

// fastSentinel shortens the periods Sentinel fixes in its code (SENTINEL
// DEBUG, Redis 7): sentinels announce themselves every 250 ms instead
// of 2 s, so they find each other at once, and ask each server's INFO
// every 250 ms instead of 10 s, so they learn of a role change soon after
// a failover. What they decide, and when a failover may happen
// (down-after-milliseconds, failover-timeout), is as configured. Not
// shorter: with hellos every 100 ms the promoted replica was at times
// marked down mid-promotion and the failover aborted (2 of 15 runs of
// TestSentinelFailoverDuringIntake at 100/500 ms, 2 of 3 at 100/100 ms;
// none of 30 at 250/250 ms, three at a time).
func fastSentinel(tb testing.TB, n *node) {
	tb.Helper()
	cl := n.client()
	defer cl.Close()
	err := cl.Do(context.Background(), "sentinel", "debug", "publish-period", 250, "info-period", 250).Err()
	if err != nil {
		tb.Fatalf("testredis: SENTINEL DEBUG on %s: %v", n.name, err)
	}
}

func mkdir(tb testing.TB, dir, name string) string {
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(p, 0o700); err != nil {
		tb.Fatal(err)
	}
	return p
}

// MasterAddr is the master's address as the first sentinel reports it.
func (s *Sentinel) MasterAddr(tb testing.TB) string {
	tb.Helper()
	addr, err := s.masterAddr(s.sentinels[0])
	if err != nil {
		tb.Fatal(err)
	}
	return addr
}

func (s *Sentinel) masterAddr(n *node) (string, error) {
	cl := redis.NewSentinelClient(&redis.Options{Addr: n.addr(), MaxRetries: -1, DialTimeout: time.Second})
	defer cl.Close()
	hp, err := cl.GetMasterAddrByName(context.Background(), MasterName).Result()
	if err != nil {
		return "", err
	}
	return strings.Join(hp, ":"), nil
}

// waitSettled waits until every sentinel names master as the master and
// sees two other sentinels (and, with sentinelsSeeReplica, a healthy
// replica: what a failover needs), and the master has its replica
// online.
func (s *Sentinel) waitSettled(tb testing.TB, master string, d time.Duration, sentinelsSeeReplica bool) {
	tb.Helper()
	deadline := time.Now().Add(d)
	ctx := context.Background()
	for {
		err := func() error {
			for _, n := range s.sentinels {
				if got, err := s.masterAddr(n); err != nil || got != master {
					return fmt.Errorf("%s names master %q (%v), want %s", n.name, got, err, master)
				}
				cl := redis.NewSentinelClient(&redis.Options{Addr: n.addr(), MaxRetries: -1})
				reps, err := cl.Replicas(ctx, MasterName).Result()
				var others []map[string]string
				if err == nil {
					others, err = cl.Sentinels(ctx, MasterName).Result()
				}
				cl.Close()
				if err != nil {
					return err
				}
				healthy := 0
				for _, r := range reps {
					if !strings.Contains(r["flags"], "down") && !strings.Contains(r["flags"], "disconnected") &&
						r["master-link-status"] == "ok" {
						healthy++
					}
				}
				if sentinelsSeeReplica && healthy < 1 || len(others) < 2 {
					return fmt.Errorf("%s sees %d healthy replicas and %d other sentinels", n.name, healthy, len(others))
				}
			}
			m := s.nodeAt(master)
			cl := m.client()
			defer cl.Close()
			info, err := cl.Info(ctx, "replication").Result()
			if err != nil {
				return err
			}
			if !strings.Contains(info, "role:master") || !strings.Contains(info, "state=online") {
				return fmt.Errorf("master %s has no online replica yet", master)
			}
			return nil
		}()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("testredis: Sentinel did not settle in %v: %v\n%s", d, err, s.sentinels[0].logTail())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *Sentinel) nodeAt(addr string) *node {
	if s.replica.addr() == addr {
		return s.replica
	}
	return s.master
}

// Failover has Sentinel promote the replica (SENTINEL FAILOVER, as an
// operator would before maintenance) and waits until every sentinel
// names the new master and the old one is back in sync as its replica.
// It returns the new master's address.
func (s *Sentinel) Failover(tb testing.TB) string {
	tb.Helper()
	old := s.MasterAddr(tb)
	want := s.replica.addr()
	if old == want {
		want = s.master.addr()
	}
	cl := redis.NewSentinelClient(&redis.Options{Addr: s.sentinels[0].addr(), MaxRetries: -1})
	err := cl.Failover(context.Background(), MasterName).Err()
	cl.Close()
	if err != nil {
		tb.Fatalf("testredis: SENTINEL FAILOVER: %v", err)
	}
	// The sentinels learn of the old master's new role at their next
	// INFO (every 250 ms here, see fastSentinel); the new master knows
	// at once.
	s.waitSettled(tb, want, 60*time.Second, false)
	return want
}

// StopReplica kills the server that is the replica now; restart starts
// it again (it rejoins from its append-only file and resyncs).
func (s *Sentinel) StopReplica(tb testing.TB) (restart func()) {
	tb.Helper()
	n := s.replica
	if s.MasterAddr(tb) == n.addr() {
		n = s.master
	}
	n.stop()
	return n.start
}

func (s *Sentinel) stop() {
	for _, n := range s.sentinels {
		n.stop()
	}
	for _, n := range []*node{s.master, s.replica} {
		if n != nil {
			n.stop()
		}
	}
}
