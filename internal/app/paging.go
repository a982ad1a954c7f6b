package app

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/email"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/bot/pagerduty"
	"github.com/lebot-dev/lebot/commands"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/jobs"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// paging is serve's paging: the pager's outbox handlers on the
// dispatcher, and the escalator the jobs engine runs.
type paging struct {
	esc    *jobs.Escalator
	policy legal.OnCallPolicy
	cfg    *config.Config
}

// onCallPolicy reads ONCALL_USERS and ONCALL_ROTATION.
func onCallPolicy(cfg *config.Config) (legal.OnCallPolicy, error) {
	levels, err := legal.ParseLevels(cfg.OncallUsers)
	if err != nil {
		return legal.OnCallPolicy{}, fmt.Errorf("ONCALL_USERS: %w", err)
	}
	rot, err := legal.ParseRotation(cfg.OncallRotation, cfg.Location())
	if err != nil {
		return legal.OnCallPolicy{}, fmt.Errorf("ONCALL_ROTATION: %w", err)
	}
	return legal.OnCallPolicy{Levels: levels, Rotation: rot}, nil
}

// newPaging builds the pager (PagerDuty and e-mail when configured),
// registers its outbox kinds with disp, and builds the escalator.
func newPaging(cfg *config.Config, st store.Store, sl *bot.Slack, disp *outbox.Dispatcher, log *slog.Logger, now func() time.Time) (*paging, error) {
	policy, err := onCallPolicy(cfg)
	if err != nil {
		return nil, err
	}
	pcfg := bot.PagerConfig{Slack: sl, Store: st, Logger: log, Now: now}
	if cfg.PagerDutyRoutingKey != "" {
		if pcfg.PagerDuty, err = pagerduty.New(pagerduty.Config{RoutingKey: cfg.PagerDutyRoutingKey, URL: cfg.PagerDutyEventsURL}); err != nil {
			return nil, err
		}
	}
	if cfg.OutboundSMTPURL != "" {
		if pcfg.Mailer, err = email.New(email.Config{URL: cfg.OutboundSMTPURL, From: cfg.MailFrom, Now: now}); err != nil {
			return nil, err
		}
	}
	pager, err := bot.NewPager(pcfg)
	if err != nil {
		return nil, err
	}
	pager.Register(disp)
	esc, err := jobs.NewEscalator(jobs.EscalatorConfig{Store: st, Policy: policy, Delay: cfg.EscalationDelay,
		Rounds: max(cfg.EscalationRepeat, 1), PagerDuty: pcfg.PagerDuty != nil, Email: pcfg.Mailer != nil, Kick: disp.Kick, Logger: log})
	if err != nil {
		return nil, err
	}
	if len(policy.Levels) == 0 && policy.Rotation == nil {
		log.Warn("ONCALL_USERS is empty: emergencies page nobody until /legal oncall set; the channel gets @here")
	}
	return &paging{esc: esc, policy: policy, cfg: cfg}, nil
}

// forCommands is what /legal oncall and /legal page need; kick wakes
// the escalation loop.
func (p *paging) forCommands(kick func()) commands.Paging {
	return commands.Paging{Policy: p.policy, Delay: p.cfg.EscalationDelay, Rounds: max(p.cfg.EscalationRepeat, 1), Kick: kick}
}
