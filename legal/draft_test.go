package legal

import (
	"testing"
	"time"
)

func TestNewDraft(t *testing.T) {
	c := laCalendar(t)
	ndoUntil := mustDate(t, "2027-11-24")
	letter := mustDate(t, "2026-11-24")
	tests := []struct {
		name         string
		f            Facts
		received     string
		wantDue      string
		wantPres     string // Expires, "" for none
		wantExtended bool
		wantNDO      bool
		wantNotice   Notice
		wantOrder    string // "" for none
	}{
		{
			name:     "subpoena",
			f:        Facts{Kinds: []Kind{KindSubpoena}},
			received: "2026-11-16T10:00:00-08:00",
			wantDue:  "2026-12-01T17:00:00-08:00",
		},
		{
			// 05:00 UTC on 27 Nov is 21:00 on Thanksgiving in Los Angeles:
			// the hold starts on the 26th, the response clock on Fri 27th.
			name:     "preservation received on Thanksgiving evening",
			f:        Facts{Kinds: []Kind{KindPreservation}},
			received: "2026-11-27T05:00:00Z",
			wantDue:  "2026-12-11T17:00:00-08:00",
			wantPres: "2027-02-24",
		},
		{
			name:         "preservation extension",
			f:            Facts{Kinds: []Kind{KindPreservation}, PreservationExtension: true},
			received:     "2026-11-16T10:00:00-08:00",
			wantDue:      "2026-12-01T17:00:00-08:00",
			wantPres:     "2027-02-14",
			wantExtended: true,
		},
		{
			name:     "emergency with preservation",
			f:        Facts{Kinds: []Kind{KindEmergency, KindPreservation}, Exigent: true},
			received: "2026-11-16T03:12:00-08:00",
			wantDue:  "2026-11-16T03:12:00-08:00",
			wantPres: "2027-02-14",
		},
		{
			name:       "hybrid order with NDO and stated deadline",
			f:          Facts{Kinds: []Kind{KindCourtOrder, KindPenTrap}, NDO: true, NDOUntil: &ndoUntil, LetterDate: &letter, Deadline: &Date{2026, time.December, 8}},
			received:   "2026-11-24T13:48:29-08:00",
			wantDue:    "2026-12-08T17:00:00-08:00",
			wantNDO:    true,
			wantNotice: NoticeBlocked,
			wantOrder:  "2027-01-22",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Verification{DKIM: "pass", Official: true}
			received := mustTime(t, tt.received)
			r := NewDraft(tt.f, v, received, "smtp", c)
			if r.Status != StatusNew || r.Source != "smtp" || !r.ReceivedAt.Equal(received) || r.Verification.DKIM != "pass" {
				t.Errorf("Status, Source, ReceivedAt, DKIM = %s, %s, %s, %s, want new, smtp, %s, pass",
					r.Status, r.Source, r.ReceivedAt, r.Verification.DKIM, received)
			}
			if want := mustTime(t, tt.wantDue); !r.Due.Equal(want) {
				t.Errorf("Due = %s, want %s", r.Due, want)
			}
			gotPres := ""
			if r.Preservation != nil {
				gotPres = r.Preservation.Expires.String()
				if r.Preservation.Extended != tt.wantExtended {
					t.Errorf("Preservation.Extended = %v, want %v", r.Preservation.Extended, tt.wantExtended)
				}
			}
			if gotPres != tt.wantPres {
				t.Errorf("Preservation.Expires = %q, want %q", gotPres, tt.wantPres)
			}
			if r.NDO.Active != tt.wantNDO || r.Notice != tt.wantNotice {
				t.Errorf("NDO.Active, Notice = %v, %q, want %v, %q", r.NDO.Active, r.Notice, tt.wantNDO, tt.wantNotice)
			}
			gotOrder := ""
			if r.OrderExpires != nil {
				gotOrder = r.OrderExpires.String()
			}
			if gotOrder != tt.wantOrder {
				t.Errorf("OrderExpires = %q, want %q", gotOrder, tt.wantOrder)
			}
		})
	}
}

func TestRequestChecklistAndSummary(t *testing.T) {
	r := Request{Facts: Facts{
		Kinds:          []Kind{KindSubpoena},
		SenderDomain:   "pd.example.org",
		LegalProcess:   true,
		Agent:          Agent{Phone: "+15555550100"},
		Identifiers:    []string{"+15555550123"},
		RecordsSought:  []string{"subscriber information"},
		SenderOfficial: false,
	}}
	s := Summarize(r.Checklist())
	if got, want := s.String(), "4/7 passed; missing official_domain, time_period; review agent_contact"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	if s.Complete() {
		t.Errorf("Complete() = true, want false")
	}
	r.Decisions = map[ItemID]Decision{
		ItemOfficialDomain: {Outcome: Passed, By: "U1", Note: "callback verified"},
		ItemTimePeriod:     {Outcome: Passed, By: "U1"},
		ItemAgentContact:   {Outcome: Passed, By: "U1"},
	}
	s = Summarize(r.Checklist())
	if got, want := s.String(), "7/7 passed"; got != want {
		t.Errorf("Summary with decisions = %q, want %q", got, want)
	}
	if !s.Complete() {
		t.Errorf("Complete() with decisions = false, want true")
	}
}

func TestBusinessDaysLeft(t *testing.T) {
	c := laCalendar(t)
	due := mustTime(t, "2026-12-01T17:00:00-08:00")
	tests := []struct {
		name string
		now  string
		want int
	}{
		{"at receipt", "2026-11-16T10:00:00-08:00", 10},
		{"evening before, given in UTC", "2026-12-01T06:00:00Z", 1},
		{"due day, after the deadline", "2026-12-01T18:00:00-08:00", 0},
		{"next business day", "2026-12-02T09:00:00-08:00", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.BusinessDaysLeft(mustTime(t, tt.now), due); got != tt.want {
				t.Errorf("BusinessDaysLeft(%s) = %d, want %d", tt.now, got, tt.want)
			}
		})
	}
}
