package triage

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// The reader finds the phrases it cares about ("no later than", "search
// warrant", "do not suspend") in one pass over the words of a message
// instead of running a regular expression per phrase over the whole text:
// a lexicon maps each phrase's first word to the phrases that start with
// it, so each word costs a map lookup and, rarely, a short match.
//
// A phrase is written as words separated by spaces, each element being:
//
//	word       the word itself (lower case; "'" allowed: don't, victim's)
//	a|b|c      one of several words
//	pre*       any word starting with pre (also in alternatives: a|pre*)
//	#          any number (a word of digits)
//	_          any one word
//	x?         x or nothing (any element; not the first)
//	..N        up to N arbitrary words (not the first element)
//
// Phrases never run across a boundary (a sentence end, a line break, a
// table cell, a colon).

type lexElem struct {
	words []string        // exact alternatives
	set   map[string]bool // words as a set, when there are many
	stems []string        // prefix alternatives
	num   bool            // a word of digits
	any   bool            // any word
	opt   bool
	gap   int // >0: skip 0..gap words
}

type lexPhrase struct {
	class int
	elems []lexElem
	text  string
}

type pairKey struct{ a, b string }

type lexicon struct {
	byWord    map[string][]int  // first word → phrases (whose second element is not a plain word)
	byPair    map[pairKey][]int // first and second word → phrases
	numPair   map[string][]int  // a number, then this word → phrases
	pairFirst map[string]bool   // words that start a byPair key
	byStem    map[string][]int  // first 3 letters of a first-element stem → phrases
	byNum     []int             // phrases starting with a number
	byAny     []int
	pats      []lexPhrase
	n         int // classes
}

// newLexicon compiles phrases[class] for every class. A malformed phrase
// panics: the lexicon is fixed at start-up.
func newLexicon(phrases [][]string) *lexicon {
	lx := &lexicon{byWord: map[string][]int{}, byPair: map[pairKey][]int{}, numPair: map[string][]int{}, pairFirst: map[string]bool{},
		byStem: map[string][]int{}, n: len(phrases)}
	for class, list := range phrases {
		for _, p := range list {
			ph := lexPhrase{class: class, text: p}
			for _, f := range strings.Fields(p) {
				ph.elems = append(ph.elems, parseElem(f))
			}
			if len(ph.elems) == 0 || ph.elems[0].opt || ph.elems[0].gap > 0 {
				panic(fmt.Sprintf("lexicon: phrase %q must start with a word", p))
			}
			idx := len(lx.pats)
			lx.pats = append(lx.pats, ph)
			first := ph.elems[0]
			// Index by the first two words when the second element is
			// plain words: most words then try no phrase at all.
			var second []string
			if len(ph.elems) > 1 {
				if e := ph.elems[1]; !e.opt && e.gap == 0 && len(e.stems) == 0 && !e.num && !e.any {
					second = e.words
				}
			}
			for _, w := range first.words {
				if second == nil {
					lx.byWord[w] = append(lx.byWord[w], idx)
					continue
				}
				for _, w2 := range second {
					k := pairKey{w, w2}
					lx.byPair[k] = append(lx.byPair[k], idx)
					lx.pairFirst[w] = true
				}
			}
			for _, st := range first.stems {
				if len(st) < 3 {
					panic(fmt.Sprintf("lexicon: stem %q in %q is shorter than 3 letters", st, p))
				}
				lx.byStem[st[:3]] = append(lx.byStem[st[:3]], idx)
			}
			if first.num {
				if second == nil {
					lx.byNum = append(lx.byNum, idx)
				} else {
					for _, w2 := range second {
						lx.numPair[w2] = append(lx.numPair[w2], idx)
					}
				}
			}
			if first.any {
				lx.byAny = append(lx.byAny, idx)
			}
		}
	}
	return lx
}

