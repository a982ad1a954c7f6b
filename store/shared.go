package store

import "context"

type sharedKey struct{}

// Shared marks the list reads made with the returned context (ListByStatus,
// ListByStatuses, ListByAssignee, Range) as read-only: the requests they
// return may be the very values the store keeps in its cache of decoded
// requests, not copies, so the caller must not change them or anything
// they reach. /legal list renders its pages this way and saves copying
// each request. Other reads, and every read without it, return requests
// the caller owns. The embedded store always returns fresh values.
func Shared(ctx context.Context) context.Context {
	return context.WithValue(ctx, sharedKey{}, true)
}

func isShared(ctx context.Context) bool {
	v, _ := ctx.Value(sharedKey{}).(bool)
	return v
}
