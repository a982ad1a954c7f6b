package intake

import (
	"encoding/base64"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testpdf"
)

// pdfMail is an emergency request with pdf attached as request.pdf.
func pdfMail(msgID string, pdf []byte) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: legal@example.com\r\n"+
		"Subject: Emergency disclosure request\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n"+
		"Emergency: a child is missing. Please see the attached request.\r\n"+
		"--B\r\nContent-Type: application/pdf; name=\"request.pdf\"\r\n"+
		"Content-Disposition: attachment; filename=\"request.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", msgID)
	enc := base64.StdEncoding.EncodeToString(pdf)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--B--\r\n")
	return []byte(b.String())
}

// bombPDF has a page of text, then a page stream of ~10 KiB that
// inflates to 10 MB (about 2 GB inside the PDF library).
func bombPDF() []byte {
	return testpdf.Build(testpdf.TextPage("EMERGENCY DISCLOSURE REQUEST"), testpdf.BombPage(10<<20))
}

// peakHeapDuring runs f and returns how far the heap in use rose above
// its level before, sampled every 2 ms.
func peakHeapDuring(f func()) int64 {
	base := heapInUse()
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

// TestSMTPPDFBomb: issue 11's PDF bomb over a real SMTP session into the
// store is answered 250 within 10 s with < 300 MB of extra memory (this
// process's heap and the PDF worker's peak RSS), and its request tells
// the team to read the PDF.
func TestSMTPPDFBomb(t *testing.T) {
	ts := mustRedisStore(t)
	addr := mustSMTP(t, mustService(t, storeSink{ts}), nil)
	raw := pdfMail("bomb-1@fbi.gov", bombPDF())
	var err error
	start := time.Now()
	heap := peakHeapDuring(func() { err = send(t, addr, []string{intakeAddr}, raw) })
	took := time.Since(start)
	rss := childrenMaxRSS()
	t.Logf("%d-byte mail answered in %v; heap +%d KiB; largest worker %d MiB RSS", len(raw),
		took.Round(time.Millisecond), heap>>10, rss>>20)
	if err != nil {
		t.Fatalf("got %v, want 250", err)
	}
	if took > 10*time.Second {
		t.Errorf("answered after %v, want within 10 s", took)
	}
	if extra := heap + rss; extra > 300<<20 {
		t.Errorf("extra memory %d MiB (heap %d, worker %d), want < 300 MiB", extra>>20, heap>>20, rss>>20)
	}
	reqs := ts.mustRequests(t)
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	want := "attachment request.pdf is too large or complex to read in full (only part of its text was read); read the original"
	if got := reqs[0].Facts.ManualReview; !slices.Contains(got, want) {
		t.Errorf("manual review: got %q, want %q", got, want)
	}
}
