package commands

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/testredis"
)

// BenchmarkBaselineSlashVerifyGet is the floor under BenchmarkCommands:
// a bare HTTP handler that reads the body, checks the Slack signature
// and timestamp, reads one Redis key (a stored request's JSON, about the
// size /legal show reads) and answers it, driven exactly as the
// slash-command benchmark is (same client, body, concurrency).
func BenchmarkBaselineSlashVerifyGet(b *testing.B) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, la)
	url := testredis.URL(b)
	opt, err := redis.ParseURL(url)
	if err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	b.Cleanup(func() { rdb.Close() })
	key := testredis.PrefixCleanup(b, url) + "baseline:request"
	value := mustRequestJSON(b)
	if err := rdb.Set(context.Background(), key, value, 0).Err(); err != nil {
		b.Fatal(err)
	}
	var served atomic.Pointer[func(time.Duration)]
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		bareVerifyGet(w, r, rdb, key, now)
		if f := served.Load(); f != nil {
			(*f)(time.Since(start))
		}
	}))
	b.Cleanup(ts.Close)
	var seq atomic.Int64
	body := func() string {
		return fmt.Sprintf("command=%%2Flegal&text=show+1&user_id=U0LEGAL1&channel_id=C0LEGAL&trigger_id=base-%d", seq.Add(1))
	}
	driveSlash(b, &served, func() (int, []byte) { return postSigned(b, ts.URL+"/slack/commands", body(), now) })
}

// bareVerifyGet is the baseline handler.
func bareVerifyGet(w http.ResponseWriter, r *http.Request, rdb *redis.Client, key string, now time.Time) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	ts := r.Header.Get("X-Slack-Request-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)).Abs() > bot.MaxSkew {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	if !hmac.Equal([]byte(r.Header.Get("X-Slack-Signature")), []byte("v0="+hex.EncodeToString(mac.Sum(nil)))) {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	val, err := rdb.Get(r.Context(), key).Result()
	if err != nil {
		http.Error(w, "store", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"response_type": "ephemeral", "text": val})
}

// postSigned posts body signed as Slack signs it at now, as env.post does.
func postSigned(tb testing.TB, url, body string, now time.Time) (int, []byte) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	bot.SignRequest(req, secret, []byte(body), now)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// mustRequestJSON is a stored request as JSON: the value the baseline reads.
func mustRequestJSON(tb testing.TB) []byte {
	tb.Helper()
	e := newEnv(tb)
	r := e.create(tb, subpoenaFacts())
	v, err := json.Marshal(r)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// TestBaselineHandler checks the baseline refuses a bad signature, so it
// does the work it stands for.
func TestBaselineHandler(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, la)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bareVerifyGet(w, r, nil, "", now)
	}))
	defer ts.Close()
	req, _ := http.NewRequest(http.MethodPost, ts.URL, strings.NewReader("text=x"))
	bot.SignRequest(req, "another-secret", []byte("text=x"), now)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad signature: got %d, want 401", resp.StatusCode)
	}
}
