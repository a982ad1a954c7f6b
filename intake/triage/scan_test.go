package triage

import (
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/lebot-dev/lebot/internal/testcorpus"
)

// TestScanKeysComplete checks the windowing of doc.all against a scan of
// the whole text, pattern by pattern, over every labelled message the
// package knows (the shared corpus when present, the held-out set, the
// fixtures) and the benchmark messages. A difference means a pattern's keys
// or window sizes in scanKeys miss some of its matches.
func TestScanKeysComplete(t *testing.T) {
	var files []string
	dirs := []string{filepath.Join("testdata", "heldout"), filepath.Join("testdata", "triage"), filepath.Join("testdata", "mail")}
	if corpus, ok := testcorpus.Path(); ok {
		dirs = append(dirs, corpus)
	}
	for _, dir := range dirs {
		f, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		files = append(files, f...)
	}
	if len(files) < 20 {
		t.Fatalf("found %d messages, want at least 20", len(files))
	}
	raws := map[string][]byte{"bench-text": textMessage(20 << 10), "bench-pdf": pdfMessage(64 << 10)}
	for _, f := range files {
		raws[filepath.Base(f)] = mustRead(t, f)
	}
	for name, raw := range raws {
		m, err := Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d := newDoc(m)
		for re := range scanKeys {
			want := re.FindAllStringSubmatchIndex(d.s, -1)
			if got := d.all(re); !sameMatches(got, want) {
				t.Errorf("%s: %s: windowed scan found %d matches, whole text %d", name, short(re), len(got), len(want))
			}
		}
	}
}

func sameMatches(a, b [][]int) bool {
	return slices.EqualFunc(a, b, func(x, y []int) bool { return slices.Equal(x, y) })
}

func short(re *regexp.Regexp) string {
	s := re.String()
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}
