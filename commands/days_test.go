package commands

import (
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// TestDayCacheMatchesCalendar asks the cache and the calendar the same
// questions, across a holiday, a weekend and a change of day.
func TestDayCacheMatchesCalendar(t *testing.T) {
	cal := legal.NewCalendar(la)
	d := newDayCache(cal)
	mon := time.Date(2026, 5, 18, 10, 0, 0, 0, la) // Memorial Day is May 25
	tests := []struct {
		name     string
		now, due time.Time
	}{
		{"same day", mon, mon.Add(5 * time.Hour)},
		{"across the holiday", mon, mon.AddDate(0, 0, 9)},
		{"asked again", mon.Add(time.Hour), mon.AddDate(0, 0, 9)},
		{"next day, same due", mon.AddDate(0, 0, 1), mon.AddDate(0, 0, 9)},
		{"weekend due", mon, mon.AddDate(0, 0, 5)},
		{"past due", mon, mon.AddDate(0, 0, -3)},
		{"back to the first day", mon, mon.AddDate(0, 0, 9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := d.businessDaysLeft(tt.now, tt.due), cal.BusinessDaysLeft(tt.now, tt.due); got != want {
				t.Fatalf("got %d, want %d", got, want)
			}
		})
	}
}
