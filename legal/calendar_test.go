package legal

import (
	"testing"
	"time"
)

func mustLoc(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func mustDate(tb testing.TB, s string) Date {
	tb.Helper()
	d, err := ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func mustTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func laCalendar(tb testing.TB) *Calendar {
	tb.Helper()
	return NewCalendar(mustLoc(tb, "America/Los_Angeles"))
}

func TestIsBusinessDay(t *testing.T) {
	c := laCalendar(t)
	tests := []struct {
		name string
		date string
		want bool
	}{
		{"Thanksgiving 2026", "2026-11-26", false},
		{"day after Thanksgiving is not federal", "2026-11-27", true},
		{"Christmas 2026", "2026-12-25", false},
		{"Christmas Eve 2026 by default", "2026-12-24", true},
		{"Independence Day 2026 observed Friday", "2026-07-03", false},
		{"Independence Day 2026 itself, a Saturday", "2026-07-04", false},
		{"Monday after Independence Day 2026", "2026-07-06", true},
		{"Independence Day 2027 observed Monday", "2027-07-05", false},
		{"Juneteenth 2026", "2026-06-19", false},
		{"Juneteenth 2027 observed Friday", "2027-06-18", false},
		{"Christmas 2027 observed Friday", "2027-12-24", false},
		{"New Year 2028 observed 31 Dec 2027", "2027-12-31", false},
		{"first Monday of 2028", "2028-01-03", true},
		{"MLK Day 2028", "2028-01-17", false},
		{"Columbus Day 2026", "2026-10-12", false},
		{"Veterans Day 2026", "2026-11-11", false},
		{"Saturday", "2026-03-07", false},
		{"Sunday", "2026-03-08", false},
		{"plain Monday", "2026-03-09", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsBusinessDay(mustDate(t, tt.date)); got != tt.want {
				t.Errorf("IsBusinessDay(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}

func TestCalendarClosures(t *testing.T) {
	eve := mustDate(t, "2026-12-24")
	c := NewCalendar(mustLoc(t, "America/Los_Angeles"), eve)
	if c.IsBusinessDay(eve) {
		t.Errorf("IsBusinessDay(%s) with a closure = true, want false", eve)
	}
	if got, want := c.Holiday(eve), "closure"; got != want {
		t.Errorf("Holiday(%s) = %q, want %q", eve, got, want)
	}
	if got, want := c.Holiday(mustDate(t, "2026-11-26")), "Thanksgiving Day"; got != want {
		t.Errorf("Holiday(2026-11-26) = %q, want %q", got, want)
	}
	if got := c.Holiday(mustDate(t, "2026-11-27")); got != "" {
		t.Errorf("Holiday(2026-11-27) = %q, want none", got)
	}
	if got, want := c.AddBusinessDays(mustDate(t, "2026-12-23"), 1), mustDate(t, "2026-12-28"); got != want {
		t.Errorf("AddBusinessDays(2026-12-23, 1) = %s, want %s", got, want)
	}
}

func TestAddBusinessDays(t *testing.T) {
	c := laCalendar(t)
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"over Thanksgiving", "2026-11-25", 1, "2026-11-27"},
		{"back over Thanksgiving", "2026-11-27", -1, "2026-11-25"},
		{"zero keeps a weekend day", "2026-07-04", 0, "2026-07-04"},
		{"from a Saturday", "2026-07-04", 1, "2026-07-06"},
		{"over observed New Year 2028", "2027-12-30", 1, "2028-01-03"},
		{"back over observed New Year 2028", "2028-01-03", -1, "2027-12-30"},
		{"into 2027 over New Year's Day", "2026-12-31", 1, "2027-01-04"},
		{"two weeks, no holidays", "2026-03-09", 10, "2026-03-23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddBusinessDays(mustDate(t, tt.from), tt.n)
			if want := mustDate(t, tt.want); got != want {
				t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.from, tt.n, got, want)
			}
		})
	}
}

func TestBusinessDaysBetween(t *testing.T) {
	c := laCalendar(t)
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"two weeks over Thanksgiving", "2026-11-16", "2026-12-01", 10},
		{"due today", "2026-12-01", "2026-12-01", 0},
		{"ten days overdue", "2026-12-01", "2026-11-16", -10},
		{"one day overdue", "2026-12-02", "2026-12-01", -1},
		{"Saturday to Monday", "2026-03-07", "2026-03-09", 1},
		{"Friday to Saturday", "2026-03-06", "2026-03-07", 0},
		{"over Thanksgiving", "2026-11-25", "2026-11-27", 1},
		{"over Christmas and New Year", "2026-12-24", "2027-01-04", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.BusinessDaysBetween(mustDate(t, tt.from), mustDate(t, tt.to))
			if got != tt.want {
				t.Errorf("BusinessDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestCalendarDateOf(t *testing.T) {
	c := laCalendar(t)
	// 03:00 UTC on 10 March is still 9 March in Los Angeles (PDT, UTC-7).
	got := c.DateOf(mustTime(t, "2026-03-10T03:00:00Z"))
	if want := mustDate(t, "2026-03-09"); got != want {
		t.Errorf("DateOf = %s, want %s", got, want)
	}
}

func TestEndOfBusinessDay(t *testing.T) {
	c := laCalendar(t)
	tests := []struct {
		name string
		date string
		want string
	}{
		{"standard time", "2026-01-15", "2026-01-15T17:00:00-08:00"},
		{"daylight time", "2026-07-15", "2026-07-15T17:00:00-07:00"},
		{"day DST starts", "2026-03-08", "2026-03-08T17:00:00-07:00"},
		{"day DST ends", "2026-11-01", "2026-11-01T17:00:00-08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.EndOfBusinessDay(mustDate(t, tt.date))
			if want := mustTime(t, tt.want); !got.Equal(want) {
				t.Errorf("EndOfBusinessDay(%s) = %s, want %s", tt.date, got, want)
			}
		})
	}
}
