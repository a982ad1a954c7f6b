package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "verify", usage: "ID PHONE confirmed|failed [note]",
		summary: "record a callback to the agency on a number you found independently, and what it gave", run: runVerify})
}

// runVerify records who called which number, when, with what result.
// The number may be typed with spaces ("+1 202 555 0111"): everything
// between the id and the result word is the number.
func runVerify(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) < 3 {
		return nil, errUsage()
	}
	at := slices.IndexFunc(in.args[1:], func(w string) bool {
		w = strings.ToLower(w)
		return w == string(legal.CallbackConfirmed) || w == string(legal.CallbackFailed)
	}) + 1
	if at < 2 {
		return nil, errUsage()
	}
	phone, err := legal.ParsePhone(strings.Join(in.args[1:at], " "))
	if err != nil {
		return nil, usageErrorf("I can't record that callback: %s.", err)
	}
	result := legal.CallbackResult(strings.ToLower(in.args[at]))
	note := strings.Join(in.args[at+1:], " ")
	cb := legal.Callback{Phone: phone, Result: result, By: in.user, At: c.now(), Note: note}
	id, err := c.resolve(ctx, in.args[0])
	if err != nil {
		return nil, err
	}
	req, _, err := c.change(ctx, in.user, id, func(r *legal.Request) (edit, error) {
		r.Callbacks = append(r.Callbacks, cb)
		said := "confirmed the request"
		if result == legal.CallbackFailed {
			said = "could *not* confirm the request"
		}
		return edit{action: "verify", after: string(result) + " " + phone, note: note,
			thread: fmt.Sprintf("%s called %s: the agency %s.%s", mention(in.user), legal.FormatPhone(phone), said, noteSuffix(note))}, nil
	})
	if err != nil {
		return nil, err
	}
	reply := fmt.Sprintf("Recorded on %s: callback to %s, %s.", id, legal.FormatPhone(phone), result)
	if req.Facts.Agent.Phone == phone {
		reply += " ⚠️ That is the number given in the request itself: a callback verifies the sender only on a number found independently (the agency's published number). Record another callback if you can."
	}
	return text(reply), nil
}

func noteSuffix(note string) string {
	if note == "" {
		return ""
	}
	return " Note: " + escape(note)
}
