package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "outcome", usage: "ID produced|no-data|rejected|withdrawn [note]",
		summary: "record how the request ended, for the transparency report; sets the status (responded, rejected or closed)", run: runOutcome})
}

func runOutcome(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) < 2 {
		return nil, errUsage()
	}
	d, err := legal.ParseDisposition(in.args[1])
	if err != nil {
		return nil, usageErrorf("Unknown outcome `%s`. Use one of: produced (data produced, in whole or in part), no-data, rejected, withdrawn.", in.args[1])
	}
	note := strings.Join(in.args[2:], " ")
	now := c.now()
	return c.update(ctx, in, in.args[0], func(r *legal.Request) (edit, error) {
		if r.Disposition == d && r.Status == d.Status() {
			return edit{}, &errNoChange{fmt.Sprintf("%s's outcome is already *%s*.", r.ID, d.Label())}
		}
		before := string(r.Disposition)
		thread := fmt.Sprintf("%s recorded the outcome: *%s*.", mention(in.user), d.Label())
		if r.Status != d.Status() {
			if _, err := setStatus(in.user, d.Status(), now)(r); err != nil {
				return edit{}, err
			}
			thread = fmt.Sprintf("%s recorded the outcome: *%s* (status *%s*).", mention(in.user), d.Label(), r.Status.Label())
		}
		r.Disposition = d
		return edit{action: "outcome", before: before, after: string(d), note: note, thread: thread + noteSuffix(note)}, nil
	}, "Recorded the outcome of %s: *"+d.Label()+"* (status *"+d.Status().Label()+"*).")
}
