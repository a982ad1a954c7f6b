// Package bot is everything lebot says to and hears from Slack: the
// request card in the legal channel, messages in its thread, reminders,
// the digest and its chart, page DMs and alerts (the outbox senders of
// those kinds), Block Kit rendering, and (http.go, socket.go) the
// handlers for Slack's inbound requests. Delivery and retries are
// bot/outbox's; PagerDuty and e-mail are bot/pagerduty's and bot/email's;
// who is on call is legal's.
package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// DefaultAPIURL is Slack's Web API base.
const DefaultAPIURL = "https://slack.com/api/"

// Store is the part of the store the bot uses; store.Store satisfies it.
// Implementations are safe for concurrent use, honour ctx, and wrap
// store.ErrNotFound and store.ErrConflict (checked with errors.Is).
type Store interface {
	GetRequest(ctx context.Context, id string) (*legal.Request, error)
	RawMessage(ctx context.Context, id string) ([]byte, error)
	UpdateRequest(ctx context.Context, req *legal.Request, audit store.AuditEntry, outbox ...store.OutboxItem) error
}

var _ Store = store.Store(nil)

// Config configures the Slack client; internal/app fills it from the
// environment.
type Config struct {
	Token       string // SLACK_BOT_TOKEN (xoxb-…); checked by CheckAuth
	APIURL      string // SLACK_API_URL; default DefaultAPIURL
	Channel     string // LEGAL_CHANNEL: the legal channel's id (C…), required
	CompanyName string // COMPANY_NAME, for text addressed outside the team
	// Location is TIMEZONE; default Calendar's zone, else UTC.
	Location *time.Location
	// Calendar counts business days; default legal.NewCalendar(Location).
	Calendar   *legal.Calendar
	Store      Store        // required
	Logger     *slog.Logger // default discards
	Now        func() time.Time
	HTTPClient *http.Client // default one with a 30s timeout
	// Metrics counts Slack API errors by method and code, 429s, reminders
	// and pages; nil: none.
	Metrics *metrics.Metrics
}

// Slack sends lebot's messages. It is safe for concurrent use.
type Slack struct {
	api     *slack.Client
	token   string
	channel string
	company string
	cal     *legal.Calendar
	store   Store
	log     *slog.Logger
	now     func() time.Time
	met     *metrics.Metrics
	auth    *tokenState
}

// New validates cfg, fills its defaults and returns the client. A missing
// token is reported by CheckAuth, so tools that never call Slack can still
// build one.
func New(cfg Config) (*Slack, error) {
	if cfg.Channel == "" {
		return nil, errors.New("bot: LEGAL_CHANNEL is not set: give the legal channel's id (C…)")
	}
	if cfg.Store == nil {
		return nil, errors.New("bot: no store")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/" // slack-go appends method names directly
	}
	if cfg.Calendar == nil {
		cfg.Calendar = legal.NewCalendar(cfg.Location)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	ts := &tokenState{}
	hc := *cfg.HTTPClient // a copy: the caller's client is not changed
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = &slackTransport{base: base, apiURL: cfg.APIURL, met: cfg.Metrics, token: ts, pace: newPacer(cfg.Now)}
	api := slack.New(cfg.Token, slack.OptionAPIURL(cfg.APIURL), slack.OptionHTTPClient(&hc))
	return &Slack{api: api, token: cfg.Token, channel: cfg.Channel, company: cfg.CompanyName,
		cal: cfg.Calendar, store: cfg.Store, log: cfg.Logger, now: cfg.Now, met: cfg.Metrics, auth: ts}, nil
}

// API is the underlying slack-go client, for callers that need methods
// this package does not wrap (views, user groups).
func (s *Slack) API() *slack.Client { return s.api }

// Channel is the legal channel's id.
func (s *Slack) Channel() string { return s.channel }

// Calendar is the business calendar cards are rendered with.
func (s *Slack) Calendar() *legal.Calendar { return s.cal }

// CheckAuth calls auth.test so serve fails at start, with a message an
// operator can act on, when the token is missing, rejected or Slack is
// unreachable.
func (s *Slack) CheckAuth(ctx context.Context) error {
	if s.token == "" {
		return errors.New("SLACK_BOT_TOKEN is not set: give the bot token (xoxb-…) of the Slack app")
	}
	resp, err := s.api.AuthTestContext(ctx)
	if err != nil {
		var se slack.SlackErrorResponse
		if errors.As(err, &se) {
			return fmt.Errorf("SLACK_BOT_TOKEN was rejected by Slack (auth.test: %s): check the token and that the app is installed", se.Err)
		}
		return fmt.Errorf("slack auth.test: %w", err)
	}
	s.log.Info("slack token accepted", "team_id", resp.TeamID, "bot_user", resp.UserID)
	return nil
}

// slackCode is the Slack error code of err ("channel_not_found",
// "ratelimited", "http_500"...), safe to log: it carries no content.
func slackCode(err error) string {
	var (
		se slack.SlackErrorResponse
		rl *slack.RateLimitedError
		sc slack.StatusCodeError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &rl):
		return "ratelimited"
	case errors.As(err, &se):
		return se.Err
	case errors.As(err, &sc):
		return fmt.Sprintf("http_%d", sc.Code)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "error"
}

// badRequestCodes are Slack errors about the request itself: sending it
// again cannot succeed. Configuration errors (not_in_channel,
// invalid_auth...) are not here: an operator can fix those, and the item
// then goes through on a later attempt.
var badRequestCodes = map[string]bool{
	"invalid_blocks": true, "invalid_blocks_format": true, "msg_too_long": true, "no_text": true,
	"invalid_metadata_format": true, "invalid_metadata_schema": true, "invalid_arguments": true,
	"too_many_attachments": true,
}

// classify marks Slack errors that retrying cannot fix as Permanent.
func classify(err error) error {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && badRequestCodes[se.Err] {
		return outbox.Permanent(err)
	}
	return err
}
