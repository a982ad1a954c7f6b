package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/bot/pagerduty"
	"github.com/lebot-dev/lebot/intake"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

const (
	channel    = "C0LEGAL"
	intakeAddr = "legal@example.com"
)

// mail is a real-looking grand jury subpoena with its own Message-ID.
func mail(id string) []byte {
	return []byte("From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: " + intakeAddr + "\r\n" +
		"Subject: Grand jury subpoena " + id + "\r\nDate: Mon, 02 Mar 2026 10:00:00 -0800\r\n" +
		"Message-ID: <" + id + "@fbi.gov>\r\n\r\n" +
		"Grand jury subpoena for subscriber information for (415) 555-0100 from January 1, 2026 " +
		"to January 31, 2026. Please respond within 10 days.\r\n\r\nSpecial Agent Dana Smith, FBI\r\n")
}

// sendOnce delivers raw in one real SMTP session and returns the reply
// code to DATA (250 when accepted), or an error when the session broke
// before an answer (the server was unreachable or died).
func sendOnce(addr string, raw []byte) (int, error) {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return 0, err
	}
	// A bound on the whole session: a killed server never answers.
	conn.SetDeadline(time.Now().Add(15 * time.Second))
	c := smtp.NewClient(conn)
	defer c.Close()
	err = c.SendMail("dana.smith@fbi.gov", []string{intakeAddr}, strings.NewReader(string(raw)))
	var se *smtp.SMTPError
	switch {
	case err == nil:
		c.Quit()
		return 250, nil
	case errors.As(err, &se):
		return se.Code, nil
	}
	return 0, err
}

// outcomes counts how the first and later tries of deliveries went.
type outcomes struct {
	mu       sync.Mutex
	codes    map[int]int // reply code -> count (0: session broke)
	accepted map[string]bool
}

func newOutcomes() *outcomes { return &outcomes{codes: map[int]int{}, accepted: map[string]bool{}} }

func (o *outcomes) record(id string, code int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.codes[code]++
	if code == 250 {
		o.accepted[id] = true
	}
}

func (o *outcomes) count(code int) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.codes[code]
}

func (o *outcomes) acceptedIDs() map[string]bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[string]bool, len(o.accepted))
	for k := range o.accepted {
		out[k] = true
	}
	return out
}

