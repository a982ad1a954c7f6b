package intake

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

const intakeAddr = "legal@example.com"

// mustSMTP starts an SMTP intake server on a free port for acc and
// returns its address.
func mustSMTP(tb testing.TB, acc Accepter, mod func(*SMTPConfig)) string {
	tb.Helper()
	_, addr := mustSMTPServer(tb, acc, mod)
	return addr
}

// mustSMTPServer is mustSMTP that also returns the server.
func mustSMTPServer(tb testing.TB, acc Accepter, mod func(*SMTPConfig)) (*SMTPServer, string) {
	tb.Helper()
	cfg := SMTPConfig{Accepter: acc, Addresses: []string{intakeAddr, "subpoenas@example.com"}}
	if mod != nil {
		mod(&cfg)
	}
	srv, err := NewSMTPServer(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			tb.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			tb.Errorf("serve: %v", err)
		}
	})
	return srv, ln.Addr().String()
}

// send delivers raw to rcpt over one real SMTP session.
func send(tb testing.TB, addr string, rcpt []string, raw []byte) error {
	tb.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		tb.Fatalf("dial: %v", err)
	}
	defer c.Close()
	if err := c.SendMail("dana.smith@fbi.gov", rcpt, bytes.NewReader(raw)); err != nil {
		return err
	}
	return c.Quit()
}

// wantReply checks err is an SMTP reply with code and enhanced code.
func wantReply(tb testing.TB, err error, code int, enh smtp.EnhancedCode) *smtp.SMTPError {
	tb.Helper()
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		tb.Fatalf("got %v, want SMTP reply %d %v", err, code, enh)
	}
	if se.Code != code || se.EnhancedCode != enh {
		tb.Fatalf("got %d %v %q, want %d %v", se.Code, se.EnhancedCode, se.Message, code, enh)
	}
	return se
}

func TestSMTPStoresBeforeReplying(t *testing.T) {
	ts := mustRedisStore(t)
	addr := mustSMTP(t, mustService(t, storeSink{ts}), nil)
	raw := testMessage("durable-1@fbi.gov")
	if err := send(t, addr, []string{"Legal@Example.COM"}, raw); err != nil {
		t.Fatalf("send: %v", err)
	}
	// The 250 has been read: a fresh handle must see everything now.
	reqs := ts.mustRequests(t)
	if len(reqs) != 1 {
		t.Fatalf("got %d requests after 250, want 1", len(reqs))
	}
	got, err := ts.fresh(t).RawMessage(context.Background(), reqs[0].ID)
	if err != nil || !bytes.Equal(got, raw) {
		t.Errorf("raw message: got %d bytes (%v), want the %d bytes sent", len(got), err, len(raw))
	}
	stats, err := ts.fresh(t).OutboxStats(context.Background())
	if err != nil || stats.Depth != 1 {
		t.Errorf("outbox: got %+v (%v), want one card queued", stats, err)
	}
}

func TestSMTPStoreDownAnswers451(t *testing.T) {
	ts := mustRedisStore(t)
	addr := mustSMTP(t, mustService(t, storeSink{ts}), nil)
	raw := testMessage("retry-1@fbi.gov")

	ts.proxy.Down()
	se := wantReply(t, send(t, addr, []string{intakeAddr}, raw), 451, smtp.EnhancedCode{4, 3, 0})
	for _, leak := range []string{"redis", "dial", "refused", "127.0.0.1", "EOF"} {
		if strings.Contains(strings.ToLower(se.Message), strings.ToLower(leak)) {
			t.Errorf("reply %q leaks %q", se.Message, leak)
		}
	}
	if n := len(ts.mustRequests(t)); n != 0 {
		t.Fatalf("got %d requests after a 451, want 0", n)
	}

	// The sending server retries once the store is back: stored once.
	ts.proxy.Up()
	var err error
	for range 50 { // the client reconnects lazily
		if err = send(t, addr, []string{intakeAddr}, raw); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("retry after store came back: %v", err)
	}
	if n := len(ts.mustRequests(t)); n != 1 {
		t.Errorf("got %d requests after the retry, want 1", n)
	}
}

func TestSMTPClosedStoreAnswers451(t *testing.T) {
	tests := []struct {
		name string
		open func(t *testing.T) store.Store
	}{
		{"redis", func(t *testing.T) store.Store { return mustRedisStore(t).Store }},
		{"bbolt", func(t *testing.T) store.Store {
			st, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			return st
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.open(t)
			addr := mustSMTP(t, mustService(t, storeSink{st}), nil)
			st.Close()
			wantReply(t, send(t, addr, []string{intakeAddr}, testMessage("closed@x")), 451, smtp.EnhancedCode{4, 3, 0})
		})
	}
}

func TestSMTPDedup(t *testing.T) {
	ts := mustRedisStore(t)
	addr := mustSMTP(t, mustService(t, storeSink{ts}), nil)
	for i := range 3 {
		if err := send(t, addr, []string{intakeAddr}, testMessage("twice@fbi.gov")); err != nil {
			t.Fatalf("delivery %d: got %v, want 250", i+1, err)
		}
	}
	if n := len(ts.mustRequests(t)); n != 1 {
		t.Errorf("got %d requests for one Message-ID, want 1", n)
	}
	stats, _ := ts.fresh(t).OutboxStats(context.Background())
	if stats.Depth != 1 {
		t.Errorf("got %d outbox items, want 1 card", stats.Depth)
	}
}

