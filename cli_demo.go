package main

import (
	"context"
	"embed"
	"io"
	iofs "io/fs"

	"github.com/lebot-dev/lebot/internal/demo"
)

// demoSamples are the sample requests the demo mails to itself; they are
// embedded so an installed binary has them too.
//
//go:embed testdata/demo/*.eml
var demoSamples embed.FS

const demoUsage = "lebot demo [--no-samples] [--samples DIR] [--smtp HOST:PORT] [--port N] [--data DIR] [--tick SPEC] [--verbose]"

// runDemo is `lebot demo`: the real bot with a Slack stand-in in this
// terminal (see internal/demo).
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	opt, err := parseDemoFlags(args, stderr)
	if err != nil {
		return err
	}
	return demo.Run(ctx, opt, getenv, stdin, stdout, stderr)
}

func parseDemoFlags(args []string, stderr io.Writer) (demo.Options, error) {
	opt := demo.Options{}
	fs := newFlagSet("demo", stderr, demoUsage)
	fs.BoolVar(&opt.NoSamples, "no-samples", false, "do not mail the sample requests at start")
	fs.StringVar(&opt.Samples, "samples", "", "directory of .eml samples to mail at start (default: the built-in testdata/demo)")
	fs.StringVar(&opt.SMTP, "smtp", "", "SMTP intake address (default: a free port on 127.0.0.1)")
	fs.IntVar(&opt.Port, "port", 0, "HTTP port (default: a free port)")
	fs.StringVar(&opt.DataDir, "data", "", "keep the store in this directory (default: a temporary one, removed at exit)")
	fs.StringVar(&opt.Tick, "tick", "@every 30s", "reminder schedule (REMINDER_SCHEDULE), fast so reminders show soon")
	fs.BoolVar(&opt.Verbose, "verbose", false, "logs to stderr, and show every Slack API call")
	if err := parseFlags(fs, args); err != nil {
		return opt, err
	}
	if fs.NArg() > 0 {
		return opt, usageErr("demo: unexpected arguments %q", fs.Args())
	}
	var err error
	opt.Builtin, err = iofs.Sub(demoSamples, "testdata/demo")
	return opt, err
}
