package main

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/lebot-dev/lebot/internal/demo"
)

// demoSamples are the sample requests the demo mails to itself; they are
// embedded so an installed binary has them too.
//
//go:embed testdata/demo/*.eml
var demoSamples embed.FS

const demoUsage = "lebot demo [--no-samples] [--samples DIR] [--smtp HOST:PORT] [--port N] [--data DIR] [--tick SPEC] [--verbose]"

// The demo's Slack workspace: who you are, who else is on call, where
// cards go.
const (
	demoUser    = "U0DEMO"
	demoBackup  = "U0BACKUP"
	demoChannel = "C0LEGAL"
	demoInbox   = "legal@acme.example"
)

const demoHelp = `Type a slash command as you would in Slack, for example:
  /legal list            /legal show 1          /legal claim 1
  /legal ack 4           /legal note 2 called the agent back
  /legal status 3 in_review                     /legal help
Other lines: "remind [+Nd|YYYY-MM-DD|RFC3339]" runs the reminders as of then (default:
tomorrow 09:00); "mail FILE.eml" sends a message to the intake; "help"; "quit" (or Ctrl-D).`

// demoOptions are the demo's flags.
type demoOptions struct {
	noSamples bool
	samples   string
	smtpAddr  string
	port      int
	dataDir   string
	tick      string
	verbose   bool
	settle    time.Duration // how long Slack must be quiet before exit
}

// runDemo runs `lebot serve` — intake, embedded store, outbox, jobs,
// escalations, the Slack HTTP endpoints — with SLACK_API_URL pointed at a
// local stand-in that prints what lebot sends to Slack. It mails the
// sample requests to the intake over SMTP and sends each /legal line read
// from stdin, signed as Slack signs it, to the bot's /slack/commands.
// It stops on EOF, "quit" or when ctx ends (Ctrl-C).
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	opt, err := parseDemoFlags(args, stderr)
	if err != nil {
		return err
	}
	out := demo.NewPrinter(stdout)
	if opt.dataDir == "" {
		dir, err := os.MkdirTemp("", "lebot-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		opt.dataDir = dir
	}
	if err := os.MkdirAll(opt.dataDir, 0o700); err != nil {
		return fmt.Errorf("--data: %w", err)
	}
	if opt.port == 0 {
		if opt.port, err = loopbackPort(); err != nil {
			return err
		}
	}
	if opt.smtpAddr == "" {
		p, err := loopbackPort()
		if err != nil {
			return err
		}
		opt.smtpAddr = "127.0.0.1:" + strconv.Itoa(p)
	}
	sl, err := demo.NewSlack(demo.SlackConfig{Out: out, Channels: map[string]string{demoChannel: "legal"}, Verbose: opt.verbose})
	if err != nil {
		return err
	}
	defer sl.Close()
	secret, err := randomHex(16)
	if err != nil {
		return err
	}
	env := demoEnv(opt, sl.URL(), secret, getenv("TIMEZONE"))

	logw, logName, closeLog, err := demoLog(opt, stderr)
	if err != nil {
		return err
	}
	defer closeLog()
	srv := &demoServe{getenv: func(k string) string { return env[k] }, log: logw,
		base: "http://127.0.0.1:" + strconv.Itoa(opt.port)}
	if err := srv.start(ctx); err != nil {
		return err
	}
	defer srv.stop()
	base := srv.base
	out.Line("lebot demo: the real bot with a Slack stand-in in this terminal (no Slack, no Redis).")
	out.Line("  SMTP intake   %s (mail to %s)", opt.smtpAddr, demoInbox)
	out.Line("  HTTP          %s (/slack/commands, /healthz, /metrics)", base)
	out.Line("  store         %s (embedded)", opt.dataDir)
	out.Line("  logs          %s", logName)
	out.Line("  you are       @%s, on the legal team and first on call (then @%s)", demoUser, demoBackup)
	out.Line("%s\n", demoHelp)

	cmd := &demo.Commander{URL: base + "/slack/commands", Secret: secret, ResponseURL: sl.ResponseURL, TriggerID: sl.TriggerID,
		User: demo.User{ID: demoUser, Name: "demo", Channel: demoChannel}}
	cfg, _ := loadConfig(srv.getenv) // serve has validated it
	d := &demoSession{opt: opt, out: out, cmd: cmd, srv: srv, getenv: srv.getenv, log: logw, loc: cfg.Location()}
	if !opt.noSamples {
		if err := d.mailSamples(ctx); err != nil && ctx.Err() == nil {
			return err
		}
	}
	d.readCommands(ctx, stdin)
	if ctx.Err() == nil {
		d.settle(sl)
	}
	out.Line("stopping lebot…")
	if err := srv.stop(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	out.Line("bye.")
	return nil
}

func parseDemoFlags(args []string, stderr io.Writer) (demoOptions, error) {
	opt := demoOptions{settle: time.Second}
	fs := newFlagSet("demo", stderr, demoUsage)
	fs.BoolVar(&opt.noSamples, "no-samples", false, "do not mail the sample requests at start")
	fs.StringVar(&opt.samples, "samples", "", "directory of .eml samples to mail at start (default: the built-in testdata/demo)")
	fs.StringVar(&opt.smtpAddr, "smtp", "", "SMTP intake address (default: a free port on 127.0.0.1)")
	fs.IntVar(&opt.port, "port", 0, "HTTP port (default: a free port)")
	fs.StringVar(&opt.dataDir, "data", "", "keep the store in this directory (default: a temporary one, removed at exit)")
	fs.StringVar(&opt.tick, "tick", "@every 30s", "reminder schedule (REMINDER_SCHEDULE), fast so reminders show soon")
	fs.BoolVar(&opt.verbose, "verbose", false, "logs to stderr, and show every Slack API call")
	if err := parseFlags(fs, args); err != nil {
		return opt, err
	}
	if fs.NArg() > 0 {
		return opt, usageErr("demo: unexpected arguments %q", fs.Args())
	}
	return opt, nil
}

// demoEnv is the environment serve runs with: a made-up workspace whose
// Web API is the stand-in, an embedded store, loopback SMTP, you on call.
// Nothing is read from the real environment but TIMEZONE, so a demo can
// never reach a real workspace or Redis.
func demoEnv(opt demoOptions, slackURL, secret, tz string) map[string]string {
	env := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-demo", "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": slackURL,
		"LEGAL_CHANNEL": demoChannel, "LEGAL_USERS": demoUser,
		"DATA_DIR": opt.dataDir, "SMTP_ADDR": opt.smtpAddr, "PORT": strconv.Itoa(opt.port),
		"INTAKE_ADDRESSES": demoInbox, "COMPANY_NAME": "Acme Communications",
		"REMINDER_SCHEDULE": opt.tick, "ONCALL_USERS": demoUser + "," + demoBackup,
		"ESCALATION_DELAY": "2m", "ESCALATION_REPEAT": "1", "LOG_FORMAT": "text",
	}
	if tz != "" {
		env["TIMEZONE"] = tz
	}
	return env
}

