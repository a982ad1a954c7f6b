package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/email"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/bot/pagerduty"
	"github.com/lebot-dev/lebot/commands"
	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/jobs"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// escalationPoll is how often serve looks for due escalation steps when
// nothing kicks it. A step is due ESCALATION_DELAY after the last one, so
// this bounds how late a step can be; the jobs scheduler may tick too.
const escalationPoll = 15 * time.Second

// paging is serve's paging: the pager's outbox handlers on the
// dispatcher, and the escalator with the loop that runs it.
type paging struct {
	esc    *jobs.Escalator
	policy legal.OnCallPolicy
	cfg    *Config
	log    *slog.Logger
	now    func() time.Time
	kick   chan struct{}
	met    *metrics.Metrics // counts escalation ticks; nil: none
}

// onCallPolicy reads ONCALL_USERS and ONCALL_ROTATION.
func onCallPolicy(cfg *Config) (legal.OnCallPolicy, error) {
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

// validatePaging reports paging variables that parse but cannot work.
func (c *Config) validatePaging(bad func(string, string, ...any)) {
	if _, err := legal.ParseLevels(c.OncallUsers); err != nil {
		bad("ONCALL_USERS", "%v", err)
	}
	if _, err := legal.ParseRotation(c.OncallRotation, c.Location()); err != nil {
		bad("ONCALL_ROTATION", "%v", err)
	}
	if k := c.PagerDutyRoutingKey; k != "" && len(k) != 32 {
		bad("PAGERDUTY_ROUTING_KEY", "want the 32-character integration key of an Events API v2 integration")
	}
	if c.OutboundSMTPURL != "" && c.MailFrom == "" {
		bad("MAIL_FROM", "required with OUTBOUND_SMTP_URL")
	}
}

// newPaging builds the pager (PagerDuty and e-mail when configured),
// registers its outbox kinds with disp, and builds the escalator.
func newPaging(cfg *Config, st store.Store, sl *bot.Slack, disp *outbox.Dispatcher, log *slog.Logger, now func() time.Time) (*paging, error) {
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
	return &paging{esc: esc, policy: policy, cfg: cfg, log: log, now: now, kick: make(chan struct{}, 1)}, nil
}

// forCommands is what /legal oncall and /legal page need.
func (p *paging) forCommands() commands.Paging {
	return commands.Paging{Policy: p.policy, Delay: p.cfg.EscalationDelay, Rounds: max(p.cfg.EscalationRepeat, 1), Kick: p.Kick}
}

// Kick makes the escalation loop tick now (after an emergency arrives or
// /legal page). It never blocks.
func (p *paging) Kick() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// start runs the escalation loop until the returned stop is called.
func (p *paging) start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { p.run(ctx) })
	return func() {
		cancel()
		wg.Wait()
	}
}

func (p *paging) run(ctx context.Context) {
	t := time.NewTicker(escalationPoll)
	defer t.Stop()
	for {
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		start := time.Now()
		err := p.esc.Tick(tctx, p.now())
		if err != nil && ctx.Err() == nil {
			p.log.Warn("escalation tick failed", "error", err)
		}
		if ctx.Err() == nil {
			p.met.JobRun("escalations", jobs.RunResult(true, err), time.Since(start))
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-p.kick:
		}
	}
}
