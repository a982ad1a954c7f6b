package intake

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// trackingListener records each accepted connection on the server, so
// Shutdown can reach sessions go-smtp gives it no handle on, and turns
// away connections beyond MaxSessions.
type trackingListener struct {
	net.Listener
	srv  *SMTPServer
	once sync.Once
	err  error
}

// Close closes the listener once; Shutdown and go-smtp both close it.
func (l *trackingListener) Close() error {
	l.once.Do(func() { l.err = l.Listener.Close() })
	return l.err
}

func (l *trackingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if tc := l.srv.track(c); tc != nil {
			return tc, nil
		}
		go l.srv.turnAway(c)
	}
}

// track registers c, or returns nil when every session slot is taken.
func (s *SMTPServer) track(c net.Conn) *trackedConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.conns) >= s.cfg.MaxSessions {
		return nil
	}
	tc := &trackedConn{Conn: c, srv: s}
	s.conns[tc] = true
	s.open.Store(int64(len(s.conns)))
	if s.busy() {
		// Sessions that started waiting before the server got busy are
		// held to the busy timeout too.
		lim := time.Now().Add(s.idleTimeout())
		for o := range s.conns {
			if d := o.deadline.Load(); d > lim.UnixNano() {
				o.SetReadDeadline(lim)
			}
		}
	}
	return tc
}

// turnAway answers a connection beyond MaxSessions with 421 in place of
// the greeting (RFC 5321 §3.1) and closes it: the sender retries later.
// It runs on its own goroutine, so a client that does not read cannot
// stall the accept loop; the write deadline bounds it.
func (s *SMTPServer) turnAway(c net.Conn) {
	defer c.Close()
	s.cfg.Metrics.SMTPRefused(421)
	s.log.Warn("smtp: too many sessions; connection turned away", "limit", s.cfg.MaxSessions)
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "421 4.4.5 %s Too many connections; please try again later\r\n", s.cfg.Domain)
}

// busy reports whether more than half the session slots are taken; idle
// waits are then cut to BusyReadTimeout, as Postfix does under stress, so
// a flood of idle connections cannot hold the slots for long.
func (s *SMTPServer) busy() bool {
	return s.open.Load() > int64(s.cfg.MaxSessions/2)
}

// idleTimeout is how long a session may send nothing, now.
func (s *SMTPServer) idleTimeout() time.Duration {
	if s.busy() {
		return min(s.cfg.ReadTimeout, s.cfg.BusyReadTimeout)
	}
	return s.cfg.ReadTimeout
}

// trackedConn is a connection with its session (nil before HELO/EHLO).
type trackedConn struct {
	net.Conn
	srv    *SMTPServer
	sess   atomic.Pointer[session]
	hangUp atomic.Bool // close once the next reply is written
	// deadline is the read deadline last set, in Unix nanoseconds.
	deadline atomic.Int64
}

// tracked finds the trackedConn under c, which is TLS after STARTTLS.
func tracked(c net.Conn) *trackedConn {
	if t, ok := c.(*tls.Conn); ok {
		c = t.NetConn()
	}
	tc, _ := c.(*trackedConn)
	return tc
}

func (c *trackedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if c.hangUp.Load() {
		c.Close()
	}
	return n, err
}

// SetReadDeadline shortens the deadline go-smtp sets before each command
// to the busy idle timeout while the server is busy. A deadline already
// in the past (Shutdown's) is kept.
func (c *trackedConn) SetReadDeadline(t time.Time) error {
	if !t.IsZero() {
		if lim := time.Now().Add(c.srv.idleTimeout()); lim.Before(t) {
			t = lim
		}
		c.deadline.Store(t.UnixNano())
	}
	return c.Conn.SetReadDeadline(t)
}

func (c *trackedConn) Close() error {
	c.srv.mu.Lock()
	delete(c.srv.conns, c)
	c.srv.open.Store(int64(len(c.srv.conns)))
	c.srv.mu.Unlock()
	return c.Conn.Close()
}

// idleReader gives each read of a message its own idle deadline. go-smtp
// sets one deadline before the DATA command and none during the
// transfer, which cuts off a large message on a slow link yet lets a
// sender that stops after one byte hold the session until then.
type idleReader struct {
	r    io.Reader
	conn net.Conn
	srv  *SMTPServer
}

func (r idleReader) Read(p []byte) (int, error) {
	r.conn.SetReadDeadline(time.Now().Add(r.srv.idleTimeout()))
	return r.r.Read(p)
}
