package legal

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestItemsFor(t *testing.T) {
	standard := []ItemID{ItemOfficialDomain, ItemLegalProcess, ItemAgentContact, ItemParticularRecords, ItemAccountIdentifier, ItemTimePeriod, ItemWarrantForContent}
	emergency := []ItemID{ItemOfficialDomain, ItemDangerDescription, ItemUrgencyJustification, ItemAgentContact, ItemParticularRecords, ItemAccountIdentifier, ItemTimePeriod, ItemWarrantForContent}
	preservation := []ItemID{ItemOfficialDomain, ItemAgentContact, ItemParticularRecords, ItemAccountIdentifier, ItemTimePeriod, ItemWarrantForContent}
	tests := []struct {
		name  string
		kinds []Kind
		want  []ItemID
	}{
		{"subpoena", []Kind{KindSubpoena}, standard},
		{"court order", []Kind{KindCourtOrder}, standard},
		{"search warrant", []Kind{KindSearchWarrant}, standard},
		{"pen/trap", []Kind{KindPenTrap}, standard},
		{"wiretap", []Kind{KindWiretap}, standard},
		{"emergency", []Kind{KindEmergency}, emergency},
		{"preservation", []Kind{KindPreservation}, preservation},
		{"unclassified gets the standard list", []Kind{KindUnclassified}, standard},
		{"no kinds gets the standard list", nil, standard},
		{"emergency and preservation", []Kind{KindEmergency, KindPreservation}, emergency},
		{"hybrid order and pen/trap", []Kind{KindCourtOrder, KindPenTrap}, standard},
		{"subpoena and emergency, in display order", []Kind{KindEmergency, KindSubpoena},
			[]ItemID{ItemOfficialDomain, ItemLegalProcess, ItemDangerDescription, ItemUrgencyJustification, ItemAgentContact, ItemParticularRecords, ItemAccountIdentifier, ItemTimePeriod, ItemWarrantForContent}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ItemsFor(tt.kinds); !slices.Equal(got, tt.want) {
				t.Errorf("ItemsFor(%v) = %v, want %v", tt.kinds, got, tt.want)
			}
		})
	}
}

// completeSubpoena passes every standard item.
func completeSubpoena() Facts {
	period := Period{Start: Date{2026, time.January, 1}, End: Date{2026, time.March, 31}}
	return Facts{
		Kinds:          []Kind{KindSubpoena},
		SenderDomain:   "usdoj.gov",
		SenderOfficial: true,
		LegalProcess:   true,
		Agent:          Agent{Name: "Dana Reyes", Email: "dana.reyes@usdoj.gov"},
		Identifiers:    []string{"+15555550123"},
		RecordsSought:  []string{"subscriber information"},
		Period:         &period,
	}
}

func outcomes(results []ItemResult) map[ItemID]Outcome {
	m := map[ItemID]Outcome{}
	for _, r := range results {
		m[r.Item] = r.Outcome
	}
	return m
}

