package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// usageError is malformed input; an empty msg gets the subcommand's usage
// line from the dispatcher.
type usageError struct{ msg string }

func (e *usageError) Error() string { return "usage: " + e.msg }

func usageErrorf(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// errUsage asks the dispatcher for the usage line.
func errUsage() error { return &usageError{} }

// userError is a refusal meant for the person, written for them.
type userError struct{ msg string }

func (e *userError) Error() string { return e.msg }

func userErrorf(format string, a ...any) error {
	return &userError{msg: fmt.Sprintf(format, a...)}
}

// notFoundError names the id the person typed; ambiguous holds the ids
// a number without a year matched in several years.
type notFoundError struct {
	input     string
	ambiguous []string
}

// words says what is wrong with the id typed: no such request, or which
// requests the number could mean.
func (e *notFoundError) words(cmd string) string {
	in := escape(strings.TrimSpace(e.input))
	if len(e.ambiguous) > 0 {
		return fmt.Sprintf("`%s` could be %s; give the full id.", in, strings.Join(e.ambiguous, " or "))
	}
	return fmt.Sprintf("There is no request `%s`. `%s list all` lists the requests there are.", in, cmd)
}

func (e *notFoundError) Error() string { return "no request matches " + e.input }
func (e *notFoundError) Unwrap() error { return store.ErrNotFound }

// errForbidden: the caller is not on the legal team.
var errForbidden = errors.New("not a member of the legal team")

// errMembership: the legal team's membership could not be read.
var errMembership = errors.New("could not check legal team membership")

func orForbidden(err error) error {
	if err != nil {
		return fmt.Errorf("%w: %w", errMembership, err)
	}
	return errForbidden
}

// errorReply is the one place an error becomes what a person sees:
// usage, refusals and policy messages verbatim; anything internal as a
// generic apology (logged, never shown).
func (c *Commands) errorReply(ctx context.Context, err error) *bot.Reply {
	var (
		u  *usageError
		ue *userError
		nf *notFoundError
	)
	switch {
	case errors.As(err, &u):
		return text(u.msg)
	case errors.As(err, &ue):
		return text(ue.msg)
	case errors.Is(err, errForbidden):
		return text("Sorry, `" + c.name + "` is only for the legal team, because it shows and changes " +
			"sensitive law-enforcement requests. If you need access, ask the legal team to add you to their Slack group.")
	case errors.Is(err, errMembership):
		c.log.ErrorContext(ctx, "legal team membership lookup failed", "err", err)
		return text("I couldn't check the legal team's membership just now, so I did nothing. Please try again in a minute.")
	case errors.As(err, &nf):
		return text(nf.words(c.name))
	case errors.Is(err, legal.ErrExtensionUsed), errors.Is(err, legal.ErrReleased):
		return text(err.Error())
	case errors.Is(err, store.ErrConflict):
		return text("Someone else changed that request at the same moment; nothing was changed. Please try again.")
	}
	c.log.ErrorContext(ctx, "legal command failed", "err", err)
	return text("Something went wrong on my side and nothing was changed. Please try again; if it keeps happening, tell whoever runs lebot.")
}
