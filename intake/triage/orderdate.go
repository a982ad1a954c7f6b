package triage

import (
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// orderDate returns the date of the order that the phrase at i belongs
// to: its "Dated", "Entered", "SO ORDERED this …" or "AND NOW, this …"
// date, in the same part of the message (the first such date after i,
// else the last before it), else in any part, else the letter date.
func (d *doc) orderDate(i int, letter legal.Date) legal.Date {
	p := d.partAt(i)
	var before, after, anywhere legal.Date
	if d.orderDates == nil {
		d.orderDates = []dateHit{}
		for _, h := range d.dateList {
			if d.orderDateMarker(h.start) {
				d.orderDates = append(d.orderDates, h)
			}
		}
	}
	for _, h := range d.orderDates {
		v := h.resolve(letter)
		if anywhere.IsZero() {
			anywhere = v
		}
		if h.start >= p.start && h.end <= p.end {
			if h.start > i && after.IsZero() {
				after = v
			}
			if h.start < i {
				before = v
			}
		}
	}
	switch {
	case !after.IsZero():
		return after
	case !before.IsZero():
		return before
	case !anywhere.IsZero():
		return anywhere
	}
	return letter
}

// orderDateMarker reports whether the date at i is an order's own date.
func (d *doc) orderDateMarker(i int) bool {
	lo := max(0, i-48)
	t := d.lc[lo:i]
	if k := strings.LastIndexByte(t[:max(0, len(t)-1)], '\n'); k >= 0 && strings.Count(t, "\n") > 1 {
		t = t[k:]
	}
	for _, w := range []string{"dated", "entered", "so ordered this", "ordered this", "and now, this", "done and ordered",
		"date:", "signed on", "signed", "date and time issued", "filed", "issued", "entered at", "ordered on"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// letterDate returns the date a letter bears ("May 4, 2026" on a line
// of its own near its top), else the message's date.
func (d *doc) letterDate(i int, letter legal.Date) legal.Date {
	p := d.partAt(i)
	first := d.lineAt(p.start)
	for k := first; k < len(d.lines) && k < first+20 && d.lines[k][0] < p.end; k++ {
		t := strings.TrimSpace(d.line(k))
		if v, ok := parseDate(t, letter); ok {
			return v
		}
	}
	return letter
}
