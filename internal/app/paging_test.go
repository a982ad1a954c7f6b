package app

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/fakepagerduty"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
)

// emergencyMail is testdata/emergency.eml with a fresh Message-ID.
func emergencyMail(t testing.TB, id string) string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/emergency.eml")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(string(b), "<em-1@sfgov.org>", "<"+id+">", 1)
}

// onlyRequest returns the one emergency stored.
func (h *pagingHarness) onlyRequest() *legal.Request {
	h.t.Helper()
	reqs, err := h.st.ListByStatus(context.Background(), legal.StatusNew, 10)
	if err != nil || len(reqs) != 1 {
		h.t.Fatalf("requests: got %d (%v), want 1", len(reqs), err)
	}
	return reqs[0]
}

func TestEmergencyPagesEscalatesAndStopsOnAck(t *testing.T) {
	h := newPagingHarness(t)
	a := h.replica()
	h.startIntake(a)
	h.sendMail(emergencyMail(t, "e2e-page@sfgov.org"))
	req := h.onlyRequest()
	if req.NextEscalation.IsZero() || req.EscalationStep != 0 {
		t.Fatalf("stored emergency: next escalation %v step %d, want the first step scheduled", req.NextEscalation, req.EscalationStep)
	}

	h.settle(10*time.Second, a)
	if got := len(h.dms(oncall1)); got != 1 {
		t.Fatalf("level 1 DMs at once: got %d, want 1", got)
	}
	dm := h.dms(oncall1)[0]
	for _, want := range []string{req.ID, "+14155550199", "+14155550142", "Child endangerment", bot.ActionAck, "IMMEDIATE",
		"*Records requested:* subscriber information, cell-site and location records"} {
		if !strings.Contains(string(dm.Blocks), want) {
			t.Errorf("level 1 DM lacks %q", want)
		}
	}
	if got := len(h.alerts("<@" + oncall1 + ">")); got != 1 {
		t.Errorf("channel alerts mentioning level 1: got %d, want 1", got)
	}
	trig := h.pd.Accepted("trigger")
	// The link is the card's permalink, or the channel's when the
	// trigger left before the card was posted.
	if len(trig) != 1 || trig[0].DedupKey != req.ID || trig[0].Payload.Severity != "critical" || len(trig[0].Links) != 1 ||
		!strings.HasPrefix(trig[0].Links[0].Href, "https://fake.slack.com/archives/"+legalCh) &&
			trig[0].Links[0].Href != "https://slack.com/app_redirect?channel="+legalCh {
		t.Fatalf("PagerDuty triggers: got %+v, want one critical trigger keyed %s linking the card", trig, req.ID)
	}
	// The records read from the letter, in the summary the on-call phone shows.
	if sum := trig[0].Payload.Summary; !strings.Contains(sum, "records: subscriber information, cell-site and location records") ||
		strings.Contains(sum, "+14155550142") {
		t.Errorf("PagerDuty summary: got %q, want the records requested and no target", sum)
	}
	if got := h.mail.messages(); len(got) != 1 || got[0].To[0] != mail1 || !strings.Contains(got[0].Data, req.ID) ||
		!strings.Contains(got[0].Data, "Records:     subscriber information, cell-site and location records") {
		t.Errorf("page e-mails: got %+v, want one to %s", got, mail1)
	}
	if got := len(h.dms(oncall2)); got != 0 {
		t.Fatalf("level 2 DMs before the delay: got %d, want 0", got)
	}

	h.advance(4*time.Minute + 50*time.Second) // settle moved the clock a few seconds
	h.settle(0, a)
	if got := len(h.dms(oncall2)); got != 0 {
		t.Fatalf("level 2 DMs before 5m: got %d, want 0", got)
	}
	h.advance(15 * time.Second)
	h.settle(10*time.Second, a)
	if got := len(h.dms(oncall2)); got != 1 {
		t.Fatalf("level 2 DMs after 5m: got %d, want 1", got)
	}
	if got := len(h.pd.Accepted("trigger")); got != 2 {
		t.Errorf("PagerDuty triggers after step 2: got %d, want 2", got)
	}

	rep := a.press(oncall2, bot.ActionAck, req.ID)
	if rep == nil || !strings.Contains(rep.Text, "acknowledged") {
		t.Fatalf("ack reply: got %+v", rep)
	}
	h.settle(10*time.Second, a)
	if got := h.pd.State(pdKey, req.ID); got != fakepagerduty.Acknowledged {
		t.Errorf("PagerDuty alert: got %q, want acknowledged", got)
	}
	if ack := h.pd.Accepted("acknowledge"); len(ack) != 1 || ack[0].DedupKey != req.ID {
		t.Errorf("PagerDuty acknowledges: got %+v, want one keyed %s", ack, req.ID)
	}
	for _, u := range []string{oncall1, oncall2} {
		if d := h.dms(u); len(d) != 1 || d[0].Updates == 0 || !strings.Contains(d[0].Text, "acknowledged by <@"+oncall2+">") {
			t.Errorf("DM of %s after the ack: got %d DMs (%v), want it marked acknowledged by %s", u, len(d), dmTexts(d), oncall2)
		}
	}
	if dead, err := h.st.DeadLetters(context.Background(), 0); err != nil || len(dead) != 0 {
		t.Errorf("dead letters: got %d (%v), want none", len(dead), err)
	}
	calls := len(h.slack.Calls("")) + len(h.pd.Calls())
	h.advance(time.Hour)
	h.settle(time.Minute, a)
	if got := len(h.slack.Calls("")) + len(h.pd.Calls()); got != calls {
		t.Errorf("calls after the ack: got %d more, want none", got-calls)
	}
	checkAudit(t, h, req.ID, map[string]int{"page": 2, "page_dm": 2, "page_pagerduty": 3, "page_email": 1, "ack": 1})
}

