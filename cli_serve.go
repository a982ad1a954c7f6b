package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/intake"
	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// The shutdown budget: SIGTERM to exit stays under 10s (what a platform
// such as Heroku waits before SIGKILL), split across the steps.
const (
	// stopListeners bounds the SMTP sessions and HTTP requests in flight,
	// Socket Mode, and the jobs releasing their locks.
	stopListeners = 5 * time.Second
	// stopSlackWork bounds work continued after a Slack ack.
	stopSlackWork = 6 * time.Second
	// stopOutbox bounds the outbox item in hand; one cut off is sent
	// again (sends are idempotent) once its lease ends.
	stopOutbox = 7500 * time.Millisecond
)

// runServe runs the bot until ctx is cancelled (SIGINT/SIGTERM), then
// shuts down in order: stop taking mail and HTTP and stop the jobs,
// finish Slack work and the outbox item in hand, close the store. It
// returns nil after a clean shutdown.
func runServe(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadAndValidate(getenv, true)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	met := metrics.New()
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	slCfg := slackConfig(cfg, st, log)
	slCfg.Metrics = met
	sl, err := bot.New(slCfg)
	if err != nil {
		return err
	}
	authCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	err = sl.CheckAuth(authCtx)
	cancel()
	if err != nil {
		return err
	}
	disp, err := outbox.New(outbox.Config{Store: st, Logger: log, Metrics: met})
	if err != nil {
		return err
	}
	bot.RegisterSlack(disp, sl)
	pg, err := newPaging(cfg, st, sl, disp, log, time.Now)
	if err != nil {
		return err
	}
	pg.met = met
	sw, err := newSlackWiring(cfg, st, sl, disp, pg.forCommands(), log)
	if err != nil {
		return err
	}
	smtpSrv, httpSrv, err := newIntake(cfg, st, func() { disp.Kick(); pg.Kick() }, log, met,
		sw.server.Register, opsRoutes(st, sl, met))
	if err != nil {
		return err
	}
	stopPaging := pg.start(ctx)
	defer stopPaging()
	stopJobs, err := startJobs(cfg, st, sl, disp, log, met)
	if err != nil {
		return err
	}
	defer stopJobs(context.Background()) // a no-op after serveUntilDone's
	httpLn, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Port))
	if err != nil {
		return fmt.Errorf("listen on PORT %d: %w", cfg.Port, err)
	}
	smtpLn, err := net.Listen("tcp", cfg.SMTPAddr)
	if err != nil {
		httpLn.Close()
		return fmt.Errorf("listen on SMTP_ADDR %s: %w", cfg.SMTPAddr, err)
	}
	log.Info("lebot serving", "version", buildVersion(), "http", httpLn.Addr().String(),
		"smtp", smtpLn.Addr().String(), "starttls", cfg.SMTPTLSCert != "", "socket_mode", sw.socket != nil)
	return serveUntilDone(ctx, log, disp, sw, smtpSrv, smtpLn, httpSrv, httpLn, stopJobs, func(context.Context) { stopPaging() })
}

// serveUntilDone runs the listeners and the dispatcher until ctx ends or
// one of them fails, then shuts everything down within the budget; stops
// are the background loops (jobs, escalations) to end with the listeners.
func serveUntilDone(ctx context.Context, log *slog.Logger, disp *outbox.Dispatcher, sw *slackWiring,
	smtpSrv *intake.SMTPServer, smtpLn net.Listener, httpSrv *http.Server, httpLn net.Listener,
	stops ...func(context.Context)) error {
	failed := make(chan error, 3)
	go func() { failed <- smtpSrv.Serve(smtpLn) }()
	go func() {
		if err := httpSrv.Serve(httpLn); !errors.Is(err, http.ErrServerClosed) {
			failed <- err
		}
	}()
	socketCtx, stopSocket := context.WithCancel(context.WithoutCancel(ctx))
	var socketWG sync.WaitGroup
	if sw.socket != nil {
		socketWG.Go(func() {
			if err := sw.server.RunSocketMode(socketCtx, sw.socket); err != nil {
				failed <- err
			}
		})
	}
	dispCtx, stopDisp := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { disp.Run(dispCtx) })

	var runErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case runErr = <-failed:
		log.Error("listener failed; shutting down", "err", runErr)
	}
	begun := time.Now()
	sctx, cancel := context.WithDeadline(context.Background(), begun.Add(stopListeners))
	defer cancel()
	var shutWG sync.WaitGroup
	for _, stop := range stops {
		shutWG.Go(func() { stop(sctx) })
	}
	shutWG.Go(func() {
		if err := smtpSrv.Shutdown(sctx); err != nil {
			log.Warn("smtp shutdown", "err", err)
		}
	})
	shutWG.Go(func() {
		if err := httpSrv.Shutdown(sctx); err != nil {
			log.Warn("http shutdown", "err", err)
		}
	})
	shutWG.Go(func() {
		stopSocket()
		socketWG.Wait()
	})
	shutWG.Wait()
	wctx, wcancel := context.WithDeadline(context.Background(), begun.Add(stopSlackWork))
	defer wcancel()
	sw.wait(wctx, log)
	stopDisp()
	if !waitUntil(&wg, begun.Add(stopOutbox)) {
		log.Warn("outbox item still sending at shutdown; it is sent again after its lease")
	}
	log.Info("stopped", "took", time.Since(begun).Round(time.Millisecond))
	if runErr != nil {
		return fmt.Errorf("serve: %w", runErr)
	}
	return nil
}

