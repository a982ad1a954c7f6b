package store

import (
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisConfig is a parsed REDIS_URL: exactly one of the options is set.
type redisConfig struct {
	mode     string // "single", "sentinel" or "cluster"
	single   *redis.Options
	failover *redis.FailoverOptions
	cluster  *redis.ClusterOptions
	// waitReplicas replicas must confirm a new request (WAIT) before
	// CreateRequest succeeds, within waitTimeout.
	waitReplicas int
	waitTimeout  time.Duration
}

// Defaults of wait_replicas (Sentinel: 1, others: 0) and wait_timeout.
const (
	sentinelWaitReplicas = 1
	defaultWaitTimeout   = time.Second
)

// CheckRedisURL reports whether raw is a REDIS_URL lebot can use (see
// newRedisClient for the forms), without connecting. Configuration
// validation calls it, so every form that opens also validates.
func CheckRedisURL(raw string) error {
	_, err := parseRedisURL(raw)
	return err
}

// newRedisClient builds a client from a REDIS_URL:
//
//	redis://[user:pass@]host:port[/db][?opts]   one server
//	rediss://...                                 the same over TLS
//	unix://[user:pass@]/path/redis.sock[?db=N]   a local socket
//	redis://[user:pass@]h1:p1,h2:p2/db?master=NAME   Sentinel: the hosts are
//	    sentinels; user:pass authenticates to them, and to the master too
//	    unless ?password= is given
//	redis://[user:pass@]h1:p1,h2:p2,...          Cluster (seed nodes); one
//	    seed with ?cluster=true
//
// wait_replicas=N (default 1 with Sentinel, else 0) makes CreateRequest
// and Claim wait until N replicas have the write (Redis WAIT, at most
// wait_timeout, default 1s) before they succeed. Replication is
// asynchronous: without it, a mail answered 250, or a claim (whose loss
// makes the next attempt send without first looking for the earlier
// send: a duplicate card) can be lost with the old master in a failover.
// While fewer replicas answer, those calls fail (the intake answers 451
// and senders retry; a create retried finds what the master stored).
//
// Other query options are go-redis's (dial_timeout=3s, pool_size=20, ...);
// unknown ones are an error. Without pool_size and min_idle_conns the
// pool is sized by poolDefaults.
func newRedisClient(raw string) (redis.UniversalClient, redisConfig, error) {
	rc, err := parseRedisURL(raw)
	if err != nil {
		return nil, rc, err
	}
	switch {
	case rc.failover != nil:
		return redis.NewFailoverClient(rc.failover), rc, nil
	case rc.cluster != nil:
		return redis.NewClusterClient(rc.cluster), rc, nil
	}
	return redis.NewClient(rc.single), rc, nil
}

// parseRedisURL reads a REDIS_URL into client options (no connection).
func parseRedisURL(raw string) (redisConfig, error) {
	u, hosts, err := splitHosts(raw)
	if err != nil {
		return redisConfig{}, err
	}
	q := u.Query()
	poolDefaults(q)
	master := q.Get("master")
	if master == "" {
		master = q.Get("master_name")
	}
	cluster := q.Get("cluster") == "true"
	wait, err := waitOptions(q, master != "")
	if err != nil {
		return redisConfig{}, err
	}
	for _, k := range []string{"master", "master_name", "cluster", "wait_replicas", "wait_timeout"} {
		q.Del(k)
	}
	u.Host = hosts[0]
	for _, h := range hosts[1:] {
		q.Add("addr", h)
	}
	switch {
	case master != "":
		q.Set("master_name", master)
		u.RawQuery = q.Encode()
		o, err := redis.ParseFailoverURL(u.String())
		if err != nil {
			return redisConfig{}, fmt.Errorf("REDIS_URL (sentinel): %w", err)
		}
		if o.Password == "" {
			o.Username, o.Password = o.SentinelUsername, o.SentinelPassword
		}
		wait.mode, wait.failover = "sentinel", o
		return wait, nil
	case len(hosts) > 1 || cluster:
		u.RawQuery = q.Encode()
		o, err := redis.ParseClusterURL(u.String())
		if err != nil {
			return redisConfig{}, fmt.Errorf("REDIS_URL (cluster): %w", err)
		}
		wait.mode, wait.cluster = "cluster", o
		return wait, nil
	}
	u.RawQuery = q.Encode()
	o, err := redis.ParseURL(u.String())
	if err != nil {
		return redisConfig{}, fmt.Errorf("REDIS_URL: %w", err)
	}
	wait.mode, wait.single = "single", o
	return wait, nil
}

// waitOptions reads wait_replicas and wait_timeout.
func waitOptions(q url.Values, sentinel bool) (redisConfig, error) {
	rc := redisConfig{waitTimeout: defaultWaitTimeout}
	if sentinel {
		rc.waitReplicas = sentinelWaitReplicas
	}
	if v := q.Get("wait_replicas"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 16 {
			return rc, fmt.Errorf("REDIS_URL: wait_replicas=%q: want a number of replicas, 0 to 16", v)
		}
		rc.waitReplicas = n
	}
	if v := q.Get("wait_timeout"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return rc, fmt.Errorf("REDIS_URL: wait_timeout=%q: want a duration such as 1s", v)
		}
		rc.waitTimeout = d
	}
	return rc, nil
}

// Pool sizing. Every Slack request in flight holds at most one connection
// at a time, and Slack retries anything slower than 3 s, so the pool must
// cover a burst of a team's commands and button clicks (50 at once in the
// benchmark) without queueing, plus the dispatcher and jobs. go-redis's
// default, 10 per CPU, is 20 on a 2-core machine; a few idle connections
// spare the first requests of a burst a dial.
const (
	minPoolSize  = 64
	minIdleConns = 4
)

// poolDefaults sets pool_size and min_idle_conns in q unless given.
func poolDefaults(q url.Values) {
	if q.Get("pool_size") == "" {
		q.Set("pool_size", strconv.Itoa(max(minPoolSize, 10*runtime.GOMAXPROCS(0))))
	}
	if q.Get("min_idle_conns") == "" {
		q.Set("min_idle_conns", strconv.Itoa(minIdleConns))
	}
}

// splitHosts parses raw, whose host part may list several comma-separated
// addresses (which url.Parse does not accept), and returns the URL and
// the addresses.
func splitHosts(raw string) (*url.URL, []string, error) {
	i := strings.Index(raw, "://")
	if i < 0 {
		return nil, nil, fmt.Errorf("REDIS_URL %q: want redis://, rediss:// or unix://", redact(raw))
	}
	rest := raw[i+3:]
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	authority := rest[:end]
	at := strings.LastIndex(authority, "@")
	hostPart := authority[at+1:]
	hosts := strings.Split(hostPart, ",")
	single := raw[:i+3] + authority[:at+1] + hosts[0] + rest[end:]
	u, err := url.Parse(single)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL %q: %v", redact(raw), err)
	}
	if u.Scheme == "unix" {
		return u, []string{u.Host}, nil
	}
	for _, h := range hosts {
		if h == "" {
			return nil, nil, fmt.Errorf("REDIS_URL %q: empty address", redact(raw))
		}
	}
	return u, hosts, nil
}

// redact hides a password in a URL for error messages and logs.
func redact(u string) string {
	if i, j := strings.Index(u, "://"), strings.LastIndex(u, "@"); i >= 0 && j > i {
		return u[:i+3] + "***" + u[j:]
	}
	return u
}
