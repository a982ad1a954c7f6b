package commands

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/legal"
)

// TestReplaysChangeOnce delivers the same slash command, button click and
// event twice each, as Slack does on a retry or a double click, and
// checks each took effect once.
func TestReplaysChangeOnce(t *testing.T) {
	e := newEnv(t)
	a := e.create(t, subpoenaFacts())
	emergency := subpoenaFacts()
	emergency.Kinds, emergency.Exigent = []legal.Kind{legal.KindEmergency}, true
	b := e.create(t, emergency)
	retried := e.commandBody(member, "note "+a.ID+" one note", "trig-replay")
	for range 2 {
		if code, _ := e.post(t, "/slack/commands", retried); code != http.StatusOK {
			t.Fatalf("command status %d", code)
		}
	}
	// A double click: two deliveries with their own trigger ids. Ack is
	// idempotent in the store, so the proof the second never ran is its
	// empty answer (a second run would say "already acknowledged").
	var clickReplies []string
	for _, trig := range []string{"trig-click-1", "trig-click-2"} {
		clickReplies = append(clickReplies, string(e.interact(t, click(member, trig, "lebot_ack", b.ID))))
	}
	if !strings.Contains(clickReplies[0], "You acknowledged") || clickReplies[1] != "" {
		t.Fatalf("click replies: got %q, want the ack then nothing", clickReplies)
	}
	for range 2 {
		e.post(t, "/slack/events", homeOpened(member, "EvReplay"))
	}
	e.srv.Wait()

	count := func(id, action string) int {
		n := 0
		for _, en := range e.audit(t, id) {
			if en.Action == action {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name string
		got  int
	}{
		{"note from the retried command", count(a.ID, "note")},
		{"ack from the double click", count(b.ID, "ack")},
		{"home published for the repeated event", len(e.fake.Calls("views.publish"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != 1 {
				t.Fatalf("got %d, want 1", tt.got)
			}
		})
	}
}
