package triage

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// splitLines returns the span of every line of s.
func splitLines(s string) [][2]int {
	out := pairPool.get(strings.Count(s, "\n") + 1)
	for start := 0; start < len(s); {
		e := strings.IndexByte(s[start:], '\n')
		if e < 0 {
			out = append(out, [2]int{start, len(s)})
			break
		}
		out = append(out, [2]int{start, start + e})
		start += e + 1
	}
	return out
}

// lineAt returns the index of the line holding offset i.
func (d *doc) lineAt(i int) int {
	k := sort.Search(len(d.lines), func(k int) bool { return d.lines[k][1] >= i })
	return min(k, len(d.lines)-1)
}

// splitSentences cuts s at sentence ends (". " before a capital letter, "!"
// or "?"), at blank lines and at semicolons. "U.S.C. 2705(b)" and
// "Inc. shall" stay whole.
func splitSentences(s string) [][2]int {
	out := pairPool.get(len(s) / 64)
	start := 0
	cut := func(end, next int) {
		if strings.TrimSpace(s[start:end]) != "" {
			out = append(out, [2]int{start, end})
		}
		start = next
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n' && i+1 < len(s) && s[i+1] == '\n':
			cut(i, i+1)
		case c == '\n' && !wrapped(s, i):
			// A line of a form, a table or a list ends its sentence; a
			// paragraph wrapped over lines does not.
			cut(i, i+1)
		case c == ';' || c == '!' || c == '?':
			cut(i+1, i+1)
		case c == '.' && i+2 < len(s) && (s[i+1] == ' ' || s[i+1] == '\n'):
			n := s[i+2]
			if ('A' <= n && n <= 'Z' || n == '(' || n == '"') && !abbrevBefore(s, i) || isDigitByte(n) && endsSentenceBeforeDigit(s, i) {
				cut(i+1, i+1)
			}
		}
	}
	cut(len(s), len(s))
	return out
}

// endsSentenceBeforeDigit reports whether the period at i, followed by a
// digit, ends a sentence: after a year, a telephone number or a word of
// three letters or more ("… October 31, 2026. 718-555-0151 is …"), not
// after "No.", "U.S.C." or "Sec.".
func endsSentenceBeforeDigit(s string, i int) bool {
	j := i
	for j > 0 && s[j-1] != ' ' && s[j-1] != '\n' && s[j-1] != '(' {
		j--
	}
	w := s[j:i]
	if abbrevBefore(s, i) || len(w) < 3 || strings.ContainsRune(w, '.') {
		return false
	}
	if allDigits(w) {
		return len(w) == 4
	}
	if len(w) >= 4 && allDigits(w[len(w)-4:]) && strings.ContainsRune(w, '-') {
		return true // a telephone number
	}
	for k := 0; k < len(w); k++ {
		if !('a' <= w[k] && w[k] <= 'z' || 'A' <= w[k] && w[k] <= 'Z') {
			return false
		}
	}
	switch strings.ToLower(w) {
	case "sec", "par", "art", "ch", "para", "section", "rule", "item", "page", "line", "count", "exhibit", "step":
		return false // "Section. 2", "Rule. 6" are rare, but never sentence ends before their number
	}
	return true
}

// abbrevBefore reports whether the period at i ends a short abbreviation
// (a title such as "Sgt.", "Hon.", an initial) rather than a sentence.
func abbrevBefore(s string, i int) bool {
	j := i
	for j > 0 && s[j-1] != ' ' && s[j-1] != '\n' && s[j-1] != '(' {
		j--
	}
	w := strings.ToLower(s[j:i])
	if len(w) == 1 && w[0] >= 'a' && w[0] <= 'z' {
		return true
	}
	switch w {
	case "sgt", "lt", "det", "hon", "mr", "mrs", "ms", "dr", "st", "no", "cpl", "capt", "ptl", "tpr",
		"ofc", "insp", "inv", "sa", "jr", "sr", "v", "vs", "u.s", "u.s.c", "fed", "r", "evid", "ave", "blvd",
		"nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "tel", "ph",
		"civ", "crim", "proc", "app", "stat", "ann", "cal", "rev", "supp", "dept", "approx", "e.g", "i.e", "etc", "inc":
		return true
	}
	return false
}

// maxSentenceReach bounds what counts as "the sentence" around an offset:
// text with no sentence ends (a page of dates, a PDF without punctuation)
// is one endless sentence, and a reader that looks through the whole of
// it around every match works in time quadratic in its length.
const maxSentenceReach = 600

// sentenceAt returns the span of the sentence holding byte offset i, at
// most maxSentenceReach bytes either side of i (cut at a space).
func (d *doc) sentenceAt(i int) (int, int) {
	ss, se := max(0, i-200), min(len(d.s), i+200)
	k := sort.Search(len(d.sentences), func(k int) bool { return d.sentences[k][1] > i })
	if k < len(d.sentences) && d.sentences[k][0] <= i {
		ss, se = d.sentences[k][0], d.sentences[k][1]
	}
	if ss < i-maxSentenceReach {
		ss = i - maxSentenceReach
		if sp := strings.IndexByte(d.s[ss:i], ' '); sp >= 0 {
			ss += sp + 1
		}
	}
	if se > i+maxSentenceReach {
		se = i + maxSentenceReach
		if sp := strings.LastIndexByte(d.s[i:se], ' '); sp >= 0 {
			se = i + sp
		}
	}
	return ss, se
}

