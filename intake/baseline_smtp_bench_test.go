package intake

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

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
