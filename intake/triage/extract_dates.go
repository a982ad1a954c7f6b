package triage

import (
	"regexp"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// Periods: explicit ranges, month ranges, relative look-backs and the
// collection windows of prospective orders.
var (
	rangeRe      = regexp.MustCompile(`(?i)(?:\b(from|between|beginning|starting|period(?:\s+of)?:?)\s+)?` + timePfx + `\b(` + datePat + `)\s*(to\s+and\s+including|to|through|thru|until|till|and|-)\s+(?:and\s+including\s+)?` + timePfx + `\b(` + datePat + `|` + presentPat + `)`)
	monthRangeRe = regexp.MustCompile(`(?i)\b(` + monthPat + `)\.?\s+(\d{1,2})\s*-\s*(\d{1,2}),?\s+(\d{4})\b`)
	lookbackRe   = regexp.MustCompile(`(?i)\b(?:last|past|previous|preceding|prior)\s+(?:(` + numPat + `)\s+)?(days?|weeks?|months?|years?)\b`)
	spanBeforeRe = regexp.MustCompile(`(?i)\b(` + numPat + `)\s+(days?|weeks?|months?)\s+(?:preceding|prior\s+to|before)\s+(` + datePat + `|` + presentPat + `)`)
	beginEndRe   = regexp.MustCompile(`(?i)\b(?:begin|beginning|commence|commencing|start|starting)\s+(?:on\s+)?(` + datePat + `)[\s\S]{0,100}?\b(?:terminate|end|expire|conclude|ending|terminating|expiring)s?\s+(?:no\s+later\s+than\s+|on\s+|by\s+)?(` + datePat + `)`)
	forThroughRe = regexp.MustCompile(`(?i)\bfor\s+(?:a\s+(?:period|term)\s+of\s+)?` + numPat + `\s+(?:days?|months?)\b[^.;]{0,60}?\b(?:through|until|to|ending(?:\s+on)?)\s+(` + datePat + `)`)
	daysFromRe   = regexp.MustCompile(`(?i)\b(` + numPat + `)\s+(days?)\s*,?\s+(?:beginning|commencing|starting|from|effective)\s+(?:on\s+)?(` + datePat + `)`)
	hoursBackRe  = regexp.MustCompile(`(?i)\b(?:last|past|previous|preceding|prior)\s+(` + numPat + `)\s+hours?\b`)
	sinceRe      = regexp.MustCompile(`(?i)\bsince\s+(` + datePat + `)`)
)

// findPeriod returns the date range of the records requested: the union of
// every range the letter states (a hybrid historical and prospective order
// runs from the earliest start to the latest end), or nil when none is
// stated. Relative ranges end on the letter date.
func findPeriod(d *doc, letter legal.Date) *legal.Period {
	var p *legal.Period
	add := func(start, end legal.Date) {
		if start.IsZero() || end.IsZero() || end.Before(start) {
			return
		}
		if p == nil {
			p = &legal.Period{Start: start, End: end}
			return
		}
		if start.Before(p.Start) {
			p.Start = start
		}
		if end.After(p.End) {
			p.End = end
		}
	}
	s := d.s
	for _, g := range d.all(rangeRe) {
		kw, sep := sub(s, g, 1), strings.ToLower(sub(s, g, 3))
		if sep == "and" && !strings.EqualFold(kw, "between") {
			continue
		}
		if inNDOSentence(d, g[0]) {
			continue
		}
		a, ok1 := parseDate(sub(s, g, 2), letter)
		b, ok2 := dateOrPresent(sub(s, g, 4), letter)
		if ok1 && ok2 {
			add(a, b)
		}
	}
	for _, g := range d.subs(monthRangeRe) {
		a, ok1 := parseDate(g[1]+" "+g[2]+", "+g[4], letter)
		b, ok2 := parseDate(g[1]+" "+g[3]+", "+g[4], letter)
		if ok1 && ok2 {
			add(a, b)
		}
	}
	for _, g := range d.subs(lookbackRe) {
		n := 1
		if g[1] != "" {
			n = parseNumber(g[1])
		}
		if n > 0 && !letter.IsZero() {
			add(addSpan(letter, -n, strings.ToLower(g[2])), letter)
		}
	}
	for _, g := range d.subs(spanBeforeRe) {
		if end, ok := dateOrPresent(g[3], letter); ok {
			add(addSpan(end, -parseNumber(g[1]), strings.ToLower(g[2])), end)
		}
	}
	for _, g := range d.all(daysFromRe) {
		if ss, se := d.sentenceAt(g[0]); preserveWRe.MatchString(s[ss:se]) {
			continue // a preservation's 90 days are not the records' period
		}
		if a, ok := parseDate(sub(s, g, 3), letter); ok {
			if n := parseNumber(sub(s, g, 1)); n > 0 {
				add(a, a.AddDays(n-1)) // the first day is a day of collection
			}
		}
	}
	for _, g := range d.subs(hoursBackRe) {
		if n := parseNumber(g[1]); n > 0 && !letter.IsZero() {
			add(addSpan(letter, -((n+23)/24), "day"), letter)
		}
	}
	for _, g := range d.subs(beginEndRe) {
		a, ok1 := parseDate(g[1], letter)
		b, ok2 := parseDate(g[2], letter)
		if ok1 && ok2 {
			add(a, b)
		}
	}
	for _, g := range d.subs(forThroughRe) {
		if b, ok := parseDate(g[1], letter); ok {
			add(letter, b)
		}
	}
	for _, r := range tableRanges(d, letter) {
		add(r.Start, r.End)
	}
	if p == nil {
		for _, g := range d.subs(sinceRe) {
			if a, ok := parseDate(g[1], letter); ok {
				add(a, letter)
			}
		}
	}
	return p
}

// sub returns submatch i of a FindAllStringSubmatchIndex row, or "".
func sub(s string, g []int, i int) string {
	if 2*i+1 >= len(g) || g[2*i] < 0 {
		return ""
	}
	return s[g[2*i]:g[2*i+1]]
}

func inNDOSentence(d *doc, i int) bool {
	ss, se := d.sentenceAt(i)
	return d.lastEnd(notDiscloseRe, d.s[ss:se]) >= 0
}

// Deadlines: the response date the sender demands.
var (
	timeOfDay     = `(?:(?:the\s+)?(?:close\s+of\s+business|end\s+of\s+(?:the\s+)?(?:business\s+)?day|cob|eod|noon|\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?(?:\s+[a-z]{2,4})?)\s*,?\s*(?:on\s+)?)?`
	weekdayPfx    = `(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?`
	noLaterRe     = regexp.MustCompile(`(?i)\b(?:no|not)\s+later\s+than\s+` + timeOfDay + weekdayPfx + `(` + datePat + `)|\bon\s+or\s+before\s+` + timeOfDay + weekdayPfx + `(` + datePat + `)`)
	byDateRe      = regexp.MustCompile(`(?i)\b(?:by|prior\s+to|before)\s+` + timeOfDay + weekdayPfx + `(` + datePat + `)`)
	byWeekdayRe   = regexp.MustCompile(`(?i)\b(by|prior\s+to|before|no\s+later\s+than|on\s+or\s+before)\s+` + timeOfDay + `(?:this\s+(?:coming\s+)?|next\s+|this\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(,?\s+` + datePat + `)?`)
	withinRe      = regexp.MustCompile(`(?i)\bwithin\s+(` + numPat + `)\s+(calendar\s+|business\s+|working\s+)?(days?|hours?|weeks?)\b`)
	returnDateRe  = regexp.MustCompile(`(?i)\b(?:return\s+date|appearance\s+date|date\s+of\s+appearance|response\s+due(?:\s+date)?|due\s+date|deadline|production\s+due)\s*[:|-]?\s*(?:is\s+|on\s+)?` + weekdayPfx + `(` + datePat + `)`)
	appearDateRe  = regexp.MustCompile(`(?i)\bdate\s+and\s+time\s*:?\s*(` + datePat + `)`)
	appearRe      = regexp.MustCompile(`(?i)\b(?:appear|testify)\b`)
	notDeadlineRe = regexp.MustCompile(`(?i)\b(?:execut\w*|terminat\w*|expir\w*|end|ends|ending|cease\w*|until|dated|signed|issued|entered|filed|notif\w*|disclos\w*\s+the\s+existence|report\w*|born|birth)\b`)
	responseRe    = regexp.MustCompile(`(?i)\b(?:produc\w*|provid\w*|respon\w*|return\w*|send|sent|deliver\w*|submit\w*|comply|complet\w*|disclos\w*|need\w*|want\w*|reply|records|information|furnish\w*|due)\b`)
)

// findDeadline returns the earliest response date the letter demands, or
// nil. Relative deadlines count from the letter's Date in the sender's
// zone: "within N days of receipt" in calendar days, "within N business
// days" by addBusiness, "within N hours" from the hour it was sent, "by
// Monday" the next Monday. A warrant's "execute on or before" and an
// order's end are not deadlines.
func findDeadline(d *doc, sent time.Time, addBusiness func(legal.Date, int) legal.Date) *legal.Date {
	s := d.s
	letter := legal.DateOf(sent)
	var best *legal.Date
	consider := func(at int, v legal.Date) {
		if v.Before(letter) || notDeadline(d, at) {
			return
		}
		if best == nil || v.Before(*best) {
			best = &v
		}
	}
	for _, g := range d.all(noLaterRe) {
		ds := sub(s, g, 1)
		if ds == "" {
			ds = sub(s, g, 2)
		}
		if v, ok := parseDate(ds, letter); ok {
			consider(g[0], v)
		}
	}
	for _, g := range d.all(byDateRe) {
		ss, se := d.sentenceAt(g[0])
		if !responseRe.MatchString(s[ss:g[0]]) || !strings.HasPrefix(strings.ToLower(s[g[0]:g[1]]), "by") && counterfactualRe.MatchString(s[ss:se]) {
			continue
		}
		if v, ok := parseDate(sub(s, g, 1), letter); ok {
			consider(g[0], v)
		}
	}
	for _, g := range d.all(byWeekdayRe) {
		if sub(s, g, 3) != "" {
			continue // "by Friday, November 20, 2026" is read as a date
		}
		if !strings.EqualFold(sub(s, g, 1), "by") {
			// "prior to Friday", "before Monday": a deadline only when
			// the sentence asks for a response, and not in one that
			// imagines process ("could not be obtained before Monday").
			ss, se := d.sentenceAt(g[0])
			if !responseRe.MatchString(s[ss:g[0]]) || counterfactualRe.MatchString(s[ss:se]) {
				continue
			}
		}
		if wd, ok := weekdayOf(sub(s, g, 2)); ok {
			consider(g[0], weekdayAfter(letter, wd))
		}
	}
	for _, g := range d.all(withinRe) {
		n := parseNumber(sub(s, g, 1))
		if n <= 0 {
			continue
		}
		kind, unit := strings.ToLower(strings.TrimSpace(sub(s, g, 2))), strings.ToLower(sub(s, g, 3))
		var v legal.Date
		switch {
		case strings.HasPrefix(unit, "hour"):
			v = legal.DateOf(sent.Add(time.Duration(n) * time.Hour))
		case strings.HasPrefix(unit, "week"):
			v = letter.AddDays(7 * n)
		case kind == "business" || kind == "working":
			v = addBusiness(letter, n)
		default:
			v = letter.AddDays(n)
		}
		consider(g[0], v)
	}
	for _, g := range d.all(returnDateRe) {
		if v, ok := parseDate(sub(s, g, 1), letter); ok {
			consider(g[0], v)
		}
	}
	if d.matched(appearRe) {
		for _, g := range d.all(appearDateRe) {
			if v, ok := parseDate(sub(s, g, 1), letter); ok {
				consider(g[0], v)
			}
		}
	}
	return best
}

// notDeadline reports whether the date phrase at i belongs to something
// other than a response demand: the clause before it speaks of executing a
// warrant, an order's term ending, or notice.
func notDeadline(d *doc, i int) bool {
	ss, _ := d.sentenceAt(i)
	from := max(ss, i-60)
	return notDeadlineRe.MatchString(d.s[from:i])
}

var ndoUntilRe = regexp.MustCompile(`(?i)\b(?:until|through|ending(?:\s+on)?|expires?\s+on|expiring\s+on)\s+(` + datePat + `)|\bfor\s+(?:a\s+period\s+of\s+)?(` + numPat + `)\s+(days?|months?|years?)\b`)

// findNDOUntil returns the end date of the non-disclosure obligation: a
// date after "until" in a sentence that bars notice, or the end of a
// stated term ("for one year"), or nil when none is stated.
func findNDOUntil(d *doc, letter legal.Date) *legal.Date {
	done := -1
	for _, loc := range d.all(notDiscloseRe) {
		ss, se := d.sentenceAt(loc[0])
		if ss <= done {
			continue
		}
		done = ss
		sent := d.s[ss:se]
		for _, g := range ndoUntilRe.FindAllStringSubmatch(sent, -1) {
			if g[1] != "" {
				if v, ok := parseDate(g[1], letter); ok {
					return &v
				}
				continue
			}
			if n := parseNumber(g[2]); n > 0 && !letter.IsZero() {
				v := addSpan(letter, n, strings.ToLower(g[3]))
				return &v
			}
		}
	}
	return nil
}

// Column headings of a table that gives each row's period in two columns.
var (
	startColRe = regexp.MustCompile(`(?i)^(?:(?:period|date|records?)\s+)?(?:start|from|begin(?:ning)?)(?:\s+date)?$`)
	endColRe   = regexp.MustCompile(`(?i)^(?:(?:period|date|records?)\s+)?(?:end|to|through|thru|until|ending)(?:\s+date)?$`)
)

// tableRanges reads periods from a table (rows rendered "a | b | c") whose
// heading row names a start and an end column ("Start | End", "From |
// To"): each following row of the same width gives one range.
func tableRanges(d *doc, letter legal.Date) []legal.Period {
	var out []legal.Period
	lines := strings.Split(d.s, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.Contains(lines[i], "|") {
			continue
		}
		head := strings.Split(lines[i], "|")
		sc, ec := -1, -1
		for c, h := range head {
			switch h = strings.TrimSpace(h); {
			case sc < 0 && startColRe.MatchString(h):
				sc = c
			case ec < 0 && endColRe.MatchString(h):
				ec = c
			}
		}
		if sc < 0 || ec < 0 {
			continue
		}
		for i+1 < len(lines) {
			row := strings.Split(lines[i+1], "|")
			if len(row) != len(head) {
				break
			}
			i++
			a, ok1 := parseDate(row[sc], letter)
			b, ok2 := dateOrPresent(row[ec], letter)
			if ok1 && ok2 && !b.Before(a) {
				out = append(out, legal.Period{Start: a, End: b})
			}
		}
	}
	return out
}
