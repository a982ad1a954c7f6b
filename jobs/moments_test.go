package jobs

import (
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// TestLatestDueMoment: which deadline reminder applies at a given instant.
func TestLatestDueMoment(t *testing.T) {
	cal := legal.NewCalendar(la)
	monday := at(2026, 3, 2, 10, 0)
	tests := []struct {
		name      string
		received  time.Time
		due       time.Time
		now       time.Time
		wantStage string // "" for none
		wantAt    time.Time
	}{
		{"nothing before 3 business days", monday, at(2026, 3, 16, 17, 0), at(2026, 3, 11, 8, 59), "", time.Time{}},
		{"3 business days", monday, at(2026, 3, 16, 17, 0), at(2026, 3, 11, 9, 0), "due-3", at(2026, 3, 11, 9, 0)},
		{"due day", monday, at(2026, 3, 16, 17, 0), at(2026, 3, 16, 16, 59), "due-0", at(2026, 3, 16, 9, 0)},
		{"overdue at the deadline", monday, at(2026, 3, 16, 17, 0), at(2026, 3, 16, 17, 0), "overdue", at(2026, 3, 16, 17, 0)},
		{"overdue skips the weekend", monday, at(2026, 3, 13, 17, 0), at(2026, 3, 15, 12, 0), "overdue", at(2026, 3, 13, 17, 0)},
		{"overdue next business morning", monday, at(2026, 3, 13, 17, 0), at(2026, 3, 16, 9, 0), "overdue", at(2026, 3, 16, 9, 0)},
		{"received after the 3-day moment", at(2026, 3, 11, 10, 0), at(2026, 3, 16, 17, 0), at(2026, 3, 12, 12, 0), "", time.Time{}},
		{"stated deadline on a Saturday: due-day reminder on Friday", monday, at(2026, 3, 14, 17, 0), at(2026, 3, 13, 9, 30), "due-0", at(2026, 3, 13, 9, 0)},
		{"stated deadline on a Saturday: nothing new on Saturday morning", monday, at(2026, 3, 14, 17, 0), at(2026, 3, 14, 12, 0), "due-0", at(2026, 3, 13, 9, 0)},
		{"stated deadline on a holiday (Thanksgiving): due-day reminder the day before", monday, at(2026, 11, 26, 17, 0), at(2026, 11, 25, 10, 0), "due-0", at(2026, 11, 25, 9, 0)},
		{"emergency: no reminder at receipt", monday, monday, at(2026, 3, 2, 16, 0), "", time.Time{}},
		{"emergency: overdue next morning", monday, monday, at(2026, 3, 3, 9, 0), "overdue", at(2026, 3, 3, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &legal.Request{ID: "LE-2026-0001", ReceivedAt: tt.received, Due: tt.due, Status: legal.StatusNew}
			m, ok := latest(dueMoments(cal, r, tt.now), tt.now, r.ReceivedAt)
			if tt.wantStage == "" {
				if ok {
					t.Errorf("got %s at %v, want none", m.stage, m.at)
				}
				return
			}
			if !ok || m.stage != tt.wantStage || !m.at.Equal(tt.wantAt) {
				t.Errorf("got %s at %v (ok %v), want %s at %v", m.stage, m.at, ok, tt.wantStage, tt.wantAt)
			}
		})
	}
}