// demoLog is where serve's logs go: a file in the data directory, or
// stderr with --verbose, so they do not bury the Slack display.
func demoLog(opt demoOptions, stderr io.Writer) (w io.Writer, name string, closeFn func(), err error) {
	if opt.verbose {
		return stderr, "stderr", func() {}, nil
	}
	name = filepath.Join(opt.dataDir, "lebot.log")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, "", nil, fmt.Errorf("demo log: %w", err)
	}
	return f, name, func() { f.Close() }, nil
}

// demoServe is `lebot serve` run in-process on the demo's environment.
// It can be stopped and started again on the same ports and store, so
// `lebot jobs run` can have the store to itself in between.
type demoServe struct {
	getenv func(string) string
	log    io.Writer
	base   string // http://127.0.0.1:PORT

	cancel context.CancelFunc // nil when stopped
	done   chan error
}

// start runs serve and waits until it answers /healthz.
func (s *demoServe) start(ctx context.Context) error {
	sctx, cancel := context.WithCancel(ctx)
	s.cancel, s.done = cancel, make(chan error, 1)
	go func() { s.done <- runServe(sctx, s.getenv, io.Discard, s.log) }()
	if err := waitServing(ctx, s.base, s.done); err != nil {
		cancel()
		s.cancel = nil
		return err
	}
	return nil
}

// stop shuts serve down gracefully and returns its error; it does
// nothing when serve is not running.
func (s *demoServe) stop() error {
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	s.cancel = nil
	return <-s.done
}

// waitServing waits until serve answers /healthz, or returns why it
// stopped.
func waitServing(ctx context.Context, base string, served <-chan error) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := client.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-served:
			if err == nil {
				err = errors.New("stopped before serving")
			}
			return fmt.Errorf("demo: lebot did not start: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("demo: lebot did not answer /healthz within 30s")
		}
	}
}

// loopbackPort returns a port free on 127.0.0.1 now.
func loopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
