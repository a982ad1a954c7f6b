package triage

import (
	"regexp"
	"sort"
	"strings"
)

// Scanning a long text with ~40 case-insensitive alternations costs far
// more than reading it: Go's regexp runs its NFA over every byte for each
// pattern. Every match of most patterns holds one of a few words
// ("subpoena", "warrant", a month name) near its start, so the doc finds
// those words once in the lower-cased text (strings.Index, which is fast)
// and runs the pattern only over a short window around each: from back
// bytes before the word to fwd bytes after it, widened to whitespace so
// that \b behaves as in the whole text, and merged with the windows it
// overlaps. Short windows also let the regexp package use its backtracker
// instead of the NFA. Windows whose text was scanned before (quoted
// replies, repeated boilerplate) reuse that scan. A pattern with no keys
// runs over the whole text.
//
// A match is found exactly as a whole-text scan finds it when it holds a
// key at most back bytes after its start and ends at most fwd bytes after
// that key. TestScanKeysComplete checks, over every labelled message and
// fixture, that the windowed matches equal those of a whole-text scan.

// scanSpec is how to window one pattern.
type scanSpec struct {
	keys      []string         // lower-case; every match holds one
	find      func(*doc) []int // instead of keys: where matches may be
	back, fwd int              // bytes scanned before and after a key
}

// Default window sizes: keys sit at or near a match's start, and matches
// are a phrase long.
const (
	scanBack = 24
	scanFwd  = 160
)

func keys(k ...string) scanSpec { return scanSpec{keys: k, back: scanBack, fwd: scanFwd} }

func (s scanSpec) window(back, fwd int) scanSpec { s.back, s.fwd = back, fwd; return s }

// scanKeys lists, for each pattern run over a whole doc, how to window it.
var scanKeys = map[*regexp.Regexp]scanSpec{
	bulkRe:          keys("unsubscribe", "manage", "receiv", "opt").window(32, scanFwd),
	subpoenaRe:      keys("subpoena", "summons", "investigative"),
	warrantRe:       keys("warrant"),
	arrestRe:        keys("warrant"),
	penTrapRe:       keys("pen", "trap", "prtt", "312"),
	wiretapRe:       keys("wire", "title", "intercept", "2518", "real"),
	caleaRe:         keys("calea"),
	order2703dRe:    keys("2703"),
	orderRe:         keys("order").window(64, scanFwd),
	preserveRe:      keys("2703", "preserv").window(96, scanFwd),
	emergencyRe:     keys("emergency", "exigent", "2702", "imminent", "danger", "threat"),
	notEmergRe:      keys("emergency", "exigent"),
	extensionRe:     keys("preserv", "2703", "90", "ninety").window(96, scanFwd),
	childRe:         keys("child", "minor", "juvenile", "infant", "toddler", "newborn", "csam", "icac", "ncmec", "cybertip", "sextortion"),
	ageRe:           keys("old"),
	ndoAuthorityRe:  keys("2705", "3123", "2511", "2709", "1546", "disclosure", "gag", "notice"),
	notDiscloseRe:   keys("not", "n't", "disclosure", "notice"),
	noActionRe:      keys("not", "n't", "refrain", "avoid", "keep").window(48, scanFwd),
	contentRe:       keys("content", "recording", "recorded", "voice", "audio", "transcri", "bod").window(40, scanFwd),
	dangerPromptRe:  keys("nature", "describe", "description"),
	urgencyPromptRe: keys("how", "why"),
	emailRe:         keys("@").window(96, 256),
	accountRe:       keys("account", "acct", "customer", "subscriber", "user", "client"),
	rangeRe:         dateKeys.window(64, 200),
	monthRangeRe:    monthKeys,
	lookbackRe:      keys("last", "past", "previous", "preceding", "prior"),
	spanBeforeRe:    keys("preceding", "prior", "before").window(48, scanFwd),
	beginEndRe:      keys("begin", "commenc", "start").window(scanBack, 320),
	forThroughRe:    keys("day", "month").window(64, 200),
	daysFromRe:      keys("day").window(48, scanFwd),
	hoursBackRe:     keys("hour").window(48, scanFwd),
	sinceRe:         keys("since"),
	noLaterRe:       keys("later", "before"),
	byDateRe:        keys("by", "prior", "before"),
	byWeekdayRe:     keys("day").window(128, scanFwd),
	withinRe:        keys("within"),
	returnDateRe:    keys("return", "appearance", "due", "deadline"),
	appearDateRe:    keys("date and time"),
	appearRe:        keys("appear", "testify"),
	dateRe:          dateKeys,
}

