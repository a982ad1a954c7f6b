package commands

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// threadTexts are the lines the outbox would post in cards' threads.
func (e *env) threadTexts(tb testing.TB, at time.Time) []string {
	tb.Helper()
	var out []string
	for _, it := range e.drainOutbox(tb, at) {
		if it.Kind != bot.KindThread {
			continue
		}
		var p bot.ThreadPayload
		if err := json.Unmarshal(it.Payload, &p); err != nil {
			tb.Fatal(err)
		}
		out = append(out, p.Text)
	}
	return out
}

// TestChecklistDecisionsReadAsTheChecklist: a decision reads in the
// checklist's own words in the reply, the thread and the history, never
// as item=outcome keys.
func TestChecklistDecisionsReadAsTheChecklist(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	e.drainOutbox(t, e.now.Add(time.Hour))
	reply := e.legal(t, member, "check "+req.ID+" time_period confirmed by phone")
	if want := "Specific time period: met — confirmed by phone"; !strings.Contains(reply, want) {
		t.Errorf("reply: got %q, want %q", reply, want)
	}
	thread := strings.Join(e.threadTexts(t, e.now.Add(time.Hour)), "\n")
	if want := "<@" + member + "> decided on the checklist: Specific time period: met — confirmed by phone."; !strings.Contains(thread, want) {
		t.Errorf("thread: got %q, want %q", thread, want)
	}
	e.legal(t, member, "uncheck "+req.ID+" time_period")
	thread = strings.Join(e.threadTexts(t, e.now.Add(time.Hour)), "\n")
	if want := "cleared the team's decision on “Specific time period”; lebot's automatic result: met."; !strings.Contains(thread, want) {
		t.Errorf("thread after uncheck: got %q, want %q", thread, want)
	}
	history := e.legal(t, member, "audit "+req.ID)
	for _, want := range []string{"decided on the checklist: Specific time period: met — confirmed by phone",
		"cleared the team's decision; lebot's automatic result: Specific time period: met"} {
		if !strings.Contains(history, want) {
			t.Errorf("history lacks %q:\n%s", want, history)
		}
	}
	for _, key := range []string{"time_period", "=passed"} {
		if strings.Contains(reply+thread+history, key) {
			t.Errorf("%q shown to people:\n%s\n%s\n%s", key, reply, thread, history)
		}
	}
}

