package legal

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func emergencyLacking() *Request {
	return &Request{ID: "LE-2026-0007", Facts: Facts{Kinds: []Kind{KindEmergency}, Exigent: true,
		SenderDomain: "police.example.gov", SenderOfficial: true,
		Agent:       Agent{Name: "Pat Doe", Email: "pat@police.example.gov"},
		Identifiers: []string{"+12025550143"}, RecordsSought: []string{"subscriber information"},
		Period: &Period{Start: Date{2026, 11, 1}, End: Date{2026, 11, 30}}}}
}

func TestJoinFollowUpPassesWhatItSupplies(t *testing.T) {
	r := emergencyLacking()
	if got := Missing(r.Checklist()); !slices.Equal(got, []ItemID{ItemDangerDescription, ItemUrgencyJustification}) {
		t.Fatalf("before: missing %v", got)
	}
	on := Date{2026, 12, 3}
	met := JoinFollowUp(r, FollowUp{On: on, At: on.In(time.UTC)},
		Facts{DangerDescribed: true, UrgencyJustified: true, Identifiers: []string{"+12025550199"}, SenderDomain: "gmail.com"})
	if !slices.Equal(met, []ItemID{ItemDangerDescription, ItemUrgencyJustification}) {
		t.Fatalf("met: %v", met)
	}
	res := r.Checklist()
	if m := Missing(res); len(m) != 0 {
		t.Fatalf("after: still missing %v", m)
	}
	for _, x := range res {
		if x.Item == ItemDangerDescription && x.Reason != "met by follow-up of Thu Dec 3, 2026" {
			t.Errorf("reason: %q", x.Reason)
		}
	}
	// What the original already had is not changed by the reply.
	if len(r.Facts.Identifiers) != 1 || r.Facts.SenderDomain != "police.example.gov" {
		t.Errorf("facts changed beyond the failed items: %+v", r.Facts)
	}
	if len(r.FollowUps) != 1 || !slices.Equal(r.FollowUps[0].Met, met) {
		t.Errorf("follow-ups: %+v", r.FollowUps)
	}
}

func TestJoinFollowUpKeepsHumanDecisions(t *testing.T) {
	r := emergencyLacking()
	r.Decisions = map[ItemID]Decision{ItemDangerDescription: {Outcome: Failed, By: "U1", Note: "not credible"}}
	met := JoinFollowUp(r, FollowUp{On: Date{2026, 12, 3}}, Facts{DangerDescribed: true})
	if len(met) != 0 {
		t.Fatalf("met %v despite a person's decision", met)
	}
	for _, x := range r.Checklist() {
		if x.Item == ItemDangerDescription && (x.Outcome != Failed || !strings.Contains(x.Reason, "not credible")) {
			t.Errorf("decision lost: %+v", x)
		}
	}
}

func TestJoinFollowUpWithNothingNew(t *testing.T) {
	r := emergencyLacking()
	if met := JoinFollowUp(r, FollowUp{On: Date{2026, 12, 3}}, Facts{}); len(met) != 0 {
		t.Fatalf("met %v from an empty follow-up", met)
	}
	if len(Missing(r.Checklist())) != 2 || len(r.FollowUps) != 1 {
		t.Fatalf("want the follow-up recorded and both items still missing")
	}
}
