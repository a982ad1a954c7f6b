package commands

import (
	"context"
	"fmt"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "notice", usage: "ID sent|blocked", summary: "record customer notice", run: runNotice})
}

func runNotice(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 2 {
		return nil, errUsage()
	}
	n := legal.Notice(in.args[1])
	if n != legal.NoticeSent && n != legal.NoticeBlocked {
		return nil, errUsage()
	}
	today := c.cal.DateOf(c.now())
	return c.update(ctx, in, in.args[0], func(r *legal.Request) (edit, error) {
		if n == legal.NoticeSent && !r.NDO.NoticeAllowed(today) {
			return edit{}, userErrorf("%s is under %s: the customer must not be notified. Clear the NDO first if it has been lifted.", r.ID, ndoText(r.NDO))
		}
		if r.Notice == n {
			return edit{}, &errNoChange{fmt.Sprintf("Customer notice on %s is already %s.", r.ID, n)}
		}
		e := edit{action: "notice", before: string(r.Notice), after: string(n),
			thread: fmt.Sprintf("%s recorded customer notice as %s.", mention(in.user), n)}
		r.Notice = n
		return e, nil
	}, "Recorded customer notice on %s as "+string(n)+".")
}
