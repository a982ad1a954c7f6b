package triage

import (
	"sort"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// periodCand is one reading of the records' period and the words it came
// from.
type periodCand struct {
	p  legal.Period
	at span
}

// periodReading is the period of the records requested, the candidates it
// was built from, and those left aside.
type periodReading struct {
	period *legal.Period
	used   []periodCand
}

// findPeriod returns the date range of the records requested, or nil when
// none is stated.
func findPeriod(d *doc, letter legal.Date) *legal.Period { return readPeriod(d, letter).period }

// readPeriod reads every statement of the records' period and returns
// their union: a hybrid historical and prospective order runs from the
// earliest start to the latest end. Statements are ranges ("from August 1,
// 2026 to the present", "03/01/2026 00:00 - 03/02/2026 13:00", "May 2nd
// thru June 9th, 2026", a table's From and To columns), look-backs
// ("the last 30 days", "the 90 days preceding the date of this Order"),
// collection windows ("sixty (60) days commencing on the date of this
// Order", "thirty days from activation") and "from account creation to
// present". A preservation's length, a non-disclosure term, a warrant's
// execution window and the provider's own quoted words are not periods.
func readPeriod(d *doc, letter legal.Date) periodReading {
	var cands []periodCand
	add := func(start, end legal.Date, at span) {
		if end.IsZero() || !start.IsZero() && end.Before(start) || d.ignorable(at.start) {
			return
		}
		if d.inNDOSentence(at.start) || d.inExecution(at.start) {
			return
		}
		cands = append(cands, periodCand{legal.Period{Start: start, End: end}, at})
	}
	hits := d.dateList
	for i, h := range hits {
		a := h.resolve(letter)
		// A month range ("April 1-30, 2026") or a month ("July 2026").
		if !h.last.IsZero() && h.date.Day != 1 || !h.last.IsZero() && d.rangeWord(h.start) {
			add(a, h.last, span{h.start, h.end})
		}
		// "D1 to D2", "between D1 and D2".
		if i+1 < len(hits) {
			n := hits[i+1]
			if conn, ok := d.connector(h.end, n.start); ok && (conn != "and" || d.betweenBefore(h.start)) {
				start, end := a, n.resolve(letter)
				if h.date.Year == 0 && n.date.Year != 0 {
					start = yearFrom(h.date, end)
				}
				if !h.last.IsZero() {
					start = h.date
				}
				if !n.last.IsZero() {
					end = n.last
				}
				add(start, end, span{h.start, n.end})
			}
		}
		// "D to the present", "D through the date of this Order".
		if end, e, ok := d.openEnd(h.end, letter); ok {
			add(a, end, span{h.start, e})
		}
		// "beginning on D1 … ending on D2".
		if d.beginsBefore(h.start) {
			for _, n := range hits[i+1:] {
				if n.start-h.end > 160 {
					break
				}
				if d.endsBetween(h.end, n.start) {
					add(a, n.resolve(letter), span{h.start, n.end})
					break
				}
			}
		}
	}
	cands = append(cands, d.relativePeriods(letter)...)
	for _, c := range d.namedPeriods(letter) {
		add(c.p.Start, c.p.End, c.at)
	}
	for _, r := range tableRanges(d, letter) {
		add(r.p.Start, r.p.End, r.at)
	}
	if len(cands) == 0 {
		cands = append(cands, d.accountPeriods(letter, true)...)
	}
	if len(cands) == 0 {
		// "since D": only when nothing else states the period.
		for _, e := range d.wordEnds("since") {
			if h, ok := d.dateIn(e, e+3); ok && !d.ignorable(h.start) {
				add(h.resolve(letter), letter, span{e - 5, h.end})
			}
		}
	}
	// A statement of the period stands where records are asked for; a
	// date range in the story of the case ("for the past month he has
	// been calling her") is set aside when one does.
	var inContext []periodCand
	for _, c := range cands {
		if d.requestContext(c.at.start) {
			inContext = append(inContext, c)
		}
	}
	if len(inContext) > 0 {
		cands = inContext
	}
	var r periodReading
	for _, c := range cands {
		if r.period == nil {
			p := c.p
			r.period = &p
		} else {
			if c.p.Start.IsZero() || !r.period.Start.IsZero() && c.p.Start.Before(r.period.Start) {
				r.period.Start = c.p.Start
			}
			if c.p.End.After(r.period.End) {
				r.period.End = c.p.End
			}
		}
		r.used = append(r.used, c)
	}
	return r
}

// requestContext reports whether offset i stands where records are asked
// for or an order's term is set: a records, period or target section, a
// line labelled as a period or records, or a sentence that names records
// or asks, orders, authorizes or preserves.
func (d *doc) requestContext(i int) bool {
	switch d.secAt(i) {
	case secRecords, secPreserve, secPeriod, secTarget:
		return true
	}
	li := d.lineInfo[d.lineAt(i)]
	for _, w := range []string{"period", "date", "time", "range", "record", "information", "from", "start"} {
		if strings.Contains(li.label, w) {
			return true
		}
	}
	ss, se := d.sentenceAt(i)
	if d.has(cueDiscloseVerb, ss, se) || d.has(cuePreserveVerb, ss, se) {
		return true
	}
	for _, r := range legal.Records {
		if d.has(recordCue(r), ss, se) {
			return true
		}
	}
	for _, w := range []string{"records", "information", "data", "logs", "period", "range", "interception", "intercept",
		"collection", "authorized", "authorizes", "authorization", "order", "ordered", "warrant", "subpoena", "device", "install"} {
		if d.hasWord(w, ss, se) {
			return true
		}
	}
	return false
}

// yearFrom gives d (written without a year) the year that puts it at or
// before end: "May 2nd thru June 9th, 2026".
func yearFrom(d, end legal.Date) legal.Date {
	d.Year = end.Year
	if d.After(end) {
		d.Year--
	}
	return d
}

// connector reports whether the text between two dates joins them as a
// range ("to", "through", "thru", "until", "-", "and"), ignoring times of
// day ("00:00", "11:59 p.m.", "CST") and "at", "on", "the".
func (d *doc) connector(from, to int) (string, bool) {
	if to-from > 48 || to < from {
		return "", false
	}
	var words [4]string
	n := 0
	for _, w := range gapWords(d.lc[from:to]) {
		if n == len(words) {
			return "", false
		}
		words[n] = w
		n++
	}
	joined := strings.Join(words[:n], " ")
	switch joined {
	case "to and including", "through and including", "up to and including", "up to", "to", "through", "thru",
		"until", "till", "-", "and", "- to", "until and including":
		return joined, true
	}
	return "", false
}

// rangeWord reports whether a month-and-year at i is used as a range
// ("for July 2026", "January 2026 through …"): a period word stands
// before it.
func (d *doc) rangeWord(i int) bool {
	t := strings.TrimSpace(d.lc[max(0, i-24):i])
	for _, w := range []string{"for", "during", "period", "month of", "in", "from", "covering"} {
		if strings.HasSuffix(t, w) {
			return true
		}
	}
	return false
}

// openEnd reads, after a start date at i, "to the present", "through
// today", "through the date of this Order" or "… of this letter" and
// returns the end it names.
func (d *doc) openEnd(i int, letter legal.Date) (legal.Date, int, bool) {
	// Cheap test: a connecting word or a time of day follows.
	k0 := i
	for k0 < len(d.lc) && (d.lc[k0] == ' ' || d.lc[k0] == ',' || d.lc[k0] == '\n') {
		k0++
	}
	if k0 >= len(d.lc) || !(d.lc[k0] == 't' || d.lc[k0] == 'u' || d.lc[k0] == 'a' || d.lc[k0] == '-' || isDigitByte(d.lc[k0])) {
		return legal.Date{}, 0, false
	}
	j := i
	for j < len(d.s) && j < i+40 && d.s[j] != '.' && d.s[j] != ';' && !(d.s[j] == '\n' && j+1 < len(d.s) && d.s[j+1] == '\n') {
		j++
	}
	seg := strings.ReplaceAll(d.lc[i:j], "\n", " ")
	conn := openConnector(seg)
	if conn == "" {
		return legal.Date{}, 0, false
	}
	k := i + strings.Index(seg, conn) + len(conn)
	for k < len(d.s) && (d.s[k] == ' ' || d.s[k] == '\n') {
		k++
	}
	if conn == "and" && !d.betweenBefore(d.dateBefore(i)) {
		// "between D and the present"
		return legal.Date{}, 0, false
	}
	for _, c := range []cue{cueOrderDate, cueLetterDate, cuePresent} {
		for _, h := range d.in(c, max(0, k-4), min(len(d.s), k+24)) {
			if h.start < k-4 || strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(d.lc[min(k, h.start):h.start]), "the")) != "" {
				continue
			}
			switch c {
			case cueOrderDate:
				return d.orderDate(h.start, letter), h.end, true
			case cueLetterDate:
				return d.letterDate(h.start, letter), h.end, true
			}
			return letter, h.end, true
		}
	}
	return legal.Date{}, 0, false
}

