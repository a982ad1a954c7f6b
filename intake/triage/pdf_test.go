package triage

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// mustTextPDF builds a PDF with a text layer: one line per entry, pages
// split at "\f".
func mustTextPDF(tb testing.TB, lines ...string) []byte {
	tb.Helper()
	f := fpdf.New("P", "pt", "Letter", "")
	f.SetFont("Helvetica", "", 11)
	f.AddPage()
	for _, l := range lines {
		if l == "\f" {
			f.AddPage()
			continue
		}
		f.CellFormat(0, 14, l, "", 1, "L", false, 0, "")
	}
	// Two cells on one line: a table row of the kind court forms have.
	f.CellFormat(150, 14, "Date and Time:", "", 0, "L", false, 0, "")
	f.CellFormat(200, 14, "December 15, 2026", "", 1, "L", false, 0, "")
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// mustScanPDF builds a PDF whose page is only an image: a scan.
func mustScanPDF(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewGray(image.Rect(0, 0, 60, 80))
	for i := range img.Pix {
		img.Pix[i] = uint8(200 + i%50)
	}
	img.Set(10, 10, color.Black)
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		tb.Fatal(err)
	}
	f := fpdf.New("P", "pt", "Letter", "")
	f.AddPage()
	f.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &pngBuf)
	f.ImageOptions("scan", 0, 0, 612, 792, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestPDFText(t *testing.T) {
	tests := []struct {
		name  string
		pdf   []byte
		want  []string // lines that must appear, whole
		empty bool
	}{
		{
			name: "text layer",
			pdf: mustTextPDF(t, "UNITED STATES DISTRICT COURT", "SUBPOENA TO TESTIFY BEFORE A GRAND JURY",
				"Telephone number (415) 555-0161, account AC-20394", "\f", "Page two: Attachment A"),
			want: []string{"UNITED STATES DISTRICT COURT", "SUBPOENA TO TESTIFY BEFORE A GRAND JURY",
				"Telephone number (415) 555-0161, account AC-20394", "Page two: Attachment A", "Date and Time: December 15, 2026"},
		},
		{name: "scan without text layer", pdf: mustScanPDF(t), empty: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PDFText(tt.pdf)
			if err != nil {
				t.Fatalf("PDFText: %v", err)
			}
			if tt.empty && strings.TrimSpace(got) != "" {
				t.Fatalf("got text %q, want none", got)
			}
			lines := strings.Split(got, "\n")
			for _, w := range tt.want {
				if !containsLine(lines, w) {
					t.Errorf("missing line %q; got:\n%s", w, got)
				}
			}
		})
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) == want {
			return true
		}
	}
	return false
}

// TestPDFTextHostile: malformed PDFs return an error or nothing, never a panic.
func TestPDFTextHostile(t *testing.T) {
	good := mustTextPDF(t, "hello")
	rng := rand.New(rand.NewPCG(1, 2))
	cases := map[string][]byte{
		"empty":     nil,
		"header":    []byte("%PDF-1.7\n"),
		"truncated": good[:len(good)/2],
		"no xref":   bytes.ReplaceAll(good, []byte("xref"), []byte("xxxx")),
	}
	for i := range 40 {
		b := bytes.Clone(good)
		for range 1 + rng.IntN(20) {
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		}
		cases[fmt.Sprintf("mutated %d", i)] = b
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			// In parallel: PDFText's worker limit (MaxPDFWorkers) still holds.
			t.Parallel()
			_, _ = PDFText(b) // must return
		})
	}
}

func TestParsePDFAttachments(t *testing.T) {
	text := mustTextPDF(t, "SEARCH AND SEIZURE WARRANT", "Case No. 3:26-mj-71342")
	scan := mustScanPDF(t)
	raw := buildMixed(t, "See attached.", []testPart{
		{"application/pdf", "Warrant.pdf", text},
		{"application/octet-stream", "scan.PDF", scan},
	})
	m := mustParse(t, raw)
	if len(m.Attachments) != 2 {
		t.Fatalf("attachments: got %d, want 2", len(m.Attachments))
	}
	w, s := m.Attachments[0], m.Attachments[1]
	if w.NeedsReview || !strings.Contains(w.Text, "SEARCH AND SEIZURE WARRANT\nCase No. 3:26-mj-71342") {
		t.Errorf("text PDF: got NeedsReview=%v text %q", w.NeedsReview, w.Text)
	}
	if w.Size != len(text) {
		t.Errorf("text PDF size: got %d, want %d", w.Size, len(text))
	}
	if !s.NeedsReview || s.Text != "" {
		t.Errorf("scanned PDF: got NeedsReview=%v text %q, want review and no text", s.NeedsReview, s.Text)
	}
	want := "needs manual review: scan.PDF has no text layer"
	if len(m.Warnings) != 1 || m.Warnings[0] != want {
		t.Errorf("Warnings: got %q, want [%q]", m.Warnings, want)
	}
}

type testPart struct {
	contentType, filename string
	data                  []byte
}

// buildMixed writes a multipart/mixed message with a plain body and
// base64 attachments.
func buildMixed(tb testing.TB, body string, parts []testPart) []byte {
	tb.Helper()
	var b strings.Builder
	b.WriteString("From: agent@agency.gov\r\nTo: legal@example.com\r\nSubject: attached\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BOUND\"\r\n\r\n")
	fmt.Fprintf(&b, "--BOUND\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", body)
	for _, p := range parts {
		fmt.Fprintf(&b, "--BOUND\r\nContent-Type: %s; name=%q\r\nContent-Disposition: attachment; filename=%q\r\n"+
			"Content-Transfer-Encoding: base64\r\n\r\n", p.contentType, p.filename, p.filename)
		enc := base64.StdEncoding.EncodeToString(p.data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("--BOUND--\r\n")
	return []byte(b.String())
}

// BenchmarkParsePDF reads a message carrying a PDF of about 1 MB.
func BenchmarkParsePDF(b *testing.B) {
	f := fpdf.New("P", "pt", "Letter", "")
	f.SetCompression(false)
	f.SetFont("Helvetica", "", 9)
	f.AddPage()
	line := strings.Repeat("Call detail records for (571) 555-0114 and account AC-12896. ", 2)
	for i := 0; i < 11000; i++ {
		f.CellFormat(0, 10, line, "", 1, "L", false, 0, "")
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		b.Fatal(err)
	}
	raw := buildMixed(b, "See attached.", []testPart{{"application/pdf", "big.pdf", buf.Bytes()}})
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Parse(raw)
		if err != nil || len(m.Attachments) != 1 || m.Attachments[0].Text == "" {
			b.Fatalf("Parse: %v", err)
		}
	}
}
