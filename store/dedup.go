package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// Dedup: when is a received message one already stored?
//
// A message is a duplicate only when its content is the same: the raw
// bytes, less the trace header fields a re-delivery adds or changes
// (Received, Return-Path, Delivered-To, ... see traceFields). A Message-ID
// alone proves nothing, since any sender can copy one: a message with a
// Message-ID already used by a request of different content becomes its
// own request, and both record the link (legal.Request.SharedMessageID).
//
// Keys (dedup:KEY in Redis, the dedup bucket in bbolt; KEY is an HMAC
// when encrypting, see crypt.lookupKey):
//
//	mid:MESSAGE-ID   the requests that used it: lines "ID CONTENT", oldest
//	                 first, CONTENT the message's content token
//	sha256:HEX       a message without a Message-ID → its request id
//
// The content token is "sha256:" + the hex SHA-256 of the content (also
// an HMAC when encrypting). Before content was part of dedup, mid:X held
// a bare request id and messages without a Message-ID were keyed on the
// SHA-256 of all their bytes. Both still read: a bare id is an entry of
// unknown content, compared by reading that request's raw message (a
// re-delivery of the same old message still makes no second request);
// when that raw message is gone (purged by retention), the new message
// is taken as different, so it is never lost, only linked. Old sha256
// keys are looked up too, under the old hash of all the bytes.

// maxSharedLinks bounds SharedMessageID: a Message-ID reused over and
// over costs each create at most this many linked-request updates.
const maxSharedLinks = 10

// maxMidEntries bounds a mid: value; past it the oldest entries after the
// first are dropped (a duplicate of a dropped one then becomes a new,
// linked request: extra, never lost).
const maxMidEntries = 64

// traceFields are the header fields a relay adds or rewrites on each
// delivery; they are left out of a message's content. Triage reads none
// of them (it checks DKIM itself), so two messages that differ only here
// read the same.
var traceFields = map[string]bool{
	"received": true, "x-received": true, "return-path": true, "delivered-to": true,
	"x-original-to": true, "received-spf": true, "authentication-results": true,
	"arc-seal": true, "arc-message-signature": true, "arc-authentication-results": true,
}

// contentSHA256 is the hex SHA-256 of raw without its trace header
// fields (and raw's own SHA-256 when it has none). It reads raw once and
// copies nothing.
func contentSHA256(raw []byte) string {
	h := sha256.New()
	rest := raw
	for len(rest) > 0 {
		end := bytes.IndexByte(rest, '\n') + 1
		if end == 0 {
			end = len(rest)
		}
		line := rest[:end]
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			break // the blank line: the body follows
		}
		// A field is its first line and the folded lines after it.
		for end < len(rest) && (rest[end] == ' ' || rest[end] == '\t') {
			next := bytes.IndexByte(rest[end:], '\n') + 1
			if next == 0 {
				next = len(rest) - end
			}
			end += next
		}
		if !traceField(line) {
			h.Write(rest[:end])
		}
		rest = rest[end:]
	}
	h.Write(rest)
	return hex.EncodeToString(h.Sum(nil))
}

func traceField(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 || i > 40 {
		return false
	}
	return traceFields[strings.ToLower(string(bytes.TrimRight(line[:i], " \t")))]
}

// dedupPlan is what a create looks up, in stored form.
type dedupPlan struct {
	// key is the dedup key: mid:X with a Message-ID, else sha256:HEX of the content.
	key string
	// legacy is the key a message without a Message-ID had before trace
	// fields were left out (the hash of all its bytes); "" when the same as key.
	legacy string
	// content is the message's content token (in mid: entries).
	content string
	// hasMID: key is a mid: key.
	hasMID bool
}

