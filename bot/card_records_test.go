package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

func TestCardRecords(t *testing.T) {
	loc := mustLoc(t)
	cal := legal.NewCalendar(loc)
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, loc)
	dec3 := time.Date(2026, 12, 3, 15, 0, 0, 0, loc)
	verified := &legal.KnownCallback{Agent: "Dana Reyes", Phone: "+12025550111", By: "U1ALICE", At: dec3, RequestID: "LE-2026-0012"}
	tests := []struct {
		name    string
		edit    func(r *legal.Request)
		want    []string
		notWant []string
	}{
		{"confirmed callback", func(r *legal.Request) {
			r.Callbacks = []legal.Callback{{Phone: "+12025550111", Result: legal.CallbackConfirmed, By: "U1ALICE", At: dec3}}
		}, []string{"✅ *Verified by callback* (+1 202 555 0111) by <@U1ALICE>, Dec 3"}, []string{"Callback failed"}},
		{"failed after confirmed", func(r *legal.Request) {
			r.Callbacks = []legal.Callback{{Phone: "+12025550111", Result: legal.CallbackConfirmed, By: "U1", At: dec3.AddDate(-1, 0, 0)},
				{Phone: "+12025550100", Result: legal.CallbackFailed, By: "U2BOB", At: dec3}}
		}, []string{"❌ *Callback failed* (+1 202 555 0100) by <@U2BOB>, Dec 3"}, []string{"Verified by callback"}},
		{"callback last year shows the year", func(r *legal.Request) {
			r.Callbacks = []legal.Callback{{Phone: "+12025550111", Result: legal.CallbackConfirmed, By: "U1", At: dec3.AddDate(-1, 0, 0)}}
		}, []string{"by <@U1>, Dec 3, 2025"}, nil},
		{"first request", func(r *legal.Request) {
			r.Sender = &legal.SenderHistory{Domain: "police.example.gov"}
		}, []string{"🆕 First request from police.example.gov"}, []string{"earlier request"}},
		{"known agent verified", func(r *legal.Request) {
			r.Sender = &legal.SenderHistory{Domain: "fbi.gov", Earlier: 3, AgentEarlier: 1, Agent: verified}
		}, []string{"📇 3 earlier requests from fbi.gov; agent Dana Reyes verified by callback on Dec 3 at +1 202 555 0111 (by <@U1ALICE>, LE-2026-0012)",
			"The number in this request (+1 415 555 0199) is not the one verified before (+1 202 555 0111)"}, []string{"First request"}},
		{"agency verified through another agent", func(r *legal.Request) {
			r.Facts.Agent.Phone = "+12025550111"
			r.Sender = &legal.SenderHistory{Domain: "fbi.gov", Earlier: 1, Agency: verified}
		}, []string{"📇 1 earlier request from fbi.gov; the agency was verified by callback on Dec 3 at +1 202 555 0111 (agent Dana Reyes, by <@U1ALICE>)"},
			[]string{"is not the one verified"}},
		{"agent never verified", func(r *legal.Request) {
			r.Sender = &legal.SenderHistory{Domain: "fbi.gov", Earlier: 2, AgentEarlier: 2}
		}, []string{"2 earlier requests from this agent, never verified by callback"}, nil},
		{"look-alike", func(r *legal.Request) {
			r.Sender = &legal.SenderHistory{Domain: "fbi-gov.com", LookAlike: "fbi.gov", LookAlikeReason: "it spells fbi.gov with dots and hyphens moved"}
		}, []string{"⚠️ *Look-alike of fbi.gov*, an agency lebot knows: it spells fbi.gov with dots and hyphens moved", "First request from fbi-gov.com"}, nil},
		{"emergency: no reimbursement", func(r *legal.Request) {
			r.Facts.Kinds, r.Facts.Exigent = []legal.Kind{legal.KindEmergency}, true
		}, []string{"💲 No reimbursement (emergency)"}, nil},
		{"child endangerment: no reimbursement", func(r *legal.Request) {
			r.Facts.ChildEndangerment = true
		}, []string{"💲 No reimbursement (child endangerment)"}, nil},
		{"costs and outcome", func(r *legal.Request) {
			r.Costs = []legal.Cost{{Cents: 25000}, {Cents: 1050}}
			r.Status, r.Disposition = legal.StatusResponded, legal.DispositionNoData
		}, []string{"💲 Reimbursable costs: $260.50 (2 recorded costs)", "📤 *Outcome:* No data"}, []string{"No reimbursement"}},
		{"nothing recorded", nil, nil, []string{"💲", "📇", "🆕", "callback"}},
		{"non-official sender verified", func(r *legal.Request) {
			r.Facts.SenderOfficial, r.Verification.Official = false, false
			r.Callbacks = []legal.Callback{{Phone: "+12025550111", Result: legal.CallbackConfirmed, By: "U1", At: dec3}}
		}, []string{"not an official domain; verified by callback"}, []string{"verify by callback* on a number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := subpoena(t)
			if tt.edit != nil {
				tt.edit(r)
			}
			got := cardText(t, Card(r, now, cal))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("card lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("card has %q, want not:\n%s", w, got)
				}
			}
		})
	}
}