// deliver sends raw until the server answers 250, as a sending MTA does
// after a 4xx or a broken session, and fails tb on a 5xx or when
// deadline passes. It records every try in o.
func deliver(tb testing.TB, addr, id string, o *outcomes, deadline time.Time) {
	for {
		code, err := sendOnce(addr, mail(id))
		o.record(id, code)
		switch {
		case code == 250:
			return
		case code >= 500:
			tb.Errorf("message %s: got permanent refusal %d, want 250 or a temporary failure", id, code)
			return
		case time.Now().After(deadline):
			tb.Errorf("message %s: still not accepted at the deadline (last code %d, err %v)", id, code, err)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitFor polls cond until it holds or deadline passes; it waits for
// work to happen and asserts nothing about speed.
func waitFor(tb testing.TB, what string, deadline time.Duration, cond func() bool) {
	tb.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			tb.Fatalf("gave up waiting for %s after %v", what, deadline)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkExactlyOnce is the suite's verdict: the store holds exactly one
// request per accepted message and no other, each request has a card,
// and the channel holds exactly one top-level card per request.
func checkExactlyOnce(tb testing.TB, st store.Store, fake *fakeslack.Server, accepted map[string]bool) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reqs, err := st.ListByStatus(ctx, legal.StatusNew, 0)
	if err != nil {
		tb.Fatalf("list requests: %v", err)
	}
	byMsg := map[string][]string{}
	cardOf := map[string]string{} // request id -> CardTS
	for _, r := range reqs {
		id := strings.TrimSuffix(r.MessageID, "@fbi.gov")
		byMsg[id] = append(byMsg[id], r.ID)
		cardOf[r.ID] = r.CardTS
		if !accepted[id] {
			tb.Errorf("stored %s for message %q, which was never accepted with 250", r.ID, r.MessageID)
		}
	}
	for id := range accepted {
		if n := len(byMsg[id]); n != 1 {
			tb.Errorf("message %s: got %d stored requests %v, want exactly 1", id, n, byMsg[id])
		}
	}
	cards := map[string][]string{} // request id -> card ts
	for _, m := range fake.TopLevel(channel) {
		rid := ""
		if m.Metadata != nil && m.Metadata.EventType == bot.MetadataEventType {
			rid, _ = m.Metadata.EventPayload["request_id"].(string)
		}
		if rid == "" {
			tb.Errorf("top-level message %s is not a request card: %.80q", m.TS, m.Text)
			continue
		}
		cards[rid] = append(cards[rid], m.TS)
	}
	for rid, ts := range cardOf {
		switch got := cards[rid]; {
		case len(got) != 1:
			tb.Errorf("request %s: got %d cards in the channel, want exactly 1", rid, len(got))
		case got[0] != ts:
			tb.Errorf("request %s: records card %q, the channel's card is %q", rid, ts, got[0])
		}
	}
	for rid := range cards {
		if _, ok := cardOf[rid]; !ok {
			tb.Errorf("card for %s, which is not a stored request", rid)
		}
	}
	tb.Logf("verdict: %d accepted messages, %d stored requests, %d cards", len(accepted), len(reqs), len(fake.TopLevel(channel)))
}

// allCarded reports whether every stored request records its card.
func allCarded(st store.Store, want int) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	reqs, err := st.ListByStatus(ctx, legal.StatusNew, 0)
	if err != nil || len(reqs) < want {
		return false
	}
	for _, r := range reqs {
		if r.CardTS == "" {
			return false
		}
	}
	return true
}

// pipeline is lebot's intake and outbox wired in this process the way
// serve wires them, with short outbox timings so a test sees retries
// and expired leases in seconds.
type pipeline struct {
	st   store.Store
	fake *fakeslack.Server
	addr string // SMTP
}

// With pd set, every message is also paged through PagerDuty (a trigger
// stored with the request, as an emergency's first escalation step is).
func startPipeline(tb testing.TB, st store.Store, fake *fakeslack.Server, pd *pagerduty.Client) *pipeline {
	tb.Helper()
	return startPipelineWith(tb, st, fake, pd, pipeOpts{})
}

// pipeOpts vary the pipeline; zero fields take startPipeline's values.
type pipeOpts struct {
	// storeTimeout is the intake's StoreTimeout, after which a delivery
	// the store has not taken is answered 451; default 3s.
	storeTimeout time.Duration
	// speed makes lebot's clock (the Slack client's and the outbox's)
	// run speed times as fast as the wall clock, so a wait lebot measures
	// by it, such as a Slack Retry-After, passes in 1/speed of the time;
	// the outbox's lease and backoff are scaled by it to keep their wall
	// durations. Default 1.
	speed int
}

// startPipelineWith is startPipeline with opts.
func startPipelineWith(tb testing.TB, st store.Store, fake *fakeslack.Server, pd *pagerduty.Client, opts pipeOpts) *pipeline {
	tb.Helper()
	fake.AddChannel(channel, fakeslack.Private)
	if opts.storeTimeout == 0 {
		opts.storeTimeout = 3 * time.Second
	}
	speed := time.Duration(max(opts.speed, 1))
	t0 := time.Now()
	now := func() time.Time { return t0.Add(time.Since(t0) * speed) }
	sl, err := bot.New(bot.Config{Token: "xoxb-test", APIURL: fake.URL(), Channel: channel, Store: st,
		Location: time.UTC, Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	disp, err := outbox.New(outbox.Config{Store: st, Now: now, Lease: 3 * time.Second * speed,
		SendTimeout: 2 * time.Second, MinBackoff: 100 * time.Millisecond * speed, MaxBackoff: time.Second * speed,
		MaxAttempts: 100, Poll: 100 * time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	bot.RegisterSlack(disp, sl)
	if pd != nil {
		pager, err := bot.NewPager(bot.PagerConfig{Slack: sl, Store: st, PagerDuty: pd})
		if err != nil {
			tb.Fatal(err)
		}
		pager.Register(disp)
	}
	svc, err := intake.NewService(intake.ServiceConfig{Sink: sink{st: st, kick: disp.Kick, page: pd != nil},
		Location: time.UTC})
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := intake.NewSMTPServer(intake.SMTPConfig{Accepter: svc, Addresses: []string{intakeAddr},
		StoreTimeout: opts.storeTimeout})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { srv.Serve(ln) })
	wg.Go(func() { disp.Run(ctx) })
	tb.Cleanup(func() {
		cancel()
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		srv.Shutdown(sctx)
		wg.Wait()
	})
	return &pipeline{st: st, fake: fake, addr: ln.Addr().String()}
}

// sink stores accepted mail with its card's outbox item and wakes the
// dispatcher, as main's storeSink does; with page set it also stores a
// PagerDuty trigger.
type sink struct {
	st   store.Store
	kick func()
	page bool
}

func (s sink) StoreMessage(ctx context.Context, m intake.Accepted) (*legal.Request, intake.Outcome, error) {
	items := []store.OutboxItem{bot.CardItem("")}
	if s.page {
		items = append(items, bot.PagerDutyItem("", "trigger",
			bot.Page{Level: 1, Levels: 1, Round: 1, Rounds: 1, Targets: []string{"U0LEGAL1"}}))
	}
	req, created, err := s.st.CreateRequest(ctx, store.Incoming{
		Raw: m.Raw, MessageID: m.MessageID, ReceivedAt: m.ReceivedAt, Request: m.Request,
		Audit:  store.AuditEntry{At: m.ReceivedAt, Actor: m.Source, Action: "created", Note: m.Note},
		Outbox: items,
	})
	if err == nil && created {
		s.kick()
		return req, intake.Created, nil
	}
	return req, intake.Duplicate, err
}

// burst delivers n messages named prefix-NNN from workers concurrent
// senders, each retrying until 250, and returns their ids.
func burst(tb testing.TB, addr, prefix string, n, workers int, o *outcomes, deadline time.Time) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s-%03d", prefix, i)
	}
	next := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for id := range next {
				deliver(tb, addr, id, o, deadline)
			}
		})
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	return ids
}
