// Package app wires lebot. Build turns a validated configuration into the
// running parts — the store, the Slack client, the outbox dispatcher and
// its senders, paging, the jobs engine, the /legal commands, SMTP and
// HTTP intake, /readyz and /metrics — each handed its dependencies
// explicitly; App.Run serves them until its context ends, then shuts down
// within the budget. RunJob is `lebot jobs run` on the same parts. The
// command in the module root only parses flags and prints.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/intake"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/jobs"
	"github.com/lebot-dev/lebot/store"
)

// Options are what the process hands the app besides its configuration.
type Options struct {
	Log     io.Writer // where the logs go (the process's stderr); nil discards them
	Version string    // logged at start
	// HTTPHost is the address the HTTP server binds, "" for every
	// interface (a deployment behind a load balancer); the demo binds
	// 127.0.0.1.
	HTTPHost string
	// OutboxPoll is how often the outbox looks for items that came due
	// without a kick, such as those a delivery adds; 0: the dispatcher's
	// default (2s). Tests shorten it.
	OutboxPoll time.Duration
}

// App is lebot built and listening, ready to Run.
type App struct {
	cfg     *config.Config
	log     *slog.Logger
	version string
	host    string // Options.HTTPHost
	st      store.Store
	disp    *outbox.Dispatcher
	eng     *jobs.Engine
	slack   *slackWiring
	smtp    *intake.SMTPServer
	smtpLn  net.Listener
	http    *http.Server
	httpLn  net.Listener
}

// Serve is `lebot serve`: it reads the configuration through getenv,
// builds the app and runs it until ctx is cancelled (SIGINT/SIGTERM). It
// returns nil after a clean shutdown.
func Serve(ctx context.Context, getenv func(string) string, opt Options) error {
	cfg, err := config.Load(getenv, true)
	if err != nil {
		return err
	}
	a, err := Build(ctx, cfg, opt)
	if err != nil {
		return err
	}
	return a.Run(ctx)
}

// Build wires the app from cfg. It checks the bot token with Slack and
// takes both listeners, so a rejected token, a bad TLS key or a port in
// use fails here, with a message an operator can act on; on any error
// what it opened is closed again.
func Build(ctx context.Context, cfg *config.Config, opt Options) (_ *App, err error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	a := &App{cfg: cfg, version: opt.Version, host: opt.HTTPHost, log: NewLogger(cfg.LogFormat, opt.Log)}
	var undo []func()
	defer func() {
		if err != nil {
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
		}
	}()
	met := metrics.New()
	if a.st, err = OpenStore(ctx, cfg, a.log); err != nil {
		return nil, err
	}
	undo = append(undo, func() { a.st.Close() })
	slCfg := slackConfig(cfg, a.st, a.log)
	slCfg.Metrics = met
	sl, err := bot.New(slCfg)
	if err != nil {
		return nil, err
	}
	authCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	err = sl.CheckAuth(authCtx)
	cancel()
	if err != nil {
		return nil, err
	}
	if a.disp, err = outbox.New(outbox.Config{Store: a.st, Logger: a.log, Metrics: met, Poll: opt.OutboxPoll}); err != nil {
		return nil, err
	}
	bot.RegisterSlack(a.disp, sl)
	pg, err := newPaging(cfg, a.st, sl, a.disp, a.log, time.Now)
	if err != nil {
		return nil, err
	}
	if a.eng, err = newEngine(cfg, a.st, sl, a.disp, pg.esc, a.log, met); err != nil {
		return nil, err
	}
	if a.slack, err = newSlackWiring(cfg, a.st, sl, a.disp, pg.forCommands(a.eng.Trigger), a.log); err != nil {
		return nil, err
	}
	kick := func() { a.disp.Kick(); a.eng.Trigger() }
	a.smtp, a.http, err = newIntake(cfg, a.st, kick, a.log, met, a.slack.server.Register, opsRoutes(a.st, sl, met))
	if err != nil {
		return nil, err
	}
	if err := a.listen(); err != nil {
		return nil, err
	}
	return a, nil
}

// listen takes the HTTP and SMTP listeners, or neither.
func (a *App) listen() error {
	var err error
	if a.httpLn, err = net.Listen("tcp", net.JoinHostPort(a.host, strconv.Itoa(a.cfg.Port))); err != nil {
		return fmt.Errorf("listen on PORT %d: %w", a.cfg.Port, err)
	}
	if a.smtpLn, err = net.Listen("tcp", a.cfg.SMTPAddr); err != nil {
		a.httpLn.Close()
		return fmt.Errorf("listen on SMTP_ADDR %s: %w", a.cfg.SMTPAddr, err)
	}
	return nil
}

// Run starts the jobs engine and serves until ctx ends, then shuts down
// in order: stop taking mail and HTTP and stop the jobs, finish Slack
// work and the outbox item in hand, close the store. It returns nil
// after a clean shutdown.
func (a *App) Run(ctx context.Context) error {
	defer a.st.Close()
	a.eng.Start()
	defer a.eng.Stop(context.Background()) // a no-op after serve's
	a.log.Info("lebot serving", "version", a.version, "http", a.httpLn.Addr().String(),
		"smtp", a.smtpLn.Addr().String(), "starttls", a.cfg.SMTPTLSCert != "", "socket_mode", a.slack.socket != nil)
	return a.serve(ctx, a.eng.Stop)
}

// OpenStore opens the store the configuration names.
func OpenStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (store.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	st, err := store.Open(ctx, store.Config{RedisURL: cfg.RedisURL, KeyPrefix: cfg.RedisKeyPrefix, DataDir: cfg.DataDir, Logger: log,
		EncryptionKeys: cfg.EncryptionKeys()})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return st, nil
}
