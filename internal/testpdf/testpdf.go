// Package testpdf builds small PDFs for tests, among them the attack
// inputs of issue 11: a page whose Flate stream inflates to megabytes.
// Only tests import it.
package testpdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// Page is one page's content stream, before compression.
type Page struct {
	Content []byte
	Flate   bool // store the stream FlateDecode-compressed
}

// TextPage is a page that shows each line in Helvetica, top down.
func TextPage(lines ...string) Page {
	var b strings.Builder
	b.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&b, "(%s) Tj T*\n", strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l))
	}
	b.WriteString("ET\n")
	return Page{Content: []byte(b.String())}
}

// BombPage is a page whose compressed stream of a few KiB inflates to
// size bytes: one text string of that many glyphs, each of which the PDF
// library turns into a struct of its own (about 2 GB for 10 MB).
func BombPage(size int) Page {
	var b bytes.Buffer
	b.WriteString("BT /F1 12 Tf 72 720 Td (")
	b.Write(bytes.Repeat([]byte("A"), size))
	b.WriteString(") Tj ET\n")
	return Page{Content: b.Bytes(), Flate: true}
}

// Build writes a PDF of the pages with a valid cross-reference table.
func Build(pages ...Page) []byte {
	var out bytes.Buffer
	var offsets []int
	obj := func(body string, stream []byte, isStream bool) int {
		offsets = append(offsets, out.Len())
		n := len(offsets)
		fmt.Fprintf(&out, "%d 0 obj\n%s\n", n, body)
		if isStream {
			out.WriteString("stream\n")
			out.Write(stream)
			out.WriteString("\nendstream\n")
		}
		out.WriteString("endobj\n")
		return n
	}
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// Objects 1 (catalog), 2 (page tree) and 3 (font) come first; each
	// page is then its content stream and its page object.
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil, false)
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 5+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)), nil, false)
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", nil, false)
	for _, p := range pages {
		data, filter := p.Content, ""
		if p.Flate {
			var z bytes.Buffer
			w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
			w.Write(p.Content)
			w.Close()
			data, filter = z.Bytes(), " /Filter /FlateDecode"
		}
		c := obj(fmt.Sprintf("<< /Length %d%s >>", len(data), filter), data, true)
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "+
			"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", c), nil, false)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return out.Bytes()
}
