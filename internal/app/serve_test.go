package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// syncBuffer is a bytes.Buffer safe for the server's log goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// testEnv is a serve environment on free ports with an embedded store in
// a temp dir and Slack at fake.
func testEnv(tb testing.TB, fake *fakeslack.Server) map[string]string {
	env := serveEnv()
	fake.AddChannel(env["LEGAL_CHANNEL"], fakeslack.Private)
	env["SLACK_API_URL"] = fake.URL()
	env["DATA_DIR"] = tb.TempDir()
	env["PORT"] = fmt.Sprint(freePort(tb))
	env["SMTP_ADDR"] = fmt.Sprintf("127.0.0.1:%d", freePort(tb))
	env["INBOUND_SECRET"] = "inbound-token"
	env["TIMEZONE"] = "UTC"
	return env
}

// testPoll is the outbox's poll in the tests' serve: items a delivery
// adds (a thread line after a card update, in order) go within it rather
// than the default 2 s.
const testPoll = 50 * time.Millisecond

// waitFor polls cond until it holds or a generous deadline passes; it
// waits for work to happen, it asserts nothing about speed.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func httpStatus(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

const testMail = "From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: legal@example.com\r\n" +
	"Subject: Grand jury subpoena\r\nDate: Mon, 02 Mar 2026 10:00:00 -0800\r\nMessage-ID: <%s>\r\n\r\n" +
	"Grand jury subpoena for subscriber information for (415) 555-0100.\r\n"

func TestServeEndToEnd(t *testing.T) {
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, envOf(env), Options{Log: &stderr, OutboxPoll: testPoll}) }()

	base := "http://127.0.0.1:" + env["PORT"]
	waitFor(t, "/healthz", func() bool { return httpStatus(base+"/healthz") == http.StatusOK })
	if got := httpStatus(base + "/readyz"); got != http.StatusOK {
		t.Errorf("/readyz: got %d, want 200", got)
	}

	c, err := smtp.Dial(env["SMTP_ADDR"])
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail("dana.smith@fbi.gov", []string{"legal@example.com"},
		strings.NewReader(fmt.Sprintf(testMail, "e2e-1@fbi.gov"))); err != nil {
		t.Fatalf("SMTP: %v", err)
	}
	c.Quit()
	waitFor(t, "the card in the legal channel", func() bool { return len(fake.TopLevel("C0LEGAL")) == 1 })

	req, _ := http.NewRequest("POST", base+"/inbound/email", strings.NewReader(fmt.Sprintf(testMail, "e2e-2@fbi.gov")))
	req.Header.Set("Authorization", "Bearer inbound-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /inbound/email: got %v %v, want 201", resp, err)
	}
	resp.Body.Close()
	waitFor(t, "the second card", func() bool { return len(fake.TopLevel("C0LEGAL")) == 2 })

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v, want nil after a clean shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
	if httpStatus(base+"/healthz") != 0 {
		t.Error("HTTP still answering after shutdown")
	}
	logs := stderr.String()
	for _, secret := range []string{"inbound-token", "xoxb-test", "555-0100", "Grand jury subpoena"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
	// The store was closed: a second serve can open the same file.
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { done <- Serve(ctx2, envOf(env), Options{Log: io.Discard, OutboxPoll: testPoll}) }()
	waitFor(t, "restart", func() bool { return httpStatus(base+"/readyz") == http.StatusOK })
	cancel2()
	if err := <-done; err != nil {
		t.Errorf("second serve: %v", err)
	}
}

func TestServeFailsFast(t *testing.T) {
	fake := fakeslack.New(t)
	fake.RejectToken("xoxb-revoked")
	tests := []struct {
		name string
		mod  func(map[string]string)
		want []string
	}{
		{"rejected token", func(e map[string]string) { e["SLACK_BOT_TOKEN"] = "xoxb-revoked" }, []string{"SLACK_BOT_TOKEN", "rejected"}},
		{"missing config", func(e map[string]string) { delete(e, "LEGAL_CHANNEL"); delete(e, "INTAKE_ADDRESSES") },
			[]string{"LEGAL_CHANNEL", "INTAKE_ADDRESSES"}},
		{"bad timezone", func(e map[string]string) { e["TIMEZONE"] = "Nowhere/Land" }, []string{"TIMEZONE"}},
		{"missing TLS key file", func(e map[string]string) { e["SMTP_TLS_CERT"], e["SMTP_TLS_KEY"] = "/nonexistent/c", "/nonexistent/k" },
			[]string{"SMTP_TLS_CERT"}},
		{"damaged store file", func(e map[string]string) {
			garbage := bytes.Repeat([]byte("not a bbolt file "), 4096)
			if err := os.WriteFile(filepath.Join(e["DATA_DIR"], "lebot.db"), garbage, 0o600); err != nil {
				t.Fatal(err)
			}
		}, []string{"lebot.db is damaged", "restore it from backup or move it aside"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := testEnv(t, fake)
			tt.mod(env)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := Serve(ctx, envOf(env), Options{Log: io.Discard, OutboxPoll: testPoll})
			if err == nil {
				t.Fatal("serve started, want a start-up error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
			if strings.Contains(err.Error(), "goroutine") ||
				tt.name == "damaged store file" && strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want a plain message, no trace", err)
			}
		})
	}
}

// envOf returns a getenv over m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// serveEnv is the smallest environment serve accepts.
func serveEnv() map[string]string {
	return map[string]string{
		"SLACK_BOT_TOKEN":      "xoxb-test",
		"SLACK_SIGNING_SECRET": "s3cret",
		"LEGAL_CHANNEL":        "C0LEGAL",
		"LEGAL_USERS":          "U0LEGAL1",
		"INTAKE_ADDRESSES":     "legal@example.com",
	}
}
