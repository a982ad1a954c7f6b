package jobs

import (
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

func date(y int, m time.Month, d int) legal.Date { return legal.Date{Year: y, Month: m, Day: d} }

// TestExpiryWalks walks a preservation to its expiry, an NDO to its end and
// a pen/trap order to its end, hour by hour, and asserts each reminder in
// the thread (and each DM to the assignee) once. After the walk the team
// acts (release, notice given, order closed) and a further walk sends
// nothing.
func TestExpiryWalks(t *testing.T) {
	t.Parallel() // hour-by-hour walks of months: the slowest tests, each on its own store
	tests := []struct {
		name     string
		received time.Time
		edit     func(r *legal.Request)
		end      time.Time
		act      func(r *legal.Request) // the team acts at end
		thread   []want
	}{
		{
			name:     "preservation to expiry",
			received: at(2026, 3, 3, 10, 0), // 90 days: last preserved day Mon Jun 1
			edit: func(r *legal.Request) {
				r.Facts.Kinds = []legal.Kind{legal.KindPreservation}
				r.Preservation = legal.PreservationFor(r.Facts, date(2026, 3, 3))
			},
			end: at(2026, 6, 1, 12, 0),
			act: func(r *legal.Request) { r.Preservation.Release(date(2026, 6, 1)) },
			thread: []want{
				{"thread", at(2026, 5, 18, 9, 0), "ends in 14 days (Mon Jun 1, 2026)"},
				// May 25 is Memorial Day: raised the Friday before.
				{"thread", at(2026, 5, 22, 9, 0), "ends in 10 days"},
				// May 31 is a Sunday: raised on Friday.
				{"thread", at(2026, 5, 29, 9, 0), "ends in 3 days"},
				{"thread+channel", at(2026, 6, 1, 9, 0), "ends *today* (Mon Jun 1, 2026) — that is the last preserved day. *Extend or release it.*"},
			},
		},
		{
			name:     "NDO to its end",
			received: at(2026, 5, 1, 10, 0),
			edit: func(r *legal.Request) {
				r.Facts.NDO = true
				r.NDO.SetUntil(date(2026, 7, 15))
				r.Notice = legal.NoticeBlocked
			},
			end: at(2026, 7, 16, 12, 0),
			act: func(r *legal.Request) { r.Notice = legal.NoticeSent },
			thread: []want{
				{"thread", at(2026, 6, 15, 9, 0), "ends in 30 days (Wed Jul 15, 2026); notice stays barred"},
				{"thread", at(2026, 7, 8, 9, 0), "ends in 7 days"},
				{"thread+channel", at(2026, 7, 16, 9, 0), "*Customer notice may now be given.* Task:"},
			},
		},
		{
			name:     "pen/trap order to its end",
			received: at(2026, 6, 1, 10, 0),
			edit: func(r *legal.Request) {
				r.Facts.Kinds = []legal.Kind{legal.KindPenTrap}
				end := date(2026, 7, 31)
				r.OrderExpires = &end
				r.Due = time.Time{}
			},
			end: at(2026, 7, 31, 12, 0),
			act: func(r *legal.Request) { r.Status = legal.StatusClosed },
			thread: []want{
				{"thread", at(2026, 7, 24, 9, 0), "order ends in 7 days (Fri Jul 31, 2026)"},
				{"thread", at(2026, 7, 30, 9, 0), "order ends tomorrow"},
				{"thread+channel", at(2026, 7, 31, 9, 0), "order ends *today*"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, "redis")
			e.digest = nil // reminders only: a digest each weekday would draw ~70 charts (TestDigest* walk it)
			e.clock.Set(tt.received)
			r := e.create(func(r *legal.Request) {
				r.Assignee = "U1"
				r.Due = time.Time{} // deadline reminders are TestDeadlineWalk's
				tt.edit(r)
			})
			e.walk("0 * * * *", tt.end)
			e.update(r.ID, tt.act)
			e.walk("0 * * * *", tt.end.AddDate(0, 0, 10))
			wants := append([]want(nil), tt.thread...)
			for _, w := range tt.thread {
				wants = append(wants, want{"dm:U1", w.at, "Reminder for a request assigned to you."})
			}
			check(t, e.reminders(r), wants)
		})
	}
}
