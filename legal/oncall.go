package legal

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OnCallSettings are the on-call changes made from Slack, as stored:
// levels set with /legal oncall set (replacing ONCALL_USERS) and
// temporary overrides (/legal oncall override).
type OnCallSettings struct {
	Levels    [][]string
	Overrides []OnCallOverride
}

// OnCallOverride puts User first in line until Until.
type OnCallOverride struct {
	User  string
	Until time.Time
}

// OnCallPolicy is the configured on-call order: ONCALL_USERS, one level
// per entry, and the optional ONCALL_ROTATION of the first level. The
// settings changed from Slack (/legal oncall set, override) are applied
// on top by Effective.
type OnCallPolicy struct {
	Levels   [][]string // ONCALL_USERS: each entry a user (U…/W…) or user group (S…)
	Rotation *Rotation  // nil: no rotation
}

// Effective is the escalation levels in force at now, first level first:
//
//  1. the stored levels (/legal oncall set) when any, else the configured ones;
//  2. with a rotation, its current person is put first;
//  3. an active override (/legal oncall override; the last one set wins)
//     is put first of all.
//
// Someone put first is removed from the later levels, and levels left
// empty are dropped, so nobody is paged twice in one round.
func (p OnCallPolicy) Effective(oc OnCallSettings, now time.Time) [][]string {
	levels := p.Levels
	if len(oc.Levels) > 0 {
		levels = oc.Levels
	}
	if p.Rotation != nil {
		cur := p.Rotation.At(now)
		if len(levels) == 0 {
			levels = p.Rotation.From(cur)
		}
		levels = putFirst(cur, levels)
	}
	for i := len(oc.Overrides) - 1; i >= 0; i-- {
		if o := oc.Overrides[i]; o.User != "" && now.Before(o.Until) {
			levels = putFirst(o.User, levels)
			break
		}
	}
	return levels
}

// putFirst makes id the only member of a new first level.
func putFirst(id string, levels [][]string) [][]string {
	out := [][]string{{id}}
	for _, lvl := range levels {
		rest := slices.DeleteFunc(slices.Clone(lvl), func(m string) bool { return m == id })
		if len(rest) > 0 {
			out = append(out, rest)
		}
	}
	return out
}

// ParseLevels reads ONCALL_USERS: one level per entry, each a user or a
// user group id.
func ParseLevels(entries []string) ([][]string, error) {
	var levels [][]string
	for _, e := range entries {
		id := strings.TrimSpace(e)
		if !IsUserID(id) && !IsGroupID(id) {
			return nil, fmt.Errorf("%q is not a Slack user (U…/W…) or user group (S…) id", e)
		}
		levels = append(levels, []string{id})
	}
	return levels, nil
}

// Slack ids, by shape: the on-call policy names people and user groups
// by their Slack ids, and a typo must fail at start-up, not at 3 a.m.
var (
	reUser  = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	reGroup = regexp.MustCompile(`^S[A-Z0-9]{2,}$`)
)

// IsUserID reports whether id looks like a Slack user id.
func IsUserID(id string) bool { return reUser.MatchString(id) }

// IsGroupID reports whether id looks like a Slack user group id.
func IsGroupID(id string) bool { return reGroup.MatchString(id) }

// Rotation is a weekly rotation of the first on-call level. Its text form
// (ONCALL_ROTATION) is
//
//	U1,U2,U3@mon 09:00[ from 2026-03-02]
//
// the people in turn, then the hand-off weekday and time in TIMEZONE,
// then optionally the date of the first hand-off (default 2024-01-01):
// the first person is on call from the first hand-off on or after that
// date, the second from the next one a week later, and so on round.
type Rotation struct {
	Users  []string
	Day    time.Weekday
	Hour   int
	Minute int
	Start  time.Time // the first hand-off, in Location
	Loc    *time.Location
}

