package app

import (
	"context"
	"log/slog"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/commands"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/store"
)

// slackWiring is what serve needs to take requests from Slack: the
// transport (HTTP endpoints, and Socket Mode when SLACK_APP_TOKEN is set)
// feeding the /legal commands, buttons, modals and App Home.
type slackWiring struct {
	cmds   *commands.Commands
	server *bot.Server
	socket *socketmode.Client // nil: HTTP only
}

// newSlackWiring builds the commands and the transport, and registers the
// commands' outbox kinds (App Home refreshes) with the dispatcher.
func newSlackWiring(cfg *config.Config, st store.Store, sl *bot.Slack, disp *outbox.Dispatcher, paging commands.Paging, log *slog.Logger) (*slackWiring, error) {
	_, dig, err := newJobs(cfg, st, log) // the digest /legal digest posts on demand
	if err != nil {
		return nil, err
	}
	replies, err := newReplies(cfg)
	if err != nil {
		return nil, err
	}
	cmds, err := commands.New(commands.Config{Store: st, Slack: sl.API(), UserGroup: cfg.LegalUsergroup,
		Users: cfg.LegalUsers, Calendar: sl.Calendar(), Logger: log, Kick: disp.Kick, Digest: dig, Paging: paging,
		Replies: replies})
	if err != nil {
		return nil, err
	}
	cmds.Register(disp)
	srv, err := bot.NewServer(bot.ServerConfig{SigningSecret: cfg.SlackSigningSecret, Handler: cmds, Dedup: st, Logger: log,
		Ephemeral: sl.API()})
	if err != nil {
		return nil, err
	}
	w := &slackWiring{cmds: cmds, server: srv}
	if cfg.SlackAppToken != "" {
		opts := []slack.Option{slack.OptionAppLevelToken(cfg.SlackAppToken)}
		if cfg.SlackAPIURL != "" {
			opts = append(opts, slack.OptionAPIURL(withSlash(cfg.SlackAPIURL)))
		}
		w.socket = socketmode.New(slack.New(cfg.SlackBotToken, opts...))
	}
	return w, nil
}

// wait lets work that continued after a Slack ack finish, at most until
// ctx ends, so the store is not closed under it.
func (w *slackWiring) wait(ctx context.Context, log *slog.Logger) {
	done := make(chan struct{})
	go func() {
		w.server.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		log.Warn("slack work still running at shutdown; abandoning it")
	}
}

// withSlash ends a Slack API base URL with "/", as slack-go expects.
func withSlash(u string) string {
	if len(u) > 0 && u[len(u)-1] != '/' {
		return u + "/"
	}
	return u
}

// newSlack builds the Slack client from the configuration.
func newSlack(cfg *config.Config, st store.Store, log *slog.Logger) (*bot.Slack, error) {
	return bot.New(slackConfig(cfg, st, log))
}

// slackConfig is the Slack client's configuration from cfg.
func slackConfig(cfg *config.Config, st store.Store, log *slog.Logger) bot.Config {
	return bot.Config{Token: cfg.SlackBotToken, APIURL: cfg.SlackAPIURL, Channel: cfg.LegalChannel,
		CompanyName: cfg.CompanyName, Location: cfg.Location(), Store: st, Logger: log}
}
