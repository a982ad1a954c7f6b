package triage

import (
	"sort"
	"strings"
	"time"

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
// 2026 to the present", "09/29/2026 00:00 - 10/01/2026 13:00", "September
// 15th thru October 8th, 2026", a table's From and To columns), look-backs
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
		// A month range ("September 1-30, 2026") or a month ("July 2026").
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
	// date range in the story of the case ("for the past three weeks he
	// has been messaging her") is set aside when one does.
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
// before end: "September 15th thru October 8th, 2026".
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

// gapWords returns the words of a short gap between two dates, without
// times of day, zones and the filler words "at", "on" and "the".
func gapWords(gap string) []string {
	var out []string
	prevTime := false
	for _, w := range strings.Fields(gap) {
		w = strings.Trim(w, ",:")
		switch {
		case w == "":
			continue
		case strings.Contains(w, ":") && len(w) <= 6 && isDigitByte(w[0]):
			prevTime = true
			continue
		case w == "a.m." || w == "p.m." || w == "am" || w == "pm" || w == "hrs" || w == "hours" || w == "o'clock":
			continue
		case prevTime && len(w) >= 2 && len(w) <= 4 && (strings.HasSuffix(w, "st") || strings.HasSuffix(w, "dt") || w == "utc" || w == "gmt" || w == "et" || w == "pt" || w == "ct" || w == "mt"):
			continue
		case w == "at" || w == "on" || w == "the":
			continue
		}
		prevTime = false
		out = append(out, w)
	}
	return out
}

// stripTimes removes times of day and zones from a short gap: "00:00 -"
// becomes "-", "at 11:59 p.m. on" becomes "".
func stripTimes(s string) string { return strings.Join(gapWords(s), " ") }

// betweenBefore reports whether "between" (or "from") stands just before
// offset i: "between 2026-09-01 and the present".
func (d *doc) betweenBefore(i int) bool {
	t := strings.TrimSpace(d.lc[max(0, i-12):i])
	return strings.HasSuffix(t, "between")
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
	var conn string
	t := stripTimes(seg)
	for _, c := range []string{"to and including", "through and including", "to", "through", "thru", "until", "-", "and"} {
		if strings.HasPrefix(t, c+" ") {
			conn = c
			break
		}
	}
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

// beginsBefore reports whether "beginning", "commencing" or "starting"
// stands just before the date at i ("beginning at 12:00 p.m. on").
func (d *doc) beginsBefore(i int) bool {
	t := d.lc[max(0, i-40):i]
	for _, w := range []string{"begin", "beginning", "begins", "commence", "commencing", "commences", "start", "starting", "starts", "effective"} {
		if k := strings.LastIndex(t, w); k >= 0 && (k+len(w) == len(t) || !isAlnum(t[k+len(w)])) && stripTimes(t[k+len(w):]) == "" {
			return true
		}
	}
	return false
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

// relativePeriods reads the periods counted from a date: look-backs ("the
// last 30 days", "the preceding six (6) months", "the last 48 hours"),
// spans before a date ("the 90 days preceding the date of this Order") and
// collection windows ("sixty (60) days commencing on the date of this
// Order", "forty-five (45) days commencing on December 1, 2026", "for
// sixty (60) days, through January 22, 2027", a window whose start is the
// activation date the cover gives).
func (d *doc) relativePeriods(letter legal.Date) []periodCand {
	var out []periodCand
	add := func(start, end legal.Date, at span) {
		if start.IsZero() || end.IsZero() || end.Before(start) || d.ignorable(at.start) || d.inNDOSentence(at.start) {
			return
		}
		out = append(out, periodCand{legal.Period{Start: start, End: end}, at})
	}
	for _, h := range d.hits[cueLookback] {
		n, unit := countUnit(d.lc[h.start:h.end])
		if n == 0 {
			// "for the past year", but not "signed it last week".
			lead := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(d.lc[max(0, h.start-16):h.start]), "the"))
			if !strings.HasSuffix(lead, "for") && !strings.HasSuffix(lead, "during") && !strings.HasSuffix(lead, "over") &&
				!strings.HasSuffix(lead, "covering") && !strings.HasSuffix(lead, "period") && !strings.HasSuffix(lead, "|") && !strings.HasSuffix(lead, ":") {
				continue
			}
			n = 1
		}
		if d.preservationLength(h) || d.followedByAnchor(h.end) {
			continue
		}
		if strings.HasPrefix(unit, "hour") {
			add(letter.AddDays(-((n + 23) / 24)), letter, h)
			continue
		}
		add(addSpan(letter, -n, unit), letter, h)
	}
	for _, h := range d.hits[cueSpanBefore] {
		n, unit := countUnit(d.lc[h.start:h.end])
		end, e, ok := d.anchorAfter(h.end, letter, true)
		if !ok || n == 0 {
			continue
		}
		add(addSpan(end, -n, unit), end, span{h.start, e})
	}
	for _, h := range d.hits[cueWindow] {
		if d.preservationLength(h) || strings.HasSuffix(strings.TrimSpace(d.lc[max(0, h.start-10):h.start]), "within") {
			continue
		}
		n, _ := countUnit(d.lc[h.start:h.end])
		if n == 0 {
			continue
		}
		tail := d.lc[h.end:min(len(d.lc), h.end+40)]
		from := strings.HasPrefix(strings.TrimSpace(tail), "from") || strings.HasSuffix(strings.TrimSpace(d.lc[h.start:h.end]), "from")
		start, e, ok := d.anchorAfter(h.end, letter, false)
		if !ok {
			// "for a period of sixty (60) days, commencing …" or a
			// window whose start is the activation the cover announces.
			if act, ok := d.activationDate(letter); ok && d.firstInterception(h.start) {
				add(act, act.AddDays(n-1), span{h.start, h.end})
			}
			if end, e2, ok := d.throughAfter(h.end); ok {
				add(letter, end, span{h.start, e2})
			}
			continue
		}
		end := start.AddDays(n - 1)
		if from {
			end = start.AddDays(n) // "N days from D" does not count D
		}
		// A date written out wins over arithmetic: "… through January 22, 2027".
		if written, e2, ok := d.throughAfter(e); ok {
			end, e = written, e2
		}
		add(start, end, span{h.start, e})
	}
	return out
}

// countUnit reads the count and unit of "sixty (60) days", "the last 30
// days", "one hundred eighty (180) days": digits win over words, and a
// run of number words is read together.
func countUnit(t string) (int, string) {
	f := strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == '-' || r == '\n' })
	n, unit := 0, ""
	var words []string
	for _, w := range f {
		switch {
		case strings.HasPrefix(w, "day"), strings.HasPrefix(w, "week"), strings.HasPrefix(w, "month"), strings.HasPrefix(w, "year"), strings.HasPrefix(w, "hour"):
			if unit == "" {
				unit = w
			}
		case allDigits(w):
			if v := parseNumber(w); v > 0 && (n == 0 || len(words) > 0) {
				n, words = v, nil
			}
		default:
			if _, ok := numberWords[w]; ok && n == 0 {
				words = append(words, w)
			}
		}
	}
	if n == 0 && len(words) > 0 {
		n = parseNumber(strings.Join(words, " "))
	}
	return n, unit
}

