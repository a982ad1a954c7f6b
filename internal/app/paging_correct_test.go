package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakepagerduty"
	"github.com/lebot-dev/lebot/legal"
)

// subpoenaMail is an ordinary subpoena: nobody is paged for it.
const subpoenaMail = "From: Special Agent Dana Reyes <dana.reyes@fbi.gov>\r\nTo: legal@example.com\r\n" +
	"Subject: Grand jury subpoena\r\nDate: Mon, 02 Mar 2026 10:00:00 -0800\r\nMessage-ID: <corrected-page@fbi.gov>\r\n\r\n" +
	"Attached and served herewith is a signed grand jury subpoena. Please produce subscriber\r\n" +
	"information for telephone number (202) 555-0150 from January 1, 2026 to March 31, 2026.\r\n\r\n" +
	"Dana Reyes\r\nSpecial Agent, FBI\r\n(202) 555-0111\r\n"

// TestCorrectionIntoEmergencyPages: a request corrected into an
// emergency is paged at once (DM with the records requested, PagerDuty
// trigger); corrected out of it, PagerDuty is resolved, the DM sent says
// paging has stopped and who corrected it, and the next level is never
// paged.
func TestCorrectionIntoEmergencyPages(t *testing.T) {
	h := newPagingHarness(t)
	a := h.replica()
	h.startIntake(a)
	h.sendMail(subpoenaMail)
	h.settle(10*time.Second, a)
	req := h.onlyRequest()
	if got := len(h.dms(oncall1)); got != 0 || req.Facts.Emergency() {
		t.Fatalf("before the correction: %d DMs, emergency %v; want none", got, req.Facts.Emergency())
	}

	rep := a.cmds.Command(context.Background(), slashCommand(oncall1, "set "+req.ID+" emergency yes"))
	if rep == nil || !strings.Contains(rep.Text, "This is now an emergency: paging on-call.") {
		t.Fatalf("set reply: %+v", rep)
	}
	h.settle(10*time.Second, a)
	dms := h.dms(oncall1)
	if len(dms) != 1 || !strings.Contains(string(dms[0].Blocks), "subscriber information") {
		t.Fatalf("level 1 DMs after the correction: got %v, want one naming the records", dmTexts(dms))
	}
	if got := h.pd.State(pdKey, req.ID); got != fakepagerduty.Triggered {
		t.Fatalf("PagerDuty after the correction: got %q, want triggered", got)
	}
	if got := len(h.alerts("corrected")); got != 1 {
		t.Errorf("broadcast thread lines about the correction: got %d, want 1", got)
	}

	rep = a.cmds.Command(context.Background(), slashCommand(oncall2, "set "+req.ID+" emergency no"))
	if rep == nil || !strings.Contains(rep.Text, "No longer an emergency: paging has stopped.") {
		t.Fatalf("set reply: %+v", rep)
	}
	h.settle(10*time.Second, a)
	if got := h.pd.State(pdKey, req.ID); got != fakepagerduty.Resolved {
		t.Errorf("PagerDuty after the correction out: got %q, want resolved", got)
	}
	dms = h.dms(oncall1)
	if len(dms) != 1 || !strings.Contains(dms[0].Text, "no longer an emergency") ||
		!strings.Contains(strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(string(dms[0].Blocks)), "<@"+oncall2+"> corrected it on") {
		t.Errorf("the level 1 DM after the correction out: got %v, want it to say paging stopped and who corrected it", dmTexts(dms))
	}
	h.advance(15 * time.Minute)
	h.settle(10*time.Second, a)
	if got := len(h.dms(oncall2)); got != 0 {
		t.Errorf("level 2 DMs after the correction out: got %d, want 0", got)
	}
	if r := h.onlyRequest(); r.Facts.Emergency() || !r.NextEscalation.IsZero() || r.Corrections[legal.FieldEmergency].By != oncall2 {
		t.Errorf("stored: emergency %v, next escalation %v, corrections %+v", r.Facts.Emergency(), r.NextEscalation, r.Corrections)
	}
}
