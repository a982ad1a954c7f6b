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

// maxConflictRetries bounds re-reads when another change races ours.
const maxConflictRetries = 5

// edit describes one change for the audit trail and the card's thread.
type edit struct {
	action        string // audit action: "claim", "status", ...
	before, after string
	note          string
	thread        string // one line for the thread: who did what
	broadcast     bool
	outbox        []store.OutboxItem // more items to enqueue with the change
}

// errNoChange: the request already is as asked; nothing is written.
type errNoChange struct{ msg string }

func (e *errNoChange) Error() string { return e.msg }

// resolve turns what the person typed into a stored request id.
func (c *Commands) resolve(ctx context.Context, input string) (string, error) {
	id, err := c.st.ResolveID(ctx, strings.TrimSpace(input))
	if amb := (*store.AmbiguousIDError)(nil); errors.As(err, &amb) {
		return "", &notFoundError{input: input, ambiguous: amb.IDs}
	}
	if errors.Is(err, store.ErrNotFound) {
		return "", &notFoundError{input: input}
	}
	if err != nil {
		return "", fmt.Errorf("resolve %q: %w", input, err)
	}
	return id, nil
}

// lookup reads the request the person named.
func (c *Commands) lookup(ctx context.Context, input string) (*legal.Request, error) {
	id, err := c.resolve(ctx, input)
	if err != nil {
		return nil, err
	}
	return c.st.GetRequest(ctx, id)
}

// change applies fn to the request with id and stores it with its audit
// entry, a card update and a thread line, atomically. On a version
// conflict it re-reads and applies fn again, so fn must only look at the
// request it is given. It returns the stored request.
func (c *Commands) change(ctx context.Context, actor, id string, fn func(r *legal.Request) (edit, error)) (*legal.Request, edit, error) {
	for attempt := 0; ; attempt++ {
		req, err := c.st.GetRequest(ctx, id)
		if err != nil {
			return nil, edit{}, fmt.Errorf("get %s: %w", id, err)
		}
		wasOpen := req.Status.Open()
		e, err := fn(req)
		if err != nil {
			return req, e, err
		}
		e.outbox = append(e.outbox, pagingOnChange(wasOpen, req)...)
		audit := store.AuditEntry{RequestID: id, At: c.now(), Actor: actor, Action: e.action,
			Before: e.before, After: e.after, Note: e.note}
		items := []store.OutboxItem{bot.CardUpdateItem(id)}
		if e.thread != "" {
			items = append(items, bot.ThreadItem(id, e.thread, e.broadcast))
		}
		items = append(items, homeItems(actor, req.Assignee)...)
		items = append(items, e.outbox...)
		err = c.st.UpdateRequest(ctx, req, audit, items...)
		if errors.Is(err, store.ErrConflict) && attempt < maxConflictRetries {
			continue
		}
		if err != nil {
			return nil, e, fmt.Errorf("update %s: %w", id, err)
		}
		c.kick()
		return req, e, nil
	}
}

// update resolves the id the person typed, applies fn and answers with
// ok (formatted with the request id) or the reason nothing changed.
func (c *Commands) update(ctx context.Context, in input, idArg string, fn func(r *legal.Request) (edit, error), ok string) (*bot.Reply, error) {
	id, err := c.resolve(ctx, idArg)
	if err != nil {
		return nil, err
	}
	_, _, err = c.change(ctx, in.user, id, fn)
	var nc *errNoChange
	if errors.As(err, &nc) {
		return text(nc.msg), nil
	}
	if err != nil {
		return nil, err
	}
	return text(fmt.Sprintf(ok, id)), nil
}

func asNoChange(err error, target **errNoChange) bool { return errors.As(err, target) }
