package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/email"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/jobs"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

const jobsUsage = "lebot jobs run NAME [--at RFC3339] [--dry-run] [--chart FILE.png]   (NAME: outbox, reminders, digest, escalations, retention)"

// runJobs runs one job now, or as of --at.
func runJobs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
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
	j := &jobRun{cfg: cfg, st: st, log: log, now: now, dry: *dry, chart: *chart, out: stdout}
	switch name {
	case "outbox":
		return j.outbox(ctx)
	case "escalations":
		return j.escalations(ctx)
	case "retention":
		return j.retention(ctx)
	}
	return j.scheduled(ctx, name)
}

// jobRun is one `lebot jobs run` against the configured store.
type jobRun struct {
	cfg   *Config
	st    store.Store
	log   *slog.Logger
	now   time.Time
	dry   bool
	chart string // write the digest's chart here
	out   io.Writer
}

// outbox drains the outbox once as of now: every item due then is sent
// (or retried later, as serve's dispatcher would).
func (j *jobRun) outbox(ctx context.Context) error {
	if j.dry {
		stats, err := j.st.OutboxStats(ctx)
		if err != nil {
			return fmt.Errorf("outbox stats: %w", err)
		}
		fmt.Fprintf(j.out, "outbox: %d waiting or leased, %d dead letters", stats.Depth, stats.DeadLetter)
		if !stats.Oldest.IsZero() {
			fmt.Fprintf(j.out, ", oldest from %s", stats.Oldest.Format(time.RFC3339))
		}
		fmt.Fprintln(j.out, "\n(dry run: nothing sent)")
		return nil
	}
	d, _, err := j.dispatcher(ctx)
	if err != nil {
		return err
	}
	n, err := d.DrainOnce(ctx, j.now)
	fmt.Fprintf(j.out, "outbox: delivered %d item(s) as of %s\n", n, j.now.Format(time.RFC3339))
	return err
}

// dispatcher builds a dispatcher with every outbox kind serve handles.
func (j *jobRun) dispatcher(ctx context.Context) (*outbox.Dispatcher, *paging, error) {
	sl, err := newSlack(j.cfg, j.st, j.log)
	if err != nil {
		return nil, nil, err
	}
	if err := sl.CheckAuth(ctx); err != nil {
		return nil, nil, err
	}
	now := func() time.Time { return j.now }
	d, err := outbox.New(outbox.Config{Store: j.st, Logger: j.log, Now: now})
	if err != nil {
		return nil, nil, err
	}
	bot.RegisterSlack(d, sl)
	pg, err := newPaging(j.cfg, j.st, sl, d, j.log, now)
	if err != nil {
		return nil, nil, err
	}
	if err := registerJobKinds(j.cfg, d, sl); err != nil {
		return nil, nil, err
	}
	return d, pg, nil
}

// escalations takes the escalation steps due as of now; a dry run lists
// the emergencies whose next step is due.
func (j *jobRun) escalations(ctx context.Context) error {
	if j.dry {
		due, err := j.st.Range(ctx, store.IndexEscalation, time.Unix(0, 0), j.now.Add(time.Millisecond), 0)
		if err != nil {
			return err
		}
		for _, r := range due {
			fmt.Fprintf(j.out, "would page: %s escalation step %d (due %s)\n", r.ID, r.EscalationStep+1, r.NextEscalation.Format(time.RFC3339))
		}
		fmt.Fprintf(j.out, "escalations: %d due as of %s (dry run: nothing sent)\n", len(due), j.now.Format(time.RFC3339))
		return nil
	}
	d, pg, err := j.dispatcher(ctx)
	if err != nil {
		return err
	}
	if err := pg.esc.Tick(ctx, j.now); err != nil {
		return err
	}
	fmt.Fprintf(j.out, "escalations: ticked as of %s\n", j.now.Format(time.RFC3339))
	return j.send(ctx, d)
}

