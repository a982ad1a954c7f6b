package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
)

func TestOpenPicksBackend(t *testing.T) {
	url := testredis.URL(t)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no REDIS_URL: embedded", Config{DataDir: t.TempDir()}, "*store.Bolt"},
		{"REDIS_URL: redis", Config{RedisURL: url, KeyPrefix: testredis.Prefix(t)}, "*store.Redis"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if got := typeName(s); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func typeName(s Store) string {
	switch s.(type) {
	case *Bolt:
		return "*store.Bolt"
	case *Redis:
		return "*store.Redis"
	}
	return "?"
}

func TestOpenRedisUnreachable(t *testing.T) {
	t.Parallel() // waits on its own file or address
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := Open(ctx, Config{RedisURL: "redis://:secret@127.0.0.1:1/0?max_retries=-1"})
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("got %v, want an error without the password", err)
	}
}

func TestBoltFileModesAndLog(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var logs bytes.Buffer
	s, err := OpenBolt(Config{DataDir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tt := range []struct {
		name string
		path string
		want os.FileMode
	}{{"dir", dir, 0o700}, {"file", filepath.Join(dir, "lebot.db"), 0o600}} {
		t.Run(tt.name, func(t *testing.T) {
			fi, err := os.Stat(tt.path)
			if err != nil || fi.Mode().Perm() != tt.want {
				t.Errorf("got %v (%v), want %v", fi.Mode().Perm(), err, tt.want)
			}
		})
	}
	if !strings.Contains(logs.String(), "single process") {
		t.Errorf("got log %q, want a single-process warning", logs.String())
	}
}

func TestBoltSecondOpenFails(t *testing.T) {
	t.Parallel() // waits on its own file or address
	dir := t.TempDir()
	mustOpenBolt(t, dir, nil)
	start := time.Now()
	_, err := OpenBolt(Config{DataDir: dir})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), filepath.Join(dir, "lebot.db")) ||
		!strings.Contains(err.Error(), "another lebot process") {
		t.Errorf("got %v, want ErrLocked naming the file and another process", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second open took %v, want it to give up after about a second", d)
	}
}

func TestBoltSecondProcess(t *testing.T) {
	t.Parallel() // waits on its own file or address
	dir := t.TempDir()
	mustOpenBolt(t, dir, nil)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"=open-bolt", "CRASH_DIR="+dir)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	if !strings.Contains(string(out), ErrLocked.Error()) {
		t.Errorf("child got %q, want %q", out, ErrLocked)
	}
}

// TestRedisOutage: with the server down, calls fail with an error (not
// ErrNotFound, not a panic) within ctx; when it is back they work again.
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	srv := testredis.NewPrivate(t) // this test stops and starts it
	s := mustOpenRedis(t, srv.URL+"?max_retries=-1&dial_timeout=200ms", testredis.Prefix(t), nil)
	mustCreate(t, s, incoming(1, day0))
	srv.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := s.GetRequest(ctx, "LE-2026-0001"); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("get while down: got %v, want a backend error", err)
	}
	if _, _, err := s.CreateRequest(ctx, incoming(2, day0)); err == nil {
		t.Errorf("create while down: got nil, want an error")
	}
	srv.Start()
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("ping after restart: got %v, want nil", err)
	}
}
