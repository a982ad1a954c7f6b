package intake

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
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

	MaxBytes      int64 // largest message (default 25 MiB); larger: 552
	MaxRecipients int   // per message (default 50); more: 452
	// MaxSessions caps the connections open at once (default 200); one
	// more is answered 421 in place of the greeting and closed.
	MaxSessions int
	// MaxLineLength caps one line (default MaxBytes plus 64 KiB). Mailers
	// send lines far beyond RFC 5321's 1000 octets, so no line is refused
	// for its length alone: within a message the size cap applies first.
	// Lines are read as a stream; only a command line is held whole.
	MaxLineLength int
	// ReadTimeout is how long a session may send nothing, waiting for a
	// command or within a message (default 2m).
	ReadTimeout time.Duration
	// BusyReadTimeout replaces ReadTimeout while more than half of
	// MaxSessions are open (default 10s), so idle floods do not pile up.
	BusyReadTimeout time.Duration
	WriteTimeout    time.Duration // per reply (default 1m)
	MaxSession      time.Duration // whole connection (default 30m)
	StoreTimeout    time.Duration // for Accept (default 1m); then 451

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

	closing   atomic.Bool // Shutdown has begun: new transactions get 421
	mu        sync.Mutex
	conns     map[*trackedConn]bool // open connections, for Shutdown and MaxSessions
	open      atomic.Int64          // len(conns), read without mu on every command
	listeners []*trackingListener
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
	def(&cfg.BusyReadTimeout, 10*time.Second)
	def(&cfg.WriteTimeout, time.Minute)
	def(&cfg.MaxSession, 30*time.Minute)
	def(&cfg.StoreTimeout, time.Minute)
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 25 << 20
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = 50
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 200
	}
	if cfg.MaxLineLength <= 0 {
		cfg.MaxLineLength = int(min(cfg.MaxBytes, math.MaxInt32)) + 64<<10
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
	tl := &trackingListener{Listener: l, srv: s}
	s.mu.Lock()
	s.listeners = append(s.listeners, tl)
	s.mu.Unlock()
	err := s.srv.Serve(tl)
	if errors.Is(err, smtp.ErrServerClosed) || (s.closing.Load() && errors.Is(err, net.ErrClosed)) {
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
	// The listeners close before any session is answered 421, so no
	// connection is taken after a sender has seen the shutdown.
	s.mu.Lock()
	for _, l := range s.listeners {
		l.Close()
	}
	s.mu.Unlock()
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

// NewSession starts a session and its overall time limit.
func (s *SMTPServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	if s.closing.Load() {
		return nil, s.refuse(errShuttingDown)
	}
	conn := c.Conn()
	sess := &session{srv: s, conn: conn, tc: tracked(conn)}
	if sess.tc != nil {
		sess.tc.sess.Store(sess)
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
	inTx  atomic.Bool  // between MAIL and the end of the transaction
	conn  net.Conn     // the client connection (TLS after STARTTLS)
	tc    *trackedConn // the connection under conn; nil only if not tracked
	mu    sync.Mutex
	rcpt  []string
	size  int64 // the SIZE= the client declared (0: none), a hint only
}

func (se *session) Mail(from string, opts *smtp.MailOptions) error {
	se.Reset()
	se.inTx.Store(true) // before the check: Shutdown must not see it idle and then miss this MAIL
	if se.srv.closing.Load() {
		se.inTx.Store(false)
		return se.srv.refuse(errShuttingDown)
	}
	// SIZE= is only a claim: go-smtp refuses one over MaxBytes, and
	// readMessage believes it only once half of it has arrived.
	if opts != nil {
		se.mu.Lock()
		se.size = opts.Size
		se.mu.Unlock()
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
	se.mu.Lock()
	hint := se.size
	se.mu.Unlock()
	raw, err := readMessage(idleReader{r: r, conn: se.conn, srv: se.srv}, hint)
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() && se.tc != nil {
		// A sender silent mid-message is cut off, not kept waiting for a
		// command it will not send either.
		se.tc.hangUp.Store(true)
		return se.srv.refuse(errIdle)
	}
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

var (
	errUnknownRecipient = errors.New("recipient is not an intake address")
	errShuttingDown     = errors.New("server shutting down")
	errIdle             = errors.New("client idle in DATA")
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
	case errors.Is(err, errIdle):
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2},
			Message: "Idle timeout; closing connection"}
	case errors.Is(err, errUnknownRecipient):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "No such user here; this server only accepts mail for its intake addresses"}
	case errors.Is(err, smtp.ErrTooLongLine):
		// MaxLineLength exceeds MaxBytes: a line this long is a message
		// over the size cap, and is refused as that.
		return smtp.ErrDataTooLarge
	}
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Temporary failure storing the message; please try again later"}
}

// smtpLog routes go-smtp's own error log to slog.
type smtpLog struct{ log *slog.Logger }

func (l smtpLog) Printf(format string, v ...any) { l.log.Warn("smtp: " + fmt.Sprintf(format, v...)) }
func (l smtpLog) Println(v ...any)               { l.log.Warn("smtp: " + fmt.Sprint(v...)) }
