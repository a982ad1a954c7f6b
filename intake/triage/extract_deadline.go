package triage

import (
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// dateCand is one reading of a date and the words it came from.
type dateCand struct {
	v  legal.Date
	at span
}

// deadlineReading is the response date and every date the letter demands.
type deadlineReading struct {
	deadline *legal.Date
	cands    []dateCand
}

// findDeadline returns the earliest response date the letter demands, or
// nil.
func findDeadline(d *doc, sent time.Time, addBusiness func(legal.Date, int) legal.Date) *legal.Date {
	return readDeadline(d, sent, addBusiness, false, false).deadline
}

// readDeadline reads every response date the letter demands and returns
// the earliest: "no later than D", "on or before D", "by D", "by Monday",
// "by close of business Friday", "prior to 5:00 p.m. on Friday", "within
// N (business) days (of receipt, of service, of the date of this Order)",
// "within N hours", a return or due date ("Return date: D", "RESPONSE DUE
// D" in the Subject), a subpoena's appearance date, "returnable" on a
// date, a production ordered "forthwith", and "need this today". A
// warrant's "execute on or before", an order's end, a notice date, the
// technical assistance an order commands "forthwith", a suspect's demand
// and, in an emergency request, bare urgency words are not deadlines.
// Relative deadlines count from the letter's Date in the sender's zone
// ("within 14 days of the date of this Order" from the order's date).
func readDeadline(d *doc, sent time.Time, addBusiness func(legal.Date, int) legal.Date, emergency, subpoena bool) deadlineReading {
	letter := legal.DateOf(sent)
	var r deadlineReading
	consider := func(v legal.Date, at span) {
		if v.IsZero() || v.Before(letter) || d.ignorable(at.start) || d.notDeadline(at) {
			return
		}
		r.cands = append(r.cands, dateCand{v, at})
		if r.deadline == nil || v.Before(*r.deadline) {
			v := v
			r.deadline = &v
		}
	}
	for _, h := range d.hits[cueNoLater] {
		word := d.lc[h.start:h.end]
		ss, se := d.sentenceAt(h.start)
		if (word == "before" || word == "prior to") && (!d.has(cueResponse, ss, h.start) || d.has(cueImagined, ss, se)) {
			continue
		}
		if v, e, ok := d.dateAfter(h.end, letter); ok {
			consider(v, span{h.start, e})
		}
	}
	for _, h := range d.hits[cueBy] {
		ss, _ := d.sentenceAt(h.start)
		if !d.has(cueResponse, ss, h.start) && !d.responseLine(h.start) {
			continue
		}
		if v, e, ok := d.dateAfter(h.end, letter); ok {
			consider(v, span{h.start, e})
		}
	}
	for _, h := range d.hits[cueWithin] {
		t := d.lc[h.start:h.end]
		n, unit := countUnit(t)
		if n <= 0 && strings.HasPrefix(unit, "hour") {
			n = 1 // "within the hour"
		}
		if n <= 0 {
			continue
		}
		base := letter
		if end, _, ok := d.anchorAfter(h.end, letter, false); ok && d.anchorIsOrder(h.end) {
			base = end
		}
		var v legal.Date
		switch {
		case strings.HasPrefix(unit, "hour"):
			v = legal.DateOf(sent.Add(time.Duration(n) * time.Hour))
		case strings.HasPrefix(unit, "week"):
			v = base.AddDays(7 * n)
		case strings.Contains(t, "business") || strings.Contains(t, "working"):
			v = addBusiness(base, n)
		default:
			v = base.AddDays(n)
		}
		consider(v, h)
	}
	for _, h := range d.hits[cueReturnDate] {
		k := h.end
		for k < len(d.s) && k < h.end+6 && strings.ContainsRune(" :|-\t", rune(d.s[k])) {
			k++
		}
		t := d.lc[k:min(len(d.lc), k+24)]
		for _, w := range []string{"is ", "on ", "by "} {
			if strings.HasPrefix(t, w) {
				k += len(w)
				break
			}
		}
		if n, ok := d.dateIn(k, min(len(d.s), k+40)); ok && n.start-k < 16 {
			consider(n.resolve(letter), span{h.start, n.end})
		}
	}
	if subpoena {
		for _, h := range d.hits[cueAppear] {
			ss, se := d.sentenceAt(h.start)
			if lead := d.lc[max(ss, h.start-24):h.start]; strings.Contains(lead, "lieu of") || strings.Contains(lead, "instead of") || strings.Contains(lead, "no ") {
				continue
			}
			li := d.lineAt(h.start)
			end := se
			if d.lc[h.start:h.end] == "date and time" {
				end = d.lines[li][1]
			}
			if n, ok := d.dateIn(h.end, end); ok {
				consider(n.resolve(letter), span{h.start, n.end})
			}
		}
	}
	if subpoena {
		// "YOU ARE HEREBY COMMANDED … to produce the records … on
		// May 6, 2026": the day the subpoena is returnable.
		for _, h := range d.hits[cueServed] {
			t := d.lc[h.start:h.end]
			if !strings.Contains(t, "commanded") && !strings.Contains(t, "required") {
				continue
			}
			ss, se := d.sentenceAt(h.start)
			for _, n := range d.datesIn(h.end, se) {
				if lead := strings.TrimSpace(d.lc[max(ss, n.start-4):n.start]); lead == "on" || strings.HasSuffix(lead, " on") {
					consider(n.resolve(letter), span{h.start, n.end})
				}
			}
		}
	}
	for _, h := range d.hits[cueReturnable] {
		ss, se := d.sentenceAt(h.start)
		if n, ok := d.dateIn(ss, se); ok {
			consider(n.resolve(letter), span{n.start, h.end})
		}
	}
	if !emergency {
		for _, h := range d.hits[cueForthwith] {
			ss, se := d.sentenceAt(h.start)
			if d.has(cueFurnish, ss, se) || !d.productionCommand(ss, se) {
				continue
			}
			consider(letter, h)
		}
	}
	for _, h := range d.hits[cueToday] {
		if strings.HasSuffix(d.lc[h.start:h.end], "tonight") || strings.HasSuffix(d.lc[h.start:h.end], "today") || strings.Contains(d.lc[h.start:h.end], "today") || strings.Contains(d.lc[h.start:h.end], "afternoon") {
			consider(letter, h)
		}
	}
	return r
}

// productionCommand reports whether [ss, se) commands or asks for
// production ("shall forthwith produce", "Please produce forthwith").
func (d *doc) productionCommand(ss, se int) bool {
	t := d.lc[ss:se]
	for _, w := range []string{"produce", "disclose", "provide", "deliver", "send the records", "furnish the records"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// responseLine reports whether the line at i is a form's response field
// ("Response needed by:", "Due by").
func (d *doc) responseLine(i int) bool {
	li := d.lineInfo[d.lineAt(i)]
	return strings.Contains(li.label, "respon") || strings.Contains(li.label, "due") || strings.Contains(li.label, "return")
}

// anchorIsOrder reports whether "within N days" at i counts from the
// order's or letter's own date ("of the date of this Order") rather than
// from receipt or service.
func (d *doc) anchorIsOrder(i int) bool {
	t := strings.Join(strings.Fields(d.lc[i:min(len(d.lc), i+60)]), " ")
	for _, w := range []string{"commencing ", "beginning ", "starting ", "effective ", "on "} {
		t = strings.TrimPrefix(t, w) // "commencing on the date of this Order"
	}
	return strings.HasPrefix(t, "the date of this order") || strings.HasPrefix(t, "the date of the order") || strings.HasPrefix(t, "of the date") || strings.HasPrefix(t, "from the date") || strings.HasPrefix(t, "after the date") ||
		strings.HasPrefix(t, "of entry") || strings.HasPrefix(t, "of the entry")
}

// dateAfter reads the date a deadline phrase names right after offset i:
// a written date (after an optional time of day and weekday: "5:00 p.m. on
// Friday, December 4, 2026", "close of business on"), or a weekday alone
// ("Monday", "close of business Friday", "next Tuesday"), which is the
// next such day after the letter.
func (d *doc) dateAfter(i int, letter legal.Date) (legal.Date, int, bool) {
	k := i
	lim := min(len(d.s), i+64)
	skip := []string{"the close of business", "close of business", "the end of the business day", "end of business", "end of day",
		"the end of the day", "cob", "eod", "noon", "midday", "this coming", "this", "next", "on", "the", "at", ","}
	for changed := true; changed && k < lim; {
		changed = false
		for k < lim && (d.s[k] == ' ' || d.s[k] == ',') {
			k++
		}
		for _, w := range skip {
			if strings.HasPrefix(d.lc[k:], w) && (k+len(w) >= len(d.lc) || !isAlnum(d.lc[k+len(w)])) {
				k += len(w)
				changed = true
			}
		}
		if t, ok := timeOfDay(d.lc, k); ok {
			k, changed = t, true
		}
		if d.partAt(k).name == "subject" && k < lim && d.s[k] == '-' {
			k++
			changed = true
		}
	}
	// A weekday, maybe followed by its date.
	if wd, e, ok := weekdayAt(d.lc, k); ok {
		j := skipSpace(d.s, e, true)
		if h, ok := d.dateIn(j, min(len(d.s), j+30)); ok && h.start == j {
			return h.resolve(letter), h.end, true
		}
		return weekdayAfter(letter, wd), e, true
	}
	if h, ok := d.dateIn(k, min(len(d.s), k+30)); ok && h.start == k {
		return h.resolve(letter), h.end, true
	}
	// "by 11/20": a month and day, in the year that puts it nearest.
	if v, e, ok := monthSlashDay(d.s, k, letter); ok {
		return v, e, true
	}
	return legal.Date{}, i, false
}

// monthSlashDay reads "11/20" (no year) at i, as deadlines write it.
func monthSlashDay(s string, i int, letter legal.Date) (legal.Date, int, bool) {
	m, j, ok := number(s, "", i, false)
	if !ok || j >= len(s) || s[j] != '/' || j-i > 2 {
		return legal.Date{}, i, false
	}
	day, e, ok := number(s, "", j+1, false)
	if !ok || e-j-1 > 2 || e < len(s) && (s[e] == '/' || s[e] == '-') {
		return legal.Date{}, i, false
	}
	v := legal.Date{Month: time.Month(m), Day: day}
	if !validDate(legal.Date{Year: 2000, Month: v.Month, Day: v.Day}) {
		return legal.Date{}, i, false
	}
	v.Year = nearestYear(v.Month, v.Day, letter)
	return v, e, true
}

// timeOfDay reads a time at i ("5:00 p.m.", "10 a.m.", "17:00 hrs") and
// returns its end.
func timeOfDay(lc string, i int) (int, bool) {
	j := i
	for j < len(lc) && isDigitByte(lc[j]) {
		j++
	}
	if j == i || j-i > 2 {
		return i, false
	}
	if j < len(lc) && lc[j] == ':' {
		j++
		for j < len(lc) && isDigitByte(lc[j]) {
			j++
		}
	}
	k := j
	for k < len(lc) && lc[k] == ' ' {
		k++
	}
	for _, s := range []string{"a.m.", "p.m.", "am", "pm", "a.m", "p.m", "hrs", "hours", "o'clock"} {
		if strings.HasPrefix(lc[k:], s) {
			k += len(s)
			// A zone: "5:00 p.m. EST".
			z := k
			for z < len(lc) && lc[z] == ' ' {
				z++
			}
			e := z
			for e < len(lc) && 'a' <= lc[e] && lc[e] <= 'z' {
				e++
			}
			if zz := lc[z:e]; len(zz) >= 2 && len(zz) <= 4 && (strings.HasSuffix(zz, "st") || strings.HasSuffix(zz, "dt") || zz == "et" || zz == "pt" || zz == "ct" || zz == "mt") {
				k = e
			}
			return k, true
		}
	}
	if strings.Contains(lc[i:j], ":") {
		return j, true
	}
	return i, false
}

// weekdayAt reads a weekday name at i.
func weekdayAt(lc string, i int) (time.Weekday, int, bool) {
	j := i
	for j < len(lc) && 'a' <= lc[j] && lc[j] <= 'z' {
		j++
	}
	w := lc[i:j]
	if len(w) < 3 || !strings.HasSuffix(w, "day") && len(w) > 4 {
		return 0, i, false
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		name := strings.ToLower(wd.String())
		if w == name || len(w) <= 4 && strings.HasPrefix(name, strings.TrimSuffix(w, ".")) && len(w) >= 3 {
			if j < len(lc) && lc[j] == '.' {
				j++
			}
			return wd, j, true
		}
	}
	return 0, i, false
}

// notDeadline reports whether the date phrase at sp belongs to something
// other than a response demand: the clause before it speaks of executing
// a warrant, an order's term ending, notice, or a suspect's own demand.
func (d *doc) notDeadline(sp span) bool {
	ss, se := d.sentenceAt(sp.start)
	from := max(ss, sp.start-60)
	if d.has(cueNotDeadline, from, sp.start) {
		return true
	}
	if d.has(cueSuspectDemand, ss, se) {
		return true
	}
	return d.inNDOSentence(sp.start)
}