// retention deletes, under the job's store lock, the raw messages and
// identifiers of requests closed longer than RETENTION_DAYS before now; a
// dry run lists their ids and deletes nothing.
func (j *jobRun) retention(ctx context.Context) error {
	if j.cfg.RetentionDays <= 0 {
		fmt.Fprintln(j.out, "retention: RETENTION_DAYS is 0: everything is kept")
		return nil
	}
	ret, err := jobs.NewRetention(j.st, j.cfg.RetentionDays, j.log)
	if err != nil {
		return err
	}
	var ids []string
	if j.dry {
		ids, err = ret.Run(ctx, j.now, true)
	} else {
		runner, rerr := jobs.NewRunner(j.st, "", 0, j.log)
		if rerr != nil {
			return rerr
		}
		var ran bool
		ran, err = runner.Run(ctx, "retention", j.now, func(ctx context.Context, now time.Time) error {
			var e error
			ids, e = ret.Run(ctx, now, false)
			return e
		})
		if err == nil && !ran {
			return fmt.Errorf("jobs run retention: another process is running it now; try again shortly")
		}
	}
	verb, note := "purged", ""
	if j.dry {
		verb, note = "would purge", " (dry run: nothing deleted)"
	}
	for _, id := range ids {
		fmt.Fprintf(j.out, "%s: %s\n", verb, id)
	}
	fmt.Fprintf(j.out, "retention: %d request(s) closed before %s %s%s\n", len(ids),
		j.now.AddDate(0, 0, -j.cfg.RetentionDays).Format(time.RFC3339), verb, note)
	if err == nil && !j.dry && len(ids) > 0 {
		fmt.Fprintln(j.out, "(their card updates are in the outbox: a running `lebot serve` or `lebot jobs run outbox` sends them)")
	}
	return err
}

// scheduled runs the reminders or the digest as of now under the job's
// store lock, then sends what it enqueued.
func (j *jobRun) scheduled(ctx context.Context, name string) error {
	rem, dig, err := newJobs(j.cfg, j.st, j.log)
	if err != nil {
		return err
	}
	run := rem.Run
	if name == "digest" {
		run = dig.Run
	}
	var res jobs.Result
	if j.dry {
		res, err = run(ctx, j.now, true)
	} else {
		runner, rerr := jobs.NewRunner(j.st, "", 0, j.log)
		if rerr != nil {
			return rerr
		}
		var ran bool
		ran, err = runner.Run(ctx, name, j.now, func(ctx context.Context, now time.Time) error {
			var e error
			res, e = run(ctx, now, false)
			return e
		})
		if err == nil && !ran {
			return fmt.Errorf("jobs run %s: another process is running it now; try again shortly", name)
		}
	}
	if err != nil {
		return err
	}
	verb := "enqueued"
	if j.dry {
		verb = "would send"
	}
	for _, m := range res.Planned {
		fmt.Fprintf(j.out, "%s: %s\n", verb, m.Summary)
		if j.dry {
			printPreview(j.out, m.Items)
		}
		if err := j.writeChart(m.Items); err != nil {
			return err
		}
	}
	fmt.Fprintf(j.out, "%s: %d message(s) %s as of %s", name, len(res.Planned), verb, j.now.Format(time.RFC3339))
	if j.dry {
		fmt.Fprintln(j.out, " (dry run: nothing sent)")
		return nil
	}
	fmt.Fprintln(j.out)
	if res.Sent == 0 {
		return nil
	}
	d, _, err := j.dispatcher(ctx)
	if err != nil {
		return fmt.Errorf("%w (the messages are in the outbox: a running `lebot serve` sends them)", err)
	}
	return j.send(ctx, d)
}

// send drains the outbox with the real clock until nothing more goes.
func (j *jobRun) send(ctx context.Context, d *outbox.Dispatcher) error {
	total := 0
	for range 100 {
		n, err := d.DrainOnce(ctx, time.Now())
		total += n
		if err != nil || n == 0 {
			fmt.Fprintf(j.out, "outbox: delivered %d item(s)\n", total)
			return err
		}
	}
	return nil
}