// dateBefore returns the start of the date hit ending at i.
func (d *doc) dateBefore(i int) int {
	k := sort.Search(len(d.dateList), func(k int) bool { return d.dateList[k].end >= i })
	if k < len(d.dateList) && d.dateList[k].end == i {
		return d.dateList[k].start
	}
	return i
}

// endsBetween reports whether the text between two dates ends the first's
// window: "… and shall terminate no later than", "and ending at 11:59 p.m.
// on".
func (d *doc) endsBetween(from, to int) bool {
	t := d.lc[from:to]
	if ss, _ := d.sentenceAt(to); ss > from || strings.Contains(t, ";") {
		return false // another sentence
	}
	for _, w := range []string{"end", "ending", "ends", "terminate", "terminating", "expire", "expiring", "through", "until", "conclude"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// inNDOSentence reports whether offset i is in a sentence about notice to
// the customer ("shall not disclose … until May 1, 2027").
func (d *doc) inNDOSentence(i int) bool {
	ss, se := d.sentenceAt(i)
	return d.has(cueNotDisclose, ss, se)
}

// inExecution reports whether offset i is in a sentence about executing a
// warrant or the life of a preservation, whose dates are not the records'.
func (d *doc) inExecution(i int) bool {
	ss, _ := d.sentenceAt(i)
	t := d.lc[max(ss, i-80):i]
	return strings.Contains(t, "execut") || strings.Contains(t, "expire")
}
