package email

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/bot/outbox"
)

// relay is a real SMTP server that records messages and can refuse
// recipients with a code.
type relay struct {
	addr   string
	refuse int // reply code for RCPT, 0 to accept
	mu     sync.Mutex
	got    []string
}

func newRelay(t *testing.T, refuse int) *relay {
	t.Helper()
	r := &relay{refuse: refuse}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

type relaySession struct{ r *relay }

func (s *relaySession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *relaySession) Rcpt(string, *smtp.RcptOptions) error {
	if s.r.refuse != 0 {
		return &smtp.SMTPError{Code: s.r.refuse, Message: "refused"}
	}
	return nil
}
func (s *relaySession) Data(rd io.Reader) error {
	b, err := io.ReadAll(rd)
	s.r.mu.Lock()
	s.r.got = append(s.r.got, string(b))
	s.r.mu.Unlock()
	return err
}
func (s *relaySession) Reset()        {}
func (s *relaySession) Logout() error { return nil }

func TestMailerSend(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		refuse    int
		ok        bool
		permanent bool
	}{
		{"delivered", 0, true, false},
		{"refused", 550, false, true},
		{"temporary", 451, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRelay(t, tc.refuse)
			m, err := New(Config{URL: "smtp://" + r.addr, From: "lebot@example.com", Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			err = m.Send(context.Background(), Mail{To: []string{"a@example.com"}, Subject: "Página urgente", Text: "line 1\nline 2"})
			if (err == nil) != tc.ok || outbox.IsPermanent(err) != tc.permanent {
				t.Fatalf("got %v, want ok=%v permanent=%v", err, tc.ok, tc.permanent)
			}
			if !tc.ok {
				return
			}
			if len(r.got) != 1 {
				t.Fatalf("messages: got %d, want 1", len(r.got))
			}
			msg := r.got[0]
			for _, want := range []string{"From: <lebot@example.com>\r\n", "To: a@example.com\r\n", "Subject: =?utf-8?q?P=C3=A1gina_urgente?=\r\n",
				"Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n", "\r\n\r\nline 1\r\nline 2\r\n"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q:\n%s", want, msg)
				}
			}
		})
	}
}

func TestConfig(t *testing.T) {
	cases := []struct{ url, from string }{
		{"http://x", "a@b.c"}, {"smtp://", "a@b.c"}, {"smtp://relay:25", ""},
	}
	for _, tc := range cases {
		if _, err := New(Config{URL: tc.url, From: tc.from}); err == nil {
			t.Errorf("%q from %q: got no error, want one", tc.url, tc.from)
		}
	}
	m, err := New(Config{URL: "smtps://u:p@relay.example.com", From: "a@b.c"})
	if err != nil || m.addr != "relay.example.com:465" || !m.implicit || m.auth == nil {
		t.Errorf("smtps: got %+v, %v", m, err)
	}
	if err := (&Mailer{}).Send(context.Background(), Mail{}); !outbox.IsPermanent(err) || errors.Unwrap(err) == nil {
		t.Errorf("no recipients: got %v, want a permanent error", err)
	}
}
