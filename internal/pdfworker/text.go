package pdfworker

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/ledongthuc/pdf"
)

// pageTexts reads the text layer of b page by page in document order,
// calling page with each page's lines (joined by "\n", "" for a page
// without text) until it returns false or maxPages pages are read. The
// library trusts its input (it panics on malformed files), so a panic
// becomes the error. It runs in the worker process, whose limits bound
// what the library can do.
func pageTexts(b []byte, maxPages int, page func(text string) bool) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("PDF library: %v", x)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("open PDF: %w", err)
	}
	pages := 0
	walkPages(r, maxPages, func(p pdf.Page) bool {
		pages++
		return page(strings.Join(textLines(p.Content().Text), "\n")) && pages < maxPages
	})
	return nil
}

// walkPages calls visit for each page in document order until it returns
// false. It walks the page tree once: the library's Reader.Page(i) walks
// it from the root for every page, which is quadratic in the page count.
// Depth and node budgets bound a malformed or cyclic tree.
func walkPages(r *pdf.Reader, maxPages int, visit func(pdf.Page) bool) {
	budget := 4*maxPages + 64
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

// textLines rebuilds text lines from glyphs in content-stream order: a
// vertical move of more than half the font size starts a new line, and a
// horizontal jump wider than a kerning adjustment becomes a space. Fonts
// without a Widths table report zero-width glyphs, so the jump is then
// measured from the previous glyph's origin.
func textLines(glyphs []pdf.Text) []string {
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
