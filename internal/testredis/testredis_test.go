package testredis

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func mustClient(tb testing.TB, url string) *redis.Client {
	tb.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("parse %s: %v", url, err)
	}
	opt.MaxRetries = -1
	c := redis.NewClient(opt)
	tb.Cleanup(func() { c.Close() })
	return c
}

func TestServerAnswers(t *testing.T) {
	s := NewServer(t)
	c := mustClient(t, s.URL)
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("ping %s (%s): %v", s.Kind, s.URL, err)
	}
}

func TestStopStart(t *testing.T) {
	t.Setenv("REDIS_URL", "") // own the server
	s := NewServer(t)
	c := mustClient(t, s.URL)
	ctx := context.Background()
	s.Stop()
	ctx1, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := c.Ping(ctx1).Err(); err == nil {
		t.Fatalf("got ping ok after Stop, want an error")
	}
	s.Start()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("ping after Start: got %v, want nil", err)
	}
}

func TestPrefix(t *testing.T) {
	a, b := Prefix(t), Prefix(t)
	if a == b {
		t.Errorf("got the same prefix twice (%q), want unique prefixes", a)
	}
	if !strings.HasSuffix(a, ":") || !strings.Contains(a, "TestPrefix") {
		t.Errorf("got prefix %q, want it to name the test and end in ':'", a)
	}
}

func TestPrefixCleanup(t *testing.T) {
	url := URL(t)
	c := mustClient(t, url)
	ctx := context.Background()
	var p string
	t.Run("inner", func(t *testing.T) {
		p = PrefixCleanup(t, url)
		if err := c.Set(ctx, "{"+p+"}x", "1", 0).Err(); err != nil {
			t.Fatal(err)
		}
	})
	if n, err := c.Exists(ctx, "{"+p+"}x").Result(); err != nil || n != 0 {
		t.Errorf("got exists=%d err=%v after cleanup, want 0, nil", n, err)
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no password", "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"},
		{"password", "redis://:secret@h:6379/0", "redis://***@h:6379/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactURL(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPersistentKeepsWritesAcrossKill(t *testing.T) {
	s := NewPersistent(t)
	c := mustClient(t, s.URL)
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	s.Start()
	if got, err := c.Get(ctx, "k").Result(); err != nil || got != "v" {
		t.Fatalf("after kill and restart: got %q, %v; want \"v\"", got, err)
	}
}