var (
	monthKeys = scanSpec{find: monthHits, back: scanBack, fwd: scanFwd}
	// dateKeys: every written date starts with a month name, or is
	// numeric (01/31/2026, 2026-01-31).
	dateKeys = scanSpec{find: dateHits, back: scanBack, fwd: scanFwd}
)

// monthHits returns where a month name (or its abbreviation) starts a word.
func monthHits(d *doc) []int {
	var out []int
	for _, k := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		for _, e := range d.substrEnds(k) {
			if wordBoundary(d.s, e-len(k)) {
				out = append(out, e-len(k))
			}
		}
	}
	return out
}

// dateHits returns monthHits and the starts of numeric dates: digits, "/"
// or "-", digits, the same separator, digits.
func dateHits(d *doc) []int {
	out := monthHits(d)
	s := d.s
	for _, sep := range []byte{'/', '-'} {
		for i := 0; ; {
			j := strings.IndexByte(s[i:], sep)
			if j < 0 {
				break
			}
			p := i + j
			i = p + 1
			a := p
			for a > 0 && isDigitByte(s[a-1]) && p-a < 4 {
				a--
			}
			b := p + 1
			for b < len(s) && isDigitByte(s[b]) && b-p <= 2 {
				b++
			}
			if a == p || b == p+1 || b >= len(s) || s[b] != sep || a > 0 && isDigitByte(s[a-1]) {
				continue
			}
			if b+1 < len(s) && isDigitByte(s[b+1]) {
				out = append(out, a)
			}
		}
	}
	return out
}

func init() {
	for _, r := range recordsRe {
		scanKeys[r.re] = keys(r.keys...).window(48, scanFwd)
	}
}

// lowerASCII lower-cases the ASCII letters of s, keeping every byte offset.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// all returns the submatch indices of re over d.s, as
// FindAllStringSubmatchIndex would, scanning only the windows around re's
// keys. Results are cached per pattern.
func (d *doc) all(re *regexp.Regexp) [][]int {
	if r, ok := d.matches[re]; ok {
		return r
	}
	var out [][]int
	seen := map[string][][]int{} // window text → matches relative to it
	for _, w := range d.windows(scanKeys[re]) {
		text := d.s[w[0]:w[1]]
		rel, ok := seen[text]
		if !ok {
			rel = re.FindAllStringSubmatchIndex(text, -1)
			seen[text] = rel
		}
		for _, r := range rel {
			g := make([]int, len(r))
			for i, x := range r {
				g[i] = x
				if x >= 0 {
					g[i] += w[0]
				}
			}
			out = append(out, g)
		}
	}
	if d.matches == nil {
		d.matches = map[*regexp.Regexp][][]int{}
	}
	d.matches[re] = out
	return out
}

// matched reports whether re matches d.s (windowed by its scanKeys).
func (d *doc) matched(re *regexp.Regexp) bool {
	if r, ok := d.matches[re]; ok {
		return len(r) > 0
	}
	for _, w := range d.windows(scanKeys[re]) {
		if re.MatchString(d.s[w[0]:w[1]]) {
			return true
		}
	}
	return false
}

// subs returns the submatch strings of re's matches over d.s, as
// FindAllStringSubmatch would.
func (d *doc) subs(re *regexp.Regexp) [][]string {
	var out [][]string
	for _, g := range d.all(re) {
		m := make([]string, len(g)/2)
		for i := range m {
			m[i] = sub(d.s, g, i)
		}
		out = append(out, m)
	}
	return out
}

