package commands

import (
	"context"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "claim", usage: "ID", summary: "assign a request to yourself", run: runClaim})
}

func runClaim(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 1 {
		return nil, errUsage()
	}
	return c.update(ctx, in, in.args[0], assignTo(in.user, in.user), "You have claimed %s.")
}

// assignTo assigns a request to user on actor's behalf; a new request
// moves to in review, since somebody is now working it.
func assignTo(actor, user string) func(r *legal.Request) (edit, error) {
	return func(r *legal.Request) (edit, error) {
		if r.Assignee == user {
			return edit{}, &errNoChange{r.ID + " is already assigned to " + mention(user) + "."}
		}
		e := edit{action: "assign", before: r.Assignee, after: user}
		if actor == user {
			e.action, e.thread = "claim", mention(actor)+" claimed this request."
		} else {
			e.thread = mention(actor) + " assigned this request to " + mention(user) + "."
		}
		r.Assignee = user
		if r.Status == legal.StatusNew {
			r.Status = legal.StatusInReview
			e.note = "status new → in_review"
		}
		return e, nil
	}
}