// splitWords finds the words of d.s and marks the boundaries between them.
func splitWords(d *doc) []word {
	s := d.s
	out := wordPool.get(len(s) / 5)
	sent := 0
	prevEnd := 0
	for i := 0; i < len(s); {
		if !wordByteAt(s, i) {
			if s[i] < utf8.RuneSelf {
				i++
			} else {
				_, n := utf8.DecodeRuneInString(s[i:])
				i += n
			}
			continue
		}
		j := i
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				if asciiWord[c] {
					j++
					continue
				}
				if c == '\'' && j > i && j+1 < len(s) && wordByteAt(s, j+1) {
					j++
					continue
				}
				break
			}
			if !wordByteAt(s, j) {
				break
			}
			_, n := utf8.DecodeRuneInString(s[j:])
			j += n
		}
		brk := len(out) == 0
		for sent < len(d.sentences) && d.sentences[sent][1] <= i {
			sent++
			brk = true
		}
		if !brk {
			for k := prevEnd; k < i; k++ {
				switch s[k] {
				case '|', ';', ':', '?', '!':
					brk = true
				case '\n':
					brk = brk || !wrapped(s, prevEnd)
				}
				if brk {
					break
				}
			}
		}
		out = append(out, word{start: i, end: j, brk: brk})
		prevEnd = j
		i = j
	}
	return out
}

// wordPool keeps the word and word-id slices of finished docs: they are
// the largest allocations of a reading and are used only inside Extract.
var wordPool slicePool[word]

// pairPool keeps the line and sentence slices of finished docs, and
// linePool their lines' structure.
var (
	pairPool slicePool[[2]int]
	linePool slicePool[lineKind]
)

// idPool keeps lexicon.scan's word ids.
var idPool slicePool[int32]

// slicePool is a sync.Pool of slices of T.
type slicePool[T any] struct{ p sync.Pool }

// get returns an empty slice with capacity at least n.
func (sp *slicePool[T]) get(n int) []T {
	if v, ok := sp.p.Get().(*[]T); ok && cap(*v) >= n {
		return (*v)[:0]
	}
	return make([]T, 0, n)
}

// put returns s to the pool; s must not be used after.
func (sp *slicePool[T]) put(s []T) {
	if cap(s) == 0 || cap(s) > 1<<20 {
		return // keep no giant slice alive
	}
	s = s[:0]
	sp.p.Put(&s)
}

var asciiWord = func() (t [128]bool) {
	for c := 0; c < 128; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return
}()

// wordByteAt reports whether the character at i is a letter or digit.
func wordByteAt(s string, i int) bool {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiWord[c]
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wrapped reports whether the line break after offset i only wraps a
// sentence (a long line of running text, as PDFs break them) rather than
// ending a line of a form, a list or a signature.
func wrapped(s string, i int) bool {
	ls := strings.LastIndexByte(s[:i], '\n') + 1
	line := strings.TrimSpace(s[ls:i])
	// (A '|' first: a search for " | " stops at every space.)
	if len(line) < 45 || strings.IndexByte(line, '|') >= 0 && strings.Contains(line, " | ") {
		return false
	}
	switch line[len(line)-1] {
	case '.', ':', ';', '|', '!', '?':
		return false
	}
	return true
}

// wordAt returns the index of the first word that ends after offset i.
func (d *doc) wordAt(i int) int {
	return sort.Search(len(d.words), func(k int) bool { return d.words[k].end > i })
}

// lowerASCII lower-cases the ASCII letters of s, keeping every byte offset.
func lowerASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	from := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b.WriteString(s[from:i])
			b.WriteByte(c + 'a' - 'A')
			from = i + 1
		}
	}
	b.WriteString(s[from:])
	return b.String()
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

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

// substrEnds returns the end offsets of the case-insensitive (ASCII)
// occurrences of t in d.s, each found after the one before it ends. It
// looks for t's rarest letter, not its first: strings.Index stops at
// every "e" of a letter on the way to "emergency".
func (d *doc) substrEnds(t string) []int {
	t = lowerASCII(t)
	if t == "" {
		return nil
	}
	r := rarestByte(t)
	s := d.lc
	var out []int
	for i := 0; i+len(t) <= len(s); {
		j := strings.IndexByte(s[i+r:len(s)-len(t)+r+1], t[r])
		if j < 0 {
			break
		}
		if st := i + j; s[st:st+len(t)] == t {
			i = st + len(t)
			out = append(out, i)
		} else {
			i = st + 1
		}
	}
	return out
}

// letterRarity orders the letters from the most to the least common in
// English text.
const letterRarity = "etaoinshrdlcumwfgypbvkjxqz"

// rarestByte returns the index in t of its byte least likely to be met
// in a letter: a rare letter, else a digit or a sign, never a space.
func rarestByte(t string) int {
	best, bestRank := 0, -2
	for i := 0; i < len(t); i++ {
		rank := 10 // digits and signs: rarer than common letters
		switch c := t[i]; {
		case c == ' ':
			rank = -1
		case 'a' <= c && c <= 'z':
			rank = strings.IndexByte(letterRarity, c)
		}
		if rank > bestRank {
			best, bestRank = i, rank
		}
	}
	return best
}

// wordEnds returns the end offsets of the case-insensitive (ASCII)
// occurrences of w in d.s that stand as a word.
func (d *doc) wordEnds(w string) []int {
	var out []int
	for _, e := range d.substrEnds(w) {
		if s := e - len(w); wordBoundary(d.s, s) && wordBoundary(d.s, e) {
			out = append(out, e)
		}
	}
	return out
}

// hasWord reports whether the word w (lower case) stands in [start, end).
func (d *doc) hasWord(w string, start, end int) bool {
	for k := d.wordAt(start); k < len(d.words) && d.words[k].end <= end; k++ {
		if d.lc[d.words[k].start:d.words[k].end] == w {
			return true
		}
	}
	return false
}
