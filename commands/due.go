package commands

import (
	"context"
	"fmt"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "due", usage: "ID YYYY-MM-DD", summary: "set the response deadline (17:00 that day, team time)", run: runDue})
}

func runDue(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 2 {
		return nil, errUsage()
	}
	d, err := parseDate(in.args[1])
	if err != nil {
		return nil, err
	}
	if d.Before(c.cal.DateOf(c.now())) {
		return nil, userErrorf("%s is in the past; give today or a later date.", d.Long())
	}
	return c.update(ctx, in, in.args[0], setDue(c.cal, in.user, d), "%s is now due "+legal.TimeLabel(c.cal.EndOfBusinessDay(d), c.cal.Location())+".")
}

// setDue makes a request due at the end of business on d in the team's zone.
func setDue(cal *legal.Calendar, actor string, d legal.Date) func(r *legal.Request) (edit, error) {
	return func(r *legal.Request) (edit, error) {
		due := cal.EndOfBusinessDay(d)
		if r.Due.Equal(due) {
			return edit{}, &errNoChange{fmt.Sprintf("%s is already due %s.", r.ID, legal.TimeLabel(due, cal.Location()))}
		}
		e := edit{action: "due", after: d.String(),
			thread: fmt.Sprintf("%s set the response deadline to %s.", mention(actor), legal.TimeLabel(due, cal.Location()))}
		if !r.Due.IsZero() {
			e.before = cal.DateOf(r.Due).String()
		}
		r.Due, r.DueSetBy = due, actor
		return e, nil
	}
}
