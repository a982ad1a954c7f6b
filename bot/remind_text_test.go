package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// TestDueText: what a deadline reminder says at each point before and
// after the deadline, including a deadline the sender set on a weekend.
func TestDueText(t *testing.T) {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	cal := legal.NewCalendar(loc)
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, loc) }
	tests := []struct {
		name  string
		due   time.Time
		now   time.Time
		stage string
		want  string
	}{
		{"three business days ahead, across Thanksgiving", at(11, 30, 17), at(11, 24, 9), "due-3",
			"due in 3 business days, on Mon Nov 30, 2026 17:00 PST"},
		{"due today", at(11, 30, 17), at(11, 30, 9), "due-0", "due *today* at 17:00 PST"},
		{"deadline on a Sunday, reminded on the Friday", at(11, 29, 17), at(11, 27, 9), "due-0",
			"due Sun Nov 29, 2026 17:00 PST, which is not a business day: *today* is the last business day before it"},
		{"overdue by two business days", at(11, 30, 17), at(12, 2, 9), "overdue", "*overdue*: it was due Mon Nov 30, 2026 17:00 PST (2 business days ago)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &legal.Request{ID: "LE-2026-0007", Status: legal.StatusNew, Due: tt.due,
				Facts: legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}}}
			got := dueText(req, tt.stage, tt.now, cal)
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

// TestDueTextMarksTheDefault: a reminder of lebot's computed deadline says
// it is the default; one of a deadline the agency stated does not.
func TestDueTextMarksTheDefault(t *testing.T) {
	cal := legal.NewCalendar(time.UTC)
	now, due := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)
	computed := &legal.Request{ID: "LE-2026-0007", Status: legal.StatusNew, Due: due,
		Facts: legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}}}
	if got := dueText(computed, "due-3", now, cal); !strings.Contains(got, "default deadline: no deadline stated in the request") {
		t.Errorf("computed: got %q, want it marked as lebot's default", got)
	}
	stated := *computed
	stated.Facts.Deadline = &legal.Date{Year: 2026, Month: 11, Day: 30}
	if got := dueText(&stated, "due-3", now, cal); strings.Contains(got, "default") {
		t.Errorf("stated: got %q, want no default mark", got)
	}
	set := *computed
	set.DueSetBy = "U0LEGAL1"
	if got := dueText(&set, "due-3", now, cal); strings.Contains(got, "default") {
		t.Errorf("set by the team: got %q, want no default mark", got)
	}
}

// TestDueTextEmergency: an emergency is due the moment it arrives, so its
// reminder says it is not yet answered and who acknowledged it, never
// "overdue since" its arrival.
func TestDueTextEmergency(t *testing.T) {
	cal := legal.NewCalendar(time.UTC)
	received := time.Date(2026, 12, 3, 9, 53, 0, 0, time.UTC)
	req := &legal.Request{ID: "LE-2026-0004", Status: legal.StatusNew, ReceivedAt: received, Due: received,
		Facts: legal.Facts{Kinds: []legal.Kind{legal.KindEmergency}, Exigent: true}, AckedBy: "U0DEMO"}
	got := dueText(req, "overdue", received.Add(24*time.Hour), cal)
	for _, want := range []string{"not yet answered: received Thu Dec 3, 2026 09:53 UTC, acknowledged by <@U0DEMO>", "/legal status LE-2026-0004 responded"} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to contain %q", got, want)
		}
	}
	if strings.Contains(got, "overdue") || strings.Contains(got, "was due") {
		t.Errorf("got %q: an emergency is not overdue since its arrival", got)
	}
	req.AckedBy = ""
	if got := dueText(req, "overdue", received.Add(24*time.Hour), cal); !strings.Contains(got, "*not acknowledged*") {
		t.Errorf("unacknowledged: got %q", got)
	}
}
