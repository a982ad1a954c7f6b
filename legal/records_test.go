package legal

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"202-555-0111", "+12025550111", ""},
		{"+1 (202) 555-0111", "+12025550111", ""},
		{"(202) 555.0111", "+12025550111", ""},
		{"+44 20 7946 0958", "+442079460958", ""},
		{"555-0111", "", "too few digits"},
		{"+1 202 555 0111 99999", "", "too many digits"},
		{"+999 20 7946 0958", "", "country code"},
		{"call 202 555 0111", "", "not a telephone number"},
		{"", "", "no telephone number"},
		{strings.Repeat("1", 100), "", "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePhone(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParsePhone(%q): got %q, %v; want an error saying %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParsePhone(%q): got %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFormatPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+12025550111":  "+1 202 555 0111",
		"+442079460958": "+44 20 7946 0958",
		"not a number":  "not a number",
	} {
		if got := FormatPhone(in); got != want {
			t.Errorf("FormatPhone(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestAmounts(t *testing.T) {
	tests := []struct {
		in    string
		cents int64
		err   bool
	}{
		{"250", 25000, false},
		{"$1,250.50", 125050, false},
		{"1250.5", 125050, false},
		{".75", 75, false},
		{"0", 0, true},
		{"-5", 0, true},
		{"12.345", 0, true},
		{"1e3", 0, true},
		{"$", 0, true},
		{"100000001", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if (err != nil) != tt.err || got != tt.cents {
			t.Errorf("ParseAmount(%q): got %d, %v; want %d (error %v)", tt.in, got, err, tt.cents, tt.err)
		}
	}
	for cents, want := range map[int64]string{0: "$0.00", 5: "$0.05", 125050: "$1,250.50", 100000000: "$1,000,000.00"} {
		if got := FormatAmount(cents); got != want {
			t.Errorf("FormatAmount(%d): got %q, want %q", cents, got, want)
		}
	}
}

func TestCostRule(t *testing.T) {
	tests := []struct {
		name  string
		facts Facts
		why   string
	}{
		{"subpoena", Facts{Kinds: []Kind{KindSubpoena}}, ""},
		{"emergency kind", Facts{Kinds: []Kind{KindEmergency}}, "emergency"},
		{"read as exigent", Facts{Kinds: []Kind{KindCourtOrder}, Exigent: true}, "emergency"},
		{"child endangerment", Facts{Kinds: []Kind{KindSearchWarrant}, ChildEndangerment: true}, "child endangerment"},
		{"both", Facts{Kinds: []Kind{KindEmergency}, ChildEndangerment: true}, "emergency / child endangerment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NoReimbursement(tt.facts); got != tt.why {
				t.Fatalf("NoReimbursement: got %q, want %q", got, tt.why)
			}
			r := &Request{ID: "LE-2026-0001", Facts: tt.facts}
			err := r.AddCost(Cost{Cents: 100, By: "U1", At: time.Unix(0, 0)})
			if tt.why != "" {
				if !errors.Is(err, ErrNoReimbursement) || len(r.Costs) != 0 {
					t.Fatalf("AddCost: got %v with %d costs, want ErrNoReimbursement and none", err, len(r.Costs))
				}
				return
			}
			if err != nil || r.TotalCost() != 100 {
				t.Fatalf("AddCost: got %v, total %d; want nil, 100", err, r.TotalCost())
			}
		})
	}
}

func TestOutcomeAndVerification(t *testing.T) {
	tests := []struct {
		status Status
		disp   Disposition
		want   string
	}{
		{StatusNew, "", "pending"},
		{StatusProducing, "", "pending"},
		{StatusResponded, DispositionProduced, "produced"},
		{StatusResponded, DispositionNoData, "no_data"},
		{StatusResponded, "", "not_recorded"},
		{StatusRejected, "", "rejected"},
		{StatusClosed, DispositionWithdrawn, "withdrawn"},
		{StatusClosed, "", "not_recorded"},
	}
	for _, tt := range tests {
		r := &Request{Status: tt.status, Disposition: tt.disp}
		if got := r.Outcome(); got != tt.want {
			t.Errorf("Outcome(%s, %q): got %q, want %q", tt.status, tt.disp, got, tt.want)
		}
	}
	for _, d := range Dispositions {
		if p, err := ParseDisposition(string(d)); err != nil || p != d {
			t.Errorf("ParseDisposition(%q): got %q, %v", d, p, err)
		}
	}
	if d, err := ParseDisposition("no-data"); err != nil || d.Status() != StatusResponded {
		t.Errorf("no-data: got %q %v, want a responded outcome", d, err)
	}
	if DispositionWithdrawn.Status() != StatusClosed || DispositionRejected.Status() != StatusRejected {
		t.Error("withdrawn must close and rejected must reject")
	}

	r := &Request{}
	if !r.Unverified() {
		t.Error("a non-official sender with no callback: got verified, want unverified")
	}
	r.Callbacks = append(r.Callbacks, Callback{Result: CallbackConfirmed})
	if r.Unverified() {
		t.Error("after a confirmed callback: got unverified")
	}
	r.Callbacks = append(r.Callbacks, Callback{Result: CallbackFailed})
	if !r.Unverified() {
		t.Error("a later failed callback: got verified, want unverified")
	}
	if (&Request{Verification: Verification{Official: true}}).Unverified() {
		t.Error("an official sender: got unverified")
	}
}
