package triage

import (
	"slices"
	"testing"
)

// TestLexicon checks the phrase syntax: alternatives, stems, numbers,
// optional elements, gaps, counts (N) and that a phrase never runs across
// a boundary (a sentence end, a line of a form, a colon).
func TestLexicon(t *testing.T) {
	lx := newLexicon(expandPhrases([][]string{
		{"no|not later than"},
		{"preserv*"},
		{"the? present"},
		{"do not ..3 suspend*"},
		{"last N day|days"},
		{"# year old"},
	}))
	tests := []struct {
		text string
		want [][]string // per class
	}{
		{"Produce the records not later than Friday.", [][]string{{"not later than"}, nil, nil, nil, nil, nil}},
		{"Please preserve; it is preserved", [][]string{nil, {"preserve", "preserved"}, nil, nil, nil, nil}},
		{"to the present and to present", [][]string{nil, nil, {"the present", "present"}, nil, nil, nil}},
		{"Do not close or suspend the account. Do not.\nSuspend it", [][]string{nil, nil, nil, {"Do not close or suspend"}, nil, nil}},
		{"for the last thirty (30) days, the last 7 days, the last forty-five (45) days", [][]string{nil, nil, nil, nil,
			{"last thirty (30) days", "last 7 days", "last forty-five (45) days"}, nil}},
		{"a 13-year-old girl", [][]string{nil, nil, nil, nil, nil, {"13-year-old"}}},
		{"Time period: last\n30 days", [][]string{nil, nil, nil, nil, nil, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d := &doc{s: tt.text, lc: lowerASCII(tt.text)}
			d.sentences = splitSentences(d.s)
			d.words = splitWords(d)
			hits := lx.scan(d)
			for c, want := range tt.want {
				var got []string
				for _, h := range hits[c] {
					got = append(got, d.s[h.start:h.end])
				}
				if !slices.Equal(got, want) {
					t.Errorf("class %d: got %q, want %q", c, got, want)
				}
			}
		})
	}
}

func TestLexiconRefusesBadPhrases(t *testing.T) {
	for _, p := range []string{"the? ..2", "..3 word", "e-mail|email", "preserve, for"} {
		t.Run(p, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("phrase %q: got a lexicon, want a panic at start-up", p)
				}
			}()
			newLexicon(expandPhrases([][]string{{p}}))
		})
	}
}