// preservationLength reports whether the count at h is a preservation's
// length ("preserve … for 90 days"), which is never the records' period.
func (d *doc) preservationLength(h span) bool {
	ss, se := d.sentenceAt(h.start)
	if d.has(cuePreserveLength, ss, se) {
		for _, x := range d.in(cuePreserveLength, ss, se) {
			if x.start <= h.start && h.end <= x.end+8 || x.start <= h.end && h.start <= x.end {
				return true
			}
		}
	}
	return d.has(cuePreserveVerb, ss, se) && !d.hasDateIn(ss, se)
}

func (d *doc) hasDateIn(start, end int) bool {
	_, ok := d.dateIn(start, end)
	return ok
}

// followedByAnchor: "the last 90 days preceding …" is read as a span before
// a date, not from the letter.
func (d *doc) followedByAnchor(i int) bool {
	t := strings.TrimSpace(d.lc[i:min(len(d.lc), i+16)])
	return strings.HasPrefix(t, "preceding") || strings.HasPrefix(t, "prior to") || strings.HasPrefix(t, "before")
}

// anchorAfter reads the date a count is counted from or to, right after
// offset i: a written date ("commencing on November 2, 2026"), the order's
// date ("preceding the date of this Order"), the letter's, or the present.
func (d *doc) anchorAfter(i int, letter legal.Date, backward bool) (legal.Date, int, bool) {
	lim := min(len(d.s), i+48)
	k := i
	for k < lim && (d.s[k] == ' ' || d.s[k] == ',' || d.s[k] == '\n') {
		k++
	}
	// Skip the connecting words: "commencing on", "beginning", "preceding", "from".
	words := []string{"commencing", "beginning", "starting", "effective", "from", "on", "the", "with", "of", ","}
	if backward {
		words = append(words, "preceding", "prior to", "before", "to")
	}
	for changed := true; changed; {
		changed = false
		for _, w := range words {
			if strings.HasPrefix(d.lc[k:], w) && (k+len(w) >= len(d.lc) || !isAlnum(d.lc[k+len(w)])) {
				k += len(w)
				for k < lim && d.s[k] == ' ' {
					k++
				}
				changed = true
			}
		}
	}
	if h, ok := d.dateIn(k, min(len(d.s), k+40)); ok && h.start == k {
		return h.resolve(letter), h.end, true
	}
	for _, c := range []cue{cueOrderDate, cueLetterDate, cuePresent} {
		for _, h := range d.in(c, max(i, k-4), min(len(d.s), k+30)) {
			if h.start > k+4 {
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
	return legal.Date{}, i, false
}

// throughAfter reads ", through January 22, 2027" / "and ending January 16,
// 2027" shortly after offset i.
func (d *doc) throughAfter(i int) (legal.Date, int, bool) {
	t := d.lc[i:min(len(d.lc), i+90)]
	if k := strings.IndexAny(t, ".;"); k >= 0 {
		t = t[:k]
	}
	for _, w := range []string{"through", "until", "ending on", "ending", "to and including", "and ending"} {
		if k := strings.Index(t, w); k >= 0 {
			if h, ok := d.dateIn(i+k+len(w), i+len(t)+30); ok && h.start-(i+k+len(w)) < 24 {
				return h.resolve(legal.Date{}), h.end, h.date.Year != 0
			}
		}
	}
	return legal.Date{}, i, false
}

// firstInterception reports whether the window at i starts with the
// first interception ("begins on the earlier of the day on which agents
// first begin to conduct an interception …"), or its sentence is the
// cover's "the thirty days run from the day we first begin".
func (d *doc) firstInterception(i int) bool {
	ss, se := d.sentenceAt(i)
	t := d.lc[ss:se]
	if strings.Contains(t, "earlier of") || strings.Contains(t, "first begin") || strings.Contains(t, "whichever is earlier") {
		return true
	}
	for _, w := range d.wordEnds("earlier of") {
		_ = w
		return true
	}
	return strings.Contains(d.lc, "first begin")
}

// activationDate returns the date the sender says collection or
// interception starts ("We will activate TT-1 on Tuesday, November 17").
func (d *doc) activationDate(letter legal.Date) (legal.Date, bool) {
	for _, h := range d.hits[cueActivation] {
		if d.ignorable(h.start) {
			continue
		}
		ss, se := d.sentenceAt(h.start)
		if n, ok := d.dateIn(h.end, se); ok {
			return n.resolve(letter), true
		}
		_ = ss
	}
	return legal.Date{}, false
}

// accountPeriods reads "from account creation to present": from the
// account's opening date when the letter states it, else open at the
// start ({null, end}).
func (d *doc) accountPeriods(letter legal.Date, _ bool) []periodCand {
	var out []periodCand
	for _, h := range d.hits[cueAccountStart] {
		if d.ignorable(h.start) {
			continue
		}
		if strings.HasPrefix(d.lc[h.start:h.end], "since") {
			out = append(out, periodCand{legal.Period{Start: d.accountOpened(letter), End: letter}, h})
			continue
		}
		t := strings.TrimSpace(d.lc[h.end:min(len(d.lc), h.end+16)])
		if !(strings.HasPrefix(t, "to") || strings.HasPrefix(t, "through") || strings.HasPrefix(t, "until") || strings.HasPrefix(t, "-")) {
			continue
		}
		end, e, ok := d.openEnd(h.end, letter)
		if !ok {
			if n, ok2 := d.dateIn(h.end, min(len(d.s), h.end+30)); ok2 {
				end, e, ok = n.resolve(letter), n.end, true
			}
		}
		if !ok {
			continue
		}
		out = append(out, periodCand{legal.Period{Start: d.accountOpened(letter), End: end}, span{h.start, e}})
	}
	return out
}

// accountOpened returns the account's opening date when the letter states
// it ("the Account was opened on February 14, 2025"), else zero.
func (d *doc) accountOpened(letter legal.Date) legal.Date {
	for _, w := range []string{"opened", "created", "activated", "opening date", "account creation date", "date of activation"} {
		for _, e := range d.wordEnds(w) {
			if d.ignorable(e) {
				continue
			}
			_, se := d.sentenceAt(e)
			if h, ok := d.dateIn(e, min(se, e+30)); ok {
				return h.resolve(letter)
			}
		}
	}
	return legal.Date{}
}

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

// letterDate returns the date a letter bears ("November 3, 2026" on a line
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

// sentDate is the letter's date as a time, for deadlines counted in hours.
func sentDate(t time.Time) legal.Date { return legal.DateOf(t) }
