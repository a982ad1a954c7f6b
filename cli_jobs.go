package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/lebot-dev/lebot/internal/app"
)

const jobsUsage = "lebot jobs run NAME [--at RFC3339] [--dry-run] [--chart FILE.png]   (NAME: outbox, reminders, digest, escalations, retention)"

// runJobs runs one job now, or as of --at.
func runJobs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) || len(args) == 2 && args[0] == "run" && isHelp(args[1]) {
		fmt.Fprintf(stdout, "usage: %s\n", jobsUsage)
		return errHelp
	}
	if len(args) < 2 || args[0] != "run" {
		fmt.Fprintf(stderr, "usage: %s\n", jobsUsage)
		return usageErr("jobs needs: run NAME")
	}
	name := args[1]
	fs := newFlagSet("jobs run "+name, stderr, jobsUsage)
	at := fs.String("at", "", "run as of this instant (RFC 3339, e.g. 2026-03-02T09:00:00-08:00); default now")
	dry := fs.Bool("dry-run", false, "print what the job would send (each message's text) and send nothing")
	chart := fs.String("chart", "", "digest only: also write the digest's chart (PNG) to this file")
	if err := parseFlags(fs, args[2:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("jobs run %s: unexpected arguments %q", name, fs.Args())
	}
	now := time.Now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usageErr("--at %q: want RFC 3339 such as 2026-03-02T09:00:00-08:00", *at)
		}
		now = t
	}
	switch name {
	case "outbox", "reminders", "digest", "escalations", "retention":
	default:
		return usageErr("jobs run: unknown job %q (want outbox, reminders, digest, escalations or retention)", name)
	}
	if *chart != "" && name != "digest" {
		return usageErr("jobs run %s: --chart is for the digest only", name)
	}
	return app.RunJob(ctx, getenv, app.JobOptions{Name: name, At: now, DryRun: *dry, Chart: *chart}, stdout, stderr)
}
