package bot

import (
	"context"
	"errors"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/store"
)

// Handle registers fn for items of kind with d, telling the dispatcher
// about the Slack failures fn meets in its terms: a 429 is Throttled for
// as long as Slack asks, and every failure carries its Slack error code
// ("channel_not_found", "http_500") for the logs. target names where the
// items go, for the metrics ("slack", "pagerduty", "email").
func Handle(d *outbox.Dispatcher, kind, target string, fn outbox.SendFunc) {
	d.Handle(kind, target, func(ctx context.Context, it store.OutboxItem) error {
		return slackFailure(fn(ctx, it))
	})
}

// slackFailure describes err to the outbox.
func slackFailure(err error) error {
	if err == nil {
		return nil
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return outbox.Throttled(rl.RetryAfter, err)
	}
	return outbox.WithCode(slackCode(err), err)
}
