package commands

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// drain takes what the outbox holds, as a dispatcher delivering it
// would, and returns it; each call sees only what was enqueued since the
// last.
func (e *env) drain(tb testing.TB) []store.OutboxItem {
	tb.Helper()
	return e.drainOutbox(tb, e.now.Add(1000*time.Hour))
}

// threads returns the thread lines among items.
func threads(tb testing.TB, items []store.OutboxItem) []bot.ThreadPayload {
	tb.Helper()
	var out []bot.ThreadPayload
	for _, it := range items {
		if it.Kind != bot.KindThread {
			continue
		}
		var p bot.ThreadPayload
		if err := json.Unmarshal(it.Payload, &p); err != nil {
			tb.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestSetPeriod is the first "done when": a request that stated
// no period fails the time-period item until `/legal set ID period …`;
// then the card shows the period and no failed item, and the thread and
// audit say who changed it from what to what. An outsider's set changes
// nothing.
func TestSetPeriod(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.Period = nil
	req := e.create(t, f)
	mustContain(t, "card before", e.legal(t, member, "show "+req.ID), "❌ Specific time period")
	e.drain(t)

	mustContain(t, "outsider", e.legal(t, outsider, "set "+req.ID+" period 2026-01-01..2026-03-31"), "only for the legal team")
	mustContain(t, "bad date", e.legal(t, member, "set "+req.ID+" period 2026-02-30..2026-03-31"), "2026-02-30 is not a date")
	mustContain(t, "end first", e.legal(t, member, "set "+req.ID+" period 2026-03-31..2026-01-01"), "The end is before the start")
	mustContain(t, "no value", e.legal(t, member, "set "+req.ID+" period"), "Give a value for the period")
	mustContain(t, "no field", e.legal(t, member, "set "+req.ID), "Usage: `/legal set ID FIELD VALUE`")
	if got := e.get(t, req.ID); got.Version != req.Version || got.Facts.Period != nil {
		t.Fatalf("after refusals: version %d (was %d), period %v", got.Version, req.Version, got.Facts.Period)
	}
	if items := e.drain(t); len(items) != 0 {
		t.Fatalf("refusals enqueued %d items", len(items))
	}

	got := e.legal(t, member, "set "+shortID(req.ID)+" period 2026-01-01..2026-03-31")
	mustContain(t, "reply", got, "Corrected on "+req.ID+": the period Jan 1 – Mar 31, 2026.")

	r := e.get(t, req.ID)
	if r.Facts.Period == nil || r.Facts.Period.Start.String() != "2026-01-01" || r.Facts.Period.End.String() != "2026-03-31" {
		t.Fatalf("period: got %v", r.Facts.Period)
	}
	if m := legal.Missing(r.Checklist()); len(m) != 0 {
		t.Fatalf("missing after the correction: %v", m)
	}
	if c := r.Corrections[legal.FieldPeriod]; c.By != member || !c.At.Equal(e.now) {
		t.Fatalf("correction: got %+v", r.Corrections)
	}
	a := e.audit(t, req.ID)
	if last := a[len(a)-1]; last.Action != "correct" || last.Actor != member || last.Before != "period: none" ||
		last.After != "period: Jan 1 – Mar 31, 2026" {
		t.Fatalf("audit: got %+v", last)
	}
	items := e.drain(t)
	th := threads(t, items)
	if len(th) != 1 || th[0].Text != "✏️ <@"+member+"> corrected the period: none → Jan 1 – Mar 31, 2026." || th[0].Broadcast {
		t.Fatalf("thread: got %+v", th)
	}
	card := false
	for _, it := range items {
		card = card || it.Kind == bot.KindCardUpdate
	}
	if !card {
		t.Fatal("no card update enqueued")
	}
	show := e.legal(t, member, "show "+req.ID)
	mustContain(t, "card after", show, "Jan 1 – Mar 31, 2026 ✏️ _corrected by <@"+member+">_", "7/7 passed")
	if strings.Contains(show, "❌") {
		t.Fatalf("card after: a failed item remains:\n%s", show)
	}

	mustContain(t, "again", e.legal(t, member, "set "+req.ID+" period 2026-01-01 to 2026-03-31"),
		req.ID+" already has the period Jan 1 – Mar 31, 2026; nothing changed.")
	if n := len(e.audit(t, req.ID)); n != len(a) {
		t.Fatalf("an unchanged set wrote to the audit: %d entries, want %d", n, len(a))
	}
}

// TestSetAgentFromSlack: an agent typed with quotes, the e-mail address
// Slack turned into a link and a spaced number is read whole.
func TestSetAgentFromSlack(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	got := e.legal(t, member, `set `+req.ID+` agent “Dana Reyes” <mailto:dana.reyes@fbi.gov|dana.reyes@fbi.gov> +1 202 555 0111`)
	mustContain(t, "reply", got, "the agent Dana Reyes · dana.reyes@fbi.gov · +1 202 555 0111")
	if a := e.get(t, req.ID).Facts.Agent; a != (legal.Agent{Name: "Dana Reyes", Email: "dana.reyes@fbi.gov", Phone: "+12025550111"}) {
		t.Fatalf("agent: got %+v", a)
	}
	mustContain(t, "card", e.legal(t, member, "show "+req.ID), "*Agent:* Dana Reyes · dana.reyes@fbi.gov · +12025550111 ✏️ _corrected by <@"+member+">_")
}

// TestSetEmergencyPaging: a request corrected into an emergency is paged
// at once through the escalation index the escalator reads, the thread
// is broadcast and the escalator woken; corrected out of it, its
// escalation stops and the PagerDuty alert is resolved.
func TestSetEmergencyPaging(t *testing.T) {
	var kicks atomic.Int32
	e := newEnvWith(t, func(c *Config) { c.Paging.Kick = func() { kicks.Add(1) } })
	ctx := context.Background()
	req := e.create(t, subpoenaFacts())
	e.drain(t)
	escalating := func() bool {
		due, err := e.st.Range(ctx, store.IndexEscalation, time.Unix(0, 0), e.now.Add(time.Second), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range due {
			if r.ID == req.ID {
				return true
			}
		}
		return false
	}

	got := e.legal(t, member, "set "+req.ID+" emergency yes")
	mustContain(t, "into", got, "“emergency” yes", "This is now an emergency: paging on-call.")
	r := e.get(t, req.ID)
	if !escalating() || !r.NextEscalation.Equal(e.now) || kicks.Load() != 1 || !r.Due.Equal(r.ReceivedAt) {
		t.Fatalf("into an emergency: escalating %v, next %v, kicks %d, due %v", escalating(), r.NextEscalation, kicks.Load(), r.Due)
	}
	th := threads(t, e.drain(t))
	if len(th) != 1 || !th[0].Broadcast || !strings.Contains(th[0].Text, "corrected the kinds: Subpoena → Subpoena, Emergency disclosure; “emergency”: no → yes.") {
		t.Fatalf("thread: got %+v", th)
	}

	// The escalator took the first step.
	r.EscalationStep, r.NextEscalation = 1, e.now.Add(5*time.Minute)
	if err := e.st.UpdateRequest(ctx, r, store.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(time.Minute)
	mustContain(t, "out", e.legal(t, member, "set "+req.ID+" kinds subpoena"), "No longer an emergency: paging has stopped.")
	r = e.get(t, req.ID)
	if escalating() || !r.NextEscalation.IsZero() || r.Facts.Exigent || kicks.Load() != 1 {
		t.Fatalf("out of an emergency: escalating %v, next %v, exigent %v, kicks %d", escalating(), r.NextEscalation, r.Facts.Exigent, kicks.Load())
	}
	var resolved bool
	for _, it := range e.drain(t) {
		var p bot.PagerDutyPayload
		if it.Kind == bot.KindPagerDuty && json.Unmarshal(it.Payload, &p) == nil && p.Action == "resolve" {
			resolved = true
		}
	}
	if !resolved {
		t.Fatal("no PagerDuty resolve enqueued")
	}
	// Due follows the facts again: ten business days from receipt.
	if want := e.cal.ResponseDue(r.ReceivedAt); !r.Due.Equal(want) {
		t.Fatalf("due: got %v, want %v", r.Due, want)
	}
}

// TestSetDeadlineMovesReminders: the stated deadline corrected, the
// request moves in the due index the reminders walk, and the card's
// deadline is marked; a past date is accepted (it is what the request
// said) and makes the request overdue.
func TestSetDeadlineMovesReminders(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	req := e.create(t, subpoenaFacts())
	due := func(day legal.Date) bool {
		from := day.In(e.cal.Location())
		got, err := e.st.Range(ctx, store.IndexDue, from, from.Add(24*time.Hour), 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(got) == 1 && got[0].ID == req.ID
	}
	if old := e.cal.DateOf(req.Due); !due(old) {
		t.Fatalf("not in the due index on %s before the correction", old)
	}
	mustContain(t, "reply", e.legal(t, member, "set "+req.ID+" deadline 2026-03-20"), "the deadline Mar 20, 2026")
	if !due(legal.Date{Year: 2026, Month: 3, Day: 20}) {
		t.Fatal("not in the due index on the corrected day")
	}
	mustContain(t, "card", e.legal(t, member, "show "+req.ID), "Fri Mar 20, 2026 17:00 PDT — 14 business days left ✏️ _corrected by <@"+member+">_")
	mustContain(t, "past", e.legal(t, member, "set "+req.ID+" deadline 2026-02-27"), "the deadline Feb 27, 2026")
	mustContain(t, "card", e.legal(t, member, "show "+req.ID), "⏰ *Overdue*")
}
