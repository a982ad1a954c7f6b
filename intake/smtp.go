package intake

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/legal"
)

// Accepter stores one received message; *Service is the implementation.
// It returns only after the message is durably stored, and an error means
// nothing was stored.
type Accepter interface {
	Accept(ctx context.Context, raw []byte, source string, rcpt []string) (*legal.Request, bool, error)
}

var _ Accepter = (*Service)(nil)

// SMTPConfig configures the SMTP intake server. Zero limits take the
// defaults noted.
type SMTPConfig struct {
	Accepter  Accepter // required
	Addresses []string // the intake addresses; required (no open relay)
	Domain    string   // the server's name in its greeting (default "lebot")

	MaxBytes      int64         // largest message (default 25 MiB); larger: 552
	MaxRecipients int           // per message (default 50); more: 452
	MaxLineLength int           // per line (default 2000, twice RFC 5321's)
	ReadTimeout   time.Duration // per command or data read (default 2m)
	WriteTimeout  time.Duration // per reply (default 1m)
	MaxSession    time.Duration // whole connection (default 30m)
	StoreTimeout  time.Duration // for Accept (default 1m); then 451

	TLS     *tls.Config // STARTTLS is offered when set
	Logger  *slog.Logger
	Metrics *metrics.Metrics // counts refusals by code; nil: none
}

// SMTPServer is lebot's SMTP intake: it takes mail for the intake
// addresses only and answers 250 only once the message is stored.
type SMTPServer struct {
	cfg   SMTPConfig
	addrs map[string]bool
	srv   *smtp.Server
	log   *slog.Logger

	closing atomic.Bool // Shutdown has begun: new transactions get 421
	mu      sync.Mutex
	conns   map[*trackedConn]bool // open connections, for Shutdown
}

var _ smtp.Backend = (*SMTPServer)(nil)

// NewSMTPServer checks cfg, fills defaults and builds the server.
func NewSMTPServer(cfg SMTPConfig) (*SMTPServer, error) {
	if cfg.Accepter == nil {
		return nil, errors.New("intake: SMTPConfig.Accepter is required")
	}
	if len(cfg.Addresses) == 0 {
		return nil, errors.New("intake: SMTPConfig.Addresses is required (the intake addresses)")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.ReadTimeout, 2*time.Minute)
	def(&cfg.WriteTimeout, time.Minute)
	def(&cfg.MaxSession, 30*time.Minute)
	def(&cfg.StoreTimeout, time.Minute)
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 25 << 20
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = 50
	}
	if cfg.MaxLineLength <= 0 {
		cfg.MaxLineLength = 2000
	}
	if cfg.Domain == "" {
		cfg.Domain = "lebot"
	}
	s := &SMTPServer{cfg: cfg, addrs: map[string]bool{}, log: cfg.Logger, conns: map[*trackedConn]bool{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, a := range cfg.Addresses {
		s.addrs[strings.ToLower(strings.TrimSpace(a))] = true
	}
	srv := smtp.NewServer(s)
	srv.Domain = cfg.Domain
	srv.MaxMessageBytes = cfg.MaxBytes
	srv.MaxRecipients = cfg.MaxRecipients
	srv.MaxLineLength = cfg.MaxLineLength
	srv.ReadTimeout = cfg.ReadTimeout
	srv.WriteTimeout = cfg.WriteTimeout
	srv.TLSConfig = cfg.TLS
	srv.ErrorLog = smtpLog{s.log}
	s.srv = srv
	return s, nil
}

// Serve accepts connections on l until Shutdown; it then returns nil.
func (s *SMTPServer) Serve(l net.Listener) error {
	err := s.srv.Serve(trackingListener{l, s})
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and ends the sessions: one
// between transactions is answered 421 and closed at once; one in a
// transaction (MAIL given, message not yet answered) finishes it, so a
// message being sent or stored still gets its 250 (or its 4xx), and is
// then closed the same way; a new MAIL meanwhile gets 421. When ctx ends
// first the rest are cut off: nothing was promised to their senders, who
// retry.
func (s *SMTPServer) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	done := make(chan error, 1)
	go func() { done <- s.srv.Shutdown(ctx) }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		s.closeIdle()
		select {
		case err := <-done:
			if ctx.Err() != nil {
				s.closeAll()
				return nil
			}
			if errors.Is(err, smtp.ErrServerClosed) {
				return nil
			}
			return err
		case <-tick.C:
			// Again: a session may have just finished its transaction, or
			// go-smtp may have reset its read deadline.
		}
	}
}

// closeIdle makes every connection outside a transaction time out its
// read now, which go-smtp answers with 421 and a close.
func (s *SMTPServer) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if se := c.sess.Load(); se == nil || !se.inTx.Load() {
			c.SetReadDeadline(time.Now())
		}
	}
}

