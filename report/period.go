// Package report is the transparency report: requests received in a
// period counted by kind, outcome, emergency, non-disclosure,
// preservation, accounts affected, agency level and country, and costs.
// Counting (Tally) and formatting are pure; Build reads the store.
package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// Period is the days [From, To) in the team's time zone.
type Period struct {
	From, To time.Time
	Label    string // "2026H2", "2026-01-01 to 2026-12-31"
}

var halfRE = regexp.MustCompile(`^(\d{4})[hH]([12])$`)

// Half is the half-year named like 2026H1 (January to June) or 2026H2
// (July to December), or a whole year (2026), in loc.
func Half(s string, loc *time.Location) (Period, error) {
	s = strings.TrimSpace(s)
	if y, err := strconv.Atoi(s); err == nil && len(s) == 4 {
		return Period{From: time.Date(y, 1, 1, 0, 0, 0, 0, loc), To: time.Date(y+1, 1, 1, 0, 0, 0, 0, loc), Label: s}, nil
	}
	m := halfRE.FindStringSubmatch(s)
	if m == nil {
		return Period{}, fmt.Errorf("%q is not a half-year: write it like 2026H2 (July to December) or 2026H1, or a year like 2026", s)
	}
	y, _ := strconv.Atoi(m[1])
	month := time.January
	if m[2] == "2" {
		month = time.July
	}
	from := time.Date(y, month, 1, 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(0, 6, 0), Label: fmt.Sprintf("%dH%s", y, m[2])}, nil
}

// HalfOf is the half-year that contains t (in loc).
func HalfOf(t time.Time, loc *time.Location) Period {
	t = t.In(loc)
	h := 1
	if t.Month() >= time.July {
		h = 2
	}
	p, _ := Half(fmt.Sprintf("%dH%d", t.Year(), h), loc)
	return p
}

// Dates is the period from the day from to the day to, both included,
// written YYYY-MM-DD, in loc.
func Dates(from, to string, loc *time.Location) (Period, error) {
	f, err := legal.ParseDate(from)
	if err != nil {
		return Period{}, fmt.Errorf("--from %q: want a date like 2026-01-01", from)
	}
	t, err := legal.ParseDate(to)
	if err != nil {
		return Period{}, fmt.Errorf("--to %q: want a date like 2026-12-31", to)
	}
	if t.Before(f) {
		return Period{}, fmt.Errorf("--to %s is before --from %s", to, from)
	}
	return Period{From: f.In(loc), To: t.AddDays(1).In(loc), Label: f.String() + " to " + t.String()}, nil
}

// LastDay is the period's last day, for people: the day before To.
func (p Period) LastDay() time.Time { return p.To.AddDate(0, 0, -1) }
