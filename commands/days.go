package commands

import (
	"sync"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// dayCache remembers business-day counts between two dates. Counting
// walks the holiday calendar day by day, which is most of the cost of a
// list's lines; the answer depends on the two dates alone, so it can be
// kept. Entries are dropped when the day changes or the cache fills.
type dayCache struct {
	cal *legal.Calendar

	mu    sync.Mutex
	today legal.Date
	left  map[legal.Date]int
}

// maxCachedDays bounds the cache: one entry per distinct due date.
const maxCachedDays = 4096

func newDayCache(cal *legal.Calendar) *dayCache { return &dayCache{cal: cal} }

// businessDaysLeft is cal.BusinessDaysLeft(now, due).
func (d *dayCache) businessDaysLeft(now, due time.Time) int {
	today, end := d.cal.DateOf(now), d.cal.DateOf(due)
	d.mu.Lock()
	if today != d.today || len(d.left) >= maxCachedDays {
		d.today, d.left = today, map[legal.Date]int{}
	}
	n, ok := d.left[end]
	d.mu.Unlock()
	if ok {
		return n
	}
	n = d.cal.BusinessDaysBetween(today, end)
	d.mu.Lock()
	if today == d.today {
		d.left[end] = n
	}
	d.mu.Unlock()
	return n
}