func (c *crypt) dedupPlan(messageID string, raw []byte) dedupPlan {
	sum := contentSHA256(raw)
	p := dedupPlan{content: c.lookupKey("sha256:" + sum)}
	if messageID != "" {
		p.key, p.hasMID = c.lookupKey(dedupKey(messageID, "")), true
		return p
	}
	p.key = p.content
	if whole := sha256.Sum256(raw); hex.EncodeToString(whole[:]) != sum {
		p.legacy = c.lookupKey(dedupKey("", hex.EncodeToString(whole[:])))
	}
	return p
}

// rawContent is the content token of a stored request's raw message, for
// a legacy entry; ok false when the raw message is gone.
func (c *crypt) rawContent(raw []byte) string { return c.lookupKey("sha256:" + contentSHA256(raw)) }

// midEntry is one request in a mid: value. Content "" means unknown (an
// entry stored before content was recorded).
type midEntry struct{ ID, Content string }

func parseMid(v string) []midEntry {
	var es []midEntry
	for line := range strings.SplitSeq(v, "\n") {
		id, content, _ := strings.Cut(strings.TrimSpace(line), " ")
		if id != "" {
			es = append(es, midEntry{id, content})
		}
	}
	return es
}

// midRequests are the requests a mid: value names, oldest first (a
// value stored before content was recorded names one). For readers of
// the dedup space other than CreateRequest, such as a thread lookup.
func midRequests(v string) []string {
	var ids []string
	for _, e := range parseMid(v) {
		ids = append(ids, e.ID)
	}
	return ids
}

func formatMid(es []midEntry) string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.ID)
		if e.Content != "" {
			b.WriteString(" " + e.Content)
		}
	}
	return b.String()
}

// midMatch looks for content among es. An entry of unknown content is
// compared by its raw message, read with rawOf (ok false: gone); the
// content found is filled in. It returns the id of the request with the
// same content, or "".
func midMatch(es []midEntry, content string, rawOf func(id string) (raw []byte, ok bool, err error), cr *crypt) (string, error) {
	for i := range es {
		if es[i].Content == "" {
			raw, ok, err := rawOf(es[i].ID)
			if err != nil {
				return "", err
			}
			if !ok {
				continue
			}
			es[i].Content = cr.rawContent(raw)
		}
		if es[i].Content == content {
			return es[i].ID, nil
		}
	}
	return "", nil
}

// midAdd appends the new request's entry, dropping old ones past
// maxMidEntries (never the first), and returns the ids to link it to:
// the earlier requests, oldest first, at most maxSharedLinks.
func midAdd(es []midEntry, id, content string) (next []midEntry, links []string) {
	for _, e := range es {
		if len(links) < maxSharedLinks && e.ID != id && !slices.Contains(links, e.ID) {
			links = append(links, e.ID)
		}
	}
	next = append(slices.Clone(es), midEntry{id, content})
	if len(next) > maxMidEntries {
		next = append(next[:1], next[len(next)-maxMidEntries+1:]...)
	}
	return next, links
}

// linkShared records on an earlier request that newID used its
// Message-ID with other content; false when it needs no change (already
// linked, or at maxSharedLinks).
func linkShared(r *legal.Request, newID string) bool {
	if len(r.SharedMessageID) >= maxSharedLinks || slices.Contains(r.SharedMessageID, newID) {
		return false
	}
	r.SharedMessageID = append(r.SharedMessageID, newID)
	return true
}

// linkItems are the outbox items for an earlier request linked to a new
// one: copies of tmpl for id, with fresh ids.
func linkItems(tmpl []OutboxItem, id string) []OutboxItem {
	out := make([]OutboxItem, len(tmpl))
	for i, it := range tmpl {
		it.ID, it.RequestID = "", id
		out[i] = it
	}
	return out
}

// linkAudit is the audit entry of an earlier request linked to newID.
func linkAudit(id, newID string, in *Incoming) AuditEntry {
	return AuditEntry{RequestID: id, At: in.ReceivedAt, Actor: "lebot", Action: "shared_message_id",
		After: newID, Note: "a message with the same Message-ID and different content became " + newID}
}
