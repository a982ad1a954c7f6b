package triage

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// benchHeader is the header of the benchmark messages.
const benchHeader = "From: \"Bell, Marcus T.\" <Marcus.T.Bell@dea.gov>\r\n" +
	"To: legal@acme.example\r\nSubject: Administrative subpoena\r\n" +
	"Date: Wed, 21 Oct 2026 09:02:47 -0500\r\nMessage-ID: <bench@dea.gov>\r\nMIME-Version: 1.0\r\n"

// benchLetter is one realistic paragraph of a subpoena letter.
const benchLetter = "By the service of this subpoena upon you, YOU ARE HEREBY REQUIRED to produce the records " +
	"described below relating to telephone number 312-555-0119 and Customer ID 88123401, for the period " +
	"08/01/2026 - 10/15/2026: subscriber information, means and source of payment, call detail records " +
	"and IP address login history. Do not include the contents of any communications. The records must " +
	"be produced within 10 days of receipt of this subpoena.\r\n\r\n"

// textMessage returns a plain-text message of about size bytes.
func textMessage(size int) []byte {
	var b bytes.Buffer
	b.WriteString(benchHeader)
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n")
	for b.Len() < size-200 {
		b.WriteString(benchLetter)
	}
	b.WriteString("Marcus T. Bell\r\nSpecial Agent\r\nOffice: (312) 555-0187\r\n")
	return b.Bytes()
}

// makePDF builds a text PDF of about size bytes: pages of Helvetica lines,
// with a correct cross-reference table.
func makePDF(size int) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n")
	const perPage = 4000
	pages := max(1, size/perPage)
	// Objects: 1 catalog, 2 pages, 3 font, then a page and its content per page.
	kids := make([]string, pages)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	line := "Voxline is directed to produce subscriber records for (415) 555-0134 and account AC-20394."
	for p := 0; p < pages; p++ {
		var c strings.Builder
		c.WriteString("BT\n/F1 9 Tf\n")
		for y := 760; c.Len() < perPage-150 && y > 40; y -= 11 {
			fmt.Fprintf(&c, "1 0 0 1 40 %d Tm\n(%s) Tj\n", y, line)
		}
		c.WriteString("ET")
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*p))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", c.Len(), c.String()))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// pdfMessage returns a message whose body says "see attached" and whose
// PDF attachment is about pdfSize bytes.
func pdfMessage(pdfSize int) []byte {
	var b bytes.Buffer
	b.WriteString(benchHeader)
	b.WriteString("Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\n")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\nPlease see the attached grand jury subpoena.\r\n\r\nMarcus T. Bell\r\nOffice: (312) 555-0187\r\n")
	b.WriteString("--XX\r\nContent-Type: application/pdf; name=\"subpoena.pdf\"\r\nContent-Disposition: attachment; filename=\"subpoena.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(makePDF(pdfSize))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--XX--\r\n")
	return b.Bytes()
}

func TestBenchMessagesTriage(t *testing.T) {
	for name, raw := range map[string][]byte{"text": textMessage(20 << 10), "pdf": pdfMessage(64 << 10)} {
		t.Run(name, func(t *testing.T) {
			res, err := Triage(context.Background(), raw, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := fieldValue(labelOf(res), "identifiers"); !strings.Contains(got, "+1") {
				t.Errorf("identifiers: got %s, want the target number read", got)
			}
		})
	}
}

func BenchmarkTriageText20KB(b *testing.B) { benchTriage(b, textMessage(20<<10)) }

func BenchmarkTriagePDF1MB(b *testing.B) { benchTriage(b, pdfMessage(1<<20)) }

// benchTriage triages raw b.N times. Besides wall time it reports the
// process CPU time per message (cpu-ms/op), which stays meaningful on a
// shared, loaded machine where ns/op includes waiting for a core.
func benchTriage(b *testing.B, raw []byte) {
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	cpu0, ok := processCPU()
	for b.Loop() {
		if _, err := Triage(context.Background(), raw, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	if cpu1, _ := processCPU(); ok && b.N > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkTriageMixed20KB triages one message whose body is the text of
// the held-out requests one after another: about 20 KB of varied wording
// with no repeated paragraph, so no window is served from the cache.
func BenchmarkTriageMixed20KB(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("testdata", "heldout", "*.eml"))
	var body strings.Builder
	for _, f := range files {
		m, err := Parse(mustRead(b, f))
		if err != nil {
			b.Fatal(err)
		}
		body.WriteString(strings.ReplaceAll(m.Body, "\n", "\r\n") + "\r\n\r\n")
		if body.Len() > 20<<10 {
			break
		}
	}
	raw := benchHeader + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.String()
	benchTriage(b, []byte(raw))
}

// BenchmarkTriageSchedule20KB triages the letter of internal/app's
// BenchmarkIntake20KB: a cover note, then a schedule's definitions
// paragraph many times over (about 210 lines), then a signature. It shows
// triage's share of issue 18's intake cost without SMTP or a store.
func BenchmarkTriageSchedule20KB(b *testing.B) { benchTriage(b, scheduleMessage(20<<10)) }

// scheduleMessage is the letter of internal/app's letter20KB.
func scheduleMessage(size int) []byte {
	var sb strings.Builder
	sb.WriteString("From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: legal@example.com\r\n" +
		"Subject: Grand jury subpoena for subscriber records\r\nDate: Mon, 02 Mar 2026 10:00:00 -0800\r\n" +
		"Message-ID: <schedule@fbi.gov>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	sb.WriteString("Please find below a grand jury subpoena for subscriber information for phone number\r\n" +
		"(415) 555-0042 for the period January 1, 2026 to February 1, 2026. Please respond within 10 days.\r\n\r\n")
	para := "The term \"records\" means all information kept in any form, including electronic data, logs,\r\n" +
		"notes and correspondence, in your possession, custody or control. Produce the records as they are\r\n" +
		"kept in the usual course of business, organized and labelled to correspond to the categories of\r\n" +
		"this schedule. If any record is withheld under a claim of privilege, describe its nature and the\r\n" +
		"basis of the claim in enough detail to permit the claim to be assessed. Do not disclose the\r\n" +
		"existence of this request to the subscriber while the investigation is pending.\r\n\r\n"
	for sb.Len() < size-200 {
		sb.WriteString(para)
	}
	sb.WriteString("Special Agent Dana Smith\r\nFederal Bureau of Investigation\r\n(202) 555-0199\r\n")
	return []byte(sb.String())
}
