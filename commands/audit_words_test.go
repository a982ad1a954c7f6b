package commands

import (
	"testing"
	"time"

	"github.com/lebot-dev/lebot/store"
)

// TestAuditWordsCorrection: a correction reads as the thread says it,
// field by field, with values from mail escaped (a mention-like value
// notifies nobody); entries that do not pair up fall back to was/now.
func TestAuditWordsCorrection(t *testing.T) {
	for _, tt := range []struct {
		before, after, want string
	}{
		{"period: none", "period: Jan 1 – Mar 31, 2026",
			"<@U0ALICE> corrected the period: none → Jan 1 – Mar 31, 2026"},
		{"period: none; identifiers: +12025550100", "period: Jan 1 – Mar 31, 2026; identifiers: +12025550100, <@U0BOSS>",
			"<@U0ALICE> corrected the period: none → Jan 1 – Mar 31, 2026; the identifiers: +12025550100 → +12025550100, &lt;@U0BOSS&gt;"},
		{"period: none", "kinds: subpoena",
			"<@U0ALICE> corrected what lebot read: was period: none; now kinds: subpoena — corrected period"},
	} {
		got, ok := auditWords(store.AuditEntry{Actor: "U0ALICE", Action: "correct", Before: tt.before, After: tt.after,
			Note: "corrected period"}, time.UTC)
		if !ok || got != tt.want {
			t.Errorf("got %q, %v\nwant %q", got, ok, tt.want)
		}
	}
}
