package legal

import (
	"testing"
)

// The expected deadlines below were counted by hand on a paper calendar;
// offsets are written out so a wrong DST offset fails too.
func TestResponseDue(t *testing.T) {
	c := laCalendar(t)
	tests := []struct {
		name     string
		received string
		want     string
	}{
		// Nov 17,18,19,20,23,24,25 (7), Thu 26 Thanksgiving, Fri 27 (8), 30 (9), Dec 1 (10).
		{"over Thanksgiving 2026", "2026-11-16T10:00:00-08:00", "2026-12-01T17:00:00-08:00"},
		{"received before 9:00 counts that day", "2026-11-16T07:00:00-08:00", "2026-12-01T17:00:00-08:00"},
		// Receipt day becomes Fri 27; Nov 30 .. Dec 4 (5), Dec 7 .. 11 (10).
		{"received on Thanksgiving 2026", "2026-11-26T11:00:00-08:00", "2026-12-11T17:00:00-08:00"},
		// Dec 15..18 (4), 21..24 (8), Fri 25 Christmas, 28 (9), 29 (10).
		{"over Christmas 2026", "2026-12-14T09:30:00-08:00", "2026-12-29T17:00:00-08:00"},
		// Dec 21..24 (4), 28..31 (8), Fri 1 Jan 2027 holiday, Jan 4 (9), 5 (10).
		{"over Christmas and New Year 2027", "2026-12-18T12:00:00-08:00", "2027-01-05T17:00:00-08:00"},
		// Jun 29,30, Jul 1,2 (4), Fri 3 observed, Jul 6..10 (9), 13 (10).
		{"over 3 July 2026 observed", "2026-06-26T10:00:00-07:00", "2026-07-13T17:00:00-07:00"},
		// Receipt day becomes Mon 6; Jul 7..10 (4), 13..17 (9), 20 (10).
		{"received on 3 July 2026 observed", "2026-07-03T10:00:00-07:00", "2026-07-20T17:00:00-07:00"},
		// Dec 21,22,23 (3), Fri 24 Christmas observed, 27..30 (7), Fri 31 New Year observed, Jan 3,4,5 (10).
		{"over 31 December 2027 observed", "2027-12-20T10:00:00-08:00", "2028-01-05T17:00:00-08:00"},
		// Receipt day becomes Mon 3 Jan; 4..7 (4), 10..14 (9), Mon 17 MLK Day, Tue 18 (10).
		{"received on 31 December 2027 observed", "2027-12-31T10:00:00-08:00", "2028-01-18T17:00:00-08:00"},
		// Jun 14..17 (4), Fri 18 Juneteenth observed, 21..25 (9), 28 (10).
		{"over Juneteenth 2027 observed", "2027-06-11T10:00:00-07:00", "2027-06-28T17:00:00-07:00"},
		// Receipt day becomes Mon 9 Mar; DST starts Sun 8 Mar; Mar 10..13 (4), 16..20 (9), 23 (10).
		{"received Saturday, across DST start", "2026-03-07T14:00:00-08:00", "2026-03-23T17:00:00-07:00"},
		// Fri 30 Oct counts; DST ends Sun 1 Nov; Nov 2..6 (5), 9,10 (7), Wed 11 Veterans Day, 12,13 (9), 16 (10).
		{"16:59 on a business day, across DST end", "2026-10-30T16:59:00-07:00", "2026-11-16T17:00:00-08:00"},
		// Receipt day becomes Mon 2 Nov; 3..6 (4), 9,10 (6), 12,13 (8), 16,17 (10).
		{"17:30 on a business day", "2026-10-30T17:30:00-07:00", "2026-11-17T17:00:00-08:00"},
		{"17:00 sharp is after close", "2026-10-30T17:00:00-07:00", "2026-11-17T17:00:00-08:00"},
		// 23:30 UTC Monday is 16:30 PDT Monday: before close in Los Angeles.
		{"UTC instant before close in LA", "2026-03-09T23:30:00Z", "2026-03-23T17:00:00-07:00"},
		// 00:30 UTC Tuesday is 17:30 PDT Monday: after close, so Tuesday counts.
		{"UTC instant after close in LA", "2026-03-10T00:30:00Z", "2026-03-24T17:00:00-07:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.ResponseDue(mustTime(t, tt.received))
			if want := mustTime(t, tt.want); !got.Equal(want) {
				t.Errorf("ResponseDue(%s) = %s, want %s", tt.received, got.In(c.Location()), want)
			}
			if got.Location() != c.Location() {
				t.Errorf("ResponseDue location = %s, want %s", got.Location(), c.Location())
			}
		})
	}
}

func TestDueFor(t *testing.T) {
	c := laCalendar(t)
	received := mustTime(t, "2026-11-16T10:00:00-08:00")
	saturday := mustDate(t, "2026-12-05")
	tests := []struct {
		name string
		f    Facts
		want string
	}{
		{"subpoena, default", Facts{Kinds: []Kind{KindSubpoena}}, "2026-12-01T17:00:00-08:00"},
		{"emergency kind is due at once", Facts{Kinds: []Kind{KindEmergency}}, "2026-11-16T10:00:00-08:00"},
		{"exigent flag is due at once", Facts{Kinds: []Kind{KindSubpoena}, Exigent: true}, "2026-11-16T10:00:00-08:00"},
		{"emergency beats a stated deadline", Facts{Kinds: []Kind{KindEmergency}, Deadline: &saturday}, "2026-11-16T10:00:00-08:00"},
		{"stated deadline on a Saturday", Facts{Kinds: []Kind{KindSubpoena}, Deadline: &saturday}, "2026-12-05T17:00:00-08:00"},
		{"zero stated deadline is ignored", Facts{Kinds: []Kind{KindSubpoena}, Deadline: &Date{}}, "2026-12-01T17:00:00-08:00"},
		{"unclassified, default", Facts{}, "2026-12-01T17:00:00-08:00"},
		{"no request, no deadline", Facts{NotRequest: "an automatic reply"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DueFor(tt.f, received, c)
			if tt.want == "" {
				if !got.IsZero() {
					t.Errorf("DueFor = %s, want none", got)
				}
				return
			}
			if want := mustTime(t, tt.want); !got.Equal(want) {
				t.Errorf("DueFor = %s, want %s", got, want)
			}
		})
	}
}
