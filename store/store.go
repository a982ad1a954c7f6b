// Package store persists lebot's state: requests and their raw messages,
// the audit trail, time indexes, the outbox, job locks, reminder markers
// and on-call settings. One interface, two backends: Redis (production,
// many replicas) and an embedded bbolt file (one process).
package store

import (
	"context"
	"errors"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// Sentinel errors, checked with errors.Is.
var (
	// ErrNotFound: no request, raw message or outbox item with that id.
	ErrNotFound = errors.New("not found")
	// ErrConflict: an update carried a stale Version; re-read and retry.
	ErrConflict = errors.New("conflict: stale version")
	// ErrCorrupt: stored data could not be decoded.
	ErrCorrupt = errors.New("corrupt stored data")
	// ErrLocked: the embedded file is held by another process.
	ErrLocked = errors.New("store file is locked by another process")
	// ErrExtendUsed and friends live in legal; the store knows nothing of policy.
)

// Index names a time index over requests.
type Index string

// The time indexes. Membership follows the request's fields on every
// create and update:
//   - IndexDue: Request.Due, while the status is open and Due is set;
//   - IndexPreservation: Preservation.Expires, while not released;
//   - IndexNDO: NDO.Until, while the NDO is active with an end date;
//   - IndexOrder: OrderExpires (pen/trap and intercept orders), while open;
//   - IndexEscalation: NextEscalation, while set and not acknowledged;
//   - IndexClosed: when the request stopped being open (RespondedAt for
//     responded, ClosedAt for rejected and closed, the other stamp when
//     that one is zero), while it is not open and not Purged.
//
// Dates (preservation, NDO, order) are indexed at midnight UTC of the date.
// Index and outbox times have millisecond resolution.
const (
	IndexDue          Index = "due"
	IndexPreservation Index = "preservation"
	IndexNDO          Index = "ndo"
	IndexOrder        Index = "order"
	IndexEscalation   Index = "escalation"
	IndexClosed       Index = "closed"
)

// Indexes lists every time index.
var Indexes = []Index{IndexDue, IndexPreservation, IndexNDO, IndexOrder, IndexEscalation, IndexClosed}

// Incoming is a received message to be stored as a new request.
type Incoming struct {
	Raw        []byte        // the raw RFC 5322 message, kept verbatim
	MessageID  string        // Message-ID header without <>, "" when absent
	ReceivedAt time.Time     // the id's year is ReceivedAt.Year() in its own location: pass it in TIMEZONE
	Request    legal.Request // draft: ID, Version are assigned by the store
	Outbox     []OutboxItem  // enqueued in the same transaction (RequestID is filled in)
	Audit      AuditEntry    // first audit entry (RequestID is filled in)
	// LinkOutbox is enqueued, with its RequestID filled in, for each
	// earlier request the new one is linked to (same Message-ID,
	// different content; see dedup.go): the card update that shows the
	// link.
	LinkOutbox []OutboxItem
}

// AuditEntry is one line of a request's append-only audit trail.
type AuditEntry struct {
	RequestID string    `json:"request_id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`  // Slack user id, "lebot", "smtp", ...
	Action    string    `json:"action"` // "created", "claim", "status", "check", ...
	Before    string    `json:"before,omitempty"`
	After     string    `json:"after,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// OutboxItem is one thing to send (a Slack post, a page, an e-mail).
type OutboxItem struct {
	ID        string    `json:"id"`         // assigned by Enqueue when empty
	Kind      string    `json:"kind"`       // "slack.card", "slack.thread", "page", ...
	RequestID string    `json:"request_id"` // may be empty
	Payload   []byte    `json:"payload"`    // kind-specific JSON
	Attempts  int       `json:"attempts"`
	NotBefore time.Time `json:"not_before"` // not claimed before this instant
	LastError string    `json:"last_error,omitempty"`
	Created   time.Time `json:"created"`
	// LeaseUntil is set by Claim: the item is not handed to another
	// claimer until then (a crashed claimer's items come back).
	LeaseUntil time.Time `json:"lease_until,omitempty"`
	// Order, when set, makes the item wait its turn: items with the same
	// Order and RequestID are claimed one at a time, in the order they
	// were enqueued, each only once the one before is acknowledged or
	// dead-lettered, by any claimer (a request's thread lines stay in
	// order; a digest's chart follows its text). Items without Order are
	// claimed independently.
	Order string `json:"order,omitempty"`
}

// OutboxStats describes the outbox.
type OutboxStats struct {
	Depth      int       // items waiting or leased
	Oldest     time.Time // Created of the oldest pending item (zero when empty)
	DeadLetter int       // items that exhausted their attempts
}

// OnCall holds the on-call settings changed from Slack.
type OnCall struct {
	Levels    [][]string        `json:"levels"`    // escalation levels of user or group ids
	Overrides []OnCallOverride  `json:"overrides"` // temporary first-level overrides
	Emails    map[string]string `json:"emails,omitempty"`
	UpdatedBy string            `json:"updated_by,omitempty"`
	UpdatedAt time.Time         `json:"updated_at"`
	// Version is the optimistic-concurrency token, as on requests: 0
	// before the first save, incremented by each SetOnCall.
	Version int64 `json:"version"`
}

// OnCallOverride puts User first in line until Until.
type OnCallOverride struct {
	User  string    `json:"user"`
	Until time.Time `json:"until"`
}

// Store is lebot's persistence. Implementations are safe for concurrent
// use and honour ctx cancellation. Errors wrap ErrNotFound, ErrConflict or
// ErrCorrupt where those apply; anything else is a backend failure (the
// caller should treat it as temporary).
type Store interface {
	// CreateRequest stores a received message as a new request, with its
	// raw bytes, indexes, first audit entry and outbox items, in one atomic
	// step. It is idempotent: a message already stored (the same content,
	// less the trace fields a re-delivery adds; see dedup.go) returns the
	// existing request and created=false, and enqueues nothing. A message
	// reusing a stored Message-ID with other content is a new request;
	// it and the earlier ones record the link (SharedMessageID), and each
	// earlier one changed gets an audit entry and in.LinkOutbox, in the
	// same step.
	CreateRequest(ctx context.Context, in Incoming) (req *legal.Request, created bool, err error)

	// GetRequest returns the request with that id (ErrNotFound).
	GetRequest(ctx context.Context, id string) (*legal.Request, error)
	// RawMessage returns the raw message a request was created from.
	RawMessage(ctx context.Context, id string) ([]byte, error)
	// PurgeRaw deletes a request's raw message for good; RawMessage then
	// returns ErrNotFound. ErrNotFound when there is no such request; a
	// raw message already gone is not an error. The request itself is
	// left alone (the caller records the purge with UpdateRequest).
	PurgeRaw(ctx context.Context, id string) error
	// UpdateRequest writes req if req.Version is the stored version
	// (ErrConflict otherwise), increments req.Version, re-indexes it,
	// appends audit (when its Action is set) and enqueues outbox, atomically.
	UpdateRequest(ctx context.Context, req *legal.Request, audit AuditEntry, outbox ...OutboxItem) error
	// ResolveID turns user input ("le-2026-0042", "42", "0042") into a
	// stored id; ErrNotFound when none or ambiguous.
	ResolveID(ctx context.Context, input string) (string, error)

	// ListByStatus returns requests with the status, newest first, at most limit.
	ListByStatus(ctx context.Context, status legal.Status, limit int) ([]*legal.Request, error)
	// ListByAssignee returns open requests assigned to user, newest first.
	ListByAssignee(ctx context.Context, user string, limit int) ([]*legal.Request, error)
	// Range returns requests whose index time is in [from, to), earliest
	// first, at most limit (0: no limit). Cost is O(log N + results).
	Range(ctx context.Context, idx Index, from, to time.Time, limit int) ([]*legal.Request, error)
	// CountByStatus counts requests per status.
	CountByStatus(ctx context.Context) (map[legal.Status]int, error)
	// ListByStatuses returns the newest requests having any of the
	// statuses, newest first, at most limit (0: all), and how many there
	// are in all. It reads only the requests it returns.
	ListByStatuses(ctx context.Context, statuses []legal.Status, limit int) ([]*legal.Request, int, error)
	// CountByAssignee counts the open requests assigned to user.
	CountByAssignee(ctx context.Context, user string) (int, error)
	// CountRange counts requests whose index time is in [from, to),
	// without reading them.
	CountRange(ctx context.Context, idx Index, from, to time.Time) (int, error)

	// Audit returns a request's audit trail, oldest first.
	Audit(ctx context.Context, id string) ([]AuditEntry, error)
	// AppendAudit appends to a request's audit trail.
	AppendAudit(ctx context.Context, e AuditEntry) error

	// Enqueue adds items to the outbox.
	Enqueue(ctx context.Context, items ...OutboxItem) error
	// Claim leases up to max items whose NotBefore <= now and that are not
	// leased, for lease; each claim increments Attempts.
	Claim(ctx context.Context, now time.Time, lease time.Duration, max int) ([]OutboxItem, error)
	// Ack removes a delivered (or dead-lettered) item; ErrNotFound when
	// unknown or already acked.
	Ack(ctx context.Context, id string) error
	// Retry releases a claimed item to be tried again at next, recording
	// the error; after maxAttempts attempts (0: never) it moves to the dead
	// letters. ErrNotFound when the item is unknown or already dead.
	Retry(ctx context.Context, id string, next time.Time, lastErr string, maxAttempts int) error
	// DeadLetters lists items that exhausted their attempts, oldest Created
	// first, at most limit (0: all).
	DeadLetters(ctx context.Context, limit int) ([]OutboxItem, error)
	// OutboxStats reports depth, oldest age and dead letters.
	OutboxStats(ctx context.Context) (OutboxStats, error)

	// AcquireLock takes the named lock for owner for ttl; false when held
	// by another owner. Re-acquiring one's own lock extends it.
	AcquireLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)
	// ReleaseLock releases the lock only if owner holds it (a no-op otherwise).
	ReleaseLock(ctx context.Context, name, owner string) error

	// MarkSent records key as sent (for ttl) and reports whether this call
	// set it: true once per key, so reminders go out once. ttl <= 0 marks
	// for ever.
	MarkSent(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// EnqueueOnce marks key (for ttl) and enqueues items in one atomic
	// step, only if key was not marked; it reports whether it did. This is
	// how a reminder is sent once per request, kind and day.
	EnqueueOnce(ctx context.Context, key string, ttl time.Duration, items ...OutboxItem) (bool, error)
	// WasSent reports whether key is marked.
	WasSent(ctx context.Context, key string) (bool, error)

	// OnCall returns the stored on-call settings (zero value when none).
	OnCall(ctx context.Context) (OnCall, error)
	// SetOnCall replaces them if oc.Version is the stored version
	// (ErrConflict otherwise: two people editing at once never lose a
	// change silently); the stored version becomes oc.Version+1.
	SetOnCall(ctx context.Context, oc OnCall) error

	// Registry: the agency registry (registry.go).
	Registry

	// Threads: follow-ups and the Message-IDs of a request's thread (thread.go).
	Threads

	// Ping reports whether the backend answers and its data reads: it
	// reads and decodes the newest request (ErrCorrupt when that fails).
	Ping(ctx context.Context) error
	// Close releases the backend.
	Close() error
}
