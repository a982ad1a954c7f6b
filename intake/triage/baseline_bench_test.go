package triage

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/emersion/go-message/mail"
)

// Baselines for BENCHMARKS.md: the triage benchmarks' load against the
// least a Go program can do with the same mail, so lebot's numbers read
// as a multiple of what the machine gives anyone.

// BenchmarkBaselineMIMEText20KB and BenchmarkBaselineMIMEPDF1MB read the
// triage benchmarks' messages with go-message alone: header, every part
// decoded, nothing extracted. Triage's cost beyond this is lebot's.
func BenchmarkBaselineMIMEText20KB(b *testing.B) { benchMIME(b, textMessage(20<<10)) }

func BenchmarkBaselineMIMEPDF1MB(b *testing.B) { benchMIME(b, pdfMessage(1<<20)) }

func benchMIME(b *testing.B, raw []byte) {
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	cpu0, ok := processCPU()
	for b.Loop() {
		if n, err := readMIME(raw); err != nil || n == 0 {
			b.Fatalf("read %d bytes of parts: %v", n, err)
		}
	}
	if cpu1, _ := processCPU(); ok && b.N > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	}
}

// readMIME parses raw and decodes every part, returning the bytes read.
func readMIME(raw []byte) (int64, error) {
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return 0, err
	}
	var n int64
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		m, err := io.Copy(io.Discard, p.Body)
		n += m
		if err != nil {
			return n, err
		}
	}
}

func TestReadMIME(t *testing.T) {
	for name, raw := range map[string][]byte{"text": textMessage(20 << 10), "pdf": pdfMessage(64 << 10)} {
		if n, err := readMIME(raw); err != nil || n < 10<<10 {
			t.Errorf("%s: read %d bytes, %v; want the whole body", name, n, err)
		}
	}
}
