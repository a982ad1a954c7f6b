package store

import (
	"encoding/binary"
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// This file is the one place that builds storage keys: Redis key names
// (keys) and bbolt bucket keys (the *Key functions). User input (ids,
// Message-IDs, Slack user ids, lock and marker names) always passes
// through escape.

// DefaultKeyPrefix prefixes every Redis key when Config.KeyPrefix is empty.
const DefaultKeyPrefix = "lebot:"

// keys builds Redis key names. Every key starts with the prefix wrapped in
// a Redis Cluster hash tag ("lebot:" becomes "{lebot}:"), so all of
// lebot's keys hash to one slot and multi-key transactions and scripts
// work on Cluster. lebot's data is small (thousands of requests a year),
// so one slot is no limit; run one lebot per prefix.
type keys struct{ p string }

func newKeys(prefix string) keys {
	if prefix == "" {
		prefix = DefaultKeyPrefix
	}
	if strings.ContainsAny(prefix, "{}") {
		return keys{p: prefix} // the operator chose a hash tag
	}
	return keys{p: "{" + strings.TrimSuffix(prefix, ":") + "}:"}
}

func (k keys) request(id string) string      { return k.p + "req:" + escape(id) }
func (k keys) raw(id string) string          { return k.p + "raw:" + escape(id) }
func (k keys) audit(id string) string        { return k.p + "audit:" + escape(id) }
func (k keys) dedup(d string) string         { return k.p + "dedup:" + escape(d) }
func (k keys) seq(year int) string           { return k.p + "seq:" + strconv.Itoa(year) }
func (k keys) years() string                 { return k.p + "years" }
func (k keys) status(s legal.Status) string  { return k.p + "status:" + escape(string(s)) }
func (k keys) assignee(u string) string      { return k.p + "assignee:" + escape(u) }
func (k keys) index(i Index) string          { return k.p + "idx:" + escape(string(i)) }
func (k keys) outboxItem(id string) string   { return k.p + "ob:item:" + escape(id) }
func (k keys) outboxQueue() string           { return k.p + "ob:queue" }
func (k keys) outboxCreated() string         { return k.p + "ob:created" }
func (k keys) outboxDead() string            { return k.p + "ob:dead" }
func (k keys) outboxOrder(key string) string { return k.p + "ob:order:" + escape(key) }
func (k keys) outboxParked() string          { return k.p + "ob:parked" }
func (k keys) lock(name string) string       { return k.p + "lock:" + escape(name) }
func (k keys) sent(key string) string        { return k.p + "sent:" + escape(key) }
func (k keys) onCall() string                { return k.p + "oncall" }
func (k keys) crypt() string                 { return k.p + "crypt" }
func (k keys) agency(domain string) string   { return k.p + "agency:" + escape(domain) }
func (k keys) agencyReqs(d string) string    { return k.p + "agency_reqs:" + escape(d) }
func (k keys) agencies() string              { return k.p + "agencies" }
func (k keys) pageToken() string             { return k.p + "pagetoken" }
func (k keys) agenciesKnown() string         { return k.p + "agencies_known" }

// escape makes user input safe inside a key: bytes other than
// [A-Za-z0-9._@+-] become %XX, so ':' cannot forge a key segment, braces
// cannot change the hash slot, and glob characters match literally.
func escape(s string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '.' || c == '_' || c == '@' || c == '+' || c == '-' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}

// dedupKey is a dedup key in clear (dedup.go): "mid:" and the Message-ID,
// or "sha256:" and a SHA-256 (hex) when there is none.
func dedupKey(messageID, rawSHA256 string) string {
	if messageID != "" {
		return "mid:" + messageID
	}
	return "sha256:" + rawSHA256
}

// Bucket names of the embedded store.
var (
	bRequests = []byte("requests")     // id → request JSON
	bRaw      = []byte("raw")          // id → raw message
	bDedup    = []byte("dedup")        // dedup key → id, or mid: entries (dedup.go)
	bSeq      = []byte("seq")          // year (4 digits) → last sequence (8 bytes)
	bAudit    = []byte("audit")        // id → nested bucket: sequence → entry JSON
	bStatus   = []byte("status")       // statusKey → nil
	bAssignee = []byte("assignee")     // assigneeKey → nil
	bIndex    = []byte("index")        // indexKey → nil
	bCounts   = []byte("counts")       // status → count (8 bytes)
	bOutbox   = []byte("outbox")       // item id → item JSON
	bObQueue  = []byte("ob_queue")     // timeKey(ready) + id → nil
	bObCreate = []byte("ob_created")   // timeKey(created) + id → nil
	bObDead   = []byte("ob_dead")      // timeKey(dead at) + id → nil
	bObOrder  = []byte("ob_order")     // orderKey(group, created, id) → nil
	bLocks    = []byte("locks")        // name → lock JSON
	bSent     = []byte("sent")         // key → expiry (8 bytes, 0 = never)
	bSentExp  = []byte("sent_exp")     // timeKey(expiry) + key → nil
	bMeta     = []byte("meta")         // "oncall" → JSON; "crypt" → key record (crypt.go)
	bAgency   = []byte("agency")       // domain → agency JSON (registry.go)
	bAgReqs   = []byte("agency_reqs")  // groupedTimeKey(domain, received, id) → nil
	bAgSeen   = []byte("agency_seen")  // timeIDKey(last seen, domain) → nil
	bAgKnown  = []byte("agency_known") // domain → nil: official or callback-verified
)

var allBuckets = [][]byte{bRequests, bRaw, bDedup, bSeq, bAudit, bStatus, bAssignee,
	bIndex, bCounts, bOutbox, bObQueue, bObCreate, bObDead, bObOrder, bLocks, bSent, bSentExp, bMeta,
	bAgency, bAgReqs, bAgSeen, bAgKnown}

// timeKey encodes t as 8 big-endian bytes of Unix milliseconds with the
// sign bit flipped, so byte order is time order (before 1970 too).
func timeKey(t time.Time) []byte {
	b := make([]byte, 8, 8+32)
	binary.BigEndian.PutUint64(b, uint64(t.UnixMilli())^(1<<63))
	return b
}

// timeOf decodes the first 8 bytes of a timeKey.
func timeOf(k []byte) time.Time {
	return time.UnixMilli(int64(binary.BigEndian.Uint64(k[:8]) ^ (1 << 63))).UTC()
}

// groupedTimeKey is group + 0x00 + timeKey(t) + id: a status, assignee or
// index entry, sorted by time within its group.
func groupedTimeKey(group string, t time.Time, id string) []byte {
	k := append([]byte(escape(group)), 0)
	k = append(k, timeKey(t)...)
	return append(k, id...)
}

// groupPrefix is the prefix shared by every groupedTimeKey of group.
func groupPrefix(group string) []byte { return append([]byte(escape(group)), 0) }

// orderKey is an outbox order group + 0x00 + the item's enqueue time in
// big-endian Unix microseconds (sign bit flipped) + id: an order group's
// items sorted by when they were enqueued.
func orderKey(group string, created time.Time, id string) []byte {
	k := groupPrefix(group)
	k = binary.BigEndian.AppendUint64(k, uint64(created.UnixMicro())^(1<<63))
	return append(k, id...)
}

// timeIDKey is timeKey(t) + id: outbox queues and marker expiries.
func timeIDKey(t time.Time, id string) []byte { return append(timeKey(t), id...) }

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }
