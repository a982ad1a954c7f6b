package jobs

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
)

// digests returns the digest messages and chart files in the digest channel.
func digests(e *env) (msgs []fakeslack.Message, files []fakeslack.File) {
	for _, m := range e.slack.TopLevel(digestChannel) {
		if len(m.Files) > 0 {
			files = append(files, m.Files...)
			continue
		}
		msgs = append(msgs, m)
	}
	return msgs, files
}

// TestDigestQuietDay: a day with nothing to report still gets a digest
// that says so in a short message (no empty sections, no chart of
// nothing), once; a new deployment's first tick posts nothing (the moment
// before lebot ran is not "missed"), and its first digest says it is the
// first rather than "since the last digest".
func TestDigestQuietDay(t *testing.T) {
	e := newEnv(t, "redis")
	e.tick(at(2026, 3, 2, 7, 45)) // first tick ever: Friday's 08:00 is not caught up
	if msgs, _ := digests(e); len(msgs) != 0 {
		t.Fatalf("first tick: got %d digests, want 0", len(msgs))
	}
	e.walk("*/15 * * * *", at(2026, 3, 2, 9, 0))
	msgs, files := digests(e)
	if len(msgs) != 1 || len(files) != 0 {
		t.Fatalf("got %d digests and %d charts, want 1 and 0", len(msgs), len(files))
	}
	if got := tsTime(msgs[0].TS); !got.Equal(at(2026, 3, 2, 8, 0)) {
		t.Errorf("digest posted at %v, want 08:00", got.In(la))
	}
	for _, text := range []string{string(msgs[0].Blocks), msgs[0].Text} {
		for _, w := range []string{"Legal digest — Mon Mar 2, 2026", "A quiet day", "lebot has no requests yet.",
			"lebot's first digest: arrivals are counted from Fri Feb 27, 2026 08:00 PST"} {
			if !strings.Contains(text, w) {
				t.Errorf("digest lacks %q:\n%s", w, text)
			}
		}
		for _, w := range []string{"none", "Overdue", "Since the last digest", "by status", "chart"} {
			if strings.Contains(text, w) {
				t.Errorf("a quiet digest says %q:\n%s", w, text)
			}
		}
	}
	e.tick(at(2026, 3, 3, 8, 0))
	msgs, _ = digests(e)
	if len(msgs) != 2 || !strings.Contains(msgs[1].Text, "Since the last digest (Mon Mar 2, 2026 08:00 PST)") {
		t.Fatalf("second digest: got %d, want one since Monday's:\n%v", len(msgs), msgs)
	}
}

