package triage

import (
	"context"
	"path/filepath"
	"strconv"
	"sync"
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

// TestTriageConcurrentPooled: readings running at once share the pools
// (words, word ids, lexicon hits and tables) and still read each message
// as they do alone (run with -race to check the pools too).
func TestTriageConcurrentPooled(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "patterns", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	want := map[string]string{}
	raws := map[string][]byte{}
	for _, f := range files {
		raws[f] = mustRead(t, f)
		res, err := Triage(context.Background(), raws[f], Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := JSON(res)
		want[f] = string(b)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(files))
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := range files {
				f := files[(i+g)%len(files)]
				res, err := Triage(context.Background(), raws[f], Options{})
				if err != nil {
					errs <- err.Error()
					continue
				}
				if b, _ := JSON(res); string(b) != want[f] {
					errs <- f + ": read differently when run beside others"
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