// waitUntil waits for wg until deadline; false when it had to give up.
func waitUntil(wg *sync.WaitGroup, deadline time.Time) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// newIntake builds the SMTP server and the HTTP server with the inbound
// endpoint and /healthz, both feeding one intake.Service; register adds
// the other routes (Slack, /readyz, /metrics). met may be nil.
func newIntake(cfg *Config, st store.Store, kick func(), log *slog.Logger, met *metrics.Metrics,
	register ...func(*http.ServeMux)) (*intake.SMTPServer, *http.Server, error) {
	svc, err := intake.NewService(intake.ServiceConfig{
		Sink: storeSink{st: st, kick: kick},
		Triage: triage.Options{
			Verify:      triage.VerifyConfig{OfficialDomains: cfg.OfficialDomains},
			CompanyName: cfg.CompanyName,
		},
		Location: cfg.Location(),
		Logger:   log,
		Metrics:  met,
	})
	if err != nil {
		return nil, nil, err
	}
	smtpCfg := intake.SMTPConfig{Accepter: svc, Addresses: cfg.IntakeAddresses, MaxBytes: int64(cfg.SMTPMaxBytes),
		MaxSessions: cfg.SMTPMaxSessions, Logger: log, Metrics: met}
	if cfg.SMTPTLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.SMTPTLSCert, cfg.SMTPTLSKey)
		if err != nil {
			return nil, nil, fmt.Errorf("SMTP_TLS_CERT/SMTP_TLS_KEY: %w", err)
		}
		smtpCfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	smtpSrv, err := intake.NewSMTPServer(smtpCfg)
	if err != nil {
		return nil, nil, err
	}
	inbound, err := intake.NewInboundHandler(intake.HTTPConfig{
		Accepter: svc, Secret: cfg.InboundSecret, MaxBytes: int64(cfg.SMTPMaxBytes), Logger: log, Metrics: met})
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /inbound/email", inbound)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	for _, r := range register {
		r(mux)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	return smtpSrv, srv, nil
}

// storeSink adapts store.Store to intake.Sink: the request, raw message,
// first audit entry and the card's outbox item go in one CreateRequest;
// then the dispatcher is woken so the card is posted at once. An
// emergency's first escalation step is stored with it (StartPaging), so a
// crash after the 250 still pages, and the kick also wakes the escalator.
type storeSink struct {
	st   store.Store
	kick func()
}

func (s storeSink) StoreMessage(ctx context.Context, m intake.Accepted) (*legal.Request, bool, error) {
	draft := m.Request
	legal.StartPaging(&draft, m.ReceivedAt)
	req, created, err := s.st.CreateRequest(ctx, store.Incoming{
		Raw: m.Raw, MessageID: m.MessageID, ReceivedAt: m.ReceivedAt, Request: draft,
		Audit:  store.AuditEntry{At: m.ReceivedAt, Actor: m.Source, Action: "created", Note: m.Note},
		Outbox: []store.OutboxItem{bot.CardItem("")},
	})
	if err == nil && created && s.kick != nil {
		s.kick()
	}
	return req, created, err
}

// newSlack builds the Slack client from the configuration.
func newSlack(cfg *Config, st store.Store, log *slog.Logger) (*bot.Slack, error) {
	return bot.New(slackConfig(cfg, st, log))
}

// slackConfig is the Slack client's configuration from cfg.
func slackConfig(cfg *Config, st store.Store, log *slog.Logger) bot.Config {
	return bot.Config{Token: cfg.SlackBotToken, APIURL: cfg.SlackAPIURL, Channel: cfg.LegalChannel,
		CompanyName: cfg.CompanyName, Location: cfg.Location(), Store: st, Logger: log}
}
