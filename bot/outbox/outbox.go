// Package outbox delivers what lebot sends — Slack posts, pages,
// PagerDuty events, e-mail — from the store's persistent outbox, so an
// outage delays a message and never loses it. A Dispatcher claims due
// items with a lease and hands each to the SendFunc registered for its
// kind; the SendFunc's error decides what happens next: nil acknowledges
// the item, RetryAfter and Throttled retry at a given time, Permanent
// dead-letters at once, anything else retries with backoff.
//
// Items are delivered at least once (a crash or a lost answer retries
// them), so every sender is idempotent through one rule, FindThenSend:
// a retried item first looks for the effect of an earlier attempt.
//
// Items that must arrive in order (a request's thread lines, a digest's
// text then its chart) share a store.OutboxItem.Order: the store's Claim
// hands out only the oldest pending item of each order group, so a
// retried or throttled item holds the rest of its group back on every
// replica, and other groups go on.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lebot-dev/lebot/store"
)

// SendFunc delivers one outbox item. nil acknowledges the item; an error
// retries it with backoff, at the time RetryAfter or Throttled names, or
// never again when it is Permanent. A SendFunc must be idempotent: wrap
// the send in FindThenSend.
type SendFunc func(ctx context.Context, item store.OutboxItem) error

// FindThenSend is the one idempotency rule every sender follows. An
// item's first attempt sends. A retried item may follow a crash or a lost
// answer that left its effect behind (a posted message, a sent DM), so it
// first asks find whether the effect is there, and sends only when it is
// not; an error from find is returned (the item is retried).
func FindThenSend(ctx context.Context, it store.OutboxItem, find func(context.Context) (bool, error), send func(context.Context) error) error {
	if it.Attempts > 1 {
		found, err := find(ctx)
		if err != nil || found {
			return err
		}
	}
	return send(ctx)
}

// Item is an outbox item of kind about requestID ("" for none) carrying
// payload as JSON. Payloads are plain structs, so encoding cannot fail.
func Item(kind, requestID string, payload any) store.OutboxItem {
	b, _ := json.Marshal(payload)
	return store.OutboxItem{Kind: kind, RequestID: requestID, Payload: b}
}

// Decode reads an item's payload into v; a bad payload cannot be fixed
// by retrying, so its error is Permanent.
func Decode(it store.OutboxItem, v any) error {
	if err := json.Unmarshal(it.Payload, v); err != nil {
		return Permanent(fmt.Errorf("outbox item %s: bad %s payload: %w", it.ID, it.Kind, err))
	}
	return nil
}

// ErrNotReady means the item must wait for something else (a thread
// message for its card); it is retried with the usual backoff.
var ErrNotReady = errors.New("not ready")

// RetryAfter makes err retry no sooner than d from now.
func RetryAfter(d time.Duration, err error) error { return &retryAfterError{d, err} }

// Permanent makes err dead-letter the item at once: retrying cannot help.
func Permanent(err error) error { return &permanentError{err} }

// RetryDelay reports the delay err asks for with RetryAfter, if any.
func RetryDelay(err error) (time.Duration, bool) {
	var ra *retryAfterError
	if errors.As(err, &ra) {
		return ra.after, true
	}
	return 0, false
}

// IsPermanent reports whether err was made Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// Throttled means the service asked to be left alone for d (Slack's 429
// with Retry-After). Being throttled is not a failure of the item: it
// waits that long, plus up to a second so a burst does not return in
// lockstep, never dead-letters for it, and counts as "ratelimited".
func Throttled(d time.Duration, err error) error { return &throttledError{d, err} }

// WithCode attaches to err the code that names it in logs and metrics
// ("channel_not_found", "http_500"): a service's error code, never
// content. Errors without one are named by Code.
func WithCode(code string, err error) error { return &codedError{code, err} }

// Code is the loggable name of a failed send: the code given with
// WithCode or Throttled ("ratelimited"), else "timeout", "canceled" or
// "error".
func Code(err error) string {
	var (
		c *codedError
		t *throttledError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &t):
		return "ratelimited"
	case errors.As(err, &c):
		return c.code
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "error"
}

type retryAfterError struct {
	after time.Duration
	err   error
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

type throttledError struct {
	after time.Duration
	err   error
}

func (e *throttledError) Error() string { return e.err.Error() }
func (e *throttledError) Unwrap() error { return e.err }

type codedError struct {
	code string
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }
