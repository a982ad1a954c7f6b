package commands

import (
	"context"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/lebot-dev/lebot/bot"
)

// Interaction handles the card's buttons and the modals' submissions,
// with the same membership check as /legal.
func (c *Commands) Interaction(ctx context.Context, ic slack.InteractionCallback) *bot.Reply {
	if ok, err := c.auth.allowed(ctx, ic.User.ID); err != nil || !ok {
		return c.errorReply(ctx, orForbidden(err))
	}
	in := input{user: ic.User.ID, trigger: ic.TriggerID, channel: ic.Channel.ID}
	var (
		rep *bot.Reply
		err error
	)
	switch ic.Type {
	case slack.InteractionTypeBlockActions:
		if len(ic.ActionCallback.BlockActions) == 0 {
			return nil
		}
		rep, err = c.blockAction(ctx, in, ic, ic.ActionCallback.BlockActions[0])
	case slack.InteractionTypeViewSubmission:
		rep, err = c.submit(ctx, in, ic)
	default:
		return nil
	}
	if err != nil {
		return c.errorReply(ctx, err)
	}
	return rep
}

// blockAction handles one button; its value is the request id.
func (c *Commands) blockAction(ctx context.Context, in input, ic slack.InteractionCallback, a *slack.BlockAction) (*bot.Reply, error) {
	switch a.ActionID {
	case bot.ActionClaim:
		return c.update(ctx, in, a.Value, assignTo(in.user, in.user), "You have claimed %s.")
	case bot.ActionAck:
		return c.update(ctx, in, a.Value, acknowledge(in.user, c.now()), "You acknowledged %s; paging has stopped.")
	}
	return c.modalAction(ctx, in, ic, a)
}

// Event handles Events API events: the App Home tab.
func (c *Commands) Event(ctx context.Context, ev slackevents.EventsAPIEvent) {
	if e, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok && e.Tab == "home" {
		if err := c.PublishHome(ctx, e.User); err != nil {
			c.log.ErrorContext(ctx, "publish home failed", "err", err)
		}
	}
}