func TestEvaluateItems(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(f *Facts)
		item   ItemID
		want   Outcome
		reason string // a substring of the reason
	}{
		{"complete subpoena, domain", func(f *Facts) {}, ItemOfficialDomain, Passed, "usdoj.gov"},
		{"unofficial domain", func(f *Facts) { f.SenderDomain, f.SenderOfficial = "pd.example.org", false }, ItemOfficialDomain, Failed, "callback"},
		{"no sender domain", func(f *Facts) { f.SenderDomain = "" }, ItemOfficialDomain, Failed, "no sender domain"},
		{"no legal process", func(f *Facts) { f.LegalProcess = false }, ItemLegalProcess, Failed, "no enforceable"},
		{"agent with phone only", func(f *Facts) { f.Agent = Agent{Name: "Dana Reyes", Phone: "+15555550100"} }, ItemAgentContact, Passed, "Dana Reyes"},
		{"agent without contact", func(f *Facts) { f.Agent = Agent{Name: "Dana Reyes"} }, ItemAgentContact, Failed, "no phone or e-mail"},
		{"contact without agent", func(f *Facts) { f.Agent = Agent{Email: "desk@usdoj.gov"} }, ItemAgentContact, NeedsReview, "no agent named"},
		{"no agent", func(f *Facts) { f.Agent = Agent{} }, ItemAgentContact, Failed, "no agent named"},
		{"no records", func(f *Facts) { f.RecordsSought = nil }, ItemParticularRecords, Failed, "not stated"},
		{"no identifiers", func(f *Facts) { f.Identifiers = nil }, ItemAccountIdentifier, Failed, "no phone number"},
		{"no period", func(f *Facts) { f.Period = nil }, ItemTimePeriod, Failed, "no time period"},
		// "From account creation to the present" (corpus README): the
		// account's own start fixes the range.
		{"period from account opening", func(f *Facts) { f.Period = &Period{End: Date{2026, time.March, 31}} }, ItemTimePeriod, Passed, "from the account's opening to Mar 31, 2026"},
		{"empty period", func(f *Facts) { f.Period = &Period{} }, ItemTimePeriod, Failed, "no time period"},
		{"records by category", func(f *Facts) { f.RecordsSought, f.Records = nil, []Record{RecordCallDetail} }, ItemParticularRecords, Passed, "call detail records"},
		{"complete subpoena, period", func(f *Facts) {}, ItemTimePeriod, Passed, "Jan 1 – Mar 31, 2026"},
		// warrant_for_content: only a warrant or an intercept order reaches content.
		{"no content", func(f *Facts) {}, ItemWarrantForContent, Passed, "no content"},
		{"content by subpoena", func(f *Facts) { f.ContentRequested = true }, ItemWarrantForContent, Failed, "without a search warrant"},
		{"content by court order", func(f *Facts) { f.Kinds, f.ContentRequested = []Kind{KindCourtOrder}, true }, ItemWarrantForContent, Failed, "without a search warrant"},
		{"content by search warrant", func(f *Facts) { f.Kinds, f.ContentRequested = []Kind{KindSearchWarrant}, true }, ItemWarrantForContent, Passed, "under a warrant"},
		{"content by wiretap", func(f *Facts) { f.Kinds, f.ContentRequested = []Kind{KindWiretap}, true }, ItemWarrantForContent, Passed, "under a warrant"},
		{"content by order plus warrant", func(f *Facts) { f.Kinds, f.ContentRequested = []Kind{KindCourtOrder, KindSearchWarrant}, true }, ItemWarrantForContent, Passed, "under a warrant"},
		{"emergency danger missing", func(f *Facts) { f.Kinds = []Kind{KindEmergency} }, ItemDangerDescription, Failed, "no danger"},
		{"emergency danger described", func(f *Facts) { f.Kinds, f.DangerDescribed = []Kind{KindEmergency}, true }, ItemDangerDescription, Passed, "danger described"},
		{"emergency urgency missing", func(f *Facts) { f.Kinds = []Kind{KindEmergency} }, ItemUrgencyJustification, Failed, "too slow"},
		{"emergency urgency justified", func(f *Facts) { f.Kinds, f.UrgencyJustified = []Kind{KindEmergency}, true }, ItemUrgencyJustification, Passed, "urgency justified"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := completeSubpoena()
			tt.edit(&f)
			var got *ItemResult
			for _, r := range Evaluate(f, nil) {
				if r.Item == tt.item {
					got = &r
				}
			}
			if got == nil {
				t.Fatalf("item %s not evaluated", tt.item)
			}
			if got.Outcome != tt.want || got.Auto != tt.want {
				t.Errorf("%s outcome, auto = %s, %s, want %s", tt.item, got.Outcome, got.Auto, tt.want)
			}
			if !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("%s reason = %q, want it to contain %q", tt.item, got.Reason, tt.reason)
			}
			if got.Decision != nil {
				t.Errorf("%s decision = %+v, want none", tt.item, got.Decision)
			}
		})
	}
}

