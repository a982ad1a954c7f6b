package legal

import "testing"

func TestOrderExpiry(t *testing.T) {
	period := func(start, end string) *Period {
		p := &Period{}
		if start != "" {
			p.Start = mustDate(t, start)
		}
		if end != "" {
			p.End = mustDate(t, end)
		}
		return p
	}
	letter := func(s string) *Date {
		d := mustDate(t, s)
		return &d
	}
	pen := []Kind{KindPenTrap}
	tap := []Kind{KindWiretap}
	tests := []struct {
		name string
		f    Facts
		want string // "" for nil
	}{
		{"subpoena has none", Facts{Kinds: []Kind{KindSubpoena}, Period: period("2026-11-03", "2027-01-01")}, ""},
		{"court order has none", Facts{Kinds: []Kind{KindCourtOrder}, LetterDate: letter("2026-11-03")}, ""},
		// Nov 3 is day 1; Nov 30 is day 28, Dec 31 day 59, Jan 1 day 60 (corpus case 06).
		{"pen/trap stated 60 days", Facts{Kinds: pen, Period: period("2026-11-03", "2027-01-01"), LetterDate: letter("2026-11-03")}, "2027-01-01"},
		{"pen/trap stated beyond 60 days is capped", Facts{Kinds: pen, Period: period("2026-11-03", "2027-03-01"), LetterDate: letter("2026-11-03")}, "2027-01-01"},
		{"pen/trap shorter than the cap", Facts{Kinds: pen, Period: period("2026-11-03", "2026-11-30")}, "2026-11-30"},
		{"pen/trap from the letter date alone", Facts{Kinds: pen, LetterDate: letter("2026-11-03")}, "2027-01-01"},
		{"pen/trap with only a period end", Facts{Kinds: pen, Period: period("", "2026-12-31")}, "2026-12-31"},
		{"pen/trap undated", Facts{Kinds: pen}, ""},
		// Letter Nov 13, collection Nov 16 (day 1) .. Dec 15 (day 30) (corpus case 07).
		{"wiretap stated 30 days", Facts{Kinds: tap, Period: period("2026-11-16", "2026-12-15"), LetterDate: letter("2026-11-13")}, "2026-12-15"},
		{"wiretap stated 60 days is capped at 30", Facts{Kinds: tap, Period: period("2026-11-16", "2027-01-14"), LetterDate: letter("2026-11-13")}, "2026-12-15"},
		// Historical period from Sep 1; the prospective window starts at the order, Nov 24 (day 1) .. Jan 22 (day 60) (corpus case 20).
		{"hybrid order starts at the letter date", Facts{Kinds: []Kind{KindCourtOrder, KindPenTrap}, Period: period("2026-09-01", "2027-01-22"), LetterDate: letter("2026-11-24")}, "2027-01-22"},
		{"hybrid order capped from the letter date", Facts{Kinds: []Kind{KindCourtOrder, KindPenTrap}, Period: period("2026-09-01", "2027-02-28"), LetterDate: letter("2026-11-24")}, "2027-01-22"},
		{"pen/trap and wiretap take the shorter limit", Facts{Kinds: []Kind{KindPenTrap, KindWiretap}, LetterDate: letter("2026-11-16")}, "2026-12-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if d := OrderExpiry(tt.f); d != nil {
				got = d.String()
				if got == "" {
					got = "zero date"
				}
			}
			if got != tt.want {
				t.Errorf("OrderExpiry = %q, want %q", got, tt.want)
			}
		})
	}
}
