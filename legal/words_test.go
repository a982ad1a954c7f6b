package legal

import (
	"errors"
	"testing"
	"time"
)

func TestTimeLabelUsesTheTeamZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	at := time.Date(2026, 12, 11, 1, 0, 0, 0, time.UTC) // still Dec 10 in Los Angeles
	if got, want := TimeLabel(at, la), "Thu Dec 10, 2026 17:00 PST"; got != want {
		t.Errorf("TimeLabel: got %q, want %q", got, want)
	}
	if got, want := DayLabel(at, la), "Thu Dec 10, 2026"; got != want {
		t.Errorf("DayLabel: got %q, want %q", got, want)
	}
	if got := TimeLabel(time.Time{}, la); got != "" {
		t.Errorf("TimeLabel(zero): got %q, want empty", got)
	}
	if got, want := (Date{2027, 3, 3}).Long(), "Wed Mar 3, 2027"; got != want {
		t.Errorf("Date.Long: got %q, want %q", got, want)
	}
}

func TestParseDateSaysWhyADayDoesNotExist(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"2026-02-30", "2026-02-30 is not a date (February has 28 days in 2026)"},
		{"2028-02-30", "2028-02-30 is not a date (February has 29 days in 2028)"},
		{"2026-04-31", "2026-04-31 is not a date (April has 30 days in 2026)"},
		{"2026-13-01", "2026-13-01 is not a date (months run from 01 to 12)"},
		{"2026-01-00", "2026-01-00 is not a date (January has 31 days in 2026)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseDate(tt.in)
			var nd *NoSuchDateError
			if !errors.As(err, &nd) || err.Error() != tt.want {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := ParseDate("next week"); err == nil || errors.As(err, new(*NoSuchDateError)) {
		t.Errorf("malformed: got %v, want a format error", err)
	}
	if d, err := ParseDate("2028-02-29"); err != nil || d != (Date{2028, 2, 29}) {
		t.Errorf("leap day: got %v, %v", d, err)
	}
}
