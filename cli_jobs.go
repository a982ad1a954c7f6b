package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/store"
)

const jobsUsage = "lebot jobs run NAME [--at RFC3339] [--dry-run]   (NAME: outbox, reminders, digest, escalations)"

// runJobs runs one job now, or as of --at.
func runJobs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 2 || args[0] != "run" {
		fmt.Fprintf(stderr, "usage: %s\n", jobsUsage)
		return usageErr("jobs needs: run NAME")
	}
	name := args[1]
	fs := newFlagSet("jobs run "+name, stderr, jobsUsage)
	at := fs.String("at", "", "run as of this instant (RFC 3339, e.g. 2026-03-02T09:00:00-08:00); default now")
	dry := fs.Bool("dry-run", false, "report what the job would do without doing it")
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
	case "outbox":
		return runOutboxJob(ctx, getenv, stdout, stderr, now, *dry)
	case "reminders", "digest", "escalations":
		return fmt.Errorf("jobs run %s: not implemented yet (only outbox runs in this version)", name)
	}
	return usageErr("jobs run: unknown job %q (want outbox, reminders, digest or escalations)", name)
}

// runOutboxJob drains the outbox once as of now: every item due then is
// sent (or retried later, as serve's dispatcher would).
func runOutboxJob(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, now time.Time, dry bool) error {
	cfg, err := loadAndValidate(getenv, false)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if dry {
		stats, err := st.OutboxStats(ctx)
		if err != nil {
			return fmt.Errorf("outbox stats: %w", err)
		}
		fmt.Fprintf(stdout, "outbox: %d waiting or leased, %d dead letters", stats.Depth, stats.DeadLetter)
		if !stats.Oldest.IsZero() {
			fmt.Fprintf(stdout, ", oldest from %s", stats.Oldest.Format(time.RFC3339))
		}
		fmt.Fprintln(stdout, "\n(dry run: nothing sent)")
		return nil
	}
	sl, err := newSlack(cfg, st, log)
	if err != nil {
		return err
	}
	if err := sl.CheckAuth(ctx); err != nil {
		return err
	}
	d, err := bot.NewDispatcher(bot.DispatcherConfig{Store: st, Slack: sl, Logger: log, Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	n, err := d.DrainOnce(ctx, now)
	fmt.Fprintf(stdout, "outbox: delivered %d item(s) as of %s\n", n, now.Format(time.RFC3339))
	return err
}

// openStore opens the store the configuration names.
func openStore(ctx context.Context, cfg *Config, log *slog.Logger) (store.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	st, err := store.Open(ctx, store.Config{RedisURL: cfg.RedisURL, KeyPrefix: cfg.RedisKeyPrefix, DataDir: cfg.DataDir, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return st, nil
}
