package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"
)

func TestKeys(t *testing.T) {
	k := newKeys("")
	tests := []struct{ name, got, want string }{
		{"default prefix is hash-tagged", k.request("LE-2026-0042"), "{lebot}:req:LE-2026-0042"},
		{"custom prefix", newKeys("acme:legal:").raw("LE-2026-0001"), "{acme:legal}:raw:LE-2026-0001"},
		{"operator's own hash tag kept", newKeys("x:{t}:").years(), "x:{t}:years"},
		{"colon in user id escaped", k.assignee("U1:admin"), "{lebot}:assignee:U1%3Aadmin"},
		{"braces cannot move the slot", k.lock("{evil}"), "{lebot}:lock:%7Bevil%7D"},
		{"glob and space escaped", k.sent("a* b?"), "{lebot}:sent:a%2A%20b%3F"},
		{"message id", k.dedup("mid:<abc@x.gov>"), "{lebot}:dedup:mid%3A%3Cabc@x.gov%3E"},
		{"percent escaped", k.sent("100%"), "{lebot}:sent:100%25"},
		{"seq", k.seq(2026), "{lebot}:seq:2026"},
		{"index", k.index(IndexDue), "{lebot}:idx:due"},
		{"outbox item", k.outboxItem("ob-1"), "{lebot}:ob:item:ob-1"},
		{"status", k.status("in_review"), "{lebot}:status:in_review"},
		{"agency", k.agency("fbi.gov"), "{lebot}:agency:fbi.gov"},
		{"page token", k.pageToken(), "{lebot}:pagetoken"},
		{"agency domain escaped", k.agencyReqs("evil:{x}"), "{lebot}:agency_reqs:evil%3A%7Bx%7D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestDedupKey(t *testing.T) {
	tests := []struct{ name, mid, sum, want string }{
		{"message id wins", "a@b", "ff", "mid:a@b"},
		{"hash without message id", "", "ff", "sha256:ff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dedupKey(tt.mid, tt.sum); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTimeKeyOrder(t *testing.T) {
	times := []time.Time{
		time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(0, 0),
		time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 2, 9, 0, 0, 1e6, time.UTC),
		time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := 1; i < len(times); i++ {
		a, b := timeKey(times[i-1]), timeKey(times[i])
		if bytes.Compare(a, b) >= 0 {
			t.Errorf("timeKey(%v) >= timeKey(%v), want byte order = time order", times[i-1], times[i])
		}
		if got := timeOf(b); !got.Equal(times[i]) {
			t.Errorf("timeOf: got %v, want %v", got, times[i])
		}
	}
	// A group's keys cannot collide with another group's, whatever the input.
	if bytes.HasPrefix(groupedTimeKey("U1\x00", times[0], "x"), groupPrefix("U1")) {
		t.Errorf("group U1\\x00 shares a prefix with group U1")
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestContentSHA256: trace fields (folded lines too) are left out, in
// any case and with either line ending; nothing else is, and the body
// never is.
func TestContentSHA256(t *testing.T) {
	base := "From: a@agency.gov\r\nMessage-ID: <x@y>\r\nSubject: s\r\n\r\nReceived: in the body\r\n"
	same := []string{
		base,
		"Received: from a\r\n\tby b; Mon, 2 Mar 2026\r\n" + base,
		"RECEIVED : from a\r\nReturn-Path: <>\r\n" + base,
		"From: a@agency.gov\r\nX-Received: by 10.0.0.1\r\nMessage-ID: <x@y>\r\nSubject: s\r\n\r\nReceived: in the body\r\n",
	}
	want := sha256Hex([]byte(base))
	for _, s := range same {
		if got := contentSHA256([]byte(s)); got != want {
			t.Errorf("%q: content differs from the message without trace fields", s)
		}
	}
	other := []string{
		"X-Priority: 1\r\n" + base,
		base + "x",
		"From: a@agency.gov\r\nMessage-ID: <x@y>\r\nSubject: s\r\n\r\n",
		"From: a@agency.gov\r\nMessage-ID: <x@y>\r\nSubject: s\r\n\tfolded\r\n\r\nReceived: in the body\r\n",
		"", "Received: only a trace field",
	}
	for _, s := range other {
		if contentSHA256([]byte(s)) == want {
			t.Errorf("%q: same content as %q", s, base)
		}
	}
}

func TestMidValue(t *testing.T) {
	if got := midRequests("LE-2026-0001"); len(got) != 1 || got[0] != "LE-2026-0001" {
		t.Errorf("a value from before content was recorded: got %v", got)
	}
	es := []midEntry{{"LE-2026-0001", ""}, {"LE-2026-0002", "h:ab"}}
	if got := parseMid(formatMid(es)); len(got) != 2 || got[0] != es[0] || got[1] != es[1] {
		t.Errorf("round trip: got %v, want %v", got, es)
	}
	var many []midEntry
	for i := range maxMidEntries + 5 {
		var links []string
		many, links = midAdd(many, FormatID(2026, uint64(i+1)), "c")
		if len(links) > maxSharedLinks {
			t.Fatalf("%d links, want at most %d", len(links), maxSharedLinks)
		}
	}
	if len(many) != maxMidEntries || many[0].ID != "LE-2026-0001" || many[len(many)-1].ID != FormatID(2026, maxMidEntries+5) {
		t.Errorf("bounded value: %d entries, first %s last %s", len(many), many[0].ID, many[len(many)-1].ID)
	}
}
