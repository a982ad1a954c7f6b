package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// samples are the sample requests `lebot demo` embeds.
const samples = "../../testdata/demo"

// syncBuffer is a bytes.Buffer safe for the demo's goroutines.
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

// envOf returns a getenv over m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// demoBlock is one thing the demo printed: a title line and the lines
// indented beneath it.
type demoBlock struct {
	title string
	body  []string
}

func (b demoBlock) String() string { return b.title + "\n  " + strings.Join(b.body, "\n  ") }

// demoBlocks splits the demo's output into blocks.
func demoBlocks(out string) []demoBlock {
	var bs []demoBlock
	for _, l := range strings.Split(out, "\n") {
		if body, ok := strings.CutPrefix(l, "  │ "); ok && len(bs) > 0 {
			bs[len(bs)-1].body = append(bs[len(bs)-1].body, body)
			continue
		}
		bs = append(bs, demoBlock{title: l})
	}
	return bs
}

// findBlock returns the blocks whose title matches title and whose body
// has a line matching each of lines.
func findBlocks(out string, title string, lines ...string) []demoBlock {
	var found []demoBlock
	tre := regexp.MustCompile(title)
next:
	for _, b := range demoBlocks(out) {
		if !tre.MatchString(b.title) {
			continue
		}
		for _, l := range lines {
			re := regexp.MustCompile(l)
			if !containsMatch(b.body, re) {
				continue next
			}
		}
		found = append(found, b)
	}
	return found
}

func containsMatch(lines []string, re *regexp.Regexp) bool {
	for _, l := range lines {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}

// TestDemo runs the demo as a newcomer would, with a scripted stdin: the
// samples arrive over SMTP and show as cards, the emergency pages the
// demo user, /legal list, show and claim answer through the signed HTTP
// endpoint, the claim updates the card, "remind" shows tomorrow's
// reminders, and EOF ends the demo cleanly.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole bot")
	}
	stdin, feed := io.Pipe()
	var out, stderr syncBuffer
	done := make(chan error, 1)
	port, err := loopbackPort()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		done <- Run(context.Background(), Options{Samples: samples, Port: port}, envOf(map[string]string{"TIMEZONE": "America/Los_Angeles"}),
			stdin, &out, &stderr)
	}()
	send := func(line string) {
		t.Helper()
		if _, err := io.WriteString(feed, line+"\n"); err != nil {
			t.Fatalf("demo stopped reading stdin: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), stderr.String())
		}
	}
	waitOut := func(what, title string, lines ...string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for len(findBlocks(out.String(), title, lines...)) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("gave up waiting for %s; stdout:\n%s\nstderr:\n%s", what, out.String(), stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitOut("the cards of the five samples", `^■ new card in #legal:$`, `LE-\d{4}-0005 · `)
	waitOut("the emergency's page DM", `^✉ direct message to @U0DEMO:$`, `EMERGENCY LE-\d{4}-0004: YOU ARE ON CALL`)
	assertLoopbackOnly(t, port)
	send("/legal checklist 1")
	waitOut("the checklist window", `^▭ modal opened for you:$`, `\[x\] Specific time period`)
	send("/legal list")
	send("/legal show 1")
	send("/legal claim 1")
	waitOut("the claimed card's update", `^✎ card .*LE-\d{4}-0001`, `^Assignee: @U0DEMO$`)
	send("remind")
	waitOut("tomorrow's reminder DM", `^✉ direct message to @U0DEMO:$`, `^Reminder for a request assigned to you\. .*LE-\d{4}-0001`)
	feed.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo: %v\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop after EOF")
	}
	got := out.String()

	if n := len(findBlocks(got, `^■ new card in #legal:$`)); n != 5 {
		t.Errorf("got %d cards, want 5 (one per sample)", n)
	}
	checks := []struct {
		name, title string
		lines       []string
	}{
		{"emergency card", `^■ new card in #legal:$`, []string{`LE-\d{4}-0004 · EMERGENCY DISCLOSURE$`, `^\[Acknowledge\] \[Claim\] \[Checklist\]`}},
		{"subpoena card", `^■ new card in #legal:$`, []string{`LE-\d{4}-0001 · SUBPOENA$`, `^Agency: fbi\.gov`, `^Assignee: unassigned$`}},
		{"list reply", `^← lebot replied to /legal list \(only you see this\):$`, []string{`LE-\d{4}-0001`, `LE-\d{4}-0005`}},
		{"show reply", `^← lebot replied to /legal show 1 \(only you see this\):$`, []string{`LE-\d{4}-0001 · SUBPOENA$`, `^Kind: Subpoena$`}},
		{"claim reply", `^← lebot replied to /legal claim 1 `, []string{`You have claimed LE-\d{4}-0001`}},
		{"claim note in thread", `^↳ in the thread of .*LE-\d{4}-0001 · SUBPOENA:$`, []string{`@U0DEMO claimed this request`}},
		{"reminder in thread", `^↳ in the thread of .*LE-\d{4}-0001 · SUBPOENA:$`, []string{`LE-\d{4}-0001 \(Subpoena\): the response is due`}},
	}
	for _, c := range checks {
		if len(findBlocks(got, c.title, c.lines...)) == 0 {
			t.Errorf("%s: no block titled %q with lines %q in:\n%s", c.name, c.title, c.lines, got)
		}
	}
	if !strings.HasSuffix(got, "bye.\n") {
		t.Errorf("output does not end with bye.: %q", got[max(0, len(got)-200):])
	}
	if strings.Contains(got, "✗") {
		t.Errorf("the demo reported a failure:\n%s", got)
	}
}

// assertLoopbackOnly checks the demo's HTTP port answers on 127.0.0.1,
// as its banner says, and not on this machine's other addresses.
func assertLoopbackOnly(t *testing.T, port int) {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.To4() == nil {
			continue
		}
		addr := net.JoinHostPort(ipn.IP.String(), strconv.Itoa(port))
		if c, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
			c.Close()
			t.Errorf("the demo answers on %s; want 127.0.0.1 only", addr)
		}
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 2*time.Second)
	if err != nil {
		t.Fatalf("the demo does not answer on 127.0.0.1:%d: %v", port, err)
	}
	c.Close()
}

