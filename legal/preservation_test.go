package legal

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestNewPreservation(t *testing.T) {
	tests := []struct {
		name        string
		start       string
		wantExpires string
		wantExtend  string // Expires after the one extension
	}{
		// Nov 27..30 (4) + Dec (35) + Jan (66) + Feb 1..24 (90); then Feb 25..28 (4) + Mar (35) + Apr (65) + May 1..25 (90).
		{"received Thanksgiving 2026", "2026-11-26", "2027-02-24", "2027-05-25"},
		// Dec 2..31 (30) + Jan (61) + Feb 1..29 (90), a leap day.
		{"into a leap February", "2027-12-01", "2028-02-29", "2028-05-29"},
		{"across the year end", "2026-10-15", "2027-01-13", "2027-04-13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPreservation(mustDate(t, tt.start))
			if got, want := p.Expires, mustDate(t, tt.wantExpires); got != want {
				t.Errorf("Expires = %s, want %s", got, want)
			}
			if p.Extended || p.Released {
				t.Errorf("new preservation Extended=%v Released=%v, want both false", p.Extended, p.Released)
			}
			if err := p.Extend(); err != nil {
				t.Fatalf("first Extend: %v", err)
			}
			if got, want := p.Expires, mustDate(t, tt.wantExtend); got != want {
				t.Errorf("Expires after Extend = %s, want %s", got, want)
			}
			if got, want := p.Start, mustDate(t, tt.start); got != want {
				t.Errorf("Start after Extend = %s, want %s", got, want)
			}
		})
	}
}

func TestPreservationExtendRefused(t *testing.T) {
	start := mustDate(t, "2026-11-26")
	tests := []struct {
		name    string
		prep    func(p *Preservation)
		wantErr error
	}{
		{"second extension", func(p *Preservation) { _ = p.Extend() }, ErrExtensionUsed},
		{"request that is itself the extension", func(p *Preservation) { *p = NewPreservationExtension(start) }, ErrExtensionUsed},
		{"released", func(p *Preservation) { p.Release(start.AddDays(10)) }, ErrReleased},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPreservation(start)
			tt.prep(&p)
			before := p
			err := p.Extend()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Extend error = %v, want %v", err, tt.wantErr)
			}
			if p != before {
				t.Errorf("refused Extend changed p: got %+v, want %+v", p, before)
			}
		})
	}
}

func TestRequestExtendPreservation(t *testing.T) {
	p := NewPreservation(mustDate(t, "2026-11-26"))
	r := &Request{ID: "LE-2026-0042", Preservation: &p}
	if err := r.ExtendPreservation(); err != nil {
		t.Fatalf("first ExtendPreservation: %v", err)
	}
	err := r.ExtendPreservation()
	want := "LE-2026-0042 preservation was already extended once; 18 U.S.C. 2703(f) allows one 90-day extension — a longer hold needs new process"
	if err == nil || err.Error() != want {
		t.Errorf("second ExtendPreservation error = %v, want %q", err, want)
	}
	if !errors.Is(err, ErrExtensionUsed) {
		t.Errorf("errors.Is(%v, ErrExtensionUsed) = false, want true", err)
	}
	none := &Request{ID: "LE-2026-0043"}
	if err := none.ExtendPreservation(); err == nil || !strings.Contains(err.Error(), "LE-2026-0043") {
		t.Errorf("ExtendPreservation without preservation = %v, want an error naming LE-2026-0043", err)
	}
}

func TestPreservationSetStart(t *testing.T) {
	p := NewPreservation(mustDate(t, "2026-11-26"))
	p.SetStart(mustDate(t, "2026-12-01"))
	// Dec 2..31 (30) + Jan (61) + Feb (89) + Mar 1 (90).
	if got, want := p.Expires, mustDate(t, "2027-03-01"); got != want {
		t.Errorf("Expires after SetStart = %s, want %s", got, want)
	}
	_ = p.Extend()
	p.SetStart(mustDate(t, "2026-12-01"))
	// Mar 2..31 (30) + Apr (60) + May 1..30 (90).
	if got, want := p.Expires, mustDate(t, "2027-05-30"); got != want {
		t.Errorf("Expires after Extend and SetStart = %s, want %s", got, want)
	}
}

func TestPreservationDaysLeftAndActive(t *testing.T) {
	p := NewPreservation(mustDate(t, "2026-11-26")) // last preserved day 2027-02-24
	released := p
	released.Release(mustDate(t, "2027-01-05"))
	tests := []struct {
		name       string
		p          Preservation
		today      string
		wantDays   int
		wantActive bool
	}{
		{"day of receipt", p, "2026-11-26", 90, true},
		{"ten days left", p, "2027-02-14", 10, true},
		{"last preserved day", p, "2027-02-24", 0, true},
		{"day after", p, "2027-02-25", -1, false},
		{"released", released, "2027-01-06", 49, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			if got := tt.p.DaysLeft(today); got != tt.wantDays {
				t.Errorf("DaysLeft(%s) = %d, want %d", tt.today, got, tt.wantDays)
			}
			if got := tt.p.Active(today); got != tt.wantActive {
				t.Errorf("Active(%s) = %v, want %v", tt.today, got, tt.wantActive)
			}
		})
	}
}

func TestPreservationFor(t *testing.T) {
	day := mustDate(t, "2026-11-26")
	tests := []struct {
		name         string
		f            Facts
		want         bool
		wantExtended bool
	}{
		{"subpoena", Facts{Kinds: []Kind{KindSubpoena}}, false, false},
		{"preservation", Facts{Kinds: []Kind{KindPreservation}}, true, false},
		{"emergency with preservation", Facts{Kinds: []Kind{KindEmergency, KindPreservation}}, true, false},
		{"extension request", Facts{Kinds: []Kind{KindPreservation}, PreservationExtension: true}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := PreservationFor(tt.f, day)
			if (p != nil) != tt.want {
				t.Fatalf("PreservationFor = %+v, want present=%v", p, tt.want)
			}
			if p == nil {
				return
			}
			if p.Start != day || p.Expires != mustDate(t, "2027-02-24") {
				t.Errorf("Start, Expires = %s, %s, want 2026-11-26, 2027-02-24", p.Start, p.Expires)
			}
			if p.Extended != tt.wantExtended {
				t.Errorf("Extended = %v, want %v", p.Extended, tt.wantExtended)
			}
		})
	}
}

func TestPreservationJSON(t *testing.T) {
	p := NewPreservation(mustDate(t, "2026-11-26"))
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"start":"2026-11-26","expires":"2027-02-24","extended":false}`
	if string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	p.Release(mustDate(t, "2027-01-05"))
	b, _ = json.Marshal(p)
	var back Preservation
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != p {
		t.Errorf("round trip = %+v, want %+v", back, p)
	}
}
