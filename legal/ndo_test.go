package legal

import "testing"

func TestNDOFrom(t *testing.T) {
	until := mustDate(t, "2027-05-31")
	tests := []struct {
		name       string
		f          Facts
		wantActive bool
		wantUntil  string // "" for none
	}{
		{"no NDO", Facts{Kinds: []Kind{KindSubpoena}}, false, ""},
		{"NDO with end date", Facts{Kinds: []Kind{KindSearchWarrant}, NDO: true, NDOUntil: &until}, true, "2027-05-31"},
		{"NDO without end date", Facts{Kinds: []Kind{KindCourtOrder}, NDO: true}, true, ""},
		{"NDO with zero end date is indefinite", Facts{Kinds: []Kind{KindCourtOrder}, NDO: true, NDOUntil: &Date{}}, true, ""},
		{"pen/trap sealed by statute", Facts{Kinds: []Kind{KindPenTrap}}, true, ""},
		{"wiretap sealed by statute", Facts{Kinds: []Kind{KindWiretap}}, true, ""},
		{"hybrid order with end date", Facts{Kinds: []Kind{KindCourtOrder, KindPenTrap}, NDO: true, NDOUntil: &until}, true, "2027-05-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := NDOFrom(tt.f)
			if n.Active != tt.wantActive {
				t.Errorf("Active = %v, want %v", n.Active, tt.wantActive)
			}
			got := ""
			if n.Until != nil {
				got = n.Until.String()
			}
			if got != tt.wantUntil {
				t.Errorf("Until = %q, want %q", got, tt.wantUntil)
			}
		})
	}
}

func TestNDOFromCopiesUntil(t *testing.T) {
	until := mustDate(t, "2027-05-31")
	f := Facts{NDO: true, NDOUntil: &until}
	n := NDOFrom(f)
	n.Until.Day = 1
	if got, want := f.NDOUntil.String(), "2027-05-31"; got != want {
		t.Errorf("facts NDOUntil after editing the NDO = %s, want %s", got, want)
	}
}

func TestNoticeAllowed(t *testing.T) {
	until := mustDate(t, "2027-05-31")
	tests := []struct {
		name     string
		n        NDO
		today    string
		want     bool
		wantDays int
		wantOK   bool
	}{
		{"no NDO", NDO{}, "2026-11-26", true, 0, false},
		{"before end date", NDO{Active: true, Until: &until}, "2027-05-30", false, 1, true},
		{"on end date", NDO{Active: true, Until: &until}, "2027-05-31", false, 0, true},
		{"day after end date", NDO{Active: true, Until: &until}, "2027-06-01", true, -1, true},
		{"indefinite", NDO{Active: true}, "2099-01-01", false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			if got := tt.n.NoticeAllowed(today); got != tt.want {
				t.Errorf("NoticeAllowed(%s) = %v, want %v", tt.today, got, tt.want)
			}
			days, ok := tt.n.DaysLeft(today)
			if days != tt.wantDays || ok != tt.wantOK {
				t.Errorf("DaysLeft(%s) = %d, %v, want %d, %v", tt.today, days, ok, tt.wantDays, tt.wantOK)
			}
		})
	}
}

func TestNDOSetters(t *testing.T) {
	today := mustDate(t, "2026-12-01")
	var n NDO
	n.SetIndefinite()
	if !n.Indefinite() || n.NoticeAllowed(today) {
		t.Errorf("after SetIndefinite: Indefinite=%v NoticeAllowed=%v, want true, false", n.Indefinite(), n.NoticeAllowed(today))
	}
	n.SetUntil(mustDate(t, "2026-11-30"))
	if n.Indefinite() || !n.NoticeAllowed(today) {
		t.Errorf("after SetUntil(yesterday): Indefinite=%v NoticeAllowed=%v, want false, true", n.Indefinite(), n.NoticeAllowed(today))
	}
	n.Clear()
	if n.Active || n.Until != nil || !n.NoticeAllowed(today) {
		t.Errorf("after Clear = %+v, want the zero NDO", n)
	}
}
