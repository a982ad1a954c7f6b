package jobs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// want is an expected message: where, when and a piece of its text.
type want struct {
	where string
	at    time.Time
	text  string
}

func check(t *testing.T, got []sent, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Errorf("got %d messages, want %d:", len(got), len(wants))
		for _, g := range got {
			t.Errorf("  got %v", g)
		}
		return
	}
	for i, w := range wants {
		g := got[i]
		if g.Where != w.where || !g.At.Equal(w.at) || !strings.Contains(g.Text, w.text) {
			t.Errorf("message %d: got %v, want %s %s %q", i, g, w.where, w.at.In(la).Format("Mon Jan 2 15:04"), w.text)
		}
	}
}

// TestDeadlineWalk walks a subpoena from receipt through overdue to its
// answer on the default 15-minute schedule, and a second, unassigned one
// alongside it, asserting every reminder once, in order.
func TestDeadlineWalk(t *testing.T) {
	t.Parallel() // a walk of weeks in 15-minute ticks, on its own store
	e := newEnv(t, "redis")
	e.digest = nil                     // reminders only: the digest and its chart are TestDigest*'s
	e.clock.Set(at(2026, 3, 2, 10, 0)) // Mon; due Mon Mar 16 17:00 PDT (10 business days)
	assigned := e.create(func(r *legal.Request) { r.Assignee = "U1" })
	unassigned := e.create(nil)
	if want := at(2026, 3, 16, 17, 0); !assigned.Due.Equal(want) {
		t.Fatalf("due: got %v, want %v", assigned.Due, want)
	}
	e.walk("*/15 * * * *", at(2026, 3, 18, 12, 0))
	e.update(assigned.ID, func(r *legal.Request) { r.Status, r.RespondedAt = legal.StatusResponded, e.clock.Now() })
	e.update(unassigned.ID, func(r *legal.Request) { r.Status = legal.StatusClosed })
	e.walk("*/15 * * * *", at(2026, 3, 20, 12, 0))

	thread := []want{
		{"thread", at(2026, 3, 11, 9, 0), "due in 3 business days, on Mon Mar 16, 2026 17:00 PDT"},
		{"thread", at(2026, 3, 13, 9, 0), "due in 1 business day"},
		{"thread", at(2026, 3, 16, 9, 0), "due *today* at 17:00 PDT"},
		{"thread", at(2026, 3, 16, 17, 0), "*overdue*: it was due Mon Mar 16, 2026 17:00 PDT."},
		{"thread", at(2026, 3, 17, 9, 0), "(1 business day ago)"},
		{"thread", at(2026, 3, 18, 9, 0), "(2 business days ago)"},
	}
	var wantAssigned []want
	wantAssigned = append(wantAssigned, thread...)
	for _, w := range thread {
		wantAssigned = append(wantAssigned, want{"dm:U1", w.at, "Reminder for a request assigned to you. "})
	}
	t.Run("assigned", func(t *testing.T) { check(t, e.reminders(assigned), wantAssigned) })

	// Unassigned: the same notes, raised in the channel from one business
	// day before the deadline, each asking someone to claim it.
	var wantUnassigned []want
	for i, w := range thread {
		if i > 0 {
			w.where = "thread+channel"
		}
		w.text = "claim it with `/legal claim " + unassigned.ID + "`"
		wantUnassigned = append(wantUnassigned, w)
	}
	t.Run("unassigned", func(t *testing.T) { check(t, e.reminders(unassigned), wantUnassigned) })
}

// TestCatchUp: reminders whose moments passed while no tick ran are sent
// at the next tick, once, and only the latest that applies.
func TestCatchUp(t *testing.T) {
	e := newEnv(t, "redis")
	e.clock.Set(at(2026, 3, 2, 10, 0))
	r := e.create(func(r *legal.Request) { r.Assignee = "U1" })
	steps := []struct {
		now  time.Time
		want string // text of the one new thread note, "" for none
	}{
		{at(2026, 3, 13, 11, 40), "due in 1 business day"}, // down since receipt: not the 3-day one too
		{at(2026, 3, 13, 11, 55), ""},
		{at(2026, 3, 13, 16, 0), ""},
		{at(2026, 3, 18, 8, 0), "(2 business days ago)"}, // down over the due day: Tuesday's overdue only, worded as of now
		{at(2026, 3, 18, 9, 0), ""},                      // it stands for Wednesday's: one overdue note a day
		{at(2026, 3, 18, 9, 15), ""},
		{at(2026, 3, 19, 9, 0), "(3 business days ago)"},
	}
	seen := 0
	for _, s := range steps {
		e.tick(s.now)
		var notes []sent
		for _, m := range e.reminders(r) {
			if m.Where == "thread" {
				notes = append(notes, m)
			}
		}
		switch {
		case s.want == "" && len(notes) != seen:
			t.Errorf("at %v: got %v, want no new note", s.now, notes[seen:])
		case s.want != "" && (len(notes) != seen+1 || !strings.Contains(notes[seen].Text, s.want)):
			t.Errorf("at %v: got %v, want one new note with %q", s.now, notes[seen:], s.want)
		}
		seen = len(notes)
	}
}

// TestClosedBeforeSend: a reminder enqueued for a request that is closed
// before the outbox sends it is dropped by the send handler.
func TestClosedBeforeSend(t *testing.T) {
	e := newEnv(t, "redis")
	e.clock.Set(at(2026, 3, 2, 10, 0))
	r := e.create(func(r *legal.Request) { r.Assignee = "U1" })
	e.clock.Set(at(2026, 3, 11, 9, 0))
	res, err := e.rem.Run(context.Background(), e.clock.Now(), false)
	if err != nil || res.Sent != 1 {
		t.Fatalf("run: got %d sent, %v, want 1", res.Sent, err)
	}
	e.update(r.ID, func(r *legal.Request) { r.Status = legal.StatusClosed })
	e.drain()
	if got := e.reminders(r); len(got) != 0 {
		t.Errorf("got %v, want nothing for a closed request", got)
	}
	if st, _ := e.store.OutboxStats(context.Background()); st.Depth != 0 || st.DeadLetter != 0 {
		t.Errorf("outbox: got %+v, want empty (dropped, not dead)", st)
	}
}
