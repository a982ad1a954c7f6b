package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "status", usage: "ID STATUS", summary: "set the status (" + statusList() + ")", run: runStatus})
}

func statusList() string {
	ss := make([]string, len(legal.Statuses))
	for i, s := range legal.Statuses {
		ss[i] = strings.ReplaceAll(string(s), "_", "-") // as typed: in-review
	}
	return strings.Join(ss, ", ")
}

func runStatus(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 2 {
		return nil, errUsage()
	}
	st, err := legal.ParseStatus(strings.ReplaceAll(strings.ToLower(in.args[1]), "-", "_"))
	if err != nil {
		return nil, usageErrorf("Unknown status `%s`. Use one of: %s.", in.args[1], statusList())
	}
	ok := "%[1]s is now *" + st.Label() + "*."
	if !st.Open() {
		ok += " For the transparency report, record how it ended: `" + c.name + " outcome %[1]s produced|no-data|rejected|withdrawn`."
	}
	return c.update(ctx, in, in.args[0], setStatus(in.user, st, c.now()), ok)
}

// setStatus moves a request to st, stamping when it was answered or closed.
func setStatus(actor string, st legal.Status, now time.Time) func(r *legal.Request) (edit, error) {
	return func(r *legal.Request) (edit, error) {
		if r.Status == st {
			return edit{}, &errNoChange{fmt.Sprintf("%s is already *%s*.", r.ID, st.Label())}
		}
		e := edit{action: "status", before: string(r.Status), after: string(st),
			thread: fmt.Sprintf("%s changed the status from *%s* to *%s*.", mention(actor), r.Status.Label(), st.Label())}
		r.Status = st
		switch st {
		case legal.StatusResponded:
			r.RespondedAt = now
		case legal.StatusClosed, legal.StatusRejected:
			r.ClosedAt = now
		}
		return e, nil
	}
}
