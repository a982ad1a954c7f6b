package legal

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// received is when the requests in these tests arrived: Mon Nov 16, 2026.
var correctReceived = time.Date(2026, 11, 16, 10, 0, 0, 0, time.FixedZone("PST", -8*3600))

func draftOf(t *testing.T, f Facts) Request {
	t.Helper()
	r := NewDraft(f, Verification{}, correctReceived, "smtp", laCalendar(t))
	r.ID = "LE-2026-0001"
	StartPaging(&r, correctReceived)
	return r
}

func TestCorrect(t *testing.T) {
	cal := laCalendar(t)
	now := correctReceived.Add(2 * time.Hour)
	period := &Period{Start: mustDate(t, "2026-01-01"), End: mustDate(t, "2026-03-31")}
	ndoDate := mustDate(t, "2027-06-01")
	standard := Facts{Kinds: []Kind{KindSubpoena}, SenderDomain: "fbi.gov", SenderOfficial: true, LegalProcess: true,
		Agent: Agent{Name: "Dana Reyes", Email: "dana.reyes@fbi.gov"}, RecordsSought: []string{"subscriber information"},
		Identifiers: []string{"+12025550150"}}
	tests := []struct {
		name   string
		facts  Facts
		before func(r *Request) // the team's own changes before the correction
		set    func(f *Facts)
		check  func(t *testing.T, r *Request, c Corrected)
	}{
		{
			name:  "period stated: time_period passes, decisions stay",
			facts: standard,
			before: func(r *Request) {
				r.Decisions = map[ItemID]Decision{ItemLegalProcess: {Outcome: Failed, By: "U1"}}
			},
			set: func(f *Facts) { f.Period = period },
			check: func(t *testing.T, r *Request, c Corrected) {
				if !reflect.DeepEqual(c.Fields, []Field{FieldPeriod}) {
					t.Errorf("fields: got %v, want [period]", c.Fields)
				}
				if got := Missing(r.Checklist()); !reflect.DeepEqual(got, []ItemID{ItemLegalProcess}) {
					t.Errorf("missing: got %v, want only the team's decision [legal_process]", got)
				}
				if r.Corrections[FieldPeriod] != (Correction{By: "U0ALICE", At: now}) {
					t.Errorf("correction: got %+v", r.Corrections)
				}
				if c.Before.Period != nil {
					t.Errorf("before: got %v, want no period", c.Before.Period)
				}
			},
		},
		{
			name:  "stated deadline corrected: the due date follows, also over one a person set",
			facts: standard,
			before: func(r *Request) {
				r.Due, r.DueSetBy = cal.EndOfBusinessDay(mustDate(t, "2026-12-20")), "U1"
			},
			set: func(f *Facts) { d := mustDate(t, "2026-12-18"); f.Deadline = &d },
			check: func(t *testing.T, r *Request, c Corrected) {
				if want := cal.EndOfBusinessDay(mustDate(t, "2026-12-18")); !r.Due.Equal(want) || r.DueSetBy != "" {
					t.Errorf("due: got %v set by %q, want %v computed", r.Due, r.DueSetBy, want)
				}
			},
		},
		{
			name:  "kinds corrected: a deadline a person set stays",
			facts: standard,
			before: func(r *Request) {
				r.Due, r.DueSetBy = cal.EndOfBusinessDay(mustDate(t, "2026-12-20")), "U1"
			},
			set: func(f *Facts) { f.SetKinds([]Kind{KindSubpoena, KindPreservation}) },
			check: func(t *testing.T, r *Request, c Corrected) {
				if want := cal.EndOfBusinessDay(mustDate(t, "2026-12-20")); !r.Due.Equal(want) || r.DueSetBy != "U1" {
					t.Errorf("due: got %v set by %q, want the person's %v", r.Due, r.DueSetBy, want)
				}
				if r.Preservation == nil || r.Preservation.Expires != mustDate(t, "2027-02-14") {
					t.Errorf("preservation: got %+v, want 90 days from receipt", r.Preservation)
				}
			},
		},
		{
			name:  "corrected into an emergency: paged now, due at once",
			facts: standard,
			set:   func(f *Facts) { f.SetEmergency(true) },
			check: func(t *testing.T, r *Request, c Corrected) {
				if !c.PagingStarted || !r.NextEscalation.Equal(now) || r.EscalationStep != 0 {
					t.Errorf("paging: started %v, next %v step %d, want now step 0", c.PagingStarted, r.NextEscalation, r.EscalationStep)
				}
				if !r.Due.Equal(correctReceived) || !r.Facts.Exigent || r.Kind() != KindEmergency {
					t.Errorf("due %v exigent %v kind %s, want immediate emergency", r.Due, r.Facts.Exigent, r.Kind())
				}
				if !reflect.DeepEqual(c.Fields, []Field{FieldKinds, FieldEmergency}) {
					t.Errorf("fields: got %v", c.Fields)
				}
			},
		},
		{
			name:   "corrected into an emergency when closed: not paged",
			facts:  standard,
			before: func(r *Request) { r.Status = StatusClosed },
			set:    func(f *Facts) { f.SetEmergency(true) },
			check: func(t *testing.T, r *Request, c Corrected) {
				if c.PagingStarted || !r.NextEscalation.IsZero() {
					t.Errorf("paging: started %v next %v, want none", c.PagingStarted, r.NextEscalation)
				}
			},
		},
		{
			name:   "corrected out of an emergency: escalation stops, normal deadline",
			facts:  Facts{Kinds: []Kind{KindEmergency}, Exigent: true},
			before: func(r *Request) { r.EscalationStep = 2 },
			set:    func(f *Facts) { f.SetKinds([]Kind{KindSubpoena}) },
			check: func(t *testing.T, r *Request, c Corrected) {
				if !c.PagingStopped || !r.NextEscalation.IsZero() || r.Facts.Exigent {
					t.Errorf("paging: stopped %v next %v exigent %v", c.PagingStopped, r.NextEscalation, r.Facts.Exigent)
				}
				if want := cal.ResponseDue(correctReceived); !r.Due.Equal(want) {
					t.Errorf("due: got %v, want %v", r.Due, want)
				}
			},
		},
		{
			name:  "preservation kind removed: the automatic hold goes",
			facts: Facts{Kinds: []Kind{KindSubpoena, KindPreservation}},
			set:   func(f *Facts) { f.SetKinds([]Kind{KindSubpoena}) },
			check: func(t *testing.T, r *Request, c Corrected) {
				if r.Preservation != nil || c.PreservationKept {
					t.Errorf("preservation: got %+v kept %v, want none", r.Preservation, c.PreservationKept)
				}
			},
		},
		{
			name:   "preservation kind removed after the team extended it: the hold stays",
			facts:  Facts{Kinds: []Kind{KindSubpoena, KindPreservation}},
			before: func(r *Request) { _ = r.ExtendPreservation() },
			set:    func(f *Facts) { f.SetKinds([]Kind{KindSubpoena}) },
			check: func(t *testing.T, r *Request, c Corrected) {
				if r.Preservation == nil || !r.Preservation.Extended || !c.PreservationKept {
					t.Errorf("preservation: got %+v kept %v, want the extended hold kept", r.Preservation, c.PreservationKept)
				}
			},
		},
		{
			name:  "NDO corrected: recorded with its end, notice withheld",
			facts: standard,
			set:   func(f *Facts) { f.SetNDO(true, &ndoDate) },
			check: func(t *testing.T, r *Request, c Corrected) {
				if !r.NDO.Active || r.NDO.Until == nil || *r.NDO.Until != ndoDate || r.Notice != NoticeBlocked {
					t.Errorf("NDO %+v notice %q, want until %s and withheld", r.NDO, r.Notice, ndoDate)
				}
			},
		},
		{
			name:   "kinds corrected to pen/trap after the team lifted the NDO: the team's NDO stays",
			facts:  standard,
			before: func(r *Request) { r.NDO.SetUntil(mustDate(t, "2026-12-01")) },
			set:    func(f *Facts) { f.SetKinds([]Kind{KindPenTrap}); f.Period = period },
			check: func(t *testing.T, r *Request, c Corrected) {
				if r.NDO.Until == nil || *r.NDO.Until != mustDate(t, "2026-12-01") || !c.NDOKept {
					t.Errorf("NDO %+v kept %v, want the team's", r.NDO, c.NDOKept)
				}
			},
		},
		{
			name:  "records cleared: particular_records fails; added back with content: content follows, the warrant item fails",
			facts: standard,
			set:   func(f *Facts) { f.SetRecords(nil) },
			check: func(t *testing.T, r *Request, c Corrected) {
				if got := Missing(r.Checklist()); !reflect.DeepEqual(got, []ItemID{ItemParticularRecords, ItemTimePeriod}) {
					t.Errorf("missing: got %v, want particular_records and time_period", got)
				}
				to := r.Facts.Clone()
				to.SetRecords([]Record{RecordVoicemail, RecordSubscriber, RecordVoicemail})
				c = r.Correct(to, "U0ALICE", now, cal)
				if !reflect.DeepEqual(c.Fields, []Field{FieldRecords, FieldContentRequested}) || !r.Facts.ContentRequested {
					t.Errorf("fields: got %v, content %v; want records and content_requested", c.Fields, r.Facts.ContentRequested)
				}
				if got := r.Facts.Value(FieldRecords); got != "subscriber information, voicemail messages" {
					t.Errorf("records: got %q", got)
				}
				if got := Missing(r.Checklist()); !reflect.DeepEqual(got, []ItemID{ItemTimePeriod, ItemWarrantForContent}) {
					t.Errorf("missing: got %v, want time_period and warrant_for_content", got)
				}
			},
		},
		{
			name:  "pen/trap period corrected: the order's end follows",
			facts: Facts{Kinds: []Kind{KindPenTrap}, Period: period},
			set: func(f *Facts) {
				f.Period = &Period{Start: mustDate(t, "2026-11-20"), End: mustDate(t, "2026-12-10")}
			},
			check: func(t *testing.T, r *Request, c Corrected) {
				if r.OrderExpires == nil || *r.OrderExpires != mustDate(t, "2026-12-10") {
					t.Errorf("order expires: got %v, want 2026-12-10", r.OrderExpires)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := draftOf(t, tt.facts)
			if tt.before != nil {
				tt.before(&r)
			}
			to := r.Facts.Clone()
			tt.set(&to)
			c := r.Correct(to, "U0ALICE", now, cal)
			tt.check(t, &r, c)
			for _, fd := range c.Fields {
				if r.Corrections[fd].By != "U0ALICE" {
					t.Errorf("correction of %s not recorded: %+v", fd, r.Corrections)
				}
			}
		})
	}
}

// TestCorrectUnchanged: facts equal to the stored ones (kinds and
// identifiers in another order) change nothing at all.
func TestCorrectUnchanged(t *testing.T) {
	r := draftOf(t, Facts{Kinds: []Kind{KindSubpoena, KindPreservation}, Identifiers: []string{"+12025550150", "AC-1"}})
	before, _ := json.Marshal(r)
	to := r.Facts.Clone()
	to.Kinds = []Kind{KindPreservation, KindSubpoena}
	to.Identifiers = []string{"AC-1", "+12025550150"}
	c := r.Correct(to, "U0ALICE", correctReceived, laCalendar(t))
	after, _ := json.Marshal(r)
	if len(c.Fields) != 0 || string(before) != string(after) {
		t.Fatalf("got fields %v and a changed request %s, want nothing changed", c.Fields, after)
	}
	if r.Corrected(time.Time{}) {
		t.Fatal("Corrected: got true, want false")
	}
}

func TestCloneIsDeep(t *testing.T) {
	d := mustDate(t, "2026-12-18")
	f := Facts{Kinds: []Kind{KindSubpoena}, Identifiers: []string{"a"}, Deadline: &d,
		Period: &Period{Start: d, End: d}}
	g := f.Clone()
	g.Kinds[0], g.Identifiers[0] = KindWiretap, "b"
	g.Deadline.Day, g.Period.Start.Day = 1, 1
	if f.Kinds[0] != KindSubpoena || f.Identifiers[0] != "a" || f.Deadline.Day != 18 || f.Period.Start.Day != 18 {
		t.Fatalf("the original changed: %+v", f)
	}
}

func TestFieldValues(t *testing.T) {
	until := mustDate(t, "2027-06-01")
	deadline := mustDate(t, "2026-12-18")
	tests := []struct {
		name  string
		f     Facts
		field Field
		want  string
	}{
		{"no period", Facts{}, FieldPeriod, "none"},
		{"period in one year", Facts{Period: &Period{Start: mustDate(t, "2026-01-01"), End: mustDate(t, "2026-03-31")}}, FieldPeriod, "Jan 1 – Mar 31, 2026"},
		{"period across years", Facts{Period: &Period{Start: mustDate(t, "2025-12-01"), End: mustDate(t, "2026-01-31")}}, FieldPeriod, "Dec 1, 2025 – Jan 31, 2026"},
		{"period to present", Facts{Period: &Period{Start: mustDate(t, "2026-01-01")}}, FieldPeriod, "Jan 1, 2026 to present"},
		{"deadline", Facts{Deadline: &deadline}, FieldDeadline, "Dec 18, 2026"},
		{"kinds", Facts{Kinds: []Kind{KindSubpoena, KindPreservation}}, FieldKinds, "Subpoena, Preservation"},
		{"no kinds", Facts{}, FieldKinds, "none"},
		{"agent", Facts{Agent: Agent{Name: "Dana Reyes", Phone: "+12025550111"}}, FieldAgent, "Dana Reyes · +1 202 555 0111"},
		{"NDO with end", Facts{NDO: true, NDOUntil: &until}, FieldNDO, "until Jun 1, 2027"},
		{"NDO without end", Facts{NDO: true}, FieldNDO, "until further order"},
		{"emergency from the kind", Facts{Kinds: []Kind{KindEmergency}}, FieldEmergency, "yes"},
		{"no ToS action", Facts{}, FieldNoToSAction, "no"},
		{"records by category", Facts{Records: []Record{RecordSubscriber, RecordCallDetail}}, FieldRecords, "subscriber information, call detail records"},
		{"records as entered", Facts{RecordsSought: []string{"toll records"}, Records: []Record{RecordCallDetail}}, FieldRecords, "toll records"},
		{"no records", Facts{}, FieldRecords, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Value(tt.field); got != tt.want {
				t.Errorf("Value(%s): got %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}

func TestSetKindsAndEmergency(t *testing.T) {
	var f Facts
	f.SetKinds([]Kind{KindSubpoena, KindUnclassified, KindSubpoena, KindEmergency})
	if !reflect.DeepEqual(f.Kinds, []Kind{KindSubpoena, KindEmergency}) || !f.Exigent {
		t.Fatalf("SetKinds: got %v exigent %v", f.Kinds, f.Exigent)
	}
	f.SetEmergency(false)
	if !reflect.DeepEqual(f.Kinds, []Kind{KindSubpoena}) || f.Exigent {
		t.Fatalf("SetEmergency(false): got %v exigent %v", f.Kinds, f.Exigent)
	}
}

// TestSetRecordsContent: content_requested follows the records when it
// followed them before, and stays when it did not.
func TestSetRecordsContent(t *testing.T) {
	preserve := Facts{Kinds: []Kind{KindPreservation}}
	preserve.SetRecords([]Record{RecordMessageContent})
	if preserve.ContentRequested {
		t.Error("a preservation of content requests content")
	}
	f := Facts{Kinds: []Kind{KindSearchWarrant}}
	f.SetRecords([]Record{RecordRecordings})
	if !f.ContentRequested || !reflect.DeepEqual(f.RecordsSought, []string{"call recordings"}) {
		t.Fatalf("warrant for recordings: content %v, sought %v", f.ContentRequested, f.RecordsSought)
	}
	f.SetRecords([]Record{RecordSubscriber})
	if f.ContentRequested {
		t.Error("content stays requested after the content records were removed")
	}
	f.ContentRequested = true // the reader judged so from the letter's words
	f.SetRecords([]Record{RecordSubscriber, RecordBilling})
	if !f.ContentRequested {
		t.Error("a content_requested that did not follow the records was changed")
	}
	f.SetRecords([]Record{"no_such", RecordBilling})
	if !reflect.DeepEqual(f.Records, []Record{RecordBilling}) {
		t.Errorf("unknown ids kept: %v", f.Records)
	}
}
