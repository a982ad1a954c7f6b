package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/commands"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/internal/fakepagerduty"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/store"
)

const (
	pdKey    = "R0123456789abcdef0123456789abcde"
	oncall1  = "U0ONE"
	oncall2  = "U0TWO"
	legalCh  = "C0LEGAL"
	mail1    = "one@example.com"
	mailFrom = "lebot@example.com"
)

// pagingHarness is serve's paging against a real Redis, fake Slack, fake
// PagerDuty and a real SMTP relay, with a clock the test moves. Replicas
// are dispatcher + escalator pairs on the one store.
type pagingHarness struct {
	t     testing.TB
	cfg   *config.Config
	st    store.Store
	slack *fakeslack.Server
	pd    *fakepagerduty.Server
	mail  *mailSink
	smtp  string // the intake's SMTP address

	mu  sync.Mutex
	now time.Time
}

type replica struct {
	disp *outbox.Dispatcher
	pg   *paging
	cmds *commands.Commands
}

func newPagingHarness(t testing.TB) *pagingHarness {
	t.Helper()
	// The clock starts a minute ahead of the wall clock, so the intake's
	// receipt time (wall clock) is already due.
	h := &pagingHarness{t: t, now: time.Now().Add(time.Minute).Truncate(time.Second)}
	h.slack, h.pd, h.mail = fakeslack.New(t), fakepagerduty.New(t), newMailSink(t)
	h.slack.AddChannel(legalCh, fakeslack.Private)
	h.slack.SetClock(h.clock)
	h.pd.SetClock(h.clock)
	h.slack.SetUserEmail(oncall1, mail1)
	env := serveEnv()
	for k, v := range map[string]string{"SLACK_API_URL": h.slack.URL(), "TIMEZONE": "UTC",
		"ONCALL_USERS": oncall1 + "," + oncall2, "ESCALATION_DELAY": "5m", "ESCALATION_REPEAT": "2",
		"PAGERDUTY_ROUTING_KEY": pdKey, "PAGERDUTY_EVENTS_URL": h.pd.URL(),
		"OUTBOUND_SMTP_URL": "smtp://" + h.mail.addr, "MAIL_FROM": mailFrom,
		"LEGAL_USERS": oncall1 + "," + oncall2} {
		env[k] = v
	}
	cfg, err := config.Load(envOf(env), true)
	if err != nil {
		t.Fatal(err)
	}
	h.cfg = cfg
	url := testredis.URL(t)
	h.st, err = store.Open(context.Background(), store.Config{RedisURL: url, KeyPrefix: testredis.PrefixCleanup(t, url), Now: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.st.Close() })
	return h
}

func (h *pagingHarness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *pagingHarness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(d)
}

// replica builds one replica's dispatcher, paging and commands as serve
// does, with the test's clock and no backoff jitter.
func (h *pagingHarness) replica() *replica {
	h.t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	sl, err := bot.New(bot.Config{Token: "xoxb-test", APIURL: h.slack.URL(), Channel: legalCh,
		Location: time.UTC, Store: h.st, Logger: log, Now: h.clock})
	if err != nil {
		h.t.Fatal(err)
	}
	disp, err := outbox.New(outbox.Config{Store: h.st, Logger: log, Now: h.clock,
		MinBackoff: time.Second, Jitter: func() float64 { return 0 }})
	if err != nil {
		h.t.Fatal(err)
	}
	bot.RegisterSlack(disp, sl)
	pg, err := newPaging(h.cfg, h.st, sl, disp, log, h.clock)
	if err != nil {
		h.t.Fatal(err)
	}
	cmds, err := commands.New(commands.Config{Store: h.st, Slack: sl.API(), Users: h.cfg.LegalUsers,
		Calendar: sl.Calendar(), Now: h.clock, Logger: log, Paging: pg.forCommands(func() {})})
	if err != nil {
		h.t.Fatal(err)
	}
	return &replica{disp: disp, pg: pg, cmds: cmds}
}

// startIntake runs the SMTP intake as serve builds it, feeding r.
func (h *pagingHarness) startIntake(r *replica) {
	h.t.Helper()
	smtpSrv, _, err := newIntake(h.cfg, h.st, r.disp.Kick, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		h.t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	go smtpSrv.Serve(ln)
	h.t.Cleanup(func() { smtpSrv.Shutdown(context.Background()) })
	h.smtp = ln.Addr().String()
}

// sendMail sends a message to the intake and returns when it answered 250.
func (h *pagingHarness) sendMail(raw string) {
	h.t.Helper()
	c, err := smtp.Dial(h.smtp)
	if err != nil {
		h.t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail("maria.lopez@sfgov.org", []string{"legal@example.com"}, strings.NewReader(raw)); err != nil {
		h.t.Fatalf("SMTP: %v", err)
	}
	c.Quit()
}

// settle runs the replicas' escalation ticks and outbox drains at the
// current clock until the outbox is empty, moving the clock on by a
// second when only retries are left, at most maxWait in all.
func (h *pagingHarness) settle(maxWait time.Duration, rs ...*replica) {
	h.t.Helper()
	ctx := context.Background()
	waited := time.Duration(0)
	for range 200 {
		delivered := 0
		for _, r := range rs {
			if err := r.pg.esc.Tick(ctx, h.clock()); err != nil {
				h.t.Fatalf("tick: %v", err)
			}
			n, err := r.disp.DrainOnce(ctx, h.clock())
			if err != nil {
				h.t.Fatalf("drain: %v", err)
			}
			delivered += n
		}
		stats, err := h.st.OutboxStats(ctx)
		if err != nil {
			h.t.Fatal(err)
		}
		if stats.Depth == 0 || waited >= maxWait {
			return
		}
		if delivered == 0 {
			h.advance(time.Second)
			waited += time.Second
		}
	}
}

// dms are the page DMs user has received.
func (h *pagingHarness) dms(user string) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range h.slack.Messages("D" + user) {
		if m.Metadata != nil && m.Metadata.EventType == "lebot_page" {
			out = append(out, m)
		}
	}
	return out
}

// alerts are the broadcast thread messages that contain s.
func (h *pagingHarness) alerts(s string) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range h.slack.Messages(legalCh) {
		if m.ThreadTS != "" && m.Broadcast && strings.Contains(m.Text, s) {
			out = append(out, m)
		}
	}
	return out
}

// press clicks a button as user.
func (r *replica) press(user, action, value string) *bot.Reply {
	ic := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, User: slack.User{ID: user}}
	ic.Channel.ID = "D" + user
	ic.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: action, Value: value}}
	return r.cmds.Interaction(context.Background(), ic)
}

// mailSink is an SMTP relay that records what it is given.
type mailSink struct {
	addr string
	mu   sync.Mutex
	msgs []sunkMail
}

type sunkMail struct {
	To   []string
	Data string
}

func newMailSink(tb testing.TB) *mailSink {
	tb.Helper()
	m := &mailSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: m}, nil }))
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	m.addr = ln.Addr().String()
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return m
}

func (m *mailSink) messages() []sunkMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sunkMail(nil), m.msgs...)
}

type sinkSession struct {
	sink *mailSink
	to   []string
}

func (s *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	s.sink.msgs = append(s.sink.msgs, sunkMail{To: s.to, Data: string(b)})
	return nil
}
func (s *sinkSession) Reset()        { s.to = nil }
func (s *sinkSession) Logout() error { return nil }
