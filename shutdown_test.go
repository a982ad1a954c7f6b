//go:build unix

package main

import (
	"context"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// asMain is set in the environment of a copy of this test binary that
// is to run lebot's main instead of the tests (see TestMain).
const asMain = "LEBOT_TEST_AS_MAIN"

// TestMain lets the test binary stand in for the lebot binary: started
// with LEBOT_TEST_AS_MAIN=1 it runs main with its arguments and exits as
// main does, so TestSIGTERMShutdown signals a process running lebot's own
// main without linking a second binary.
func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// lebotCommand is `lebot args...`: this test binary as lebot's main.
func lebotCommand(tb testing.TB, args ...string) *exec.Cmd {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	return exec.Command(exe, args...)
}

// TestSIGTERMShutdown runs lebot's main in a process of its own on real
// Redis, opens an SMTP
// session and stops half-way through DATA, sends SIGTERM, then finishes
// the message. The session must end with 250 (and the message stored) or
// a 4xx (the sender retries), never a 250 for a lost message; the process
// must exit 0 within 10s, and no job lock may be left in Redis.
func TestSIGTERMShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("runs lebot in a process of its own")
	}
	fake := fakeslack.New(t)
	redisURL := testredis.URL(t)
	prefix := testredis.PrefixCleanup(t, redisURL)
	env := testEnv(t, fake)
	delete(env, "DATA_DIR")
	env["REDIS_URL"], env["REDIS_KEY_PREFIX"] = redisURL, prefix
	env["REMINDER_SCHEDULE"] = "@every 1s" // jobs busy with their locks when the signal comes
	cmd := lebotCommand(t, "serve")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), asMain + "=1"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("lebot's log:\n%s", stderr.String())
		}
	})
	base := "http://127.0.0.1:" + env["PORT"]
	waitFor(t, "/readyz", func() bool { return httpStatus(base+"/readyz") == http.StatusOK })

	conn, err := net.Dial("tcp", env["SMTP_ADDR"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second)) // a hung server fails the test, not hangs it
	tp := textproto.NewConn(conn)
	step := func(line string, want int) {
		t.Helper()
		if line != "" {
			tp.PrintfLine("%s", line)
		}
		if code, msg, err := tp.ReadResponse(want); err != nil {
			t.Fatalf("%q: got %d %q (%v), want %d", line, code, msg, err, want)
		}
	}
	step("", 220)
	step("EHLO agency.example", 250)
	step("MAIL FROM:<dana.smith@fbi.gov>", 250)
	step("RCPT TO:<legal@example.com>", 250)
	step("DATA", 354)
	lines := strings.Split(strings.ReplaceAll(strings.TrimSuffix(testMail, "\r\n"), "%s", "sigterm-1@fbi.gov"), "\r\n")
	for _, l := range lines[:3] {
		tp.PrintfLine("%s", l)
	}

	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Finish the message once the server has stopped taking connections.
	waitFor(t, "the SMTP listener to close", func() bool {
		c, err := net.DialTimeout("tcp", env["SMTP_ADDR"], time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	for _, l := range lines[3:] {
		tp.PrintfLine("%s", l)
	}
	tp.PrintfLine(".")
	code, msg, _ := tp.ReadResponse(0)
	switch {
	case code == 250:
		t.Logf("message answered 250 after SIGTERM")
	case code >= 400 && code < 500:
		t.Logf("message answered %d %q: the sender retries", code, msg)
	default:
		t.Errorf("end of DATA during shutdown: got %d %q, want 250 or a 4xx", code, msg)
	}
	if code == 250 {
		tp.PrintfLine("MAIL FROM:<dana.smith@fbi.gov>")
		if next, msg, _ := tp.ReadResponse(0); next != 421 && next != 0 {
			t.Errorf("a new transaction during shutdown: got %d %q, want 421 or the connection closed", next, msg)
		}
	}

	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("lebot exited with %v, want status 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("lebot still running 15s after SIGTERM")
	}
	if took := time.Since(signalled); took > 10*time.Second {
		t.Errorf("exit took %v after SIGTERM, want under 10s", took)
	}
	if !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("no 'stopped' line in the log")
	}

	ctx := context.Background()
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opt)
	defer rc.Close()
	locks, err := rc.Keys(ctx, prefix+"lock:*").Result()
	if err != nil || len(locks) != 0 {
		t.Errorf("locks left in Redis: %v (%v), want none", locks, err)
	}
	st, err := store.OpenRedis(ctx, store.Config{RedisURL: redisURL, KeyPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reqs, err := st.ListByStatus(ctx, legal.StatusNew, 10)
	if err != nil {
		t.Fatal(err)
	}
	stored := 0
	for _, r := range reqs {
		if r.MessageID == "sigterm-1@fbi.gov" {
			stored++
		}
	}
	if code == 250 && stored != 1 {
		t.Errorf("answered 250 but the store holds the message %d times, want 1", stored)
	}
}
