package triage

import (
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// tableRanges reads periods from a table (rows rendered "a | b | c") whose
// heading row names a start and an end column ("Start | End", "From |
// To"): each following row of the same width gives one range.
func tableRanges(d *doc, letter legal.Date) []periodCand {
	var out []periodCand
	for i := 0; i < len(d.lines); i++ {
		cells := d.lineInfo[i].cells
		if len(cells) < 2 {
			continue
		}
		sc, ec := -1, -1
		for c, cell := range cells {
			switch h := strings.ToLower(d.s[cell.start:cell.end]); {
			case sc < 0 && isStartColumn(h):
				sc = c
			case ec < 0 && isEndColumn(h):
				ec = c
			}
		}
		if sc < 0 || ec < 0 {
			continue
		}
		for i+1 < len(d.lines) {
			row := d.lineInfo[i+1].cells
			if len(row) != len(cells) {
				break
			}
			i++
			a, ok1 := parseDate(d.s[row[sc].start:row[sc].end], letter)
			b, ok2 := dateOrPresent(d.s[row[ec].start:row[ec].end], letter)
			if ok1 && ok2 && !b.Before(a) {
				out = append(out, periodCand{legal.Period{Start: a, End: b}, span{row[0].start, row[len(row)-1].end}})
			}
		}
	}
	return out
}

func isStartColumn(h string) bool {
	h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(h), "date"))
	for _, p := range []string{"period ", "date ", "records ", "record "} {
		h = strings.TrimPrefix(h, p)
	}
	switch strings.TrimSpace(h) {
	case "start", "from", "begin", "beginning":
		return true
	}
	return false
}

func isEndColumn(h string) bool {
	h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(h), "date"))
	for _, p := range []string{"period ", "date ", "records ", "record "} {
		h = strings.TrimPrefix(h, p)
	}
	switch strings.TrimSpace(h) {
	case "end", "to", "through", "thru", "until", "ending":
		return true
	}
	return false
}

// dateOrPresent reads s as a date, or as the letter date when it names the
// present.
func dateOrPresent(s string, letter legal.Date) (legal.Date, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "present", "the present", "today", "now", "current", "present day":
		return letter, !letter.IsZero()
	}
	return parseDate(s, letter)
}
