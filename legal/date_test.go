package legal

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2026-11-26", Date{2026, time.November, 26}, false},
		{"2028-02-29", Date{2028, time.February, 29}, false},
		{"2027-02-29", Date{}, true},
		{"11/26/2026", Date{}, true},
		{"", Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("ParseDate(%q) = %v, %v, want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestDateAddDays(t *testing.T) {
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"within a month", "2026-11-16", 10, "2026-11-26"},
		{"across a month", "2026-11-26", 5, "2026-12-01"},
		{"across a year", "2026-12-30", 3, "2027-01-02"},
		{"back across a year", "2027-01-02", -3, "2026-12-30"},
		{"onto a leap day", "2028-02-28", 1, "2028-02-29"},
		{"past a non-leap February", "2027-02-28", 1, "2027-03-01"},
		{"over DST start is still one day", "2026-03-07", 1, "2026-03-08"},
		{"zero", "2026-11-26", 0, "2026-11-26"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustDate(t, tt.from).AddDays(tt.n); got != mustDate(t, tt.want) {
				t.Errorf("%s.AddDays(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestDateDaysUntilAndCompare(t *testing.T) {
	tests := []struct {
		name        string
		from, to    string
		wantDays    int
		wantCompare int
	}{
		{"same day", "2026-11-26", "2026-11-26", 0, 0},
		{"a year", "2026-01-01", "2027-01-01", 365, -1},
		{"a leap year", "2028-01-01", "2029-01-01", 366, -1},
		{"backwards", "2026-12-01", "2026-11-26", -5, 1},
		{"across DST end", "2026-10-31", "2026-11-02", 2, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := mustDate(t, tt.from), mustDate(t, tt.to)
			if got := from.DaysUntil(to); got != tt.wantDays {
				t.Errorf("%s.DaysUntil(%s) = %d, want %d", from, to, got, tt.wantDays)
			}
			if got := from.Compare(to); got != tt.wantCompare {
				t.Errorf("%s.Compare(%s) = %d, want %d", from, to, got, tt.wantCompare)
			}
			if got, want := from.Before(to), tt.wantCompare < 0; got != want {
				t.Errorf("%s.Before(%s) = %v, want %v", from, to, got, want)
			}
			if got, want := from.After(to), tt.wantCompare > 0; got != want {
				t.Errorf("%s.After(%s) = %v, want %v", from, to, got, want)
			}
		})
	}
}

func TestDateOfUsesOwnZone(t *testing.T) {
	la := mustLoc(t, "America/Los_Angeles")
	instant := time.Date(2026, time.November, 27, 5, 0, 0, 0, time.UTC)
	if got, want := DateOf(instant), (Date{2026, time.November, 27}); got != want {
		t.Errorf("DateOf(UTC) = %s, want %s", got, want)
	}
	if got, want := DateOf(instant.In(la)), (Date{2026, time.November, 26}); got != want {
		t.Errorf("DateOf(LA) = %s, want %s", got, want)
	}
}

func TestDateJSON(t *testing.T) {
	type holder struct {
		D  Date  `json:"d"`
		P  *Date `json:"p"`
		OZ Date  `json:"oz,omitzero"`
	}
	tests := []struct {
		name    string
		in      string
		want    holder
		wantOut string
		wantErr bool
	}{
		{"dates", `{"d":"2026-11-26","p":"2027-05-31"}`, holder{D: Date{2026, 11, 26}, P: &Date{2027, 5, 31}}, `{"d":"2026-11-26","p":"2027-05-31"}`, false},
		{"nulls", `{"d":null,"p":null}`, holder{}, `{"d":null,"p":null}`, false},
		{"empty string is zero", `{"d":"","p":""}`, holder{P: &Date{}}, `{"d":null,"p":null}`, false},
		{"bad date", `{"d":"2026-13-01"}`, holder{}, "", true},
		{"not a string", `{"d":20261126}`, holder{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got holder
			err := json.Unmarshal([]byte(tt.in), &got)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Unmarshal(%s) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if got.D != tt.want.D || (got.P == nil) != (tt.want.P == nil) || (got.P != nil && *got.P != *tt.want.P) {
				t.Errorf("Unmarshal(%s) = %+v, want %+v", tt.in, got, tt.want)
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.wantOut {
				t.Errorf("Marshal = %s, want %s", out, tt.wantOut)
			}
		})
	}
}

func TestDateStringAndIn(t *testing.T) {
	if got := (Date{}).String(); got != "" {
		t.Errorf("zero String = %q, want empty", got)
	}
	if got, want := (Date{2026, time.July, 3}).String(), "2026-07-03"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	la := mustLoc(t, "America/Los_Angeles")
	got := Date{2026, time.March, 8}.In(la)
	if want := time.Date(2026, time.March, 8, 8, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("In(LA) = %s, want %s", got, want)
	}
}