var reRotation = regexp.MustCompile(`^\s*([^@]+)@\s*([A-Za-z]+)\s+(\d{1,2}):(\d{2})\s*(?:from\s+(\d{4}-\d{2}-\d{2}))?\s*$`)

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// ParseRotation reads ONCALL_ROTATION in loc; "" is no rotation (nil).
func ParseRotation(s string, loc *time.Location) (*Rotation, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	bad := func(why string) error {
		return fmt.Errorf("%s: want users, then @ the weekday and time of the hand-off, e.g. \"U1,U2,U3@mon 09:00\" (optionally \" from 2026-03-02\")", why)
	}
	m := reRotation.FindStringSubmatch(s)
	if m == nil {
		return nil, bad("not a rotation")
	}
	r := &Rotation{Loc: loc}
	for _, u := range strings.Split(m[1], ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		if !IsUserID(u) && !IsGroupID(u) {
			return nil, bad(fmt.Sprintf("%q is not a Slack user or user group id", u))
		}
		r.Users = append(r.Users, u)
	}
	if len(r.Users) == 0 {
		return nil, bad("no users")
	}
	day, ok := weekdays[strings.ToLower(m[2])[:min(3, len(m[2]))]]
	if !ok {
		return nil, bad(fmt.Sprintf("%q is not a weekday", m[2]))
	}
	r.Day = day
	r.Hour, _ = strconv.Atoi(m[3]) // the pattern admits digits only
	r.Minute, _ = strconv.Atoi(m[4])
	if r.Hour > 23 || r.Minute > 59 {
		return nil, bad("bad time of day")
	}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, loc)
	if m[5] != "" {
		d, err := time.ParseInLocation("2006-01-02", m[5], loc)
		if err != nil {
			return nil, bad("bad start date")
		}
		from = d
	}
	r.Start = r.handoffOnOrAfter(from)
	return r, nil
}

// handoffOnOrAfter is the first hand-off instant on or after t's date.
func (r *Rotation) handoffOnOrAfter(t time.Time) time.Time {
	y, mo, d := t.In(r.Loc).Date()
	days := (int(r.Day) - int(time.Date(y, mo, d, 0, 0, 0, 0, r.Loc).Weekday()) + 7) % 7
	return time.Date(y, mo, d+days, r.Hour, r.Minute, 0, 0, r.Loc)
}

// At is who is on call at now. Weeks are counted in calendar days, so the
// hand-off stays at the same wall-clock time across daylight-saving
// changes.
func (r *Rotation) At(now time.Time) string {
	y, mo, d := now.In(r.Loc).Date()
	back := (int(time.Date(y, mo, d, 0, 0, 0, 0, r.Loc).Weekday()) - int(r.Day) + 7) % 7
	last := time.Date(y, mo, d-back, r.Hour, r.Minute, 0, 0, r.Loc)
	if last.After(now) {
		last = time.Date(y, mo, d-back-7, r.Hour, r.Minute, 0, 0, r.Loc)
	}
	sy, sm, sd := r.Start.Date()
	ly, lm, ld := last.Date()
	days := int(time.Date(ly, lm, ld, 0, 0, 0, 0, time.UTC).Sub(time.Date(sy, sm, sd, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	n := len(r.Users) // both are hand-offs, so days is a whole number of weeks
	return r.Users[((days/7)%n+n)%n]
}

// From lists the rotation starting at user, as escalation levels.
func (r *Rotation) From(user string) [][]string {
	i := max(slices.Index(r.Users, user), 0)
	var out [][]string
	for k := range r.Users {
		out = append(out, []string{r.Users[(i+k)%len(r.Users)]})
	}
	return out
}

// NextHandoff is the first hand-off after now.
func (r *Rotation) NextHandoff(now time.Time) time.Time {
	h := r.handoffOnOrAfter(now)
	if !h.After(now) {
		y, mo, d := h.Date()
		h = time.Date(y, mo, d+7, r.Hour, r.Minute, 0, 0, r.Loc)
	}
	return h
}

// String is the rotation in ONCALL_ROTATION form.
func (r *Rotation) String() string {
	return fmt.Sprintf("%s@%s %02d:%02d from %s", strings.Join(r.Users, ","),
		strings.ToLower(r.Day.String()[:3]), r.Hour, r.Minute, r.Start.Format("2006-01-02"))
}
