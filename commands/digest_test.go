package commands

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/jobs"
	"github.com/lebot-dev/lebot/legal"
)

// TestDigestOnDemand posts the real digest job's digest through the
// outbox, under a key of its own so the scheduled digest still goes out.
func TestDigestOnDemand(t *testing.T) {
	e := newEnv(t)
	dig, err := jobs.NewDigest(jobs.DigestConfig{Store: e.st, Calendar: e.cal, Schedule: "0 8 * * 1-5", Channel: "C0DIGEST"})
	if err != nil {
		t.Fatal(err)
	}
	e.cmds.digest = dig
	overdue := subpoenaFacts()
	r := e.create(t, overdue)
	r.Due = e.now.Add(-time.Hour)
	if err := e.st.UpdateRequest(t.Context(), r, noAudit()); err != nil {
		t.Fatal(err)
	}
	e.create(t, subpoenaFacts())
	e.drainOutbox(t, e.now.Add(time.Hour)) // creation's items

	if got, want := e.legal(t, member, "digest"), "Posting the digest to <#C0DIGEST> now."; got != want {
		t.Fatalf("reply: got %q, want %q", got, want)
	}
	items := e.drainOutbox(t, e.now.Add(2*time.Hour))
	var p bot.DigestPayload
	kinds := map[string]int{}
	for _, it := range items {
		kinds[it.Kind]++
		if it.Kind == bot.KindDigest {
			if err := json.Unmarshal(it.Payload, &p); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"digest messages", kinds[bot.KindDigest], 1},
		{"charts", kinds[bot.KindDigestChart], 1},
		{"channel", p.Channel, "C0DIGEST"},
		{"overdue", p.Overdue.Len(), 1},
		{"received in the last day", p.Received.Len(), 2},
		{"open new requests", p.ByStatus[legal.StatusNew], 2},
		{"key is not a scheduled one", p.Key[:len("digest:asked:")], "digest:asked:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}