// checkAudit counts audit actions.
func checkAudit(t *testing.T, h *pagingHarness, id string, want map[string]int) {
	t.Helper()
	trail, err := h.st.Audit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range trail {
		got[e.Action]++
	}
	for action, n := range want {
		if got[action] != n {
			t.Errorf("audit %q entries: got %d, want %d (trail %v)", action, got[action], n, got)
		}
	}
}

func TestEscalationResumesAfterRestart(t *testing.T) {
	h := newPagingHarness(t)
	a := h.replica()
	h.startIntake(a)
	h.sendMail(emergencyMail(t, "restart@sfgov.org"))
	h.settle(10*time.Second, a)
	if got := len(h.dms(oncall1)); got != 1 {
		t.Fatalf("level 1 DMs: got %d, want 1", got)
	}
	// Replica a is gone; a new process on the same store takes over.
	b := h.replica()
	h.advance(5 * time.Minute)
	h.settle(10*time.Second, b)
	if got := len(h.dms(oncall2)); got != 1 {
		t.Fatalf("level 2 DMs after the restart: got %d, want 1", got)
	}
	// Round 2 goes back to level 1, then @here after the last round.
	h.advance(5 * time.Minute)
	h.settle(10*time.Second, b)
	h.advance(5 * time.Minute)
	h.settle(10*time.Second, b)
	h.advance(5 * time.Minute)
	h.settle(10*time.Second, b)
	if got1, got2 := len(h.dms(oncall1)), len(h.dms(oncall2)); got1 != 2 || got2 != 2 {
		t.Errorf("DMs after 2 rounds: got %d and %d, want 2 each", got1, got2)
	}
	if got := len(h.alerts("<!here>")); got != 1 {
		t.Errorf("@here alerts: got %d, want 1", got)
	}
	h.advance(time.Hour)
	h.settle(time.Minute, b)
	if got := len(h.dms(oncall1)) + len(h.dms(oncall2)); got != 4 {
		t.Errorf("DMs after the escalation ended: got %d, want 4", got)
	}
}

