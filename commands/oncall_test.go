package commands

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func TestOnCallCommands(t *testing.T) {
	rot, err := legal.ParseRotation("U0ROTA,U0ROTB@mon 09:00 from 2026-03-02", la)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, func(c *Config) {
		c.Paging = Paging{Policy: legal.OnCallPolicy{Levels: [][]string{{"U0CONF"}}, Rotation: rot},
			Delay: 5 * time.Minute, Rounds: 3}
	})
	// Each step runs in order on the one store; want is a part of the
	// reply, levels the levels in force afterwards.
	steps := []struct {
		text, want string
		levels     [][]string
	}{
		{"oncall", "Levels: the defaults lebot was set up with", [][]string{{"U0ROTA"}, {"U0CONF"}}},
		{"oncall set <@U0AAA|ann> U0BBB <!subteam^S0TEAM|@legal-oncall>", "3 levels, paged in that order",
			[][]string{{"U0ROTA"}, {"U0AAA"}, {"U0BBB"}, {"S0TEAM"}}},
		{"oncall", "<!subteam^S0TEAM>", [][]string{{"U0ROTA"}, {"U0AAA"}, {"U0BBB"}, {"S0TEAM"}}},
		{"oncall override <@U0BBB> until 2026-03-03", "first on call through the end of Tue Mar 3, 2026 (PST)",
			[][]string{{"U0BBB"}, {"U0ROTA"}, {"U0AAA"}, {"S0TEAM"}}},
		{"oncall override U0AAA until 2026-03-01", "already be over", [][]string{{"U0BBB"}, {"U0ROTA"}, {"U0AAA"}, {"S0TEAM"}}},
		{"oncall override off", "Overrides cleared", [][]string{{"U0ROTA"}, {"U0AAA"}, {"U0BBB"}, {"S0TEAM"}}},
		{"oncall override <@U0AAA> until 2026-03-03 18:30", "first on call until Tue Mar 3, 2026 18:30 PST", nil},
		{"oncall override clear", "Overrides cleared", [][]string{{"U0ROTA"}, {"U0AAA"}, {"U0BBB"}, {"S0TEAM"}}},
		{"oncall email <@U0AAA> <mailto:ann@example.com|ann@example.com>", "also e-mailed", nil},
		{"oncall email U0AAA not-an-address", "is not an e-mail address", nil},
		{"oncall set bob", "I need a Slack user or user group", nil},
		{"oncall set default", "reset to the defaults lebot was set up with", [][]string{{"U0ROTA"}, {"U0CONF"}}},
		{"oncall frobnicate", "Usage: `/legal oncall", nil},
	}
	for _, s := range steps {
		t.Run(s.text, func(t *testing.T) {
			got := e.legal(t, member, s.text)
			if !strings.Contains(got, s.want) {
				t.Fatalf("reply: got %q, want it to contain %q", got, s.want)
			}
			if strings.Contains(got, "ONCALL_") || strings.Contains(got, "ESCALATION_") {
				t.Errorf("reply names an environment variable: %q", got)
			}
			oc, err := e.st.OnCall(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if s.levels != nil {
				if got := e.cmds.paging.Policy.Effective(onCallSettings(oc), e.now); !reflect.DeepEqual(got, s.levels) {
					t.Errorf("levels: got %v, want %v", got, s.levels)
				}
			}
		})
	}
	oc, _ := e.st.OnCall(context.Background())
	if oc.Emails["U0AAA"] != "ann@example.com" || oc.UpdatedBy != member {
		t.Errorf("stored: emails %v, updated by %q; want ann@example.com by %s", oc.Emails, oc.UpdatedBy, member)
	}
}

func TestAckAndPage(t *testing.T) {
	kicks := 0
	e := newEnvWith(t, func(c *Config) { c.Paging = Paging{Kick: func() { kicks++ }} })
	em := subpoenaFacts()
	em.Exigent = true
	paged := e.create(t, em)
	plain := e.create(t, subpoenaFacts())
	ctx := context.Background()

	steps := []struct {
		user, text, want string
	}{
		{member, "ack " + plain.ID, "nobody is paged"},
		{member, "page " + paged.ID, "Paging on-call"},
		{member2, "page " + paged.ID, "already being paged"},
		{member2, "ack " + paged.ID, "You acknowledged"},
		{member, "ack " + paged.ID, "already acknowledged by <@" + member2 + ">"},
		{outsider, "ack " + paged.ID, "only for the legal team"},
		{member, "page " + paged.ID, "Paging on-call"}, // a new round after an ack
	}
	for _, s := range steps {
		if got := e.legal(t, s.user, s.text); !strings.Contains(got, s.want) {
			t.Fatalf("%s by %s: got %q, want %q", s.text, s.user, got, s.want)
		}
	}
	if kicks != 2 {
		t.Errorf("escalator kicks: got %d, want 2", kicks)
	}
	r := e.get(t, paged.ID)
	if r.AckedBy != "" || !r.NextEscalation.Equal(e.now) || r.EscalationStep != 0 {
		t.Errorf("after the second page: acked by %q, next %v, step %d; want unacked, now, 0", r.AckedBy, r.NextEscalation, r.EscalationStep)
	}
	var acks, pages int
	for _, a := range e.audit(t, paged.ID) {
		switch a.Action {
		case "ack":
			acks++
		case "page":
			pages++
		}
	}
	if acks != 1 || pages != 2 {
		t.Errorf("audit: %d acks and %d pages, want 1 and 2", acks, pages)
	}
	// The ack enqueued the PagerDuty acknowledge and the DM edits; the
	// second page the resolve of the old alert.
	items, err := e.st.Claim(ctx, e.now.Add(time.Hour), time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, it := range items {
		if it.RequestID == paged.ID {
			kinds[it.Kind]++
		}
	}
	if kinds[bot.KindPagerDuty] != 2 || kinds[bot.KindPageAcked] != 1 {
		t.Errorf("outbox kinds: got %v, want 2 pagerduty and 1 page.acked", kinds)
	}
}

// TestOnCallConcurrentEdits: people changing on-call settings at the same
// moment each keep their change (the store refuses a stale save and the
// command re-reads and re-applies it).
func TestOnCallConcurrentEdits(t *testing.T) {
	e := newEnv(t)
	const n = 6
	type result struct {
		code int
		body string
	}
	codes := make(chan result, n)
	for i := range n {
		body := e.commandBody(member, fmt.Sprintf("oncall email U0P%d p%d@example.com", i, i), fmt.Sprintf("trig-conc-%d", i))
		go func() {
			code, b := e.post(t, "/slack/commands", body)
			codes <- result{code, string(b)}
		}()
	}
	for range n {
		if r := <-codes; r.code != http.StatusOK || !strings.Contains(r.body, "also e-mailed") {
			t.Errorf("reply: got %d %s, want 200 with the change made", r.code, r.body)
		}
	}
	oc, err := e.st.OnCall(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if got, want := oc.Emails[fmt.Sprintf("U0P%d", i)], fmt.Sprintf("p%d@example.com", i); got != want {
			t.Errorf("e-mail of U0P%d: got %q, want %q (a concurrent edit was lost)", i, got, want)
		}
	}
}
