package triage

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// substrEnds finds what a strings.Index loop over d.lc finds.
func TestSubstrEndsAsIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"emergency", "Emergency", "emergencies", "e", "em", "y", "gency", "install", "installed", "a", " ", "\n", "1", "x-1", "aa"}
	needles := []string{"emergency", "install", "aa", "a", "y", "em ", "x-1", "e", "1 e", "gency", "zzz"}
	for n := range 300 {
		var sb strings.Builder
		for range rng.IntN(40) {
			sb.WriteString(words[rng.IntN(len(words))])
		}
		d := &doc{s: sb.String()}
		d.lc = lowerASCII(d.s)
		for _, w := range needles {
			var want []int
			for i := 0; ; {
				j := strings.Index(d.lc[i:], w)
				if j < 0 {
					break
				}
				i += j + len(w)
				want = append(want, i)
			}
			if got := d.substrEnds(strings.ToUpper(w)); !slices.Equal(got, want) {
				t.Fatalf("case %d: %q in %q: got %v, want %v", n, w, d.s, got, want)
			}
		}
	}
}
