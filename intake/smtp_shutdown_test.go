package intake

import (
	"context"
	"net"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/metrics"
)

// rawSMTP is a hand-driven SMTP client, to stop half-way through DATA.
type rawSMTP struct {
	tb testing.TB
	c  net.Conn
	tp *textproto.Conn
}

func dialRaw(tb testing.TB, addr string) *rawSMTP {
	tb.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	// A bound on every read: a hung server fails the test, it does not
	// hang it.
	c.SetDeadline(time.Now().Add(20 * time.Second))
	r := &rawSMTP{tb: tb, c: c, tp: textproto.NewConn(c)}
	r.expect(220)
	return r
}

// cmd sends line and reads the reply, returning its code (0 when the
// connection ended instead).
func (r *rawSMTP) cmd(line string) (int, string) {
	r.tb.Helper()
	if line != "" {
		if err := r.tp.PrintfLine("%s", line); err != nil {
			return 0, err.Error()
		}
	}
	code, msg, err := r.tp.ReadResponse(0)
	if err != nil && code == 0 {
		return 0, err.Error()
	}
	return code, msg
}

func (r *rawSMTP) expect(code int) {
	r.tb.Helper()
	if got, msg := r.cmd(""); got != code {
		r.tb.Fatalf("got %d %q, want %d", got, msg, code)
	}
}

func (r *rawSMTP) send(line string, code int) {
	r.tb.Helper()
	if got, msg := r.cmd(line); got != code {
		r.tb.Fatalf("%s: got %d %q, want %d", line, got, msg, code)
	}
}

// TestSMTPShutdownFinishesTransactions starts a shutdown while one
// session is half-way through DATA and another is idle: the idle one is
// answered 421 at once, the one in DATA finishes and gets its 250 with the
// message stored, then 421 too, and Shutdown returns.
func TestSMTPShutdownFinishesTransactions(t *testing.T) {
	acc := &fakeAccepter{}
	m := metrics.New()
	srv, err := NewSMTPServer(SMTPConfig{Accepter: acc, Addresses: []string{intakeAddr}, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := ln.Addr().String()

	busy := dialRaw(t, addr)
	busy.send("EHLO sender.example", 250)
	busy.send("MAIL FROM:<dana.smith@fbi.gov>", 250)
	busy.send("RCPT TO:<"+intakeAddr+">", 250)
	busy.send("DATA", 354)
	lines := strings.Split(strings.TrimSuffix(string(testMessage("shutdown-1@fbi.gov")), "\r\n"), "\r\n")
	half := len(lines) / 2
	for _, l := range lines[:half] {
		busy.tp.PrintfLine("%s", l)
	}
	idle := dialRaw(t, addr)
	idle.send("EHLO other.example", 250)

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(ctx) }()

	if code, msg := idle.cmd(""); code != 421 {
		t.Fatalf("idle session at shutdown: got %d %q, want 421", code, msg)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("a new connection was accepted after Shutdown began")
	}
	for _, l := range lines[half:] {
		busy.tp.PrintfLine("%s", l)
	}
	busy.send(".", 250)
	if acc.calls.Load() != 1 {
		t.Fatalf("stored %d times before the 250, want 1", acc.calls.Load())
	}
	if code, msg := busy.cmd("MAIL FROM:<dana.smith@fbi.gov>"); code != 421 {
		t.Errorf("MAIL after the transaction, during shutdown: got %d %q, want 421", code, msg)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if got := counter(t, m, "lebot_smtp_refusals_total", map[string]string{"code": "421"}); got > 1 {
		t.Errorf("421 refusals counted: got %v, want at most 1 (go-smtp answers the idle ones itself)", got)
	}
}

// TestSMTPShutdownDeadlineCutsStalledData: a sender that stops half-way
// through DATA is cut off when the shutdown deadline passes; nothing is
// stored and nothing was promised.
func TestSMTPShutdownDeadlineCutsStalledData(t *testing.T) {
	acc := &fakeAccepter{}
	srv, err := NewSMTPServer(SMTPConfig{Accepter: acc, Addresses: []string{intakeAddr}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	stalled := dialRaw(t, ln.Addr().String())
	stalled.send("EHLO sender.example", 250)
	stalled.send("MAIL FROM:<dana.smith@fbi.gov>", 250)
	stalled.send("RCPT TO:<"+intakeAddr+">", 250)
	stalled.send("DATA", 354)
	stalled.tp.PrintfLine("Subject: half a message")

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if code, msg := stalled.cmd(""); code == 250 {
		t.Errorf("stalled session: got %d %q, want the connection closed", code, msg)
	}
	if acc.calls.Load() != 0 {
		t.Errorf("a half message was stored %d times", acc.calls.Load())
	}
}
