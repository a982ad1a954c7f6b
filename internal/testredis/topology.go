package testredis

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RequireTopologiesEnv, set to 1 (CI does), makes the Cluster and
// Sentinel helpers fail a test rather than skip it when redis-server is
// missing.
const RequireTopologiesEnv = "LEBOT_REQUIRE_REDIS_TOPOLOGIES"

// needRedisServer skips tb (or fails it, under RequireTopologiesEnv)
// when redis-server is not on PATH. Sentinel is redis-server --sentinel,
// so no other binary is needed.
func needRedisServer(tb testing.TB, what string) {
	tb.Helper()
	if _, err := exec.LookPath("redis-server"); err == nil {
		return
	}
	if os.Getenv(RequireTopologiesEnv) == "1" {
		tb.Fatalf("testredis: %s needs redis-server on PATH, and %s=1 requires it", what, RequireTopologiesEnv)
	}
	tb.Skipf("testredis: %s needs redis-server on PATH (apt-get install redis-server); skipping", what)
}

// node is one redis-server process the test owns.
type node struct {
	tb   testing.TB
	name string
	port int
	bus  int      // the cluster bus port (cluster nodes only)
	args []string // after the config file, if any
	conf string   // config file ("" for none)
	dir  string
	cmd  *exec.Cmd
}

func (n *node) addr() string { return "127.0.0.1:" + strconv.Itoa(n.port) }

func (n *node) logPath() string { return filepath.Join(n.dir, n.name+".log") }

// start runs the server and waits until it answers PING.
func (n *node) start() {
	n.tb.Helper()
	var args []string
	if n.conf != "" {
		args = append(args, n.conf)
	}
	args = append(args, n.args...)
	args = append(args, "--port", strconv.Itoa(n.port), "--bind", "127.0.0.1", "--dir", n.dir,
		"--logfile", n.logPath(), "--protected-mode", "no")
	cmd := exec.Command("redis-server", args...)
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		n.tb.Fatalf("testredis: start %s: %v", n.name, err)
	}
	n.cmd = cmd
	if err := waitReady("redis://"+n.addr(), 10*time.Second); err != nil {
		n.stop()
		n.tb.Fatalf("testredis: %s on %s does not answer: %v\n%s", n.name, n.addr(), err, n.logTail())
	}
}

// stop kills the server (SIGKILL: as abrupt as a crashed host).
func (n *node) stop() {
	if n.cmd == nil {
		return
	}
	_ = n.cmd.Process.Kill()
	_ = n.cmd.Wait()
	n.cmd = nil
}

// logTail is the end of the server's log, for a failure message.
func (n *node) logTail() string {
	f, err := os.Open(n.logPath())
	if err != nil {
		return ""
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > 20 {
			lines = lines[1:]
		}
	}
	return n.name + " log:\n" + strings.Join(lines, "\n")
}

func (n *node) client() *redis.Client {
	return redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1, DialTimeout: time.Second})
}

// newNode prepares a server named name with its own directory under dir.
func newNode(tb testing.TB, dir, name string, args ...string) *node {
	return &node{tb: tb, name: name, port: freePort(tb), dir: mkdir(tb, dir, name), args: args}
}

// Cluster is a real Redis Cluster of three masters (no replicas) on
// free local ports, in a temporary directory, stopped at cleanup.
type Cluster struct {
	// URL is the REDIS_URL of the Cluster form lebot documents:
	// redis://h1:p1,h2:p2,h3:p3.
	URL   string
	Addrs []string
	nodes []*node
}

// NewCluster starts a three-master cluster and waits until it serves
// every slot. It skips tb when redis-server is missing (fails it under
// LEBOT_REQUIRE_REDIS_TOPOLOGIES=1).
func NewCluster(tb testing.TB) *Cluster {
	tb.Helper()
	needRedisServer(tb, "a Redis Cluster")
	dir := tb.TempDir()
	c := &Cluster{}
	tb.Cleanup(c.stop)
	for i := range 3 {
		bus := freePort(tb)
		n := newNode(tb, dir, fmt.Sprintf("cluster-%d", i+1), "--cluster-enabled", "yes",
			"--cluster-config-file", "nodes.conf",
			"--cluster-port", strconv.Itoa(bus), "--cluster-node-timeout", "3000",
			"--save", "", "--appendonly", "no")
		n.bus = bus
		n.start()
		c.nodes = append(c.nodes, n)
		c.Addrs = append(c.Addrs, n.addr())
	}
	ctx := context.Background()
	const slots = 16384
	for i, n := range c.nodes {
		cl := n.client()
		args := []any{"cluster", "addslots"}
		for s := i * slots / 3; s < (i+1)*slots/3; s++ {
			args = append(args, s)
		}
		err := cl.Do(ctx, args...).Err()
		if err == nil {
			err = cl.Do(ctx, "cluster", "set-config-epoch", i+1).Err()
		}
		if err == nil && i > 0 {
			err = cl.Do(ctx, "cluster", "meet", "127.0.0.1", c.nodes[0].port, c.nodes[0].bus).Err()
		}
		cl.Close()
		if err != nil {
			tb.Fatalf("testredis: set up %s: %v", n.name, err)
		}
	}
	c.waitOK(tb, 30*time.Second)
	c.URL = "redis://" + strings.Join(c.Addrs, ",")
	tb.Logf("testredis: started a Redis Cluster of 3 masters at %s", strings.Join(c.Addrs, ","))
	return c
}

// waitOK waits until every node reports cluster_state:ok and knows all
// three masters.
func (c *Cluster) waitOK(tb testing.TB, d time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(d)
	ctx := context.Background()
	for {
		ok := true
		for _, n := range c.nodes {
			cl := n.client()
			info, err := cl.ClusterInfo(ctx).Result()
			cl.Close()
			if err != nil || !strings.Contains(info, "cluster_state:ok") || !strings.Contains(info, "cluster_known_nodes:3") {
				ok = false
				break
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("testredis: the cluster did not become ready in %v\n%s", d, c.nodes[0].logTail())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// MasterOf returns the address of the master serving key's slot.
func (c *Cluster) MasterOf(tb testing.TB, key string) string {
	tb.Helper()
	cl := c.nodes[0].client()
	defer cl.Close()
	ctx := context.Background()
	slot, err := cl.ClusterKeySlot(ctx, key).Result()
	if err != nil {
		tb.Fatal(err)
	}
	ranges, err := cl.ClusterSlots(ctx).Result()
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range ranges {
		if int64(r.Start) <= slot && slot <= int64(r.End) && len(r.Nodes) > 0 {
			return r.Nodes[0].Addr
		}
	}
	tb.Fatalf("testredis: no master serves slot %d", slot)
	return ""
}

// DBSize returns the number of keys each master holds, by address.
func (c *Cluster) DBSize(tb testing.TB) map[string]int64 {
	tb.Helper()
	out := map[string]int64{}
	for _, n := range c.nodes {
		cl := n.client()
		k, err := cl.DBSize(context.Background()).Result()
		cl.Close()
		if err != nil {
			tb.Fatal(err)
		}
		out[n.addr()] = k
	}
	return out
}

func (c *Cluster) stop() {
	for _, n := range c.nodes {
		n.stop()
	}
}
