package intake

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/legal"
)

// rawAccepter records the messages it is given.
type rawAccepter struct {
	mu  sync.Mutex
	raw [][]byte
}

func (a *rawAccepter) Accept(ctx context.Context, raw []byte, source string, rcpt []string) (*legal.Request, bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.raw = append(a.raw, bytes.Clone(raw))
	return &legal.Request{ID: fmt.Sprintf("LE-2026-%04d", len(a.raw))}, true, nil
}

func (a *rawAccepter) messages() [][]byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.raw
}

// longLineMessage is a message whose body is one line of n characters,
// as HTML mailers that do not wrap send.
func longLineMessage(n int) []byte {
	line := strings.Repeat("<td>Subscriber records</td>", n/27+1)[:n]
	return []byte("From: dana.smith@fbi.gov\r\nTo: legal@example.com\r\nSubject: wide\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n\r\n" + line + "\r\n")
}

// TestSMTPLongLines: a line longer than RFC 5321's 1000 octets is taken
// whole; only a message over the size cap is refused, and as that.
func TestSMTPLongLines(t *testing.T) {
	acc := &rawAccepter{}
	addr := mustSMTP(t, acc, func(c *SMTPConfig) { c.MaxBytes = 1 << 20 })
	for _, n := range []int{5000, 200_000} {
		t.Run(fmt.Sprintf("%d characters", n), func(t *testing.T) {
			raw := longLineMessage(n)
			if err := send(t, addr, []string{intakeAddr}, raw); err != nil {
				t.Fatalf("got %v, want 250", err)
			}
			got := acc.messages()
			if last := got[len(got)-1]; !bytes.Equal(last, raw) {
				t.Errorf("stored %d bytes, want the %d sent unchanged", len(last), len(raw))
			}
		})
	}
	t.Run("a line longer than the size cap", func(t *testing.T) {
		// Refused for the message's size. (A line beyond MaxLineLength,
		// 64 KiB more, ends the connection: go-smtp stops reading.)
		wantReply(t, send(t, addr, []string{intakeAddr}, longLineMessage(1<<20+16<<10)), 552, smtp.EnhancedCode{5, 3, 4})
		if err := send(t, addr, []string{intakeAddr}, testMessage("after-long@x")); err != nil {
			t.Errorf("next delivery: got %v, want 250", err)
		}
	})
}

// dialGreeting connects and returns the first reply line.
func dialGreeting(tb testing.TB, addr string) (net.Conn, string) {
	tb.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	line, _ := bufio.NewReader(c).ReadString('\n')
	return c, line
}

// TestSMTPMaxSessions: the connection beyond the cap hears 421 instead
// of the greeting and is closed; a freed slot takes the next one.
func TestSMTPMaxSessions(t *testing.T) {
	m := metrics.New()
	addr := mustSMTP(t, &fakeAccepter{}, func(c *SMTPConfig) { c.MaxSessions = 3; c.Metrics = m })
	var held []net.Conn
	for i := range 3 {
		c, greet := dialGreeting(t, addr)
		if !strings.HasPrefix(greet, "220 ") {
			t.Fatalf("session %d: got %q, want the 220 greeting", i+1, greet)
		}
		held = append(held, c)
	}
	c, reply := dialGreeting(t, addr)
	if !strings.HasPrefix(reply, "421 4.4.5 ") {
		t.Fatalf("session 4 of 3: got %q, want 421 4.4.5", reply)
	}
	if n, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("after the 421: read %d bytes (%v), want the connection closed", n, err)
	}
	if got := counter(t, m, "lebot_smtp_refusals_total", map[string]string{"code": "421"}); got != 1 {
		t.Errorf("421 refusals counted: got %v, want 1", got)
	}
	held[0].Close()
	// The server sees the close when its read returns; until then the
	// slot is still taken.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, greet := dialGreeting(t, addr)
		if strings.HasPrefix(greet, "220 ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a session ended: got %q, want a 220 greeting", greet)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// TestSMTPSizeFlood: 100 sessions that declare SIZE=26214400, start DATA