func parseElem(f string) lexElem {
	var e lexElem
	if strings.HasPrefix(f, "..") {
		fmt.Sscanf(f[2:], "%d", &e.gap)
		if e.gap <= 0 {
			panic("lexicon: bad gap " + f)
		}
		return e
	}
	if strings.HasSuffix(f, "?") && len(f) > 1 {
		e.opt = true
		f = f[:len(f)-1]
	}
	defer func() {
		if len(e.words) > 4 {
			e.set = map[string]bool{}
			for _, w := range e.words {
				e.set[w] = true
			}
		}
	}()
	for _, alt := range strings.Split(f, "|") {
		switch {
		case alt == "#":
			e.num = true
		case alt == "_":
			e.any = true
		case strings.HasSuffix(alt, "*"):
			e.stems = append(e.stems, strings.TrimSuffix(alt, "*"))
		default:
			e.words = append(e.words, alt)
		}
	}
	return e
}

func (e *lexElem) match(w string) bool {
	if e.any {
		return true
	}
	if e.num && w != "" && isDigitByte(w[0]) && isDigitByte(w[len(w)-1]) {
		return true
	}
	if e.set != nil {
		if e.set[w] {
			return true
		}
	} else {
		for _, x := range e.words {
			if w == x {
				return true
			}
		}
	}
	for _, st := range e.stems {
		if strings.HasPrefix(w, st) {
			return true
		}
	}
	return false
}

// scan finds every phrase in d's words and returns, per class, the spans
// of its matches in text order. Each distinct word is looked up once: its
// phrases by first word are kept per word, and those by first two words
// per pair of words, so repeated text costs a slice index.
func (lx *lexicon) scan(d *doc) [][]span {
	// Hits are gathered in one list and then laid out by class in one
	// array: appending to a list per class cost most of a reading's
	// allocations.
	flat := hitPool.get(256)
	defer func() { hitPool.put(flat) }()
	ws := d.words
	ids := idPool.get(len(ws))[:len(ws)]
	defer idPool.put(ids)
	st := scanPool.Get().(*scanState)
	defer st.release()
	intern, pairs := &st.intern, &st.pairs
	firsts, digit, pairs1 := st.firsts[:0], st.digit[:0], st.pairs1[:0] // a number; a word that may start a pair
	defer func() { st.firsts, st.digit, st.pairs1 = firsts, digit, pairs1 }()
	for i := range ws {
		w := d.lc[ws[i].start:ws[i].end]
		id, ok := intern.get(w)
		if !ok {
			id = int32(len(firsts))
			intern.put(w, id)
			firsts = append(firsts, lx.firstCands(w))
			digit = append(digit, isDigitByte(w[0]))
			pairs1 = append(pairs1, lx.pairFirst[w] || isDigitByte(w[0]) && len(lx.numPair) > 0)
		}
		ids[i] = id
	}
	for i := range ws {
		id := ids[i]
		for _, pi := range firsts[id] {
			flat = lx.try(d, flat, pi, i)
		}
		if i+1 >= len(ws) || ws[i+1].brk || !pairs1[id] {
			continue // most words start no two-word phrase
		}
		key := uint64(id)<<32 | uint64(ids[i+1])
		cand, ok := pairs.get(key)
		if !ok {
			w := d.lc[ws[i].start:ws[i].end]
			next := d.lc[ws[i+1].start:ws[i+1].end]
			cand = lx.byPair[pairKey{w, next}]
			if digit[id] {
				cand = append(cand[:len(cand):len(cand)], lx.numPair[next]...)
			}
			pairs.put(key, cand)
		}
		for _, pi := range cand {
			flat = lx.try(d, flat, pi, i)
		}
	}
	out := make([][]span, lx.n)
	count := make([]int, lx.n)
	for _, h := range flat {
		count[h.class]++
	}
	all := make([]span, len(flat))
	for c, n := range count {
		out[c], all = all[:0:n], all[n:]
	}
	for _, h := range flat {
		out[h.class] = append(out[h.class], h.at)
	}
	// Phrases are tried word by word, so each class's list is in order of
	// start.
	for c := range out {
		out[c] = dedupSpans(out[c])
	}
	return out
}

