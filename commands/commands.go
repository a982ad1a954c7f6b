// Package commands is the /legal slash command, the card's buttons, the
// modals and the App Home tab: parsing, one handler per subcommand,
// authorization and replies. It implements bot.Handler; internal/app
// wires it to the bot's HTTP and Socket Mode transport.
package commands

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// Store is the part of the store the commands use; store.Store satisfies
// it. Implementations are safe for concurrent use, honour ctx and wrap
// store.ErrNotFound and store.ErrConflict (checked with errors.Is).
type Store interface {
	CreateRequest(ctx context.Context, in store.Incoming) (*legal.Request, bool, error)
	GetRequest(ctx context.Context, id string) (*legal.Request, error)
	UpdateRequest(ctx context.Context, req *legal.Request, audit store.AuditEntry, outbox ...store.OutboxItem) error
	ResolveID(ctx context.Context, input string) (string, error)
	ListByStatuses(ctx context.Context, statuses []legal.Status, limit int) ([]*legal.Request, int, error)
	ListByAssignee(ctx context.Context, user string, limit int) ([]*legal.Request, error)
	CountByAssignee(ctx context.Context, user string) (int, error)
	Range(ctx context.Context, idx store.Index, from, to time.Time, limit int) ([]*legal.Request, error)
	CountRange(ctx context.Context, idx store.Index, from, to time.Time) (int, error)
	Audit(ctx context.Context, id string) ([]store.AuditEntry, error)
	OnCall(ctx context.Context) (store.OnCall, error)
	SetOnCall(ctx context.Context, oc store.OnCall) error
	Enqueue(ctx context.Context, items ...store.OutboxItem) error
	LinkMessage(ctx context.Context, messageID, requestID string) (string, error)
	store.Registry // the agency registry: /legal agency, verify, report
}

var _ Store = store.Store(nil)

// SlackAPI is the part of Slack's Web API the commands call directly
// (modals need the short-lived trigger_id at once, membership is read);
// *slack.Client satisfies it.
type SlackAPI interface {
	GetUserGroupMembersContext(ctx context.Context, group string, opts ...slack.GetUserGroupMembersOption) ([]string, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
}

var _ SlackAPI = (*slack.Client)(nil)

// Config configures the commands; internal/app fills it.
type Config struct {
	Store Store    // required
	Slack SlackAPI // required
	// UserGroup (LEGAL_USERGROUP) and Users (LEGAL_USERS) say who may use
	// /legal at all; at least one must be set.
	UserGroup string
	Users     []string
	// MembersTTL is how long the user group's members are cached (default 1m).
	MembersTTL time.Duration
	Calendar   *legal.Calendar // business days and TIMEZONE; default UTC calendar
	Now        func() time.Time
	Logger     *slog.Logger
	// Command is the slash command's name in usage text (default "/legal").
	Command string
	// Kick, when set, is called after a change is stored, so the outbox
	// sends the card update and thread line now rather than at its next
	// poll (internal/app passes the dispatcher's Kick).
	Kick func()
	// Digest, when set, lets `/legal digest` post the digest on demand.
	Digest Digester
	// Paging is the on-call configuration /legal oncall shows and the
	// kick /legal page gives the escalator; zero: nobody configured.
	Paging Paging
	// Replies lets /legal reply write to agencies; nil when no outbound
	// mail relay is configured (the command then says how to set one).
	Replies *Replies
}

// Commands handles /legal, interactions and events. It is safe for
// concurrent use.
type Commands struct {
	st     Store
	api    SlackAPI
	auth   *authorizer
	cal    *legal.Calendar
	now    func() time.Time
	log    *slog.Logger
	name   string
	kick   func()
	days   *dayCache
	digest Digester

	paging  Paging
	replies *Replies
}

var _ bot.Handler = (*Commands)(nil)

// New validates cfg and fills its defaults.
func New(cfg Config) (*Commands, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("commands: no store")
	case cfg.Slack == nil:
		return nil, errors.New("commands: no Slack client")
	case cfg.UserGroup == "" && len(cfg.Users) == 0:
		return nil, errors.New("commands: neither LEGAL_USERGROUP nor LEGAL_USERS is set, so nobody could use /legal")
	}
	if cfg.Calendar == nil {
		cfg.Calendar = legal.NewCalendar(time.UTC)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MembersTTL <= 0 {
		cfg.MembersTTL = time.Minute
	}
	if cfg.Command == "" {
		cfg.Command = "/legal"
	}
	if cfg.Kick == nil {
		cfg.Kick = func() {}
	}
	return &Commands{st: cfg.Store, api: cfg.Slack, cal: cfg.Calendar, now: cfg.Now, log: cfg.Logger,
		name: cfg.Command, kick: cfg.Kick, days: newDayCache(cfg.Calendar), digest: cfg.Digest, paging: cfg.Paging, replies: cfg.Replies,
		auth: newAuthorizer(cfg.Slack, cfg.UserGroup, cfg.Users, cfg.MembersTTL, cfg.Now)}, nil
}

// input is one parsed /legal invocation.
type input struct {
	user    string   // Slack user id of the caller
	args    []string // words after the subcommand
	rest    string   // raw text after the subcommand, for free text
	trigger string   // trigger_id, for modals
	channel string
}

// subcommand is one /legal verb; each lives in its own file.
type subcommand struct {
	name    string
	usage   string // arguments, e.g. "ID @user"
	summary string
	run     func(ctx context.Context, c *Commands, in input) (*bot.Reply, error)
}

// subcommands is filled by each file's init, so adding one touches one file.
var subcommands = map[string]*subcommand{}

func register(s *subcommand) { subcommands[s.name] = s }

// Command answers /legal: it checks the caller may use it, then runs the
// subcommand. Every answer is ephemeral.
func (c *Commands) Command(ctx context.Context, cmd slack.SlashCommand) *bot.Reply {
	name, rest := splitWord(strings.TrimSpace(cmd.Text))
	name = strings.ToLower(name)
	if ok, err := c.auth.allowed(ctx, cmd.UserID); err != nil || !ok {
		return c.errorReply(ctx, orForbidden(err))
	}
	if name == "" {
		name = "help"
	}
	sub, ok := subcommands[name]
	if !ok {
		return c.errorReply(ctx, usageErrorf("I don't know `%s`. Try `%s help`.", name, c.name))
	}
	in := input{user: cmd.UserID, args: strings.Fields(rest), rest: rest, trigger: cmd.TriggerID, channel: cmd.ChannelID}
	rep, err := sub.run(ctx, c, in)
	if err != nil {
		var u *usageError
		if errors.As(err, &u) && u.msg == "" {
			u.msg = "Usage: `" + c.usage(sub) + "`"
		}
		return c.errorReply(ctx, err)
	}
	return rep
}

func (c *Commands) usage(s *subcommand) string {
	return strings.TrimSpace(c.name + " " + s.name + " " + s.usage)
}

// splitWord splits s at its first run of spaces.
func splitWord(s string) (string, string) {
	i := strings.IndexAny(s, " \t\n")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// text is an ephemeral reply.
func text(s string) *bot.Reply { return &bot.Reply{Text: s} }