// newJobs builds the reminders and digest jobs from the configuration.
func newJobs(cfg *Config, st store.Store, log *slog.Logger) (*jobs.Reminders, *jobs.Digest, error) {
	cal := legal.NewCalendar(cfg.Location())
	rem, err := jobs.NewReminders(st, cal, log)
	if err != nil {
		return nil, nil, err
	}
	var emails []string
	if cfg.OutboundSMTPURL != "" {
		emails = cfg.DigestEmails
	} else if len(cfg.DigestEmails) > 0 {
		log.Warn("DIGEST_EMAILS is set but OUTBOUND_SMTP_URL is not: the digest goes to Slack only")
	}
	dig, err := jobs.NewDigest(jobs.DigestConfig{Store: st, Calendar: cal, Schedule: cfg.DigestSchedule,
		Channel: cmp.Or(cfg.DigestChannel, cfg.LegalChannel), Emails: emails, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	return rem, dig, nil
}

// registerJobKinds registers the reminder and digest kinds with d, and
// the digest e-mail when an outbound relay is configured.
func registerJobKinds(cfg *Config, d *outbox.Dispatcher, sl *bot.Slack) error {
	bot.RegisterJobs(d, sl)
	if cfg.OutboundSMTPURL == "" {
		return nil
	}
	m, err := email.New(email.Config{URL: cfg.OutboundSMTPURL, From: cfg.MailFrom})
	if err != nil {
		return err
	}
	bot.RegisterDigestMail(d, m)
	return nil
}

// startJobs registers the jobs' outbox kinds with disp and starts the
// schedule: reminders on REMINDER_SCHEDULE, the digest on DIGEST_SCHEDULE
// (and checked on each reminder tick, so a digest missed while lebot was
// down goes out at the next tick), both also once at start. Escalations
// run on paging's own loop; retention runs daily at retentionSchedule.
// stop waits for runs in progress.
func startJobs(cfg *Config, st store.Store, sl *bot.Slack, disp *outbox.Dispatcher, log *slog.Logger, met *metrics.Metrics) (stop func(context.Context), err error) {
	if err := registerJobKinds(cfg, disp, sl); err != nil {
		return nil, err
	}
	rem, dig, err := newJobs(cfg, st, log)
	if err != nil {
		return nil, err
	}
	ret, err := jobs.NewRetention(st, cfg.RetentionDays, log)
	if err != nil {
		return nil, err
	}
	runner, err := jobs.NewRunner(st, "", 0, log)
	if err != nil {
		return nil, err
	}
	sched, err := jobs.NewScheduler(jobs.SchedulerConfig{Location: cfg.Location(), Runner: runner, Logger: log,
		AfterRun: disp.Kick, Metrics: met, Entries: []jobs.Entry{
			{Name: "reminders", Spec: cfg.ReminderSchedule, Tick: rem.Tick, AtStart: true},
			{Name: "digest", Spec: cfg.DigestSchedule, Tick: dig.Tick},
			{Name: "digest", Spec: cfg.ReminderSchedule, Tick: dig.Tick, AtStart: true},
			{Name: "retention", Spec: retentionSchedule, Tick: ret.Tick},
		}})
	if err != nil {
		return nil, err
	}
	sched.Start()
	// Stop cancels runs in progress, which release their locks as they
	// return; ctx bounds the wait (serve's shutdown budget).
	var once sync.Once
	return func(ctx context.Context) { once.Do(func() { sched.Stop(ctx) }) }, nil
}

// retentionSchedule is when the retention job runs, in TIMEZONE: daily
// at 03:00, out of working hours. With RETENTION_DAYS=0 it does nothing.
const retentionSchedule = "0 3 * * *"

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
