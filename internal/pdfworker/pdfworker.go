// Package pdfworker reads the text layer of a PDF in a child process with
// hard limits on its memory, CPU and wall-clock time.
//
// The PDF library (ledongthuc/pdf) trusts its input: it panics on
// malformed files, can loop on cyclic structures, and builds every glyph
// of a page in memory before returning any, so a 57 KB PDF whose page
// stream inflates to 10 MB takes gigabytes. Nothing stops it from the
// outside within one process. Run re-executes the running binary with
// Arg; an init function in this package turns that process into the
// worker before any other work, so lebot and every test binary that links
// this package serve as their own worker with no wiring. The worker
// limits itself (Linux: RLIMIT_DATA and RLIMIT_CPU), reads the PDF on
// stdin and writes each page's text as a frame (a 4-byte big-endian
// length, then the text) on stdout as soon as it is read, so the pages
// before a page that hits a limit are kept.
//
// A worker starts as a whole program does, package initialisation
// included (about 30-50 ms, most of it phone number metadata); that is
// small beside reading a PDF and buys a bound no in-process reader gives.
package pdfworker

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Arg, as the first argument, makes a binary linking this package a
// worker.
const Arg = "-lebot-pdf-worker"

// Limits bound one worker.
type Limits struct {
	Pages   int           // pages read at most
	Text    int           // bytes of text handed back at most
	Input   int           // largest PDF accepted
	Memory  int64         // memory beyond what the program holds at start
	Timeout time.Duration // wall clock, after which the worker is killed
}

func (l Limits) args() []string {
	return []string{Arg, strconv.Itoa(l.Pages), strconv.Itoa(l.Text), strconv.Itoa(l.Input),
		strconv.FormatInt(l.Memory, 10), strconv.FormatInt(int64(l.Timeout), 10)}
}

func parseArgs(a []string) (Limits, bool) {
	if len(a) != 6 || a[0] != Arg {
		return Limits{}, false
	}
	var n [5]int64
	for i := range n {
		v, err := strconv.ParseInt(a[i+1], 10, 64)
		if err != nil || v <= 0 {
			return Limits{}, false
		}
		n[i] = v
	}
	return Limits{Pages: int(n[0]), Text: int(n[1]), Input: int(n[2]), Memory: n[3], Timeout: time.Duration(n[4])}, true
}

var (
	// ErrLimit: the worker stopped at its memory, CPU or time limit (or
	// ctx ended). The Result holds the pages read before.
	ErrLimit = errors.New("PDF text extraction stopped at a limit")
	// ErrTimeout is the ErrLimit of a worker killed at Limits.Timeout.
	ErrTimeout = fmt.Errorf("%w: it took too long", ErrLimit)
)

// Worker exit codes besides 0; any other end (the Go runtime's exit on
// running out of memory, a kill) means a limit was hit.
const (
	exitUnreadable = 3 // the library could not read the file
	exitBadInput   = 4 // bad arguments, or stdin unreadable or too large
)

func init() {
	if len(os.Args) >= 2 && os.Args[1] == Arg {
		os.Exit(workerMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
}

// workerMain is the worker process: it limits itself first, then reads.
func workerMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	lim, ok := parseArgs(args)
	if !ok {
		fmt.Fprintln(stderr, "usage: lebot", Arg, "PAGES TEXT INPUT MEMORY TIMEOUT < file.pdf")
		return exitBadInput
	}
	limitSelf(lim)
	b, err := io.ReadAll(io.LimitReader(stdin, int64(lim.Input)+1))
	if err != nil || len(b) > lim.Input {
		fmt.Fprintln(stderr, "input unreadable or too large")
		return exitBadInput
	}
	w := bufio.NewWriter(stdout)
	room := lim.Text
	err = pageTexts(b, lim.Pages, func(t string) bool {
		t = t[:min(len(t), room)]
		room -= len(t)
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(t)))
		w.Write(n[:])
		w.WriteString(t)
		// Each page is out before the next is read.
		return w.Flush() == nil && room > 0
	})
	if err != nil {
		fmt.Fprintln(stderr, firstLine(err.Error(), 200))
		return exitUnreadable
	}
	return 0
}

// Result is what a worker handed back.
type Result struct {
	Pages  []string // each page's text, in order ("" for a page without)
	MaxRSS int64    // the worker's peak resident memory in bytes; 0 when unknown
}

// Text joins the pages that have text with blank lines.
func (r Result) Text() string {
	var sb strings.Builder
	for _, p := range r.Pages {
		if p == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(p)
	}
	return sb.String()
}

// Run reads pdf's text in a worker process within lim. A file the
// library cannot read gives an error that is not ErrLimit; a worker that
// hits a limit (or outlives ctx) gives the pages read before and an
// error that is ErrLimit. Run is safe for concurrent use; callers bound
// how many run at once.
func Run(ctx context.Context, pdf []byte, lim Limits) (Result, error) {
	return RunFrom(ctx, bytes.NewReader(pdf), lim)
}

// RunFrom is Run reading the PDF from pdf (held in chunks, say), which
// goes to the worker's standard input as it is.
func RunFrom(ctx context.Context, pdf io.Reader, lim Limits) (Result, error) {
	exe, err := self()
	if err != nil {
		return Result{}, fmt.Errorf("start PDF worker: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	cmd := exec.CommandContext(wctx, exe, lim.args()...)
	// Nothing of the parent's environment (secrets) reaches the worker.
	cmd.Env = []string{"GOMAXPROCS=1", "GOTRACEBACK=none"}
	cmd.Stdin = pdf
	stderr := &cappedBuffer{max: 1 << 10}
	cmd.Stderr = stderr
	cmd.WaitDelay = time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return Result{}, fmt.Errorf("start PDF worker: %w", err)
	}
	if err := cmd.Start(); err != nil {
		if ctx.Err() != nil {
			return Result{}, fmt.Errorf("%w: %w", ErrLimit, ctx.Err())
		}
		return Result{}, fmt.Errorf("start PDF worker: %w", err)
	}
	var res Result
	readErr := readFrames(out, lim.Text, &res.Pages)
	waitErr := cmd.Wait()
	res.MaxRSS = maxRSS(cmd.ProcessState)
	switch {
	case waitErr == nil && readErr == nil:
		return res, nil
	case cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == exitUnreadable:
		return Result{}, fmt.Errorf("read PDF: %s", firstLine(stderr.String(), 200))
	case ctx.Err() != nil:
		return res, fmt.Errorf("%w: %w", ErrLimit, ctx.Err())
	case wctx.Err() != nil:
		return res, ErrTimeout
	}
	return res, fmt.Errorf("%w: the worker stopped (%v; %s)", ErrLimit, waitErr, firstLine(stderr.String(), 200))
}

// readFrames reads the worker's frames into pages, keeping at most max
// bytes in all. A cut-off last frame is dropped.
func readFrames(r io.Reader, max int, pages *[]string) error {
	br := bufio.NewReader(r)
	for {
		var n [4]byte
		if _, err := io.ReadFull(br, n[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		size := int64(binary.BigEndian.Uint32(n[:]))
		keep := min(size, int64(max))
		b := make([]byte, keep)
		if _, err := io.ReadFull(br, b); err != nil {
			return err
		}
		if _, err := io.CopyN(io.Discard, br, size-keep); err != nil {
			return err
		}
		*pages = append(*pages, string(b))
		max -= int(keep)
	}
}

// cappedBuffer keeps the first max bytes written to it.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}
