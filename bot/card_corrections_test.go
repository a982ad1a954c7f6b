package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// TestCardMarksCorrections: a corrected value carries who corrected it,
// beside the value; corrected flags that show nothing when off are named
// in one line; values nobody corrected carry no mark.
func TestCardMarksCorrections(t *testing.T) {
	cal := legal.NewCalendar(mustLoc(t))
	req := subpoena(t)
	now := req.ReceivedAt.Add(time.Hour)
	if got := cardText(t, Card(req, now, cal)); strings.Contains(got, "corrected") {
		t.Fatalf("uncorrected card mentions a correction:\n%s", got)
	}
	at := now.Add(-time.Minute)
	req.Corrections = map[legal.Field]legal.Correction{
		legal.FieldPeriod:           {By: "U0ALICE", At: at},
		legal.FieldIdentifiers:      {By: "U0BOB", At: at},
		legal.FieldContentRequested: {By: "U0ALICE", At: at},
	}
	got := cardText(t, Card(req, now, cal))
	for _, want := range []string{
		"*Period:*\nJan 1 – Jun 30, 2026 ✏️ _corrected by <@U0ALICE>_",
		"*Targets (2):* ✏️ _corrected by <@U0BOB>_",
		"✏️ *Corrected:* content requested: no (by <@U0ALICE>)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("card: missing %q in\n%s", want, got)
		}
	}
	for _, notWant := range []string{"*Agent:* Ann Smith · asmith@police.example.gov · +14155550199 ✏️", "*Kind:*\nSubpoena ✏️"} {
		if strings.Contains(got, notWant) {
			t.Errorf("card marks an uncorrected value: %q", notWant)
		}
	}
}