// TestDemoNoSamplesQuit checks --no-samples mails nothing and "quit"
// stops the demo.
func TestDemoNoSamplesQuit(t *testing.T) {
	var out syncBuffer
	err := Run(context.Background(), Options{NoSamples: true}, envOf(nil),
		strings.NewReader("quit\n/legal list\n"), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.Contains(got, "mailed") || strings.Contains(got, "new card") {
		t.Errorf("--no-samples mailed samples:\n%s", got)
	}
	if strings.Contains(got, "replied to /legal list") {
		t.Errorf("a command after quit was run:\n%s", got)
	}
}

func TestRemindAt(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 22, 30, 0, 0, la) // Thanksgiving, late evening
	tests := []struct {
		when, want string
	}{
		{"", "2026-11-27T09:00:00-08:00"},
		{"+0d", "2026-11-26T09:00:00-08:00"},
		{"+4d", "2026-11-30T09:00:00-08:00"},
		{"2027-03-15", "2027-03-15T09:00:00-07:00"},
		{"2026-12-01T14:00:00Z", "2026-12-01T14:00:00Z"},
		{"tomorrow", ""},
		{"+xd", ""},
		{"-1d", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.when), func(t *testing.T) {
			got, err := remindAt(tt.when, now, la)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("got %v, want an error", got)
				}
				return
			}
			if err != nil || got.Format(time.RFC3339) != tt.want {
				t.Fatalf("got %v, %v; want %s", got.Format(time.RFC3339), err, tt.want)
			}
		})
	}
}
