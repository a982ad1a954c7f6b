package triage

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
)

// Limits on PDF text extraction. The PDF library trusts its input (it
// panics on malformed files and can loop on cyclic page trees), so it
// runs under recover, on a page cap, and against a deadline.
const (
	MaxPDFPages = 300
	// MaxPDFTextBytes: extraction reads at most MaxExtractText of a
	// message's text, so reading pages beyond it is wasted work. The
	// margin keeps a cut PDF longer than what extraction reads, so the
	// request is still flagged as truncated.
	MaxPDFTextBytes = MaxExtractText + 4<<10
	PDFTimeout      = 10 * time.Second
)

// ErrPDFTimeout is returned when extraction takes longer than PDFTimeout.
var ErrPDFTimeout = errors.New("pdf text extraction timed out")

// PDFText returns the text layer of a PDF, one line per text line with
// pages separated by a blank line. A scanned PDF with no text layer gives
// "" and a nil error; a file the library cannot read gives an error.
func PDFText(b []byte) (string, error) {
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		t, err := pdfText(b)
		done <- result{t, err}
	}()
	timer := time.NewTimer(PDFTimeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.text, r.err
	case <-timer.C:
		return "", ErrPDFTimeout
	}
}

func pdfText(b []byte) (text string, err error) {
	defer func() {
		if x := recover(); x != nil {
			text, err = "", fmt.Errorf("malformed PDF: %v", x)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("open PDF: %w", err)
	}
	var sb strings.Builder
	pages := 0
	pdfPages(r, func(p pdf.Page) bool {
		pages++
		if lines := pdfLines(p.Content().Text); len(lines) > 0 {
			if sb.Len() > 0 {
				sb.WriteString("\n\n")
			}
			sb.WriteString(strings.Join(lines, "\n"))
		}
		return pages < MaxPDFPages && sb.Len() < MaxPDFTextBytes
	})
	s := sb.String()
	if len(s) > MaxPDFTextBytes {
		s = strings.ToValidUTF8(s[:MaxPDFTextBytes], "")
	}
	return s, nil
}

// pdfPages calls visit for each page in document order until it returns
// false. It walks the page tree once: the library's Reader.Page(i) walks
// it from the root for every page, which is quadratic in the page count.
// Depth and node budgets bound a malformed or cyclic tree.
func pdfPages(r *pdf.Reader, visit func(pdf.Page) bool) {
	budget := 4*MaxPDFPages + 64
	var walk func(v pdf.Value, depth int) bool
	walk = func(v pdf.Value, depth int) bool {
		if depth > 32 || budget <= 0 {
			return false
		}
		budget--
		switch v.Key("Type").Name() {
		case "Pages":
			kids := v.Key("Kids")
			for i := 0; i < kids.Len(); i++ {
				if !walk(kids.Index(i), depth+1) {
					return false
				}
			}
		case "Page":
			return visit(pdf.Page{V: v})
		}
		return true
	}
	walk(r.Trailer().Key("Root").Key("Pages"), 0)
}

// pdfLines rebuilds text lines from glyphs in content-stream order: a
// vertical move of more than half the font size starts a new line, and a
// horizontal jump wider than a kerning adjustment becomes a space. Fonts
// without a Widths table report zero-width glyphs, so the jump is then
// measured from the previous glyph's origin.
func pdfLines(glyphs []pdf.Text) []string {
	var lines []string
	var cur strings.Builder
	flush := func() {
		if l := strings.TrimSpace(strings.Join(strings.Fields(cur.String()), " ")); l != "" {
			lines = append(lines, l)
		}
		cur.Reset()
	}
	var prev *pdf.Text
	for i := range glyphs {
		g := &glyphs[i]
		if g.S == "\n" || g.S == "" {
			continue
		}
		if prev != nil {
			size := math.Max(math.Max(prev.FontSize, g.FontSize), 1)
			switch {
			case math.Abs(g.Y-prev.Y) > size/2:
				flush()
			case g.X-(prev.X+prev.W) > size*0.15 || g.X < prev.X-size:
				cur.WriteByte(' ')
			}
		}
		cur.WriteString(g.S)
		prev = g
	}
	flush()
	return lines
}
