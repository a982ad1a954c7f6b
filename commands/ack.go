package commands

import (
	"context"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

func init() {
	register(&subcommand{name: "ack", usage: "ID", summary: "acknowledge an emergency page (stops escalation)", run: runAck})
}

func runAck(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 1 {
		return nil, errUsage()
	}
	return c.update(ctx, in, in.args[0], acknowledge(in.user, c.now()), "You acknowledged %s; paging has stopped.")
}

// acknowledge stops a request's escalation on actor's behalf: it records
// who and when, and with the same update enqueues the PagerDuty
// acknowledge and the "acknowledged by" edit of the page DMs. The card
// button and the DM's Acknowledge button come here too.
func acknowledge(actor string, now time.Time) func(r *legal.Request) (edit, error) {
	return func(r *legal.Request) (edit, error) {
		if r.AckedBy != "" {
			return edit{}, &errNoChange{r.ID + " was already acknowledged by " + mention(r.AckedBy) + "."}
		}
		if !legal.Paged(r) && !legal.IsEmergency(r) {
			return edit{}, &errNoChange{r.ID + " is not an emergency and nobody is paged for it; nothing to acknowledge."}
		}
		r.AckedBy, r.AckedAt, r.NextEscalation = actor, now, time.Time{}
		return edit{action: "ack", after: actor, note: "acknowledged; escalation stopped",
			thread:    "✅ " + mention(actor) + " acknowledged this emergency; paging has stopped.",
			broadcast: true, outbox: bot.AckItems(r.ID, true)}, nil
	}
}

// pagingOnChange is what any change to a request adds for paging: when a
// paged request is finished (responded, rejected or closed), its
// escalation stops and the PagerDuty alert is resolved.
func pagingOnChange(wasOpen bool, r *legal.Request) []store.OutboxItem {
	if !wasOpen || r.Status.Open() || !legal.Paged(r) {
		return nil
	}
	r.NextEscalation = time.Time{}
	return []store.OutboxItem{bot.PagerDutyItem(r.ID, "resolve", bot.Page{})}
}
