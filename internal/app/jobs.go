package app

import (
	"cmp"
	"log/slog"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/email"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/jobs"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// newJobs builds the reminders and digest jobs from the configuration.
func newJobs(cfg *config.Config, st store.Store, log *slog.Logger) (*jobs.Reminders, *jobs.Digest, error) {
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
func registerJobKinds(cfg *config.Config, d *outbox.Dispatcher, sl *bot.Slack) error {
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

// newEngine registers the jobs' outbox kinds with disp and builds the
// jobs engine: reminders on REMINDER_SCHEDULE, the digest on
// DIGEST_SCHEDULE, retention daily, escalations in a loop (see
// jobs.NewEngine). It is not started.
func newEngine(cfg *config.Config, st store.Store, sl *bot.Slack, disp *outbox.Dispatcher, esc *jobs.Escalator, log *slog.Logger, met *metrics.Metrics) (*jobs.Engine, error) {
	if err := registerJobKinds(cfg, disp, sl); err != nil {
		return nil, err
	}
	if err := registerReplyMail(cfg, disp, st); err != nil {
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
	return jobs.NewEngine(jobs.EngineConfig{Location: cfg.Location(), Runner: runner, Logger: log,
		AfterRun: disp.Kick, Metrics: met, Reminders: rem, ReminderSchedule: cfg.ReminderSchedule,
		Digest: dig, DigestSchedule: cfg.DigestSchedule, Retention: ret, Escalator: esc})
}