func TestTwoReplicasPageOncePerStep(t *testing.T) {
	h := newPagingHarness(t)
	a, b := h.replica(), h.replica()
	h.startIntake(a)
	h.sendMail(emergencyMail(t, "replicas@sfgov.org"))
	ctx := context.Background()
	for step := range 4 {
		// Both replicas tick at the same instant, racing for the step.
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, r := range []*replica{a, b, a, b} {
			wg.Go(func() {
				<-start
				if err := r.pg.esc.Tick(ctx, h.clock()); err != nil {
					t.Errorf("tick: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		var dw sync.WaitGroup
		for _, r := range []*replica{a, b} {
			dw.Go(func() { r.disp.DrainOnce(ctx, h.clock()) })
		}
		dw.Wait()
		h.settle(10*time.Second, a, b)
		want1, want2 := step/2+1, (step+1)/2
		if got1, got2 := len(h.dms(oncall1)), len(h.dms(oncall2)); got1 != want1 || got2 != want2 {
			t.Fatalf("after step %d: DMs %d and %d, want %d and %d", step+1, got1, got2, want1, want2)
		}
		if got := len(h.pd.Accepted("trigger")); got != step+1 {
			t.Fatalf("after step %d: %d PagerDuty triggers, want %d", step+1, got, step+1)
		}
		h.advance(5 * time.Minute)
	}
}

func TestPagerDutyOutageDelaysTheTrigger(t *testing.T) {
	cases := []struct {
		name  string
		fault func(*fakepagerduty.Server)
	}{
		{"5xx", func(pd *fakepagerduty.Server) { pd.Fail(3, 503) }},
		{"429", func(pd *fakepagerduty.Server) { pd.Fail(2, 429) }},
		{"network", func(pd *fakepagerduty.Server) { pd.Drop(2) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newPagingHarness(t)
			a := h.replica()
			h.startIntake(a)
			tc.fault(h.pd)
			h.sendMail(emergencyMail(t, "outage-"+tc.name+"@sfgov.org"))
			h.settle(0, a)
			if got := len(h.dms(oncall1)); got != 1 {
				t.Fatalf("DM during the outage: got %d, want 1", got)
			}
			if got := len(h.pd.Accepted("trigger")); got != 0 {
				t.Fatalf("triggers accepted during the outage: got %d, want 0", got)
			}
			h.settle(3*time.Minute, a)
			if got := len(h.pd.Accepted("trigger")); got != 1 {
				t.Fatalf("triggers after the outage: got %d, want 1 (calls %d)", got, len(h.pd.Calls()))
			}
		})
	}
}

func TestPagerDutyRefusalIsReportedNotRetried(t *testing.T) {
	h := newPagingHarness(t)
	a := h.replica()
	h.startIntake(a)
	h.pd.Fail(1, 400)
	h.sendMail(emergencyMail(t, "refused@sfgov.org"))
	h.settle(30*time.Second, a)
	if got := len(h.pd.Calls()); got != 1 {
		t.Errorf("PagerDuty calls: got %d, want 1 (a 400 is not retried)", got)
	}
	if got := len(h.alerts("PagerDuty refused")); got != 1 {
		t.Errorf("channel reports of the refusal: got %d, want 1", got)
	}
	if got := len(h.dms(oncall1)); got != 1 {
		t.Errorf("DMs: got %d, want 1 (Slack pages go on)", got)
	}
}

func TestResolvingAPagedRequestResolvesPagerDuty(t *testing.T) {
	h := newPagingHarness(t)
	a := h.replica()
	h.startIntake(a)
	h.sendMail(emergencyMail(t, "resolve@sfgov.org"))
	h.settle(10*time.Second, a)
	req := h.onlyRequest()
	rep := a.cmds.Command(context.Background(), slashCommand(oncall1, "status "+req.ID+" responded"))
	if rep == nil || strings.Contains(rep.Text, "wrong") {
		t.Fatalf("status reply: %+v", rep)
	}
	h.settle(10*time.Second, a)
	if got := h.pd.State(pdKey, req.ID); got != fakepagerduty.Resolved {
		t.Errorf("PagerDuty alert after responded: got %q, want resolved", got)
	}
	h.advance(10 * time.Minute)
	h.settle(10*time.Second, a)
	if got := len(h.dms(oncall2)); got != 0 {
		t.Errorf("level 2 DMs after the request was finished: got %d, want 0", got)
	}
}

func slashCommand(user, text string) slack.SlashCommand {
	return slack.SlashCommand{Command: "/legal", UserID: user, ChannelID: legalCh, Text: text}
}

func dmTexts(ms []fakeslack.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%q (updated %d times)", m.Text, m.Updates))
	}
	return out
}
