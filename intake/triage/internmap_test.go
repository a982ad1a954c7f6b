package triage

import (
	"strconv"
	"testing"
)

// TestWordAndPairTables: every key put is found with its value, through
// growth and after a reset no key is found.
func TestWordAndPairTables(t *testing.T) {
	var wt wordTable
	var pt pairTable
	for round := 0; round < 2; round++ {
		for i := 0; i < 3000; i++ {
			w := "w" + strconv.Itoa(i)
			if _, ok := wt.get(w); ok {
				t.Fatalf("round %d: %q found before it was put", round, w)
			}
			wt.put(w, int32(i))
			pt.put(uint64(i)<<32|uint64(i+1), []int{i})
		}
		for i := 0; i < 3000; i++ {
			if id, ok := wt.get("w" + strconv.Itoa(i)); !ok || id != int32(i) {
				t.Fatalf("round %d: get(w%d) = %d, %v", round, i, id, ok)
			}
			if c, ok := pt.get(uint64(i)<<32 | uint64(i+1)); !ok || len(c) != 1 || c[0] != i {
				t.Fatalf("round %d: pair %d = %v, %v", round, i, c, ok)
			}
		}
		if _, ok := pt.get(1 << 40); ok {
			t.Fatal("a pair never put was found")
		}
		wt.reset()
		pt.reset()
		if _, ok := wt.get("w1"); ok {
			t.Fatal("a word was found after reset")
		}
	}
}
