package intake

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
)

// Baselines for BENCHMARKS.md: the same load as the intake benchmarks,
// against the least a Go mail server can do, so lebot's numbers read as
// a multiple of what the machine gives anyone.

// BenchmarkBaselineSMTPDiscard is BenchmarkSMTPIntakeRedis against a bare
// go-smtp server that reads each message and throws it away.
func BenchmarkBaselineSMTPDiscard(b *testing.B) { driveSMTP(b, bareSMTP(b)) }

// BenchmarkBaselineSMTPDiscard25MB is BenchmarkSMTPIntake25MB against
// the bare server: the heap that go-smtp itself needs for the message.
func BenchmarkBaselineSMTPDiscard25MB(b *testing.B) {
	driveBig(b, bareSMTP(b), bigMessage(b, 25<<20-64<<10))
}

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

// bareSMTP starts a go-smtp server on loopback, with lebot's size limit,
// that accepts every sender and recipient and discards each message.
func bareSMTP(b *testing.B) string {
	b.Helper()
	srv := smtp.NewServer(discardBackend{})
	srv.Domain = "localhost"
	srv.MaxMessageBytes = 26 << 20
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Shutdown(context.Background()) })
	return ln.Addr().String()
}

type discardBackend struct{}

func (discardBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return discardSession{}, nil }

type discardSession struct{}

func (discardSession) Mail(string, *smtp.MailOptions) error { return nil }
func (discardSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (discardSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}
func (discardSession) Reset()        {}
func (discardSession) Logout() error { return nil }
