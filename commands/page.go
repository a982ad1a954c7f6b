package commands

import (
	"context"
	"errors"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// Paging is what /legal oncall and /legal page need: the on-call
// configuration and the escalator's kick.
type Paging struct {
	Policy legal.OnCallPolicy // ONCALL_USERS and ONCALL_ROTATION
	Delay  time.Duration      // ESCALATION_DELAY, shown by /legal oncall
	Rounds int                // ESCALATION_REPEAT, shown by /legal oncall
	Kick   func()             // wakes the escalator after /legal page; may be nil
}

func init() {
	register(&subcommand{name: "page", usage: "ID", summary: "page on-call now for a request (restarts escalation)", run: runPage})
}

func runPage(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 1 {
		return nil, errUsage()
	}
	id, err := c.resolve(ctx, in.args[0])
	if err != nil {
		return nil, err
	}
	_, _, err = c.change(ctx, in.user, id, pageNow(in.user, c.now()))
	var nc *errNoChange
	if errors.As(err, &nc) {
		return text(nc.msg), nil
	}
	if err != nil {
		return nil, err
	}
	if c.paging.Kick != nil {
		c.paging.Kick() // the first step is due now: do not wait for the next tick
	}
	return text("Paging on-call for " + id + " now; it escalates until someone acknowledges."), nil
}

// pageNow schedules the first escalation step at now, also for a request
// acknowledged before (a new round of paging; the old PagerDuty alert is
// resolved first so the new trigger pages again).
func pageNow(actor string, now time.Time) func(r *legal.Request) (edit, error) {
	return func(r *legal.Request) (edit, error) {
		if !r.Status.Open() {
			return edit{}, &errNoChange{r.ID + " is " + r.Status.Label() + "; reopen it with `/legal status` before paging."}
		}
		if !r.NextEscalation.IsZero() && r.AckedBy == "" {
			return edit{}, &errNoChange{r.ID + " is already being paged; it escalates until someone acknowledges."}
		}
		var outbox []store.OutboxItem
		if r.AckedBy != "" {
			outbox = append(outbox, bot.PagerDutyItem(r.ID, "resolve", bot.Page{}))
		}
		r.AckedBy, r.AckedAt = "", time.Time{}
		r.NextEscalation, r.EscalationStep = now, 0
		return edit{action: "page", after: actor, note: "paged on-call by hand",
			thread:    "📟 " + mention(actor) + " paged on-call for this request.",
			broadcast: true, outbox: outbox}, nil
	}
}

// durationText writes 5m0s as 5m.
func durationText(d time.Duration) string {
	if d <= 0 {
		return "5m"
	}
	s := d.String()
	if len(s) > 3 && s[len(s)-3:] == "m0s" {
		s = s[:len(s)-2]
	}
	return s
}
