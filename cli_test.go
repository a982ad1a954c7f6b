package main

import (
	"bytes"
	"context"
	"errors"
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
	"github.com/lebot-dev/lebot/internal/testcorpus"
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

func TestCommands(t *testing.T) {
	corpus, ok := testcorpus.Path()
	eml := filepath.Join(corpus, "01-gj-subpoena-subscriber-pdf.eml")
	if !ok {
		eml = ""
	}
	tests := []struct {
		name      string
		args      []string
		usage     bool     // want a usage error (exit 2)
		wantErr   string   // other error containing this
		wantOut   []string // stdout contains
		needsFile bool
	}{
		{"version", []string{"version"}, false, "", []string{"lebot "}, false},
		{"help", []string{"help"}, false, "", []string{"lebot triage"}, false},
		{"config", []string{"config"}, false, "", []string{"SMTP_MAX_BYTES", "26214400"}, false},
		{"unknown command", []string{"frobnicate"}, true, "", nil, false},
		{"serve with arguments", []string{"serve", "now"}, true, "", nil, false},
		{"triage without files", []string{"triage"}, true, "", nil, false},
		{"triage bad flag", []string{"triage", "--jsn", "x.eml"}, true, "", nil, false},
		{"triage missing file", []string{"triage", "/nonexistent.eml"}, false, "could not be triaged", nil, false},
		{"eval without dir", []string{"eval"}, true, "", nil, false},
		{"jobs without run", []string{"jobs"}, true, "", nil, false},
		{"jobs unknown", []string{"jobs", "run", "laundry"}, true, "", nil, false},
		{"jobs bad --at", []string{"jobs", "run", "outbox", "--at", "tomorrow"}, true, "", nil, false},
		{"jobs digest needs a channel", []string{"jobs", "run", "digest"}, false, "needs DIGEST_CHANNEL or LEGAL_CHANNEL", nil, false},
		{"triage json", []string{"triage", "--json", "--dns", filepath.Join(corpus, "dns.json"), eml}, false, "",
			[]string{`"kinds":`, `"dkim":{"result":`, `"file":`, `"records":["subscriber",`, `"evidence":{`, `"period":{"quote":`}, true},
		{"triage text", []string{"triage", eml}, false, "", []string{"kinds:", "sender:", "records:     subscriber information",
			"read from the attached PDF 26-GJ-0417 Voxline Subpoena.pdf:"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needsFile && eml == "" {
				testcorpus.Dir(t) // skips, or fails under LEBOT_REQUIRE_CORPUS=1
			}
			var out bytes.Buffer
			err := run(context.Background(), tt.args, envOf(nil), &out, io.Discard)
			switch {
			case tt.usage:
				if !errors.Is(err, errUsage) || exitCode(err) != 2 {
					t.Errorf("got %v, want a usage error (exit 2)", err)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || exitCode(err) != 1 {
					t.Errorf("got %v, want an error containing %q (exit 1)", err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("got %v, want success", err)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestJobsRunOutbox(t *testing.T) {
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	dir := t.TempDir()
	path := filepath.Join(dir, "m.eml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(testMail, "jobs-1@fbi.gov")), 0o600); err != nil {
		t.Fatal(err)
	}
	// Take a message in through serve with Slack down, so its card waits
	// in the outbox; then drain it from the CLI.
	fake.Inject("chat.postMessage", 1000, fakeslack.Fault{Status: 503})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, envOf(env), io.Discard, io.Discard) }()
	waitFor(t, "serve", func() bool { return httpStatus("http://127.0.0.1:"+env["PORT"]+"/readyz") == 200 })
	c, err := smtp.Dial(env["SMTP_ADDR"])
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if err := c.SendMail("x@fbi.gov", []string{"legal@example.com"}, bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(fake.TopLevel("C0LEGAL")); n != 0 {
		t.Fatalf("got %d cards while Slack was down, want 0", n)
	}
	// Slack is back: the CLI talks to a healthy one.
	healthy := fakeslack.New(t)
	healthy.AddChannel("C0LEGAL", fakeslack.Private)
	env["SLACK_API_URL"] = healthy.URL()

	var out bytes.Buffer
	if err := run(context.Background(), []string{"jobs", "run", "outbox", "--dry-run"}, envOf(env), &out, io.Discard); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if !strings.Contains(out.String(), "1 waiting") {
		t.Errorf("dry run: got %q, want 1 waiting", out.String())
	}
	at := time.Now().Add(24 * time.Hour).Format(time.RFC3339) // past any backoff
	out.Reset()
	if err := run(context.Background(), []string{"jobs", "run", "outbox", "--at", at}, envOf(env), &out, io.Discard); err != nil {
		t.Fatalf("jobs run outbox: %v", err)
	}
	if n := len(healthy.TopLevel("C0LEGAL")); n != 1 {
		t.Errorf("got %d cards after the drain, want 1 (%s)", n, out.String())
	}
}
