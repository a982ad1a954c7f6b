// Package email sends lebot's plain-text e-mail (pages, the digest)
// through one SMTP relay (OUTBOUND_SMTP_URL), and says, in the outbox's
// terms, whether a failed send may be retried.
package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/bot/outbox"
)

// Config configures outbound e-mail.
type Config struct {
	// URL is OUTBOUND_SMTP_URL: smtps://user:pass@host:465 (implicit TLS)
	// or smtp://user:pass@host:587 (STARTTLS, required when credentials
	// are given so a password never crosses the network in clear;
	// smtp://host:25 without credentials sends in clear, for a relay on
	// the local network).
	URL  string
	From string // MAIL_FROM, required
	// TLS is the TLS configuration (tests add their CA); default one with
	// the URL's host as ServerName.
	TLS     *tls.Config
	Timeout time.Duration    // per message, dial included; default 30s
	Now     func() time.Time // for the Date header; default time.Now
}

// Mailer sends plain-text e-mail through one SMTP relay, one connection
// per message. It is safe for concurrent use.
type Mailer struct {
	addr     string
	implicit bool
	auth     sasl.Client
	from     *mail.Address
	tls      *tls.Config
	timeout  time.Duration
	now      func() time.Time
}

// Mail is one message.
type Mail struct {
	To      []string // bare addresses
	Subject string
	Text    string // plain-text body
}

// New validates cfg and fills its defaults.
func New(cfg Config) (*Mailer, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("email: OUTBOUND_SMTP_URL: want smtp://user:pass@host:587 or smtps://user:pass@host:465")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, errors.New("email: MAIL_FROM must be set to an e-mail address when OUTBOUND_SMTP_URL is")
	}
	m := &Mailer{addr: u.Host, implicit: u.Scheme == "smtps", from: from, tls: cfg.TLS,
		timeout: cfg.Timeout, now: cfg.Now}
	if u.Port() == "" {
		m.addr = net.JoinHostPort(u.Hostname(), map[bool]string{true: "465", false: "587"}[m.implicit])
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		m.auth = sasl.NewPlainClient("", u.User.Username(), pass)
	}
	if m.tls == nil {
		m.tls = &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	}
	if m.timeout <= 0 {
		m.timeout = 30 * time.Second
	}
	if m.now == nil {
		m.now = time.Now
	}
	return m, nil
}

// Send delivers msg. A 5xx answer from the relay is Permanent (the
// address or the message is refused); anything else may be retried.
func (m *Mailer) Send(ctx context.Context, msg Mail) error {
	if len(msg.To) == 0 {
		return outbox.Permanent(errors.New("mail: no recipients"))
	}
	return m.SendRaw(ctx, msg.To, m.render(msg))
}

// SendRaw delivers a message already written (RFC 5322, CRLF line ends)
// to the bare addresses in to, from MAIL_FROM; errors as Send's.
func (m *Mailer) SendRaw(ctx context.Context, to []string, raw []byte) error {
	if len(to) == 0 {
		return outbox.Permanent(errors.New("mail: no recipients"))
	}
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	c, err := m.dial(ctx)
	if err != nil {
		return fmt.Errorf("mail: connect to relay: %w", err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.CommandTimeout, c.SubmissionTimeout = time.Until(dl), time.Until(dl)
	}
	err = m.transact(c, to, raw)
	var se *smtp.SMTPError
	if errors.As(err, &se) && se.Code >= 500 {
		return outbox.Permanent(fmt.Errorf("mail: relay refused: %w", err))
	}
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return nil
}

// From is the MAIL_FROM address.
func (m *Mailer) From() *mail.Address { return m.from }

// Refusal is the SMTP server's own answer in err, such as "550 5.1.1
// mailbox unavailable", when err is one.
func Refusal(err error) (string, bool) {
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		return "", false
	}
	s := fmt.Sprint(se.Code)
	if se.EnhancedCode != (smtp.EnhancedCode{}) && se.EnhancedCode != smtp.NoEnhancedCode {
		s += fmt.Sprintf(" %d.%d.%d", se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2])
	}
	if se.Message != "" {
		s += " " + se.Message
	}
	return s, true
}

func (m *Mailer) dial(ctx context.Context) (*smtp.Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	switch {
	case m.implicit:
		return smtp.NewClient(tls.Client(conn, m.tls)), nil
	case m.auth != nil:
		return smtp.NewClientStartTLS(conn, m.tls)
	}
	return smtp.NewClient(conn), nil
}

func (m *Mailer) transact(c *smtp.Client, to []string, raw []byte) error {
	if m.auth != nil {
		if err := c.Auth(m.auth); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(m.from.Address, nil); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// render builds the RFC 5322 message: UTF-8 text, quoted-printable free
// (8bit), CRLF line ends.
func (m *Mailer) render(msg Mail) []byte {
	var b bytes.Buffer
	h := textproto.MIMEHeader{}
	h.Set("From", m.from.String())
	h.Set("To", strings.Join(msg.To, ", "))
	h.Set("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	h.Set("Date", m.now().Format(time.RFC1123Z))
	h.Set("Message-ID", "<"+randomID()+"@lebot>")
	h.Set("MIME-Version", "1.0")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Transfer-Encoding", "8bit")
	h.Set("Auto-Submitted", "auto-generated")
	for _, k := range []string{"From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
		"Content-Type", "Content-Transfer-Encoding", "Auto-Submitted"} {
		fmt.Fprintf(&b, "%s: %s\r\n", k, h.Get(k))
	}
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(msg.Text, "\r\n", "\n"), "\n", "\r\n")
	b.WriteString(body)
	if !strings.HasSuffix(body, "\r\n") {
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

func randomID() string {
	p := make([]byte, 12)
	_, _ = rand.Read(p)
	return hex.EncodeToString(p)
}