// windows returns the merged spans of d.s to scan for a pattern windowed
// by spec: the whole text when spec has no keys.
func (d *doc) windows(spec scanSpec) [][2]int {
	if spec.find == nil && len(spec.keys) == 0 {
		return [][2]int{{0, len(d.s)}}
	}
	var hits []int
	if spec.find != nil {
		hits = spec.find(d)
	}
	for _, k := range spec.keys {
		for i := 0; i < len(d.lc); {
			j := strings.Index(d.lc[i:], k)
			if j < 0 {
				break
			}
			hits = append(hits, i+j)
			i += j + len(k)
		}
	}
	if len(hits) == 0 {
		return nil
	}
	sort.Ints(hits)
	var out [][2]int
	for _, p := range hits {
		lo, hi := d.toSpace(p-spec.back, -1), d.toSpace(p+spec.fwd, +1)
		if n := len(out); n > 0 && lo <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], hi)
			continue
		}
		out = append(out, [2]int{lo, hi})
	}
	return out
}

// toSpace moves i (clamped to the text) in direction dir until it sits
// next to whitespace, so a window neither starts nor ends inside a word
// or a number. It gives up after a few hundred bytes of text without a
// space.
func (d *doc) toSpace(i, dir int) int {
	s := d.s
	i = min(max(i, 0), len(s))
	for n := 0; n < 256; n++ {
		switch {
		case i <= 0:
			return 0
		case i >= len(s):
			return len(s)
		case dir < 0 && (s[i-1] == ' ' || s[i-1] == '\n'):
			return i
		case dir > 0 && (s[i] == ' ' || s[i] == '\n'):
			return i
		}
		i += dir
	}
	if dir < 0 {
		return 0
	}
	return len(s)
}

// lastEnd returns the end of re's last match in s (a short span of d.s),
// or -1. Results are cached per pattern and text: quoted replies and
// repeated boilerplate put the same words around many numbers and dates.
func (d *doc) lastEnd(re *regexp.Regexp, s string) int {
	k := spanKey{re, s}
	if v, ok := d.spans[k]; ok {
		return v
	}
	v := lastEnd(re, s)
	if d.spans == nil {
		d.spans = map[spanKey]int{}
	}
	d.spans[k] = v
	return v
}

type spanKey struct {
	re *regexp.Regexp
	s  string
}

// substrEnds returns the end offsets of the case-insensitive (ASCII)
// occurrences of t in d.s.
func (d *doc) substrEnds(t string) []int {
	t = lowerASCII(t)
	if t == "" {
		return nil
	}
	var out []int
	for i := 0; ; {
		j := strings.Index(d.lc[i:], t)
		if j < 0 {
			return out
		}
		i += j + len(t)
		out = append(out, i)
	}
}

// wordEnds returns the end offsets of the case-insensitive (ASCII)
// occurrences of word in d.s that stand as a word (\b on both sides).
func (d *doc) wordEnds(word string) []int {
	var out []int
	for _, e := range d.substrEnds(word) {
		s := e - len(word)
		if wordBoundary(d.s, s) && wordBoundary(d.s, e) {
			out = append(out, e)
		}
	}
	return out
}

// wordBoundary reports whether \b holds at i in s (ASCII word characters,
// as Go's regexp defines it).
func wordBoundary(s string, i int) bool {
	before := i > 0 && isWordByte(s[i-1])
	after := i < len(s) && isWordByte(s[i])
	return before != after
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// findPhones returns up to limit telephone numbers in d, as findPhones
// would over the whole text. It scans only runs of lines that hold
// digits: a number does not run over a line without one.
func (d *doc) findPhones(limit int) []phoneHit {
	var out []phoneHit
	s := d.s
	for start := 0; start < len(s) && len(out) < limit; {
		// The next run of lines with digits.
		i := strings.IndexAny(s[start:], "0123456789")
		if i < 0 {
			break
		}
		lo := strings.LastIndexByte(s[:start+i], '\n') + 1
		hi := lo
		for hi < len(s) {
			e := strings.IndexByte(s[hi:], '\n')
			if e < 0 {
				e = len(s) - hi
			}
			if !strings.ContainsAny(s[hi:hi+e], "0123456789") {
				break
			}
			hi += e
			if hi < len(s) {
				hi++ // the newline
			}
		}
		for _, h := range findPhonesN(s[lo:hi], limit-len(out)) {
			h.start += lo
			h.end += lo
			out = append(out, h)
		}
		start = max(hi, lo+1)
	}
	return out
}
