package triage

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testpdf"
	"github.com/lebot-dev/lebot/legal"
)

// peakHeapDuring runs f and returns how far the heap in use rose above
// its level before, sampled every 2 ms.
func peakHeapDuring(f func()) int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	})
	f()
	close(stop)
	wg.Wait()
	return int64(peak.Load()) - int64(base)
}

// bombMessage is the attack of issue 11: a mail of a few dozen KiB whose
// PDF has a page of text and then a page stream that inflates to 10 MB.
func bombMessage(tb testing.TB) []byte {
	tb.Helper()
	pdf := testpdf.Build(testpdf.TextPage("EMERGENCY DISCLOSURE REQUEST", "Subscriber: (415) 555-0161"),
		testpdf.BombPage(10<<20))
	return buildMixed(tb, "Please see the attached request.", []testPart{{"application/pdf", "request.pdf", pdf}})
}

// TestParsePDFBomb: the bomb is answered within 10 s and with < 300 MB
// of memory (this process's heap and the worker's peak RSS together);
// the first page's text is kept and the PDF goes to a person.
func TestParsePDFBomb(t *testing.T) {
	raw := bombMessage(t)
	var m *Message
	start := time.Now()
	heap := peakHeapDuring(func() { m = mustParse(t, raw) })
	took := time.Since(start)
	rss := childrenMaxRSS()
	t.Logf("%d-byte message answered in %v; heap +%d KiB, largest worker so far %d MiB RSS",
		len(raw), took.Round(time.Millisecond), heap>>10, rss>>20)
	if took > 10*time.Second {
		t.Errorf("answered after %v, want within 10 s", took)
	}
	if extra := heap + rss; extra > 300<<20 {
		t.Errorf("extra memory %d MiB (heap %d, worker %d), want < 300 MiB", extra>>20, heap>>20, rss>>20)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("attachments: got %d, want 1", len(m.Attachments))
	}
	a := m.Attachments[0]
	if !a.NeedsReview || a.Text != "EMERGENCY DISCLOSURE REQUEST\nSubscriber: (415) 555-0161" {
		t.Errorf("got NeedsReview=%v text %q, want review and the first page's text", a.NeedsReview, a.Text)
	}
	want := "needs manual review: request.pdf is too large or complex to read in full (only part of its text was read)"
	if !slices.Contains(m.Warnings, want) {
		t.Errorf("warnings: got %q, want %q", m.Warnings, want)
	}
	f := Extract(m, legal.Verification{}, ExtractOptions{})
	wantReview := "attachment request.pdf is too large or complex to read in full (only part of its text was read); read the original"
	if !slices.Contains(f.ManualReview, wantReview) {
		t.Errorf("manual review: got %q, want %q", f.ManualReview, wantReview)
	}
}

// TestParsePDFBudget: once a message's time for PDFs has run out, its
// remaining PDFs are listed for a person, not read; the mail is kept.
func TestParsePDFBudget(t *testing.T) {
	defer func(d time.Duration) { pdfMessageBudget = d }(pdfMessageBudget)
	pdfMessageBudget = 0
	pdf := testpdf.Build(testpdf.TextPage("SUBPOENA"))
	m := mustParse(t, buildMixed(t, "Two attachments.", []testPart{
		{"application/pdf", "one.pdf", pdf}, {"application/pdf", "two.pdf", pdf}}))
	for _, a := range m.Attachments {
		if !a.NeedsReview || a.Text != "" || !strings.Contains(a.ReviewNote, "was not read") {
			t.Errorf("%s: got NeedsReview=%v text %q note %q, want not read and flagged", a.Filename, a.NeedsReview, a.Text, a.ReviewNote)
		}
	}
	if len(m.Warnings) != 2 {
		t.Errorf("warnings: got %q, want one per PDF", m.Warnings)
	}
}