// TestHistoryShowsNoMachineIDs: the audit trail names people by mention
// and shows no outbox item ids, DM channel ids or message timestamps, the
// card's date style, and leaves out entries that changed nothing.
func TestHistoryShowsNoMachineIDs(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	ctx := context.Background()
	for _, a := range []store.AuditEntry{
		{RequestID: req.ID, At: e.now, Actor: "lebot", Action: bot.AuditPageDM, After: member2,
			Note: "DM D0SECRETDM 1764770000.123456 (item 01JOUTBOXITEMID)"},
		{RequestID: req.ID, At: e.now, Actor: member, Action: "status", Before: "in_review", After: "in_review"},
		{RequestID: req.ID, At: e.now, Actor: member, Action: "status", Before: "new", After: "in_review"},
		{RequestID: req.ID, At: e.now, Actor: member, Action: "due", Before: "2026-03-13", After: "2026-03-20"},
		{RequestID: req.ID, At: e.now, Actor: "lebot", Action: bot.AuditPageEmail, After: member + "," + member2},
		{RequestID: req.ID, At: e.now, Actor: "lebot", Action: "page_unanswered", Note: "nobody acknowledged: alerted the channel with @here"},
		{RequestID: req.ID, At: e.now, Actor: "lebot", Action: "page", After: member + ",S0TEAM",
			Note: "step 1: paged level 1 of 2 (round 1 of 1)"},
	} {
		if err := e.st.AppendAudit(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	got := e.legal(t, member, "audit "+req.ID)
	for _, want := range []string{
		"(7 entries)", // creation + 6: the status set to what it was is left out
		"Mon Mar 2, 2026 10:00 PST · lebot paged <@" + member2 + "> by direct message",
		"<@" + member + "> changed the status: was New; now In review",
		"set the response deadline: was Fri Mar 13, 2026; now Fri Mar 20, 2026",
		"lebot e-mailed the page to <@" + member + ">, <@" + member2 + ">",
		"lebot paged <@" + member + ">, <!subteam^S0TEAM>, level 1 of 2 (round 1 of 1)",
		"lebot: nobody acknowledged: alerted the channel with @here",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("history lacks %q:\n%s", want, got)
		}
	}
	for _, leak := range []string{"D0SECRETDM", "1764770000", "01JOUTBOXITEMID", "in_review", "2026-03-13", "page_dm"} {
		if strings.Contains(got, leak) {
			t.Errorf("history shows %q:\n%s", leak, got)
		}
	}
}

// TestDefaultDeadlineIsMarked: a deadline lebot computed is marked as its
// default in the list and on the card; one the agency stated is not.
func TestDefaultDeadlineIsMarked(t *testing.T) {
	e := newEnv(t)
	computed := e.create(t, subpoenaFacts())
	f := subpoenaFacts()
	f.Deadline = &legal.Date{Year: 2026, Month: 3, Day: 20}
	stated := e.create(t, f)
	list := e.legal(t, member, "list")
	for _, l := range strings.Split(list, "\n") {
		switch {
		case strings.Contains(l, computed.ID) && !strings.Contains(l, "(default: none stated)"):
			t.Errorf("computed deadline not marked: %q", l)
		case strings.Contains(l, stated.ID) && strings.Contains(l, "default"):
			t.Errorf("stated deadline marked as default: %q", l)
		}
	}
	card := e.legal(t, member, "show "+computed.ID)
	if want := "— " + legal.DefaultDueNote; !strings.Contains(card, want) {
		t.Errorf("card: want %q in\n%s", want, card)
	}
	if card := e.legal(t, member, "show "+stated.ID); strings.Contains(card, legal.DefaultDueNote) {
		t.Errorf("stated deadline's card says default:\n%s", card)
	}
}

// TestImpossibleDateSaysWhy: a date that does not exist is named as such,
// with the month's length.
func TestImpossibleDateSaysWhy(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	got := e.legal(t, member, "due "+req.ID+" 2026-02-30")
	if want := "2026-02-30 is not a date (February has 28 days in 2026)."; !strings.Contains(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestEarlierPreservationIsSaidInTheThread: re-recording a preservation
// that ends earlier tells the team's thread what it was and what it is.
func TestEarlierPreservationIsSaidInTheThread(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.Kinds = []legal.Kind{legal.KindPreservation}
	req := e.create(t, f) // preserved from receipt, Mon Mar 2, 2026
	e.drainOutbox(t, e.now.Add(time.Hour))
	e.legal(t, member, "preserve "+req.ID+" from 2026-02-15")
	thread := strings.Join(e.threadTexts(t, e.now.Add(time.Hour)), "\n")
	for _, want := range []string{"re-recorded the preservation from Sun Feb 15, 2026: was until Sun May 31, 2026; now until Sat May 16, 2026.",
		"ends *earlier*"} {
		if !strings.Contains(thread, want) {
			t.Errorf("thread: got %q, want %q", thread, want)
		}
	}
}

// TestHistoryOfAnAcknowledgedEmergency: the acknowledgement reads once,
// without the stored note repeating it.
func TestHistoryOfAnAcknowledgedEmergency(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.Kinds, f.Exigent = []legal.Kind{legal.KindEmergency}, true
	req := e.create(t, f)
	e.legal(t, member, "ack "+req.ID)
	got := e.legal(t, member, "audit "+req.ID)
	if want := "<@" + member + "> acknowledged the emergency; paging stopped\n"; !strings.Contains(got, want) {
		t.Errorf("history: got %q, want %q", got, want)
	}
	if strings.Contains(got, "escalation stopped") {
		t.Errorf("history repeats the stored note: %q", got)
	}
}

// TestNonRequestInTheList: the list line of a message judged not to be a
// request says so.
func TestNonRequestInTheList(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, legal.Facts{NotRequest: "an automatic reply", SenderDomain: "fbi.gov", SenderOfficial: true})
	got := e.legal(t, member, "list")
	if want := "`" + req.ID + "` Unclassified · New · ℹ️ probably not a request (an automatic reply)"; !strings.Contains(got, want) {
		t.Errorf("list: got %q, want %q", got, want)
	}
	if card := e.legal(t, member, "show "+req.ID); !strings.Contains(card, "Probably not a request: an automatic reply") {
		t.Errorf("show: got %q", card)
	}
}