func TestEvaluateDecisions(t *testing.T) {
	at := time.Date(2026, time.November, 26, 10, 0, 0, 0, time.UTC)
	f := completeSubpoena()
	f.SenderDomain, f.SenderOfficial = "pd.example.org", false
	f.Period = nil
	tests := []struct {
		name        string
		decisions   map[ItemID]Decision
		wantMissing []ItemID
		wantReason  map[ItemID]string
	}{
		{"no decisions", nil, []ItemID{ItemOfficialDomain, ItemTimePeriod}, nil},
		{
			"a pass overrides a failure",
			map[ItemID]Decision{ItemOfficialDomain: {Outcome: Passed, By: "U123", At: at, Note: "callback to the PD main line"}},
			[]ItemID{ItemTimePeriod},
			map[ItemID]string{ItemOfficialDomain: "decided by <@U123>: callback to the PD main line"},
		},
		{
			"a failure overrides a pass",
			map[ItemID]Decision{ItemLegalProcess: {Outcome: Failed, By: "U9", At: at}},
			[]ItemID{ItemOfficialDomain, ItemLegalProcess, ItemTimePeriod},
			map[ItemID]string{ItemLegalProcess: "decided by <@U9>"},
		},
		{
			"a decision on an item not on the checklist is ignored",
			map[ItemID]Decision{ItemDangerDescription: {Outcome: Failed, By: "U9", At: at}},
			[]ItemID{ItemOfficialDomain, ItemTimePeriod},
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results := Evaluate(f, tt.decisions)
			if got := Missing(results); !slices.Equal(got, tt.wantMissing) {
				t.Errorf("Missing = %v, want %v", got, tt.wantMissing)
			}
			if len(results) != 7 {
				t.Errorf("got %d results, want 7", len(results))
			}
			for _, r := range results {
				d, decided := tt.decisions[r.Item]
				if decided != (r.Decision != nil) {
					t.Errorf("%s decision present = %v, want %v", r.Item, r.Decision != nil, decided)
					continue
				}
				if !decided {
					continue
				}
				if *r.Decision != d || r.Outcome != d.Outcome {
					t.Errorf("%s decision, outcome = %+v, %s, want %+v, %s", r.Item, *r.Decision, r.Outcome, d, d.Outcome)
				}
				if want := tt.wantReason[r.Item]; r.Reason != want {
					t.Errorf("%s reason = %q, want %q", r.Item, r.Reason, want)
				}
				if auto := outcomes(Evaluate(f, nil))[r.Item]; r.Auto != auto {
					t.Errorf("%s auto = %s, want the automatic %s", r.Item, r.Auto, auto)
				}
			}
		})
	}
}

func TestMissingEmpty(t *testing.T) {
	got := Missing(Evaluate(completeSubpoena(), nil))
	if got == nil || len(got) != 0 {
		t.Errorf("Missing for a complete subpoena = %#v, want an empty non-nil slice (JSON [])", got)
	}
}

func TestParseItemAndOutcome(t *testing.T) {
	items := []struct {
		in      string
		want    ItemID
		wantErr bool
	}{
		{"time_period", ItemTimePeriod, false},
		{"Warrant_For_Content", ItemWarrantForContent, false},
		{"time period", "", true},
	}
	for _, tt := range items {
		t.Run("item "+tt.in, func(t *testing.T) {
			got, err := ParseItem(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("ParseItem(%q) = %q, %v, want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
	outs := []struct {
		in      string
		want    Outcome
		wantErr bool
	}{
		{"pass", Passed, false},
		{"FAILED", Failed, false},
		{"review", NeedsReview, false},
		{"maybe", "", true},
	}
	for _, tt := range outs {
		t.Run("outcome "+tt.in, func(t *testing.T) {
			got, err := ParseOutcome(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("ParseOutcome(%q) = %q, %v, want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestItemLabels(t *testing.T) {
	for _, it := range Items {
		t.Run(string(it), func(t *testing.T) {
			if got := it.Label(); got == "" || got == string(it) {
				t.Errorf("Label(%s) = %q, want a readable label", it, got)
			}
		})
	}
}

// TestEvaluateNotRequest: mail that carries no request (an auto-reply, an
// announcement) has no checklist, whatever else was read from it.
func TestEvaluateNotRequest(t *testing.T) {
	f := completeSubpoena()
	f.Kinds, f.NotRequest = nil, "an automatic reply"
	if got := Evaluate(f, nil); len(got) != 0 {
		t.Errorf("got %d items, want none", len(got))
	}
	if got := Missing(Evaluate(f, nil)); got == nil || len(got) != 0 {
		t.Errorf("Missing: got %v, want an empty list", got)
	}
}
