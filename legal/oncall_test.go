package legal

import (
	"reflect"
	"testing"
	"time"
)

func mustLA(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseRotation(t *testing.T) {
	loc := mustLA(t)
	cases := []struct {
		name, in string
		want     string // String() of the result; "" for nil
		err      bool
	}{
		{"empty", "", "", false},
		{"weekly", "U1A,U2B,U3C@mon 09:00", "U1A,U2B,U3C@mon 09:00 from 2024-01-01", false},
		{"full day name and start", " U1A, S2GRP @Friday 17:30 from 2026-03-04", "U1A,S2GRP@fri 17:30 from 2026-03-06", false},
		{"no at", "U1A,U2B mon 09:00", "", true},
		{"bad day", "U1A@someday 09:00", "", true},
		{"bad time", "U1A@mon 25:00", "", true},
		{"bad user", "alice@mon 09:00", "", true},
		{"no users", " @mon 09:00", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseRotation(tc.in, loc)
			if (err != nil) != tc.err {
				t.Fatalf("error: got %v, want error %v", err, tc.err)
			}
			got := ""
			if r != nil {
				got = r.String()
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRotationAt(t *testing.T) {
	loc := mustLA(t)
	r, err := ParseRotation("U1A,U2B,U3C@mon 09:00 from 2026-03-02", loc)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	cases := []struct{ when, want string }{
		{"2026-03-02 09:00", "U1A"},
		{"2026-03-09 08:59", "U1A"},
		{"2026-03-09 09:00", "U2B"}, // DST began on Mar 8: the hand-off stays at 09:00 local
		{"2026-03-16 12:00", "U3C"},
		{"2026-03-23 09:00", "U1A"},
		{"2026-03-02 08:59", "U3C"}, // before the first hand-off: the rotation runs backwards too
		{"2026-02-23 09:00", "U3C"},
		{"2026-02-16 09:00", "U2B"},
	}
	for _, tc := range cases {
		t.Run(tc.when, func(t *testing.T) {
			if got := r.At(at(tc.when)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	if got, want := r.NextHandoff(at("2026-03-09 09:00")), at("2026-03-16 09:00"); !got.Equal(want) {
		t.Errorf("next hand-off: got %v, want %v", got, want)
	}
}

func TestOnCallEffective(t *testing.T) {
	loc := mustLA(t)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, loc)
	rot, _ := ParseRotation("U1A,U2B,U3C@mon 09:00 from 2026-03-02", loc) // U2B this week
	cases := []struct {
		name   string
		policy OnCallPolicy
		stored OnCallSettings
		want   [][]string
	}{
		{"configured", OnCallPolicy{Levels: [][]string{{"U1A"}, {"S9GRP"}}}, OnCallSettings{}, [][]string{{"U1A"}, {"S9GRP"}}},
		{"stored wins", OnCallPolicy{Levels: [][]string{{"U1A"}}}, OnCallSettings{Levels: [][]string{{"U7X"}, {"U8Y"}}}, [][]string{{"U7X"}, {"U8Y"}}},
		{"rotation first", OnCallPolicy{Levels: [][]string{{"U1A"}, {"U2B"}, {"U9Z"}}, Rotation: rot}, OnCallSettings{},
			[][]string{{"U2B"}, {"U1A"}, {"U9Z"}}},
		{"rotation alone", OnCallPolicy{Rotation: rot}, OnCallSettings{}, [][]string{{"U2B"}, {"U3C"}, {"U1A"}}},
		{"override", OnCallPolicy{Levels: [][]string{{"U1A"}, {"U2B"}}},
			OnCallSettings{Overrides: []OnCallOverride{{User: "U2B", Until: now.Add(time.Hour)}}}, [][]string{{"U2B"}, {"U1A"}}},
		{"expired override", OnCallPolicy{Levels: [][]string{{"U1A"}, {"U2B"}}},
			OnCallSettings{Overrides: []OnCallOverride{{User: "U2B", Until: now}}}, [][]string{{"U1A"}, {"U2B"}}},
		{"nobody", OnCallPolicy{}, OnCallSettings{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.policy.Effective(tc.stored, now); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseLevels(t *testing.T) {
	got, err := ParseLevels([]string{"U1A", " S2GRP "})
	if want := [][]string{{"U1A"}, {"S2GRP"}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
	if _, err := ParseLevels([]string{"alice"}); err == nil {
		t.Error("alice: got no error, want one")
	}
}
