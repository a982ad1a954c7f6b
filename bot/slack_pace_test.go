package bot

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// jobsDispatcher drains the env's store with the slack.* and scheduled
// job kinds, with a client of its own (a replica).
func (e *env) jobsDispatcher() *outbox.Dispatcher {
	e.t.Helper()
	d, err := outbox.New(outbox.Config{Store: e.store, Logger: e.log, Now: e.clock.Now, Jitter: func() float64 { return 0 }})
	if err != nil {
		e.t.Fatal(err)
	}
	s := e.bot(nil)
	RegisterSlack(d, s)
	RegisterJobs(d, s)
	return d
}

// carded receives n requests and posts their cards and originals.
func (e *env) carded(d *outbox.Dispatcher, n int) []*legal.Request {
	e.t.Helper()
	var reqs []*legal.Request
	for i := range n {
		draft := subpoena(e.t)
		draft.ID = ""
		r, _, err := e.store.CreateRequest(context.Background(), store.Incoming{
			Raw: []byte(fmt.Sprintf("Subject: subpoena %d\r\n\r\nPlease produce.", i)), MessageID: fmt.Sprintf("m%d@police.example.gov", i),
			ReceivedAt: draft.ReceivedAt, Request: *draft, Outbox: []store.OutboxItem{CardItem("")},
			Audit: store.AuditEntry{Actor: "smtp", Action: "created"}})
		if err != nil {
			e.t.Fatal(err)
		}
		for e.drain(d) > 0 {
		}
		reqs = append(reqs, e.get(r.ID))
	}
	return reqs
}

func (e *env) enqueue(items ...store.OutboxItem) {
	e.t.Helper()
	if err := e.store.Enqueue(context.Background(), items...); err != nil {
		e.t.Fatal(err)
	}
}

// TestRateLimitPausesChannel: after a 429 for the legal channel, the rest
// of the batch waits out Retry-After instead of posting at once.
func TestRateLimitPausesChannel(t *testing.T) {
	e := newEnv(t, "redis")
	d := e.jobsDispatcher()
	reqs := e.carded(d, 3)
	for _, r := range reqs {
		e.enqueue(ThreadItem(r.ID, "note on "+r.ID, false))
	}
	before := len(e.slack.Calls("chat.postMessage"))
	e.slack.RateLimit("chat.postMessage", 1, 30*time.Second)
	if n := e.drain(d); n != 0 {
		t.Fatalf("drain under a 429: delivered %d, want 0", n)
	}
	if calls := len(e.slack.Calls("chat.postMessage")) - before; calls != 1 {
		t.Fatalf("chat.postMessage calls under a 429: got %d, want 1 (the rest wait)", calls)
	}
	e.clock.Advance(29 * time.Second)
	if n := e.drain(d); n != 0 {
		t.Fatalf("drain before Retry-After passed: delivered %d, want 0", n)
	}
	e.clock.Advance(2 * time.Second)
	if n := e.drain(d); n != 3 {
		t.Fatalf("drain after Retry-After: delivered %d, want 3", n)
	}
}

// TestThreadOrderUnderRateLimit: notes enqueued one after another reach
// the thread in that order although the first meets a 429, with two
// replicas draining at once.
func TestThreadOrderUnderRateLimit(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			d1, d2 := e.jobsDispatcher(), e.jobsDispatcher()
			req := e.carded(d1, 1)[0]
			want := []string{"first", "second", "third", "fourth"}
			for _, text := range want {
				e.enqueue(ThreadItem(req.ID, text, false))
				e.clock.Advance(time.Second)
			}
			e.slack.RateLimit("chat.postMessage", 1, 20*time.Second)
			for range 10 {
				var wg sync.WaitGroup
				for _, d := range []*outbox.Dispatcher{d1, d2} {
					wg.Go(func() { d.DrainOnce(context.Background(), e.clock.Now()) })
				}
				wg.Wait()
				e.clock.Advance(10 * time.Second)
			}
			var got []string
			for _, m := range e.slack.Replies(testChannel, req.CardTS) {
				if len(m.Files) == 0 {
					got = append(got, m.Text)
				}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("thread: got %q, want %q", got, want)
			}
		})
	}
}

// TestDigestTextBeforeChart: under a 429 on the digest's text, the chart
// waits, then follows the text.
func TestDigestTextBeforeChart(t *testing.T) {
	e := newEnv(t, "redis")
	e.slack.AddChannel("C0DIGEST", fakeslack.Public)
	d := e.jobsDispatcher()
	e.enqueue(DigestItems(digestPayload(e, "C0DIGEST"))...)
	e.slack.RateLimit("chat.postMessage", 1, 30*time.Second)
	e.drain(d)
	if n := len(e.slack.Calls("files.getUploadURLExternal")); n != 0 {
		t.Fatalf("chart upload started while the text waits (%d calls)", n)
	}
	for range 5 {
		e.clock.Advance(31 * time.Second)
		e.drain(d)
	}
	msgs := e.slack.Messages("C0DIGEST")
	if len(msgs) != 2 || msgs[0].Metadata == nil || msgs[0].Metadata.EventType != digestEventType || len(msgs[1].Files) != 1 {
		t.Fatalf("digest channel: got %d messages %+v, want the text then the chart", len(msgs), msgs)
	}
}

func digestPayload(e *env, channel string) DigestPayload {
	return DigestPayload{Key: "digest:" + e.clock.Now().Format(time.RFC3339), Channel: channel, At: e.clock.Now(), Zone: "UTC",
		Ages: map[legal.Status][]int{legal.StatusNew: {1, 0, 0, 0, 0}}}
}

// TestLookupWithoutHistoryScope: when the app lacks the channel's
// history scope, a retried digest cannot look for itself; it is posted
// (with a warning) rather than retried until it dead-letters.
func TestLookupWithoutHistoryScope(t *testing.T) {
	e := newEnv(t, "redis")
	e.slack.AddChannel("C0DIGEST", fakeslack.Public)
	e.slack.SetScopes("chat:write", "files:write", "groups:history") // no channels:history
	d := e.jobsDispatcher()
	p := digestPayload(e, "C0DIGEST")
	e.enqueue(DigestItems(p)...)
	e.slack.Inject("chat.postMessage", 1, fakeslack.Fault{Status: http.StatusBadGateway})
	for range 4 {
		e.drain(d)
		e.clock.Advance(time.Minute)
	}
	if calls := e.slack.Calls("conversations.history"); len(calls) == 0 || calls[0].Error != "missing_scope" {
		t.Fatalf("history lookups: got %+v, want one refused with missing_scope", calls)
	}
	if st, _ := e.store.OutboxStats(context.Background()); st.Depth != 0 || st.DeadLetter != 0 {
		t.Fatalf("outbox: got %+v, want both items delivered", st)
	}
	if !strings.Contains(e.logs.String(), "lacks the channel's history scope") {
		t.Fatalf("log lacks the warning:\n%s", e.logs.String())
	}
}
