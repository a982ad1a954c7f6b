package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// TestCardOfANonRequest: a message judged not to be a request says so
// first, with the words it rests on and how to correct it, and its card
// claims no checklist result; a request of unknown kind is checked
// against the standard items, never "0/0 passed".
func TestCardOfANonRequest(t *testing.T) {
	req := subpoena(t)
	req.Facts.Kinds = nil
	req.Facts.NotRequest = "an automatic reply"
	req.Facts.Evidence = map[string]legal.Evidence{legal.EvidenceKinds: {Quote: "I am away until Monday.", Part: "body"}}
	now := req.ReceivedAt.Add(time.Hour)
	got := cardText(t, Card(req, now, legal.NewCalendar(mustLoc(t))))
	for _, want := range []string{"ℹ️ *Probably not a request: an automatic reply*",
		"Read from the message: “I am away until Monday.”", "`/legal set LE-2026-0042 kinds subpoena`",
		"*Checklist:* not judged: this is probably not a request"} {
		if !strings.Contains(got, want) {
			t.Errorf("card lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "0/0 passed") {
		t.Errorf("card says 0/0 passed:\n%s", got)
	}
	req.Facts.NotRequest = ""
	got = cardText(t, Card(req, now, legal.NewCalendar(mustLoc(t))))
	if strings.Contains(got, "0/0") || strings.Contains(got, "Probably not a request") {
		t.Errorf("unclassified request's card:\n%s", got)
	}
	if got := checklistLine(req, nil); got != "*Checklist:* not judged: the kind of request is not known" {
		t.Errorf("empty checklist of a request: got %q", got)
	}
}
