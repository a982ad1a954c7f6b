package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
)

// TestForgedMessageIDDoesNotHideAnEmergency: someone sends a harmless
// message carrying a real emergency's Message-ID before the emergency
// arrives. The emergency still becomes a request of its own, with its own
// card and page; both cards say the Message-ID was also used by the
// other request; a re-delivery of the emergency through another relay
// makes nothing new. All through a real SMTP session, Redis, fake Slack
// and fake PagerDuty.
func TestForgedMessageIDDoesNotHideAnEmergency(t *testing.T) {
	h := newPagingHarness(t)
	a := h.replica()
	h.startIntake(a)
	const mid = "forged-e2e@sfgov.org"
	h.sendMail("From: Someone <someone@example.net>\r\nTo: legal@example.com\r\nSubject: hello\r\n" +
		"Message-ID: <" + mid + ">\r\n\r\nJust saying hello.\r\n")
	h.settle(10*time.Second, a)
	real := emergencyMail(t, mid)
	h.sendMail(real)
	h.settle(10*time.Second, a)

	reqs, err := h.st.ListByStatus(context.Background(), legal.StatusNew, 10)
	if err != nil || len(reqs) != 2 {
		t.Fatalf("requests: got %d (%v), want the forged message and the emergency", len(reqs), err)
	}
	var em, forged *legal.Request
	for _, r := range reqs {
		if r.Kind() == legal.KindEmergency {
			em = r
		} else {
			forged = r
		}
	}
	if em == nil || forged == nil {
		t.Fatalf("requests %s (%s) and %s (%s): want one emergency and one not", reqs[0].ID, reqs[0].Kind(), reqs[1].ID, reqs[1].Kind())
	}
	if !(forged.ID < em.ID) {
		t.Errorf("the forged message is %s and the emergency %s: want the forged one first", forged.ID, em.ID)
	}

	cards := map[string]fakeslack.Message{}
	for _, m := range h.slack.TopLevel(legalCh) {
		if m.Metadata != nil && m.Metadata.EventType == "lebot_request" {
			id, _ := m.Metadata.EventPayload["request_id"].(string)
			if _, dup := cards[id]; dup {
				t.Errorf("two cards for %s", id)
			}
			cards[id] = m
		}
	}
	if len(cards) != 2 {
		t.Fatalf("cards: got %d, want one per request", len(cards))
	}
	for _, pair := range [][2]*legal.Request{{em, forged}, {forged, em}} {
		card, ok := cards[pair[0].ID]
		note := "This Message-ID was also used by " + pair[1].ID + " (different content)"
		if !ok || !strings.Contains(string(card.Blocks), note) {
			t.Errorf("card of %s: want %q on it", pair[0].ID, note)
		}
	}
	if cards[forged.ID].Updates == 0 {
		t.Errorf("the earlier card was never updated")
	}
	if got := h.dms(oncall1); len(got) != 1 || !strings.Contains(string(got[0].Blocks), em.ID) {
		t.Errorf("page DMs: got %d, want one for the emergency %s", len(got), em.ID)
	}
	if trig := h.pd.Accepted("trigger"); len(trig) != 1 || trig[0].DedupKey != em.ID {
		t.Errorf("PagerDuty triggers: got %+v, want one keyed %s", trig, em.ID)
	}

	// The real emergency again, through one more relay: no new request, card or page.
	h.sendMail("Received: from mx2.sfgov.org by mx.example.com; Mon, 02 Mar 2026 10:05:00 -0800\r\n" + real)
	h.settle(10*time.Second, a)
	if reqs, _ := h.st.ListByStatus(context.Background(), legal.StatusNew, 10); len(reqs) != 2 {
		t.Errorf("after a re-delivery: %d requests, want 2", len(reqs))
	}
	if got := len(h.dms(oncall1)); got != 1 {
		t.Errorf("page DMs after a re-delivery: got %d, want 1", got)
	}
}