// closeAll cuts every connection still open.
func (s *SMTPServer) closeAll() {
	s.mu.Lock()
	conns := make([]*trackedConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// trackingListener records each accepted connection on the server, so
// Shutdown can reach sessions go-smtp gives it no handle on.
type trackingListener struct {
	net.Listener
	srv *SMTPServer
}

func (l trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, srv: l.srv}
	l.srv.mu.Lock()
	l.srv.conns[tc] = true
	l.srv.mu.Unlock()
	return tc, nil
}

// trackedConn is a connection with its session (nil before HELO/EHLO).
type trackedConn struct {
	net.Conn
	srv  *SMTPServer
	sess atomic.Pointer[session]
}

func (c *trackedConn) Close() error {
	c.srv.mu.Lock()
	delete(c.srv.conns, c)
	c.srv.mu.Unlock()
	return c.Conn.Close()
}

// NewSession starts a session and its overall time limit.
func (s *SMTPServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	if s.closing.Load() {
		return nil, s.refuse(errShuttingDown)
	}
	sess := &session{srv: s}
	conn := c.Conn()
	if tc, ok := conn.(*trackedConn); ok {
		tc.sess.Store(sess)
	}
	sess.timer = time.AfterFunc(s.cfg.MaxSession, func() { conn.Close() })
	return sess, nil
}

// refuse turns err into the SMTP reply and counts it.
func (s *SMTPServer) refuse(err error) error {
	r := smtpReply(err)
	if se, ok := r.(*smtp.SMTPError); ok {
		s.cfg.Metrics.SMTPRefused(se.Code)
	}
	return r
}

// accepts reports whether rcpt is an intake address.
func (s *SMTPServer) accepts(rcpt string) bool {
	return s.addrs[strings.ToLower(strings.Trim(strings.TrimSpace(rcpt), "<>"))]
}

type session struct {
	srv   *SMTPServer
	timer *time.Timer
	inTx  atomic.Bool // between MAIL and the end of the transaction
	size  int64       // SIZE= from MAIL FROM, a hint for the buffer
	mu    sync.Mutex
	rcpt  []string
}

func (se *session) Mail(from string, opts *smtp.MailOptions) error {
	se.Reset()
	se.inTx.Store(true) // before the check: Shutdown must not see it idle and then miss this MAIL
	if se.srv.closing.Load() {
		se.inTx.Store(false)
		return se.srv.refuse(errShuttingDown)
	}
	if opts != nil && opts.Size > 0 && opts.Size <= se.srv.cfg.MaxBytes {
		se.size = opts.Size
	}
	return nil
}

func (se *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	if !se.srv.accepts(to) {
		return se.srv.refuse(errUnknownRecipient)
	}
	se.mu.Lock()
	defer se.mu.Unlock()
	for _, r := range se.rcpt {
		if strings.EqualFold(r, to) {
			return nil
		}
	}
	se.rcpt = append(se.rcpt, to)
	return nil
}

// Data reads the message and answers only after Accept has stored it.
func (se *session) Data(r io.Reader) (err error) {
	defer func() {
		if p := recover(); p != nil {
			se.srv.log.Error("intake: smtp session panicked", "panic", fmt.Sprint(p))
			err = se.srv.refuse(errors.New("panic"))
		}
	}()
	raw, err := readMessage(r, se.size, se.srv.cfg.MaxBytes)
	if err != nil {
		return se.srv.refuse(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), se.srv.cfg.StoreTimeout)
	defer cancel()
	se.mu.Lock()
	rcpt := append([]string(nil), se.rcpt...)
	se.mu.Unlock()
	_, _, err = se.srv.cfg.Accepter.Accept(ctx, raw, "smtp", rcpt)
	return se.srv.refuse(err)
}

// Reset ends a transaction; go-smtp calls it after answering DATA too.
func (se *session) Reset() {
	se.mu.Lock()
	se.rcpt, se.size = nil, 0
	se.mu.Unlock()
	se.inTx.Store(false)
}

func (se *session) Logout() error {
	se.timer.Stop()
	se.inTx.Store(false)
	return nil
}

// readMessage reads r whole, sized by the SIZE hint so a large message is
// not copied while the buffer grows.
func readMessage(r io.Reader, hint, max int64) ([]byte, error) {
	var buf bytes.Buffer
	if hint > 0 {
		buf.Grow(int(min(hint, max)) + 4096)
	}
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

var (
	errUnknownRecipient = errors.New("recipient is not an intake address")
	errShuttingDown     = errors.New("server shutting down")
)

// smtpReply is the one place an error becomes an SMTP reply: refusals the
// sender must not retry are 5xx, anything else (a store outage, a bug) is
// 451 so the sending server retries later. Internal error text never
// reaches the sender. The result is an unwrapped *smtp.SMTPError, as
// go-smtp only recognises it by type assertion.
func smtpReply(err error) error {
	var se *smtp.SMTPError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		return &smtp.SMTPError{Code: se.Code, EnhancedCode: se.EnhancedCode, Message: se.Message}
	case errors.Is(err, errShuttingDown):
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2},
			Message: "Service shutting down; please try again later"}
	case errors.Is(err, errUnknownRecipient):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "No such user here; this server only accepts mail for its intake addresses"}
	case errors.Is(err, smtp.ErrTooLongLine):
		return &smtp.SMTPError{Code: 500, EnhancedCode: smtp.EnhancedCode{5, 4, 0},
			Message: "Line too long"}
	}
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Temporary failure storing the message; please try again later"}
}

// smtpLog routes go-smtp's own error log to slog.
type smtpLog struct{ log *slog.Logger }

func (l smtpLog) Printf(format string, v ...any) { l.log.Warn("smtp: " + fmt.Sprintf(format, v...)) }
func (l smtpLog) Println(v ...any)               { l.log.Warn("smtp: " + fmt.Sprint(v...)) }
