// Package testredis gives tests a Redis to talk to and a key prefix of
// their own, so parallel tests and packages can share one server safely.
//
// The server is, in order of preference: the one REDIS_URL names (CI sets
// it to a real redis-server); a throwaway redis-server started on a free
// local port when one is on PATH (no persistence, killed at cleanup); or
// an in-process miniredis, which the test log says.
package testredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Server is a Redis a test talks to. Stop and Start work only when the
// test owns the server (a redis-server it started, or miniredis); for a
// server named by REDIS_URL they fail the test.
type Server struct {
	URL  string
	Kind string // "REDIS_URL", "redis-server" or "miniredis"

	tb   testing.TB
	port int
	dir  string // append-only file directory (NewPersistent); "" for none
	cmd  *exec.Cmd
	mini *miniredis.Miniredis
}

// URL returns the URL of a Redis for tb (see NewServer).
func URL(tb testing.TB) string {
	tb.Helper()
	return NewServer(tb).URL
}

// NewServer returns a Redis for tb: REDIS_URL when set, else a fresh
// redis-server from PATH, else miniredis. Servers it starts are stopped
// at tb's cleanup. It logs which one it uses.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	if u := os.Getenv("REDIS_URL"); u != "" {
		tb.Logf("testredis: using REDIS_URL (%s)", redactURL(u))
		return &Server{URL: u, Kind: "REDIS_URL", tb: tb}
	}
	s := &Server{tb: tb}
	if _, err := exec.LookPath("redis-server"); err == nil {
		s.Kind = "redis-server"
		s.port = freePort(tb)
		s.URL = fmt.Sprintf("redis://127.0.0.1:%d/0", s.port)
		s.Start()
		tb.Cleanup(s.Stop)
		tb.Logf("testredis: started redis-server on 127.0.0.1:%d", s.port)
		return s
	}
	s.Kind = "miniredis"
	s.mini = miniredis.RunT(tb)
	s.URL = "redis://" + s.mini.Addr() + "/0"
	tb.Logf("testredis: no REDIS_URL and no redis-server on PATH; falling back to miniredis at %s", s.mini.Addr())
	return s
}

// NewPrivate returns a Redis that tb owns whatever REDIS_URL says: a
// fresh redis-server from PATH, else miniredis. Tests that SCAN the
// keyspace use it, since a shared server may hold millions of keys.
func NewPrivate(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{tb: tb}
	if _, err := exec.LookPath("redis-server"); err == nil {
		s.Kind, s.port = "redis-server", freePort(tb)
		s.URL = fmt.Sprintf("redis://127.0.0.1:%d/0", s.port)
		s.Start()
		tb.Cleanup(s.Stop)
		return s
	}
	s.Kind = "miniredis"
	s.mini = miniredis.RunT(tb)
	s.URL = "redis://" + s.mini.Addr() + "/0"
	tb.Logf("testredis: no redis-server on PATH; a private miniredis at %s", s.mini.Addr())
	return s
}

// NewPersistent starts a redis-server that tb owns whatever REDIS_URL
// says, with an append-only file fsynced on every write in a temp dir, so
// Stop (SIGKILL) then Start keeps every write Redis acknowledged, as a
// production Redis with AOF does. Fault tests use it to restart Redis
// under load. It skips tb when no redis-server is on PATH.
func NewPersistent(tb testing.TB) *Server {
	tb.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		tb.Skip("testredis: this test stops and restarts Redis, so it needs redis-server on PATH to start its own")
	}
	s := &Server{tb: tb, Kind: "redis-server", port: freePort(tb), dir: tb.TempDir()}
	s.URL = fmt.Sprintf("redis://127.0.0.1:%d/0", s.port)
	s.Start()
	tb.Cleanup(s.Stop)
	tb.Logf("testredis: started persistent redis-server on 127.0.0.1:%d", s.port)
	return s
}

// Owned reports whether the test owns the server (Stop/Start work).
func (s *Server) Owned() bool { return s.Kind != "REDIS_URL" }

// Stop kills the server abruptly (data is lost: it never persists).
func (s *Server) Stop() {
	s.tb.Helper()
	switch {
	case s.mini != nil:
		s.mini.Close()
	case s.cmd != nil:
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
		s.cmd = nil
	case !s.Owned():
		s.tb.Fatalf("testredis: cannot stop the server named by REDIS_URL")
	}
}

// Start (re)starts a stopped server on the same address and waits until
// it answers.
func (s *Server) Start() {
	s.tb.Helper()
	switch {
	case s.mini != nil:
		if err := s.mini.Restart(); err != nil {
			s.tb.Fatalf("testredis: restart miniredis: %v", err)
		}
		return
	case !s.Owned():
		s.tb.Fatalf("testredis: cannot start the server named by REDIS_URL")
	case s.cmd != nil:
		return
	}
	args := []string{"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--save", "", "--protected-mode", "no"}
	if s.dir != "" {
		args = append(args, "--dir", s.dir, "--appendonly", "yes", "--appendfsync", "always")
	} else {
		args = append(args, "--appendonly", "no")
	}
	cmd := exec.Command("redis-server", args...)
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		s.tb.Fatalf("testredis: start redis-server: %v", err)
	}
	s.cmd = cmd
	if err := waitReady(s.URL, 5*time.Second); err != nil {
		s.Stop()
		s.tb.Fatalf("testredis: redis-server on port %d: %v", s.port, err)
	}
}

// FastForward lets server-side TTLs run d further: miniredis's clock is
// moved, a real server is waited for.
func (s *Server) FastForward(d time.Duration) {
	if s.mini != nil {
		s.mini.FastForward(d)
		return
	}
	time.Sleep(d)
}

// Prefix returns a key prefix unique to tb (its name plus random bytes),
// ending in ":". Keys under it are deleted at tb's cleanup when the
// server is shared (REDIS_URL).
func Prefix(tb testing.TB) string {
	tb.Helper()
	return prefixFor(tb.Name())
}

// PrefixCleanup is Prefix, and also deletes the prefix's keys at cleanup
// from the server at url (a SCAN, acceptable in tests only).
func PrefixCleanup(tb testing.TB, url string) string {
	tb.Helper()
	p := Prefix(tb)
	tb.Cleanup(func() { deleteMatching(url, p) })
	return p
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

func prefixFor(name string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	n := unsafeName.ReplaceAllString(name, "_")
	if len(n) > 60 {
		n = n[len(n)-60:]
	}
	return "t:" + n + ":" + hex.EncodeToString(b) + ":"
}

// deleteMatching removes keys containing the prefix's random token,
// wherever the store placed the prefix in the key (it may add a hash tag).
func deleteMatching(url, prefix string) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return
	}
	c := redis.NewClient(opt)
	defer c.Close()
	// SCAN walks the whole keyspace, and a shared server may hold
	// millions of keys: large steps, and time to finish.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	parts := strings.Split(strings.TrimSuffix(prefix, ":"), ":")
	token := parts[len(parts)-1]
	iter := c.Scan(ctx, 0, "*"+token+"*", 10000).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			c.Unlink(ctx, batch...)
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		c.Unlink(ctx, batch...)
	}
}

func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("testredis: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitReady(url string, d time.Duration) error {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return err
	}
	opt.MaxRetries = -1
	c := redis.NewClient(opt)
	defer c.Close()
	deadline := time.Now().Add(d)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err = c.Ping(ctx).Err()
		cancel()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// redactURL hides a password in url for logs.
func redactURL(u string) string {
	if i, j := strings.Index(u, "://"), strings.LastIndex(u, "@"); i >= 0 && j > i {
		return u[:i+3] + "***" + u[j:]
	}
	return u
}