// and send one byte hold a few bytes each, not what they claimed, and a
// normal message sent meanwhile is stored (issue 11's bound: < 400 MB;
// the claims add up to 2.5 GB).
func TestSMTPSizeFlood(t *testing.T) {
	acc := &rawAccepter{}
	addr := mustSMTP(t, acc, nil) // the defaults: 25 MiB, 200 sessions
	before := heapInUse()
	const floods = 100
	for i := range floods {
		r := dialRaw(t, addr)
		r.send("EHLO flood.example", 250)
		r.send("MAIL FROM:<x@flood.example> SIZE=26214400", 250)
		r.send("RCPT TO:<"+intakeAddr+">", 250)
		r.send("DATA", 354)
		if _, err := r.c.Write([]byte("X")); err != nil {
			t.Fatalf("flood session %d: %v", i, err)
		}
	}
	// A normal sender is served while all of them hang in DATA; its
	// session also gives the flood's goroutines time to reach their read.
	raw := testMessage("normal-during-flood@fbi.gov")
	if err := send(t, addr, []string{intakeAddr}, raw); err != nil {
		t.Fatalf("normal mail during the flood: got %v, want 250", err)
	}
	grown := int64(heapInUse()) - int64(before)
	t.Logf("heap grown by %d KiB with %d SIZE-flood sessions in DATA", grown>>10, floods)
	if grown > 400<<20 {
		t.Errorf("heap grew by %d MiB, want < 400 MiB", grown>>20)
	}
	if got := acc.messages(); len(got) != 1 || !bytes.Equal(got[0], raw) {
		t.Errorf("stored %d messages, want only the normal one", len(got))
	}
}

// TestSMTPIdleSessionsCut: a session silent in DATA is answered 421 and
// closed after ReadTimeout, storing nothing; when more than half the
// slots are taken, idle sessions get only BusyReadTimeout.
func TestSMTPIdleSessionsCut(t *testing.T) {
	t.Run("silent in DATA", func(t *testing.T) {
		acc := &fakeAccepter{}
		srv, addr := mustSMTPServer(t, acc, func(c *SMTPConfig) { c.ReadTimeout = 300 * time.Millisecond })
		r := dialRaw(t, addr)
		r.send("EHLO slow.example", 250)
		r.send("MAIL FROM:<x@slow.example>", 250)
		r.send("RCPT TO:<"+intakeAddr+">", 250)
		r.send("DATA", 354)
		r.c.Write([]byte("Subject: one line, then nothing\r\n"))
		if code, msg := r.cmd(""); code != 421 {
			t.Fatalf("got %d %q, want 421", code, msg)
		}
		if n, err := r.c.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("after the 421: read %d bytes (%v), want the connection closed", n, err)
		}
		if acc.calls.Load() != 0 {
			t.Errorf("a half message was stored %d times", acc.calls.Load())
		}
		waitOpen(t, srv, 0)
	})
	t.Run("busy", func(t *testing.T) {
		srv, addr := mustSMTPServer(t, &fakeAccepter{}, func(c *SMTPConfig) {
			c.MaxSessions, c.BusyReadTimeout = 4, 200*time.Millisecond
		})
		idle := dialRaw(t, addr)
		idle.send("EHLO idle.example", 250)
		start := time.Now()
		// Two more sessions: three of four slots taken.
		dialRaw(t, addr).send("EHLO b.example", 250)
		dialRaw(t, addr).send("EHLO c.example", 250)
		if code, msg := idle.cmd("NOOP"); code != 250 {
			t.Fatalf("NOOP: got %d %q", code, msg)
		}
		// The default ReadTimeout is 2 minutes; the liveness bound of
		// dialRaw (20 s) fails the test long before it.
		if code, msg := idle.cmd(""); code != 421 {
			t.Fatalf("idle while busy: got %d %q, want 421", code, msg)
		}
		t.Logf("idle session cut after %v while busy", time.Since(start).Round(time.Millisecond))
		waitOpen(t, srv, 0)
	})
}

// waitOpen waits until the server counts n open connections.
func waitOpen(tb testing.TB, srv *SMTPServer, n int64) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for srv.open.Load() != n {
		if time.Now().After(deadline) {
			tb.Fatalf("open connections: got %d, want %d", srv.open.Load(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
