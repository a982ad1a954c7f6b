package triage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/internal/pdfworker"
)

// Limits on PDF text extraction. The PDF library trusts its input and
// cannot be stopped from outside, so each PDF is read in a worker process
// (internal/pdfworker: a re-run of this binary) with a hard memory limit
// and a CPU limit, killed at PDFTimeout. What it read before a limit is
// kept.
const (
	MaxPDFPages = 300
	// MaxPDFTextBytes: extraction reads at most MaxExtractText of a
	// message's text, so reading pages beyond it is wasted work. The
	// margin keeps a cut PDF longer than what extraction reads, so the
	// request is still flagged as truncated.
	MaxPDFTextBytes = MaxExtractText + 4<<10
	// PDFTimeout bounds one PDF's extraction, in wall-clock time.
	PDFTimeout = 10 * time.Second
	// PDFWorkerMemory is the memory one worker may use beyond what the
	// program holds at start (Linux: RLIMIT_DATA; elsewhere only the Go
	// runtime's soft limit).
	PDFWorkerMemory = 160 << 20
	// MaxPDFWorkers caps the workers running at once, so a burst of PDF
	// bombs holds at most MaxPDFWorkers × PDFWorkerMemory; others wait.
	MaxPDFWorkers = 2
	// PDFMessageBudget bounds the time spent on all of one message's PDFs,
	// waiting for a worker included; PDFs left over are not read.
	PDFMessageBudget = 3 * PDFTimeout
)

var (
	// ErrPDFLimit: extraction stopped at a memory, CPU or time limit. The
	// text returned with it is what the pages before that held.
	ErrPDFLimit = pdfworker.ErrLimit
	// ErrPDFTimeout is the ErrPDFLimit of a PDF that took longer than
	// PDFTimeout.
	ErrPDFTimeout = pdfworker.ErrTimeout
	// ErrPDFNotRead: no worker was free before the context ended (or the
	// message's PDF budget ran out); nothing was read.
	ErrPDFNotRead = errors.New("PDF not read: no time left to read it")
)

// PDFText returns the text layer of a PDF, one line per text line with
// pages separated by a blank line. A scanned PDF with no text layer gives
// "" and a nil error; a file the library cannot read gives an error. A
// PDF that hits a limit gives the text of the pages read before it and
// an error that is ErrPDFLimit.
func PDFText(b []byte) (string, error) {
	return PDFTextContext(context.Background(), b)
}

// pdfMessageBudget is PDFMessageBudget; tests shorten it.
var pdfMessageBudget = PDFMessageBudget

// pdfSlots holds one token per running worker.
var pdfSlots = make(chan struct{}, MaxPDFWorkers)

// PDFTextContext is PDFText that also stops when ctx ends: ErrPDFNotRead
// while waiting for a free worker, ErrPDFLimit once one runs.
func PDFTextContext(ctx context.Context, b []byte) (string, error) {
	return pdfTextFrom(ctx, bytes.NewReader(b))
}

// pdfTextFrom is PDFTextContext reading the PDF from pdf, which must not
// hold more than MaxAttachmentBytes.
func pdfTextFrom(ctx context.Context, pdf io.Reader) (string, error) {
	r, err := pdfExtractFrom(ctx, pdf)
	t := r.Text()
	if len(t) > MaxPDFTextBytes {
		t = strings.ToValidUTF8(t[:MaxPDFTextBytes], "")
	}
	return t, err
}

// pdfExtract runs one worker, with its report (tests read MaxRSS).
func pdfExtract(ctx context.Context, b []byte) (pdfworker.Result, error) {
	return pdfExtractFrom(ctx, bytes.NewReader(b))
}

func pdfExtractFrom(ctx context.Context, pdf io.Reader) (pdfworker.Result, error) {
	if ctx.Err() != nil {
		return pdfworker.Result{}, ErrPDFNotRead
	}
	select {
	case pdfSlots <- struct{}{}:
	case <-ctx.Done():
		return pdfworker.Result{}, ErrPDFNotRead
	}
	defer func() { <-pdfSlots }()
	r, err := pdfworker.RunFrom(ctx, pdf, pdfworker.Limits{Pages: MaxPDFPages, Text: MaxPDFTextBytes,
		Input: MaxAttachmentBytes, Memory: PDFWorkerMemory, Timeout: PDFTimeout})
	for i, p := range r.Pages {
		r.Pages[i] = strings.ToValidUTF8(p, "") // the text cap may cut a character
	}
	return r, err
}