// firstCands returns the phrases that may start at word w whatever follows.
func (lx *lexicon) firstCands(w string) []int {
	var cand []int
	cand = append(cand, lx.byWord[w]...)
	if len(w) >= 3 {
		cand = append(cand, lx.byStem[w[:3]]...)
	}
	if isDigitByte(w[0]) {
		cand = append(cand, lx.byNum...)
	}
	return append(cand, lx.byAny...)
}

// scanState is the working memory of one scan, kept between readings:
// the interned words and the phrases of each word and pair of words.
type scanState struct {
	intern wordTable
	pairs  pairTable
	firsts [][]int
	digit  []bool
	pairs1 []bool
}

var scanPool = sync.Pool{New: func() any {
	return &scanState{}
}}

// release empties st (no word of the text stays referenced) and returns
// it to the pool.
func (st *scanState) release() {
	if st.intern.n > 1<<14 || st.pairs.n > 1<<14 {
		return // a table grown on a huge text keeps its size: let it go
	}
	st.intern.reset()
	st.pairs.reset()
	clear(st.firsts)
	scanPool.Put(st)
}

// classHit is one phrase of a class found in the text.
type classHit struct {
	class int
	at    span
}

// hitPool keeps scan's list of hits between readings.
var hitPool slicePool[classHit]

func (lx *lexicon) try(d *doc, out []classHit, pi, i int) []classHit {
	ph := &lx.pats[pi]
	if end, ok := matchAt(d, ph.elems, i, true); ok {
		out = append(out, classHit{ph.class, span{d.words[i].start, d.words[end-1].end}})
	}
	return out
}

// matchAt matches elems from word i and returns the index after the last
// word matched. Words after the first must not follow a boundary.
// Optional elements and gaps are tried greedily, with backtracking.
func matchAt(d *doc, elems []lexElem, i int, first bool) (int, bool) {
	for len(elems) > 0 {
		e := &elems[0]
		ws := d.words
		if e.gap > 0 {
			j := i
			for k := 0; k <= e.gap; k++ {
				if end, ok := matchAt(d, elems[1:], j, false); ok {
					return end, true
				}
				if j >= len(ws) || !(first && j == i) && ws[j].brk {
					break
				}
				j++
			}
			return 0, false
		}
		take := i < len(ws) && (first || !ws[i].brk) && e.match(d.lc[ws[i].start:ws[i].end])
		if e.opt {
			if take {
				if end, ok := matchAt(d, elems[1:], i+1, false); ok {
					return end, true
				}
			}
			elems = elems[1:]
			continue
		}
		if !take {
			return 0, false
		}
		elems, i, first = elems[1:], i+1, false
	}
	return i, true
}

func dedupSpans(s []span) []span {
	if len(s) < 2 {
		return s
	}
	out := s[:1]
	for _, x := range s[1:] {
		if last := out[len(out)-1]; x.start < last.end {
			if x.end > last.end {
				out[len(out)-1].end = x.end
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// has reports whether a phrase of class c lies within [start, end).
func (d *doc) has(c cue, start, end int) bool {
	h := d.hits[c]
	k := sort.Search(len(h), func(k int) bool { return h[k].start >= start })
	return k < len(h) && h[k].end <= end
}

// in returns the phrases of class c within [start, end).
func (d *doc) in(c cue, start, end int) []span {
	h := d.hits[c]
	k := sort.Search(len(h), func(k int) bool { return h[k].start >= start })
	j := k
	for j < len(h) && h[j].end <= end {
		j++
	}
	return h[k:j]
}

// last returns the end of the last phrase of class c within [start, end),
// or -1.
func (d *doc) last(c cue, start, end int) int {
	if h := d.in(c, start, end); len(h) > 0 {
		return h[len(h)-1].end
	}
	return -1
}

// lastSpan is last returning the whole span (start -1 when none).
func (d *doc) lastSpan(c cue, start, end int) span {
	if h := d.in(c, start, end); len(h) > 0 {
		return h[len(h)-1]
	}
	return span{-1, -1}
}
