package app

import (
	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/email"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/commands"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/reply"
	"github.com/lebot-dev/lebot/store"
)

// newReplies loads the reply templates (REPLY_TEMPLATES_DIR over the
// built-in ones; a broken template stops start-up, naming the file) and,
// when an outbound relay is configured, what /legal reply needs; nil
// without one, and the command then says how to set it up.
func newReplies(cfg *config.Config) (*commands.Replies, error) {
	ts, err := reply.LoadTemplates(cfg.ReplyTemplatesDir)
	if err != nil {
		return nil, err
	}
	if cfg.OutboundSMTPURL == "" {
		return nil, nil
	}
	m, err := email.New(email.Config{URL: cfg.OutboundSMTPURL, From: cfg.MailFrom})
	if err != nil {
		return nil, err
	}
	return &commands.Replies{Templates: ts, From: m.From(), Company: cfg.CompanyName}, nil
}

// registerReplyMail registers the sender of answers to agencies with d
// when an outbound relay is configured. Items queued while there was one
// wait in the outbox (and are retried) until there is again.
func registerReplyMail(cfg *config.Config, d *outbox.Dispatcher, st store.Store) error {
	if cfg.OutboundSMTPURL == "" {
		return nil
	}
	m, err := email.New(email.Config{URL: cfg.OutboundSMTPURL, From: cfg.MailFrom})
	if err != nil {
		return err
	}
	bot.RegisterReplyMail(d, m, st, "/legal")
	return nil
}