// fakeAccepter records calls and answers with err (or panics).
type fakeAccepter struct {
	calls atomic.Int32
	err   error
	panic bool
}

func (f *fakeAccepter) Accept(ctx context.Context, raw []byte, source string, rcpt []string) (*legal.Request, bool, error) {
	f.calls.Add(1)
	if f.panic {
		panic("accepter exploded")
	}
	if f.err != nil {
		return nil, false, f.err
	}
	return &legal.Request{ID: "LE-2026-0001"}, true, nil
}

func TestSMTPRefusals(t *testing.T) {
	tests := []struct {
		name string
		rcpt []string
		raw  []byte
		acc  *fakeAccepter
		code int
		enh  smtp.EnhancedCode
	}{
		{"foreign recipient", []string{"ceo@example.com"}, testMessage("a@b"), &fakeAccepter{}, 550, smtp.EnhancedCode{5, 1, 1}},
		{"relay attempt", []string{"victim@elsewhere.org"}, testMessage("a@b"), &fakeAccepter{}, 550, smtp.EnhancedCode{5, 1, 1}},
		{"intake address as a suffix", []string{"xlegal@example.com"}, testMessage("a@b"), &fakeAccepter{}, 550, smtp.EnhancedCode{5, 1, 1}},
		{"oversize", []string{intakeAddr}, bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n"), 1200), &fakeAccepter{}, 552, smtp.EnhancedCode{5, 3, 4}},
		{"internal error does not leak", []string{intakeAddr}, testMessage("a@b"),
			&fakeAccepter{err: fmt.Errorf("redis://:hunter2@10.0.0.5: %w", errors.New("READONLY"))}, 451, smtp.EnhancedCode{4, 3, 0}},
		{"panic in the store path", []string{intakeAddr}, testMessage("a@b"), &fakeAccepter{panic: true}, 451, smtp.EnhancedCode{4, 3, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := mustSMTP(t, tt.acc, func(c *SMTPConfig) { c.MaxBytes = 64 << 10 })
			se := wantReply(t, send(t, addr, tt.rcpt, tt.raw), tt.code, tt.enh)
			if strings.Contains(se.Message, "hunter2") || strings.Contains(se.Message, "exploded") {
				t.Errorf("reply %q leaks internals", se.Message)
			}
			if tt.code >= 500 && tt.code != 552 && tt.acc.calls.Load() != 0 {
				t.Errorf("refused mail reached the store %d times", tt.acc.calls.Load())
			}
			// The server is still up for the next sender.
			if err := send(t, addr, []string{intakeAddr}, testMessage("next@x")); tt.acc.err == nil && !tt.acc.panic && err != nil {
				t.Errorf("next delivery: %v", err)
			}
		})
	}
}

func TestSMTPHostileInput(t *testing.T) {
	acc := &fakeAccepter{}
	addr := mustSMTP(t, acc, func(c *SMTPConfig) { c.MaxRecipients = 5 })

	t.Run("10k recipients", func(t *testing.T) {
		c, err := smtp.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Mail("x@y", nil); err != nil {
			t.Fatal(err)
		}
		var ok, refused int
		for i := range 10000 {
			rcpt := intakeAddr
			if i%2 == 1 {
				rcpt = fmt.Sprintf("user%d@example.com", i)
			}
			if err := c.Rcpt(rcpt, nil); err == nil {
				ok++
			} else if se := (*smtp.SMTPError)(nil); errors.As(err, &se) && se.Code/100 >= 4 {
				refused++
			} else {
				t.Fatalf("recipient %d: %v", i, err)
			}
		}
		if ok > 5 || refused < 9995 {
			t.Errorf("got %d accepted, %d refused; want at most 5 accepted", ok, refused)
		}
	})
	t.Run("binary and headerless bodies are taken", func(t *testing.T) {
		for _, raw := range [][]byte{{0, 1, 2, 0xff, '\r', '\n'}, []byte("just text\r\n")} {
			if err := send(t, addr, []string{intakeAddr}, raw); err != nil {
				t.Errorf("got %v, want 250", err)
			}
		}
	})
	t.Run("still serving", func(t *testing.T) {
		if err := send(t, addr, []string{intakeAddr}, testMessage("after@x")); err != nil {
			t.Errorf("got %v, want 250", err)
		}
	})
}

func TestSMTPStartTLS(t *testing.T) {
	cert, pool := mustCert(t)
	addr := mustSMTP(t, &fakeAccepter{}, func(c *SMTPConfig) {
		c.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	})
	c, err := smtp.DialStartTLS(addr, &tls.Config{RootCAs: pool, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	defer c.Close()
	if _, ok := c.TLSConnectionState(); !ok {
		t.Fatal("session is not encrypted")
	}
	if err := c.SendMail("x@y", []string{intakeAddr}, bytes.NewReader(testMessage("tls@x"))); err != nil {
		t.Fatalf("send over TLS: %v", err)
	}
	c.Quit()

	plain, err := smtp.Dial(mustSMTP(t, &fakeAccepter{}, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if err := plain.Hello("client"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := plain.Extension("STARTTLS"); ok {
		t.Error("STARTTLS offered without a certificate")
	}
}

// mustCert makes a self-signed certificate for localhost.
func mustCert(tb testing.TB) (tls.Certificate, *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
