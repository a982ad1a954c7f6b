package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/jobs"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// JobOptions are the arguments of `lebot jobs run`, checked by main.
type JobOptions struct {
	Name   string    // outbox, reminders, digest, escalations or retention
	At     time.Time // run as of this instant
	DryRun bool      // print what would be sent, send nothing
	Chart  string    // digest: also write its chart (PNG) here
}

// RunJob is `lebot jobs run`: it reads the configuration through getenv
// and runs one job once against the configured store as of opt.At,
// writing what it did to out and the logs to logw.
func RunJob(ctx context.Context, getenv func(string) string, opt JobOptions, out, logw io.Writer) error {
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return err
	}
	log := NewCLILogger(cfg.LogFormat, logw)
	st, err := OpenStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	j := &jobRun{cfg: cfg, st: st, log: log, now: opt.At, dry: opt.DryRun, chart: opt.Chart, out: out}
	switch opt.Name {
	case "outbox":
		return j.outbox(ctx)
	case "escalations":
		return j.escalations(ctx)
	case "retention":
		return j.retention(ctx)
	case "reminders", "digest":
		return j.scheduled(ctx, opt.Name)
	}
	return fmt.Errorf("jobs run: unknown job %q", opt.Name)
}

// jobRun is one `lebot jobs run` against the configured store.
type jobRun struct {
	cfg   *config.Config
	st    store.Store
	log   *slog.Logger
	now   time.Time
	dry   bool
	chart string // write the digest's chart here
	out   io.Writer
}

// outbox drains the outbox as of now: every item due then is sent (or
// retried later, as serve's dispatcher would), batch after batch, along
// with the items a delivery makes due (a card's original in its thread).
func (j *jobRun) outbox(ctx context.Context) error {
	if j.dry {
		stats, err := j.st.OutboxStats(ctx)
		if err != nil {
			return fmt.Errorf("outbox stats: %w", err)
		}
		fmt.Fprintf(j.out, "outbox: %d waiting or leased, %d dead letters", stats.Depth, stats.DeadLetter)
		if !stats.Oldest.IsZero() {
			fmt.Fprintf(j.out, ", oldest from %s", j.when(stats.Oldest))
		}
		fmt.Fprintln(j.out, "\n(dry run: nothing sent)")
		return nil
	}
	d, _, err := j.dispatcher(ctx)
	if err != nil {
		return err
	}
	total := 0
	for range 1000 { // a bound, were every round to deliver only a little
		var n int
		n, err = d.DrainOnce(ctx, j.now)
		total += n
		if err != nil || n == 0 {
			break
		}
	}
	fmt.Fprintf(j.out, "outbox: delivered %d item(s) as of %s\n", total, j.when(j.now))
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
	if err := registerReplyMail(j.cfg, d, j.st); err != nil {
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
			fmt.Fprintf(j.out, "would page: %s escalation step %d (due %s)\n", r.ID, r.EscalationStep+1, j.when(r.NextEscalation))
		}
		fmt.Fprintf(j.out, "escalations: %d due as of %s (dry run: nothing sent)\n", len(due), j.when(j.now))
		return nil
	}
	d, pg, err := j.dispatcher(ctx)
	if err != nil {
		return err
	}
	runner, err := jobs.NewRunner(j.st, "", 0, j.log)
	if err != nil {
		return err
	}
	if err := runner.Do(ctx, jobs.EscalationJob(pg.esc), j.now); err != nil {
		return err
	}
	fmt.Fprintf(j.out, "escalations: ticked as of %s\n", j.when(j.now))
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
		err = j.locked(ctx, "retention", func(ctx context.Context, now time.Time) error {
			var e error
			ids, e = ret.Run(ctx, now, false)
			return e
		})
		if errors.Is(err, jobs.ErrBusy) {
			return errBusy("retention")
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
		j.when(j.now.AddDate(0, 0, -j.cfg.RetentionDays)), verb, note)
	if err == nil && !j.dry && len(ids) > 0 {
		fmt.Fprintln(j.out, "(their card updates are in the outbox: a running `lebot serve` or `lebot jobs run outbox` sends them)")
	}
	return err
}

// scheduled runs the reminders or the digest as of now under the job's
// store lock, then sends what it enqueued.
func (j *jobRun) scheduled(ctx context.Context, name string) error {
	cfg := j.cfg
	if j.dry && cfg.DigestChannel == "" && cfg.LegalChannel == "" {
		// A dry run sends nothing, so it needs no channel: show the
		// digest as it would read.
		c := *cfg
		c.DigestChannel = noChannel
		cfg = &c
	}
	rem, dig, err := newJobs(cfg, j.st, j.log)
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
		err = j.locked(ctx, name, func(ctx context.Context, now time.Time) error {
			var e error
			res, e = run(ctx, now, false)
			return e
		})
		if errors.Is(err, jobs.ErrBusy) {
			return errBusy(name)
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
	fmt.Fprintf(j.out, "%s: %d message(s) %s as of %s", name, len(res.Planned), verb, j.when(j.now))
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

// noChannel stands for the digest channel in a dry run with none set.
const noChannel = "(none: DIGEST_CHANNEL and LEGAL_CHANNEL are unset)"

// when is t as the CLI shows it: lebot's date style in TIMEZONE.
func (j *jobRun) when(t time.Time) string { return legal.TimeLabel(t, j.cfg.Location()) }

// locked runs tick as job name as of j.now through the jobs runner, the
// path every scheduled run takes: under the job's store lock, with its
// timeout and panic recovery; jobs.ErrBusy when another process holds it.
func (j *jobRun) locked(ctx context.Context, name string, tick jobs.TickFunc) error {
	runner, err := jobs.NewRunner(j.st, "", 0, j.log)
	if err != nil {
		return err
	}
	return runner.Do(ctx, jobs.Job{Name: name, Tick: tick}, j.now)
}

// errBusy says in words that another process is running job name.
func errBusy(name string) error {
	return fmt.Errorf("jobs run %s: another process is running it now; try again shortly", name)
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
