package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestJobsRunReminderAndDigest runs `lebot jobs run` for reminders, the
// digest and escalations against an embedded store and fake Slack, as of
// given instants: --dry-run reports and sends nothing, a real run sends
// once, and running it again sends nothing more.
func TestJobsRunReminderAndDigest(t *testing.T) {
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	env["DIGEST_CHANNEL"] = "C0DIGEST"
	fake.AddChannel("C0DIGEST", fakeslack.Public)
	received := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // TIMEZONE=UTC: due Mon Mar 16 17:00
	st, err := store.Open(context.Background(), store.Config{DataDir: env["DATA_DIR"]})
	if err != nil {
		t.Fatal(err)
	}
	cal := legal.NewCalendar(time.UTC)
	facts := legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}}
	req, _, err := st.CreateRequest(context.Background(), store.Incoming{Raw: []byte("Subject: x\r\n\r\nx\r\n"),
		ReceivedAt: received, Request: legal.Request{Facts: facts, Due: legal.DueFor(facts, received, cal), Assignee: "U0ONE"},
		Outbox: []store.OutboxItem{bot.CardItem("")}})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	run1 := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"jobs", "run"}, args...), envOf(env), &out, io.Discard); err != nil {
			t.Fatalf("jobs run %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	// One run posts the card, then the original into its thread.
	run1("outbox", "--at", received.Add(time.Minute).Format(time.RFC3339))
	threeDays := "2026-03-11T09:05:00Z"
	chart := filepath.Join(t.TempDir(), "digest.png")
	steps := []struct {
		name    string
		args    []string
		wantOut []string
		// messages in the card's thread and the digest channel afterwards
		wantThread, wantDigest int
	}{
		{"reminders dry run", []string{"reminders", "--at", threeDays, "--dry-run"},
			[]string{"would send: " + req.ID + ": reminder 3 business days before the deadline, Wed Mar 11, 2026 09:00 UTC", "to the card's thread, a DM to the assignee", "1 message(s) would send", "dry run: nothing sent",
				"in the card's thread:\n    │ ⏰ *" + req.ID + "*", "DM to U0ONE:"}, 0, 0},
		{"reminders", []string{"reminders", "--at", threeDays},
			[]string{"enqueued: " + req.ID + ": reminder 3 business days before the deadline", "outbox: delivered 2 item(s)"}, 1, 0},
		{"reminders again", []string{"reminders", "--at", threeDays}, []string{"0 message(s) enqueued"}, 1, 0},
		{"digest dry run", []string{"digest", "--at", threeDays, "--dry-run", "--chart", chart},
			[]string{"would send: digest of Wed Mar 11, 2026 08:00 UTC to channel C0DIGEST (1 open, 0 overdue, 1 due soon)",
				"│ Legal digest — Wed Mar 11, 2026", "│ 📅 Due in the next 3 business days (1)", "chart: wrote " + chart}, 1, 0},
		{"digest", []string{"digest", "--at", threeDays}, []string{"enqueued: digest of", "outbox: delivered 2 item(s)"}, 1, 2},
		{"digest again", []string{"digest", "--at", threeDays}, []string{"0 message(s) enqueued"}, 1, 2},
		{"escalations dry run", []string{"escalations", "--dry-run"}, []string{"escalations: 0 due"}, 1, 2},
	}
	for _, s := range steps {
		out := run1(s.args...)
		for _, w := range s.wantOut {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", s.name, w, out)
			}
		}
		cards := fake.TopLevel("C0LEGAL")
		if len(cards) != 1 {
			t.Fatalf("%s: got %d top-level messages in the legal channel, want the card only", s.name, len(cards))
		}
		var notes int
		for _, m := range fake.Replies("C0LEGAL", cards[0].TS) {
			if strings.Contains(m.Text, "business day") {
				notes++
			}
		}
		if notes != s.wantThread {
			t.Errorf("%s: got %d reminders in the thread, want %d", s.name, notes, s.wantThread)
		}
		if slices.Contains(s.args, "--chart") {
			if b, err := os.ReadFile(chart); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
				t.Errorf("%s: --chart wrote no PNG (%v)", s.name, err)
			}
		}
		if got := len(fake.TopLevel("C0DIGEST")); got != s.wantDigest {
			t.Errorf("%s: got %d messages in the digest channel, want %d (digest and chart)", s.name, got, s.wantDigest)
		}
	}
}

// TestJobsRunOutboxSendsAllDue: one `lebot jobs run outbox` sends every
// item due, not just the dispatcher's first batch (10), and the items
// those deliveries make due (each card's original, into its thread).
func TestJobsRunOutboxSendsAllDue(t *testing.T) {
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	received := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	st, err := store.Open(context.Background(), store.Config{DataDir: env["DATA_DIR"]})
	if err != nil {
		t.Fatal(err)
	}
	cal := legal.NewCalendar(time.UTC)
	facts := legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}}
	const n = 25
	for i := range n {
		_, _, err := st.CreateRequest(context.Background(), store.Incoming{
			Raw: []byte("Subject: x\r\n\r\nx\r\n"), MessageID: fmt.Sprintf("<all-%d@fbi.gov>", i), ReceivedAt: received,
			Request: legal.Request{Facts: facts, Due: legal.DueFor(facts, received, cal)},
			Outbox:  []store.OutboxItem{bot.CardItem("")}})
		if err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	var out bytes.Buffer
	at := received.Add(time.Minute).Format(time.RFC3339)
	if err := run(context.Background(), []string{"jobs", "run", "outbox", "--at", at}, envOf(env), &out, io.Discard); err != nil {
		t.Fatalf("jobs run outbox: %v\n%s", err, out.String())
	}
	cards := fake.TopLevel("C0LEGAL")
	if len(cards) != n {
		t.Fatalf("got %d cards after one run, want %d (%s)", len(cards), n, out.String())
	}
	for _, c := range cards {
		if len(fake.Replies("C0LEGAL", c.TS)) == 0 {
			t.Errorf("card %s: nothing in its thread, want the original", c.TS)
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"jobs", "run", "outbox", "--dry-run"}, envOf(env), &out, io.Discard); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if !strings.Contains(out.String(), "outbox: 0 waiting") {
		t.Errorf("after one run: got %q, want 0 waiting", out.String())
	}
}
