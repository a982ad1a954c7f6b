package commands

import (
	"context"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
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

// acknowledge stops a request's escalation on actor's behalf.
func acknowledge(actor string, now time.Time) func(r *legal.Request) (edit, error) {
	return func(r *legal.Request) (edit, error) {
		if r.AckedBy != "" {
			return edit{}, &errNoChange{r.ID + " was already acknowledged by " + mention(r.AckedBy) + "."}
		}
		r.AckedBy, r.AckedAt, r.NextEscalation = actor, now, time.Time{}
		return edit{action: "ack", after: actor, thread: mention(actor) + " acknowledged this request.",
			broadcast: r.Kind() == legal.KindEmergency}, nil
	}
}
