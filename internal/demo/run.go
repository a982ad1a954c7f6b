package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/lebot-dev/lebot/internal/app"
	"github.com/lebot-dev/lebot/internal/config"
)

// The demo's Slack workspace: who you are, who else is on call, where
// cards go.
const (
	you          = "U0DEMO"
	backup       = "U0BACKUP"
	legalChannel = "C0LEGAL"
	inbox        = "legal@acme.example"
)

const help = `Type a slash command as you would in Slack, for example:
  /legal list            /legal show 1          /legal claim 1
  /legal ack 4           /legal note 2 called the agent back
  /legal status 3 in_review                     /legal help
Other lines: "remind [+Nd|YYYY-MM-DD|RFC3339]" runs the reminders as of then (default:
tomorrow 09:00); "mail FILE.eml" sends a message to the intake; "help"; "quit" (or Ctrl-D).`

// Options are the demo's flags, parsed by main.
type Options struct {
	NoSamples bool
	// Samples is a directory of .eml samples to mail at start; "" is
	// Builtin.
	Samples string
	Builtin fs.FS  // the built-in samples (main embeds testdata/demo)
	SMTP    string // SMTP intake address; "": a free port on 127.0.0.1
	Port    int    // HTTP port; 0: a free port
	DataDir string // keep the store here; "": a temporary directory, removed at exit
	Tick    string // REMINDER_SCHEDULE, fast so reminders show soon
	Verbose bool   // logs to stderr, and every Slack API call shown
	// Settle is how long Slack must be quiet before the demo exits;
	// default 1s.
	Settle time.Duration
}

// Run runs `lebot serve` — intake, embedded store, outbox, jobs,
// escalations, the Slack HTTP endpoints — with SLACK_API_URL pointed at a
// local stand-in that prints what lebot sends to Slack. It mails the
// sample requests to the intake over SMTP and sends each /legal line read
// from stdin, signed as Slack signs it, to the bot's /slack/commands.
// It stops on EOF, "quit" or when ctx ends (Ctrl-C).
func Run(ctx context.Context, opt Options, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if opt.Settle <= 0 {
		opt.Settle = time.Second
	}
	out := NewPrinter(stdout)
	var err error
	if opt.DataDir == "" {
		dir, err := os.MkdirTemp("", "lebot-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		opt.DataDir = dir
	}
	if err := os.MkdirAll(opt.DataDir, 0o700); err != nil {
		return fmt.Errorf("--data: %w", err)
	}
	if opt.Port == 0 {
		if opt.Port, err = loopbackPort(); err != nil {
			return err
		}
	}
	if opt.SMTP == "" {
		p, err := loopbackPort()
		if err != nil {
			return err
		}
		opt.SMTP = "127.0.0.1:" + strconv.Itoa(p)
	}
	sl, err := NewSlack(SlackConfig{Out: out, Channels: map[string]string{legalChannel: "legal"}, Verbose: opt.Verbose})
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
		base: "http://127.0.0.1:" + strconv.Itoa(opt.Port)}
	if err := srv.start(ctx); err != nil {
		return err
	}
	defer srv.stop()
	base := srv.base
	out.Line("lebot demo: the real bot with a Slack stand-in in this terminal (no Slack, no Redis).")
	out.Line("  SMTP intake   %s (mail to %s)", opt.SMTP, inbox)
	out.Line("  HTTP          %s (/slack/commands, /healthz, /metrics)", base)
	out.Line("  store         %s (embedded)", opt.DataDir)
	out.Line("  logs          %s", logName)
	out.Line("  you are       @%s, on the legal team and first on call (then @%s)", you, backup)
	out.Line("%s\n", help)

	cmd := &Commander{URL: base + "/slack/commands", Secret: secret, ResponseURL: sl.ResponseURL, TriggerID: sl.TriggerID,
		User: User{ID: you, Name: "demo", Channel: legalChannel}}
	cfg, _ := config.Parse(srv.getenv) // serve has validated it
	d := &demoSession{opt: opt, out: out, cmd: cmd, srv: srv, getenv: srv.getenv, log: logw, loc: cfg.Location()}
	if !opt.NoSamples {
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

// demoEnv is the environment serve runs with: a made-up workspace whose
// Web API is the stand-in, an embedded store, loopback SMTP, you on call.
// Nothing is read from the real environment but TIMEZONE, so a demo can
// never reach a real workspace or Redis.
func demoEnv(opt Options, slackURL, secret, tz string) map[string]string {
	env := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-demo", "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": slackURL,
		"LEGAL_CHANNEL": legalChannel, "LEGAL_USERS": you,
		"DATA_DIR": opt.DataDir, "SMTP_ADDR": opt.SMTP, "PORT": strconv.Itoa(opt.Port),
		"INTAKE_ADDRESSES": inbox, "COMPANY_NAME": "Acme Communications",
		"REMINDER_SCHEDULE": opt.Tick, "ONCALL_USERS": you + "," + backup,
		"ESCALATION_DELAY": "2m", "ESCALATION_REPEAT": "1", "LOG_FORMAT": "text",
	}
	if tz != "" {
		env["TIMEZONE"] = tz
	}
	return env
}

// demoLog is where serve's logs go: a file in the data directory, or
// stderr with --verbose, so they do not bury the Slack display.
func demoLog(opt Options, stderr io.Writer) (w io.Writer, name string, closeFn func(), err error) {
	if opt.Verbose {
		return stderr, "stderr", func() {}, nil
	}
	name = filepath.Join(opt.DataDir, "lebot.log")
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
	go func() {
		s.done <- app.Serve(sctx, s.getenv, app.Options{Log: s.log, Version: "demo", HTTPHost: "127.0.0.1"})
	}()
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
