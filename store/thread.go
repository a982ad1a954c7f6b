package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// Threads is what the store knows of a request's mail thread after its
// first message: the Message-IDs that belong to it (notices lebot sent,
// follow-ups joined) and the follow-ups' raw messages. Links live beside
// the dedup keys (hashed like them when the store is encrypted) and
// follow-up raw messages beside the original's (sealed like it), so
// rekeying and purging treat them as their kind.
type Threads interface {
	// LinkMessage records that messageID (without <>) belongs to the
	// request with id requestID, unless it already belongs to one: the
	// first link stands. It returns the request the id belongs to.
	LinkMessage(ctx context.Context, messageID, requestID string) (string, error)
	// ThreadOf returns the request a Message-ID belongs to: linked with
	// LinkMessage or AddFollowUp, or the Message-ID of the message the
	// request was created from. ErrNotFound when none.
	ThreadOf(ctx context.Context, messageID string) (string, error)
	// AddFollowUp stores a follow-up with its request, atomically: its raw
	// message (read back with RawMessage(FollowUpRawID(req.ID, n)), n
	// being len(req.FollowUps) once req records it), the link of its
	// Message-ID (or with none its raw bytes' SHA-256) to the request,
	// and req as UpdateRequest writes it, with audit and outbox. A
	// follow-up already stored (same key) writes nothing and reports
	// false; a stale req.Version is ErrConflict.
	AddFollowUp(ctx context.Context, req *legal.Request, f FollowUpMessage, audit AuditEntry, outbox ...OutboxItem) (bool, error)
}

// FollowUpMessage is a follow-up's message as AddFollowUp stores it.
type FollowUpMessage struct {
	MessageID string // without <>; "" when absent
	Raw       []byte
}

// FollowUpRawID is the id under which the n-th follow-up (1-based) of
// request id keeps its raw message.
func FollowUpRawID(id string, n int) string { return id + "~f" + strconv.Itoa(n) }

// threadKey is the dedup-space key linking a Message-ID to its request.
func threadKey(messageID string) string { return "thread:" + messageID }

// followUpKey is a follow-up's link key: its Message-ID, or its bytes'
// SHA-256 when it has none.
func followUpKey(f FollowUpMessage) (string, error) {
	if len(f.Raw) == 0 {
		return "", errors.New("follow-up: raw message is empty")
	}
	if f.MessageID != "" {
		return threadKey(f.MessageID), nil
	}
	sum := sha256.Sum256(f.Raw)
	return threadKey("sha256:" + hex.EncodeToString(sum[:])), nil
}

// originKey is the dedup key of a request created from a message with
// this Message-ID (see dedupKey).
func originKey(messageID string) string { return "mid:" + messageID }

// linkedID is the request a thread or origin key's value names: a
// thread: value is the id; a mid: value lists the requests that used the
// Message-ID (dedup.go), and the first of them is the one its replies
// belong to.
func linkedID(key, v string) string {
	if strings.HasPrefix(key, "mid:") {
		if es := parseMid(v); len(es) > 0 {
			return es[0].ID
		}
	}
	return v
}
