package bot

import (
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// TestStillApplies: the send handler's re-check drops reminders that a
// change since they were enqueued made wrong.
func TestStillApplies(t *testing.T) {
	due := time.Date(2026, 3, 16, 17, 0, 0, 0, time.UTC)
	d := legal.Date{Year: 2026, Month: 6, Day: 1}
	other := d.AddDays(90)
	base := func() *legal.Request {
		return &legal.Request{ID: "LE-2026-0001", Status: legal.StatusNew, Due: due,
			Preservation: &legal.Preservation{Expires: d}, NDO: legal.NDO{Active: true, Until: &d}, OrderExpires: &d}
	}
	tests := []struct {
		name  string
		topic string
		edit  func(r *legal.Request)
		want  bool
	}{
		{"due, open", TopicDue, func(*legal.Request) {}, true},
		{"due, responded", TopicDue, func(r *legal.Request) { r.Status = legal.StatusResponded }, false},
		{"due, closed", TopicDue, func(r *legal.Request) { r.Status = legal.StatusClosed }, false},
		{"due moved", TopicDue, func(r *legal.Request) { r.Due = due.Add(24 * time.Hour) }, false},
		{"preservation held", TopicPreservation, func(*legal.Request) {}, true},
		{"preservation released", TopicPreservation, func(r *legal.Request) { r.Preservation.Release(d) }, false},
		{"preservation extended", TopicPreservation, func(r *legal.Request) { r.Preservation.Expires = other }, false},
		{"preservation on a closed request still applies", TopicPreservation, func(r *legal.Request) { r.Status = legal.StatusClosed }, true},
		{"NDO ending", TopicNDO, func(*legal.Request) {}, true},
		{"NDO renewed", TopicNDO, func(r *legal.Request) { r.NDO.SetUntil(other) }, false},
		{"NDO cleared", TopicNDO, func(r *legal.Request) { r.NDO.Clear() }, false},
		{"NDO, notice already given", TopicNDO, func(r *legal.Request) { r.Notice = legal.NoticeSent }, false},
		{"NDO on a responded request still applies", TopicNDO, func(r *legal.Request) { r.Status = legal.StatusResponded }, true},
		{"order ending", TopicOrder, func(*legal.Request) {}, true},
		{"order closed", TopicOrder, func(r *legal.Request) { r.Status = legal.StatusClosed }, false},
		{"unknown topic", "other", func(*legal.Request) {}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.edit(r)
			p := ReminderPayload{RequestID: r.ID, Topic: tt.topic, Due: due, Date: d}
			if got := StillApplies(p, r); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
