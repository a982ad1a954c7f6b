package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/lebot-dev/lebot/internal/app"
	"github.com/lebot-dev/lebot/internal/config"
)

// errUsage marks bad command-line input; main exits 2 for it.
var errUsage = errors.New("usage")

// errHelp: the usage was asked for (--help) and printed; run returns nil.
var errHelp = errors.New("help shown")

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

// usageErr reports bad input with the usage text it concerns.
func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// usageText is lebot --help (usage.txt).
//
//go:embed usage.txt
var usageText string

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

// run is the whole program: main hands it the arguments (without the
// program name), the environment and the output streams. It parses the
// command line and hands the work to internal/app (serve, jobs run),
// internal/demo and intake/triage (triage, eval).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, getenv, stdout, stderr)
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// dispatch runs the command named by the first argument.
func dispatch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		if len(args) == 1 && isHelp(args[0]) {
			fmt.Fprint(stdout, usageText)
			return nil
		}
		if len(args) > 0 {
			return usageErr("serve takes no arguments (configure it with environment variables; see lebot config)")
		}
		return app.Serve(ctx, getenv, app.Options{Log: stderr, Version: buildVersion()})
	case "demo":
		return runDemo(ctx, args, getenv, os.Stdin, stdout, stderr)
	case "triage":
		return runTriage(ctx, args, getenv, stdout, stderr)
	case "eval":
		return runEval(ctx, args, getenv, stdout, stderr)
	case "jobs":
		return runJobs(ctx, args, getenv, stdout, stderr)
	case "report":
		return runReport(ctx, args, getenv, stdout, stderr)
	case "corpus":
		return runCorpus(ctx, args, getenv, stdout, stderr)
	case "store":
		return runStore(ctx, args, getenv, stdout, stderr)
	case "config":
		if len(args) == 1 && isHelp(args[0]) {
			fmt.Fprintln(stdout, "usage: lebot config   (list every environment variable, its default, whether it is set, and what it means)")
			return nil
		}
		return config.Print(stdout, getenv)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "lebot %s (%s)\n", buildVersion(), runtime.Version())
		return nil
	case "help", "--help", "-h", "-help":
		fmt.Fprint(stdout, usageText)
		return nil
	}
	fmt.Fprint(stderr, usageText)
	return usageErr("unknown command %q", cmd)
}

// buildVersion is the -ldflags version, else the module's, else "devel".
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "devel-" + s.Value[:12]
			}
		}
	}
	return "devel"
}