// TestDigestContents: a busy day's digest lists what needs attention and
// computes the median time to respond over the last 30 days.
func TestDigestContents(t *testing.T) {
	e := newEnv(t, "redis")
	e.tick(at(2026, 2, 2, 7, 0)) // installed
	e.clock.Set(at(2026, 2, 9, 10, 0))
	overdue := e.create(func(r *legal.Request) { r.Assignee = "U1" }) // due Tue Feb 24 17:00 (Presidents Day)
	for i, days := range []int{2, 4, 6} {                             // answered after 2, 4 and 6 days
		e.clock.Set(at(2026, 2, 10+i, 10, 0))
		r := e.create(nil)
		e.update(r.ID, func(r *legal.Request) {
			r.Status, r.RespondedAt = legal.StatusResponded, r.ReceivedAt.AddDate(0, 0, days)
		})
	}
	e.tick(at(2026, 2, 25, 8, 0)) // the last digest before the one checked
	e.clock.Set(at(2026, 2, 25, 12, 0))
	soon := e.create(func(r *legal.Request) { r.Due = at(2026, 2, 27, 17, 0) })
	emergency := e.create(func(r *legal.Request) {
		r.Facts.Kinds, r.Facts.Exigent = []legal.Kind{legal.KindEmergency}, true
		r.Due = e.clock.Now() // an emergency is due on receipt
	})
	acked := e.create(func(r *legal.Request) {
		r.Facts.Kinds, r.Facts.Exigent = []legal.Kind{legal.KindEmergency}, true
		r.Due, r.AckedBy = e.clock.Now(), "U2"
	})
	pres := e.create(func(r *legal.Request) {
		r.Facts.Kinds = []legal.Kind{legal.KindPreservation}
		r.Preservation = &legal.Preservation{Start: date(2025, 12, 8), Expires: date(2026, 3, 8)}
	})
	ndo := e.create(func(r *legal.Request) { r.NDO.SetUntil(date(2026, 3, 20)) })
	e.tick(at(2026, 2, 26, 8, 0))
	msgs, files := digests(e)
	if len(msgs) != 2 || len(files) != 2 {
		t.Fatalf("got %d digests and %d charts, want 2 of each (Feb 25 and 26)", len(msgs), len(files))
	}
	img, err := png.Decode(bytes.NewReader(files[1].Content))
	if err != nil || img.Bounds().Dx() < 300 {
		t.Errorf("chart: got %v, %v, want a PNG at least 300 px wide", img, err)
	}
	if files[1].Name != "lebot-digest-2026-02-26-0800.png" {
		t.Errorf("chart name: got %q", files[1].Name)
	}
	blocks := string(msgs[1].Blocks)
	for _, w := range []string{
		"Open emergencies* (2)\\n• *",
		emergency.ID + "* Emergency disclosure · New · _unassigned_ · received Wed Feb 25, 2026 12:00 PST · 🚨 not acknowledged",
		acked.ID + "* Emergency disclosure · New · _unassigned_ · received Wed Feb 25, 2026 12:00 PST · acknowledged by \\u003c@U2\\u003e", // JSON's escape of <@U2>
		"Overdue* (1)\\n• *" + overdue.ID + "* Subpoena · New · \\u003c@U1\\u003e · was due Tue Feb 24, 2026 17:00 PST",
		"Due in the next 3 business days* (1)\\n• *" + soon.ID,
		"Received since the last digest* (5)",
		"Preservations ending within 14 days* (1)\\n• *" + pres.ID,
		"Non-disclosure orders ending within 30 days* (1)", ndo.ID,
		"Median time to respond (last 30 days):* 4 days, over 3 requests",
		"Responded: *3*", "New: *6*",
		"*6 open* · *1 overdue* · 2 open emergencies · 1 due in the next 3 business days · 5 received since the last digest",
		"@U1",
	} {
		if !strings.Contains(blocks, w) {
			t.Errorf("digest lacks %q:\n%s", w, blocks)
		}
	}
	if strings.Contains(blocks, "A quiet day") {
		t.Error("a busy digest says it is quiet")
	}
	if overdueList := blocks[strings.Index(blocks, "Overdue*"):strings.Index(blocks, "Due in the next")]; strings.Contains(overdueList, emergency.ID) ||
		strings.Contains(overdueList, acked.ID) {
		t.Errorf("an emergency is listed as overdue:\n%s", overdueList)
	}
}

// TestDigestCatchUp: a digest missed while lebot was down goes out at the
// next tick, once, and only the latest one; it lists what arrived since
// the last digest actually sent, not since the moment before its own.
func TestDigestCatchUp(t *testing.T) {
	e := newEnv(t, "redis")
	e.tick(at(2026, 3, 2, 7, 0)) // installed: Friday's 08:00 counts as sent
	e.clock.Set(at(2026, 3, 2, 10, 0))
	monday := e.create(nil)       // arrives Monday, before the outage's missed digests
	e.tick(at(2026, 3, 4, 13, 0)) // down through Mon, Tue and Wed 08:00
	e.tick(at(2026, 3, 4, 13, 15))
	e.tick(at(2026, 3, 5, 8, 0))
	msgs, _ := digests(e)
	var titles []string
	for _, m := range msgs {
		titles = append(titles, m.Text[:strings.Index(m.Text, "\n")])
	}
	want := []string{"Legal digest — Wed Mar 4, 2026", "Legal digest — Thu Mar 5, 2026"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", titles, want)
	}
	for i, w := range []struct {
		since    string
		received int
	}{{"lebot's first digest: arrivals are counted from Fri Feb 27, 2026 08:00 PST", 1}, {"Since the last digest (Wed Mar 4, 2026 08:00 PST)", 0}} {
		text := msgs[i].Text
		if !strings.Contains(text, w.since) {
			t.Errorf("%s: lacks %q:\n%s", titles[i], w.since, text)
		}
		if got := strings.Contains(text, monday.ID); got != (w.received == 1) {
			t.Errorf("%s: lists %s: got %v, want %v", titles[i], monday.ID, got, w.received == 1)
		}
	}
}

// TestDigestDryRun: a dry run reports the digest and sends nothing.
func TestDigestDryRun(t *testing.T) {
	e := newEnv(t, "redis")
	res, err := e.digest.Run(context.Background(), at(2026, 3, 2, 8, 5), true)
	if err != nil || len(res.Planned) != 1 || res.Sent != 0 {
		t.Fatalf("got %+v, %v, want one planned, none sent", res, err)
	}
	if st, _ := e.store.OutboxStats(context.Background()); st.Depth != 0 {
		t.Errorf("outbox depth %d after a dry run, want 0", st.Depth)
	}
	if !strings.Contains(res.Planned[0].Summary, "digest of Mon Mar 2, 2026 08:00 PST to channel "+digestChannel) {
		t.Errorf("summary: got %q", res.Planned[0].Summary)
	}
	_ = time.Second
}
