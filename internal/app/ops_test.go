package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// startServe runs serve in-process on env until the test ends, and
// returns its HTTP base URL once /healthz answers.
func startServe(t *testing.T, env map[string]string, stderr io.Writer) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, envOf(env), Options{Log: stderr, OutboxPoll: testPoll}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	base := "http://127.0.0.1:" + env["PORT"]
	waitFor(t, "/healthz", func() bool { return httpStatus(base+"/healthz") == http.StatusOK })
	return base
}

// get fetches url and returns the status and body.
func get(tb testing.TB, url string) (int, string) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// sendMail delivers testMail with msgID to rcpt over SMTP.
func sendMail(tb testing.TB, addr, rcpt, msgID string) error {
	tb.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	return c.SendMail("dana.smith@fbi.gov", []string{rcpt}, strings.NewReader(fmt.Sprintf(testMail, msgID)))
}

// metricValue finds `name{labels} value` in a /metrics body; labels is
// the exact label text Prometheus writes, "" for none.
func metricValue(body, series string) string {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	return ""
}

// TestServeMetricsAndReadiness drives serve with real SMTP and HTTP and
// reads /metrics and /readyz as an operator would: counters move with the
// traffic, and readiness turns 503 once Slack refuses the token.
func TestServeMetricsAndReadiness(t *testing.T) {
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	base := startServe(t, env, io.Discard)
	if code, body := get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz: got %d %q, want 200", code, body)
	}

	if err := sendMail(t, env["SMTP_ADDR"], "legal@example.com", "metrics-1@fbi.gov"); err != nil {
		t.Fatalf("SMTP: %v", err)
	}
	var se *smtp.SMTPError
	if err := sendMail(t, env["SMTP_ADDR"], "ceo@example.com", "metrics-2@fbi.gov"); !errors.As(err, &se) || se.Code != 550 {
		t.Fatalf("foreign recipient: got %v, want 550", err)
	}
	waitFor(t, "the card", func() bool { return len(fake.TopLevel("C0LEGAL")) == 1 })
	fake.RateLimit("chat.postMessage", 1, time.Second)
	req, _ := http.NewRequest(http.MethodPost, base+"/inbound/email", strings.NewReader(fmt.Sprintf(testMail, "metrics-3@fbi.gov")))
	req.Header.Set("Authorization", "Bearer inbound-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitFor(t, "the second card, after a 429", func() bool { return len(fake.TopLevel("C0LEGAL")) == 2 })

	var body string
	waitFor(t, "the sends counted", func() bool {
		_, body = get(t, base+"/metrics")
		return metricValue(body, `lebot_sends_total{result="ok",target="slack"}`) != ""
	})
	tests := []struct{ series, want string }{
		{`lebot_requests_received_total{dkim="none",kind="subpoena",official="true",source="smtp"}`, "1"},
		{`lebot_requests_received_total{dkim="none",kind="subpoena",official="true",source="http"}`, "1"},
		{`lebot_smtp_refusals_total{code="550"}`, "1"},
		{`lebot_inbound_http_responses_total{code="201"}`, "1"},
		{`lebot_slack_ratelimited_total{method="chat.postMessage"}`, "1"},
		// Slack answered one 429 (above); while its Retry-After holds, the
		// pacer defers every send to the channel without calling Slack, so
		// one or more deliveries count as rate-limited.
		{`lebot_sends_total{result="ratelimited",target="slack"}`, ">=1"},
		{`lebot_outbox_up`, "1"},
		{`lebot_outbox_dead_letters`, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.series, func(t *testing.T) {
			got := metricValue(body, tt.series)
			if min, ok := strings.CutPrefix(tt.want, ">="); ok {
				n, err := strconv.Atoi(got)
				if m, _ := strconv.Atoi(min); err != nil || n < m {
					t.Errorf("got %q, want at least %s", got, min)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	for _, name := range []string{"lebot_outbox_depth", "lebot_outbox_oldest_age_seconds", "lebot_job_runs_total", "go_goroutines"} {
		if !strings.Contains(body, "\n"+name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}

	// The token is revoked: the next Slack call is refused, and readiness
	// says so without naming the token.
	fake.RejectToken(env["SLACK_BOT_TOKEN"])
	if err := sendMail(t, env["SMTP_ADDR"], "legal@example.com", "metrics-4@fbi.gov"); err != nil {
		t.Fatalf("SMTP while Slack refuses the token: %v (intake must not depend on Slack)", err)
	}
	var code int
	waitFor(t, "/readyz to turn 503", func() bool {
		code, body = get(t, base+"/readyz")
		return code == http.StatusServiceUnavailable
	})
	if !strings.Contains(body, "invalid_auth") || strings.Contains(body, env["SLACK_BOT_TOKEN"]) {
		t.Errorf("/readyz body %q: want the reason (invalid_auth), never the token", body)
	}
	if code := httpStatus(base + "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: got %d, want 200 (the process is alive)", code)
	}
}

// downStore is a store whose Ping fails.
type downStore struct{ store.Store }

func (downStore) Ping(context.Context) error {
	return errors.New("dial tcp 10.0.0.5:6379: i/o timeout")
}

type tokenStub struct {
	ok     bool
	reason string
}

func (s tokenStub) TokenState() (bool, string) { return s.ok, s.reason }

func TestReadyHandler(t *testing.T) {
	up, err := store.OpenBolt(store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	damaged := damagedBolt(t)
	tests := []struct {
		name  string
		st    store.Store
		slack tokenChecker
		code  int
		body  string
	}{
		{"ready", up, tokenStub{ok: true}, 200, "ready"},
		{"store down", downStore{up}, tokenStub{ok: true}, 503, "store does not answer"},
		{"store damaged", damaged, tokenStub{ok: true}, 503, "store data is damaged"},
		{"token not checked", up, tokenStub{reason: "slack token not checked yet"}, 503, "not checked"},
		{"token revoked", up, tokenStub{reason: "slack refused the bot token (token_revoked)"}, 503, "token_revoked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			readyHandler(tt.st, tt.slack).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if rec.Code != tt.code || !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("got %d %q, want %d with %q", rec.Code, rec.Body.String(), tt.code, tt.body)
			}
			if strings.Contains(rec.Body.String(), "10.0.0.5") {
				t.Errorf("body %q leaks the store's address", rec.Body.String())
			}
		})
	}
}

// damagedBolt is an embedded store whose file was overwritten after it
// opened: it still answers, but its data no longer reads.
func damagedBolt(t *testing.T) *store.Bolt {
	t.Helper()
	dir := t.TempDir()
	st, err := store.OpenBolt(store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, _, err = st.CreateRequest(context.Background(), store.Incoming{Raw: []byte("Subject: x\r\n\r\nx\r\n"),
		ReceivedAt: time.Now(), Request: legal.Request{Subject: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(st.Path(), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	if _, err := f.WriteAt(make([]byte, fi.Size()-8192), 8192); err != nil {
		t.Fatal(err)
	}
	return st
}

// logLine is one JSON log line.
type logLine map[string]any

// TestLogsCarryNoSecrets runs intake → card → claim with LOG_FORMAT=json
// and reads every line: each is JSON, the request's id appears as
// "request", and no part of the message, the sender's or target's
// identifiers, nor any token or secret appears anywhere.
func TestLogsCarryNoSecrets(t *testing.T) {
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	env["LOG_FORMAT"] = "json"
	env["SLACK_SIGNING_SECRET"] = "signing-s3cret-value"
	env["INBOUND_SECRET"] = "inbound-s3cret-value"
	var logs syncBuffer
	base := startServe(t, env, &logs)

	mail := "From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: legal@example.com\r\n" +
		"Subject: Grand jury subpoena re Jordan Q. Doe\r\nDate: Mon, 02 Mar 2026 10:00:00 -0800\r\n" +
		"Message-ID: <audit-1@fbi.gov>\r\n\r\n" +
		"Grand jury subpoena for subscriber information for (415) 555-0100 and jordan.doe@example.net,\r\n" +
		"account holder Jordan Q. Doe, IMEI 356938035643809.\r\n"
	req, _ := http.NewRequest(http.MethodPost, base+"/inbound/email", strings.NewReader(mail))
	req.Header.Set("Authorization", "Bearer "+env["INBOUND_SECRET"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || created.ID == "" {
		t.Fatalf("POST /inbound/email: got %d %+v, want 201 with an id", resp.StatusCode, created)
	}
	waitFor(t, "the card", func() bool { return len(fake.TopLevel("C0LEGAL")) == 1 })
	if code, rep := postSlash(t, base, env["SLACK_SIGNING_SECRET"], env["LEGAL_USERS"], "claim "+created.ID, nil); code != http.StatusOK ||
		!strings.Contains(rep.Text, "You have claimed") {
		t.Fatalf("/legal claim: got %d %q", code, rep.Text)
	}
	card := fake.TopLevel("C0LEGAL")[0]
	waitFor(t, "the card updated after the claim", func() bool {
		for _, c := range fake.Calls("chat.update") {
			if c.Params.Get("ts") == card.TS {
				return true
			}
		}
		return false
	})

	out := logs.String()
	forbidden := []string{
		"555-0100", "4155550100", "jordan.doe@example.net", "Jordan Q. Doe", "356938035643809",
		"dana.smith@fbi.gov", "Grand jury subpoena re", "subscriber information", "audit-1@fbi.gov",
		env["SLACK_BOT_TOKEN"], env["SLACK_SIGNING_SECRET"], env["INBOUND_SECRET"],
	}
	for _, f := range forbidden {
		if strings.Contains(out, f) {
			t.Errorf("logs contain %q", f)
		}
	}
	withID := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var l logLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		if l["request"] == created.ID {
			withID++
		}
		if strings.Contains(line, created.ID) && l["request"] != created.ID && !strings.Contains(fmt.Sprint(l["err"]), created.ID) {
			t.Errorf("line about %s without a request attribute: %s", created.ID, line)
		}
	}
	if withID == 0 {
		t.Errorf("no log line carries request=%s:\n%s", created.ID, out)
	}
}

// TestRedisLogsAreJSON: go-redis's own messages (a pool that cannot dial)
// come out as JSON lines through the process logger, not as plain text
// in the middle of LOG_FORMAT=json output.
func TestRedisLogsAreJSON(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	log := NewLogger("json", f)
	redisLogger{log}.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts: %v", 5, "connection refused")
	b, _ := os.ReadFile(f.Name())
	var line map[string]any
	if err := json.Unmarshal(b, &line); err != nil {
		t.Fatalf("got %q, want one JSON line: %v", b, err)
	}
	if line["msg"] != "redis client" || !strings.Contains(fmt.Sprint(line["detail"]), "failed to dial after 5 attempts") {
		t.Errorf("got %v", line)
	}
}
