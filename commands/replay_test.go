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
	// A double click: two deliveries with their own trigger ids. Slack
	// ignores a click's ack body, so both acks are empty and the answer
	// goes to the click's response_url. Ack is idempotent in the store,
	// so the proof the second never ran is that it answered nothing (a
	// second run would say "already acknowledged").
	card := e.postCard(t, b)
	var shown []string
	for range 2 {
		_, s := e.click(t, member, card, "lebot_ack")
		shown = append(shown, s)
	}
	if !strings.Contains(shown[0], "You acknowledged") || shown[1] != "" {
		t.Fatalf("shown after each click: got %q, want the ack's answer then nothing", shown)
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
