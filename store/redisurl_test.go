package store

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestNewRedisClient(t *testing.T) {
	tests := []struct {
		name, url, mode string
		check           func(t *testing.T, c redis.UniversalClient)
		errHas          string
	}{
		{name: "single", url: "redis://:pw@127.0.0.1:6380/2", mode: "single", check: func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.Client).Options()
			if o.Addr != "127.0.0.1:6380" || o.DB != 2 || o.Password != "pw" || o.TLSConfig != nil {
				t.Errorf("got addr %s db %d pw %q tls %v", o.Addr, o.DB, o.Password, o.TLSConfig != nil)
			}
		}},
		{name: "tls", url: "rediss://redis.internal:6379/0", mode: "single", check: func(t *testing.T, c redis.UniversalClient) {
			if o := c.(*redis.Client).Options(); o.TLSConfig == nil || o.TLSConfig.ServerName != "redis.internal" {
				t.Errorf("got TLS config %+v, want one for redis.internal", o.TLSConfig)
			}
		}},
		{name: "unix socket", url: "unix:///run/redis.sock?db=3", mode: "single", check: func(t *testing.T, c redis.UniversalClient) {
			if o := c.(*redis.Client).Options(); o.Network != "unix" || o.Addr != "/run/redis.sock" || o.DB != 3 {
				t.Errorf("got %s %s db %d, want unix /run/redis.sock db 3", o.Network, o.Addr, o.DB)
			}
		}},
		{name: "options", url: "redis://h:6379/0?dial_timeout=3s&pool_size=7", mode: "single", check: func(t *testing.T, c redis.UniversalClient) {
			if o := c.(*redis.Client).Options(); o.PoolSize != 7 || o.DialTimeout.Seconds() != 3 {
				t.Errorf("got pool %d dial %v", o.PoolSize, o.DialTimeout)
			}
		}},
		{name: "pool sized by default", url: "redis://h:6379/0", mode: "single", check: func(t *testing.T, c redis.UniversalClient) {
			if o := c.(*redis.Client).Options(); o.PoolSize < minPoolSize || o.MinIdleConns != minIdleConns {
				t.Errorf("got pool %d idle %d, want at least %d and %d", o.PoolSize, o.MinIdleConns, minPoolSize, minIdleConns)
			}
		}},
		{name: "cluster pool sized by default", url: "redis://n1:7000,n2:7000", mode: "cluster", check: func(t *testing.T, c redis.UniversalClient) {
			if o := c.(*redis.ClusterClient).Options(); o.PoolSize < minPoolSize {
				t.Errorf("got pool %d, want at least %d", o.PoolSize, minPoolSize)
			}
		}},
		{name: "sentinel", url: "redis://:pw@s1:26379,s2:26379,s3:26379/1?master=mymaster", mode: "sentinel"},
		{name: "cluster", url: "redis://n1:7000,n2:7000,n3:7000", mode: "cluster", check: func(t *testing.T, c redis.UniversalClient) {
			if o := c.(*redis.ClusterClient).Options(); len(o.Addrs) != 3 || o.Addrs[2] != "n3:7000" {
				t.Errorf("got addrs %v, want n1..n3", o.Addrs)
			}
		}},
		{name: "cluster with one seed", url: "redis://n1:7000?cluster=true", mode: "cluster"},
		{name: "no scheme", url: "localhost:6379", errHas: "want redis://"},
		{name: "bad scheme", url: "http://h:6379", errHas: "scheme"},
		{name: "unknown option", url: "redis://h:6379?nope=1", errHas: "nope"},
		{name: "empty address", url: "redis://a:1,,b:2", errHas: "empty address"},
		{name: "password not in errors", url: "redis://:secret@h:6379?nope=1", errHas: "REDIS_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rc, err := newRedisClient(tt.url)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) || strings.Contains(err.Error(), "secret") {
					t.Fatalf("got %v, want an error mentioning %q (and no password)", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want nil", err)
			}
			defer c.Close()
			if rc.mode != tt.mode {
				t.Errorf("got mode %s, want %s", rc.mode, tt.mode)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

// TestRedisURLWait: Sentinel waits for one replica by default, the other
// forms for none; wait_replicas and wait_timeout change that, and are not
// passed on to go-redis (which refuses options it does not know).
func TestRedisURLWait(t *testing.T) {
	tests := []struct {
		url     string
		n       int
		timeout time.Duration
		errHas  string
	}{
		{"redis://h:6379/0", 0, time.Second, ""},
		{"redis://n1:7000,n2:7000,n3:7000", 0, time.Second, ""},
		{"redis://s1:26379,s2:26379/0?master=m", 1, time.Second, ""},
		{"redis://s1:26379,s2:26379/0?master=m&wait_replicas=0", 0, time.Second, ""},
		{"redis://n1:7000,n2:7000?wait_replicas=2&wait_timeout=250ms", 2, 250 * time.Millisecond, ""},
		{"redis://h:6379/0?wait_replicas=many", 0, 0, "wait_replicas"},
		{"redis://h:6379/0?wait_timeout=-1s", 0, 0, "wait_timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			rc, err := parseRedisURL(tt.url)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("got %v, want an error about %s", err, tt.errHas)
				}
				return
			}
			if err != nil || rc.waitReplicas != tt.n || rc.waitTimeout != tt.timeout {
				t.Errorf("got %d replicas within %v (%v), want %d within %v", rc.waitReplicas, rc.waitTimeout, err, tt.n, tt.timeout)
			}
		})
	}
}
