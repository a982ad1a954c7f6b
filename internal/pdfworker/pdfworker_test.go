package pdfworker

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testpdf"
)

// limits are lebot's (intake/triage), written out: this package takes
// them as arguments.
var limits = Limits{Pages: 300, Text: 260 << 10, Input: 20 << 20, Memory: 160 << 20, Timeout: 10 * time.Second}

func TestRunReadsPages(t *testing.T) {
	pdf := testpdf.Build(testpdf.TextPage("SUBPOENA TO PRODUCE DOCUMENTS", "Case No. 3:26-mj-71342"),
		testpdf.Page{}, testpdf.TextPage("Attachment A: (415) 555-0161"))
	res, err := Run(context.Background(), pdf, limits)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := []string{"SUBPOENA TO PRODUCE DOCUMENTS\nCase No. 3:26-mj-71342", "", "Attachment A: (415) 555-0161"}
	if fmt.Sprint(res.Pages) != fmt.Sprint(want) {
		t.Errorf("pages: got %q, want %q", res.Pages, want)
	}
	if got := res.Text(); got != want[0]+"\n\n"+want[2] {
		t.Errorf("text: got %q", got)
	}
}

// TestRunPDFBomb: a page whose 10 KiB stream inflates to 10 MB (about
// 2 GB in the library) stops at the worker's memory limit; the page
// before it is kept. Issue 11's bounds: answered within 10 s, < 300 MB.
func TestRunPDFBomb(t *testing.T) {
	pdf := testpdf.Build(testpdf.TextPage("EMERGENCY DISCLOSURE REQUEST"), testpdf.BombPage(10<<20))
	t.Logf("bomb PDF: %d bytes", len(pdf))
	start := time.Now()
	res, err := Run(context.Background(), pdf, limits)
	took := time.Since(start)
	t.Logf("answered in %v; worker peak RSS %d MiB; error: %v", took.Round(time.Millisecond), res.MaxRSS>>20, err)
	if !errors.Is(err, ErrLimit) {
		t.Fatalf("got error %v, want ErrLimit", err)
	}
	if len(res.Pages) != 1 || res.Pages[0] != "EMERGENCY DISCLOSURE REQUEST" {
		t.Errorf("pages read before the limit: got %q, want the first page's text", res.Pages)
	}
	if took > 10*time.Second {
		t.Errorf("answered after %v, want within 10 s", took)
	}
	if runtime.GOOS == "linux" && (res.MaxRSS == 0 || res.MaxRSS > 300<<20) {
		t.Errorf("worker peak RSS %d MiB, want known and < 300 MiB", res.MaxRSS>>20)
	}
}

// TestRunTimeout: a worker still reading at its timeout is killed; the
// pages it handed over are kept.
func TestRunTimeout(t *testing.T) {
	var pages []testpdf.Page
	for i := range 300 {
		lines := make([]string, 50)
		for j := range lines {
			lines[j] = fmt.Sprintf("Page %d line %d: call detail records for (571) 555-0114, account AC-12896.", i, j)
		}
		pages = append(pages, testpdf.TextPage(lines...))
	}
	lim := limits
	lim.Timeout, lim.Text = 300*time.Millisecond, 64<<20
	res, err := Run(context.Background(), testpdf.Build(pages...), lim)
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, ErrLimit) {
		t.Fatalf("got %d pages and error %v, want ErrTimeout", len(res.Pages), err)
	}
	for i, p := range res.Pages {
		if !strings.HasPrefix(p, fmt.Sprintf("Page %d line 0:", i)) {
			t.Fatalf("page %d: got %.40q, want its own text", i, p)
		}
	}
	t.Logf("%d of 300 pages read before the timeout", len(res.Pages))
}

func TestRunLimitsText(t *testing.T) {
	lim := limits
	lim.Text = 100
	pdf := testpdf.Build(testpdf.TextPage(strings.Repeat("x", 80)), testpdf.TextPage(strings.Repeat("y", 80)),
		testpdf.TextPage("never read"))
	res, err := Run(context.Background(), pdf, lim)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := len(strings.Join(res.Pages, "")); got != 100 || len(res.Pages) != 2 {
		t.Errorf("got %d pages with %d bytes of text, want 2 pages and 100 bytes", len(res.Pages), got)
	}
}

func TestRunUnreadable(t *testing.T) {
	for name, pdf := range map[string][]byte{
		"not a PDF": []byte("hello"),
		"empty":     nil,
		"truncated": testpdf.Build(testpdf.TextPage("hello"))[:200],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Run(context.Background(), pdf, limits)
			if err == nil || errors.Is(err, ErrLimit) {
				t.Errorf("got error %v, want a read error that is not ErrLimit", err)
			}
		})
	}
}

func TestRunContextEnds(t *testing.T) {
	bomb := testpdf.Build(testpdf.BombPage(10 << 20))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	lim := limits
	lim.Memory = 400 << 20 // the context, not memory, must end it (the bomb takes seconds to reach this)
	_, err := Run(ctx, bomb, lim)
	if !errors.Is(err, ErrLimit) || !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTimeout) {
		t.Errorf("got %v, want ErrLimit for the ended context", err)
	}
}

func TestParseArgs(t *testing.T) {
	if got, ok := parseArgs(limits.args()); !ok || got != limits {
		t.Errorf("round trip: got %+v %v, want %+v", got, ok, limits)
	}
	for _, a := range [][]string{nil, {Arg}, {Arg, "1", "2", "3", "4", "x"}, {Arg, "1", "2", "3", "4", "-5"}, {"x", "1", "2", "3", "4", "5"}} {
		if _, ok := parseArgs(a); ok {
			t.Errorf("parseArgs(%q) accepted", a)
		}
	}
}
