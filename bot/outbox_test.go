package bot

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

func TestDrainPostsOneCard(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			d := e.dispatcher(nil)
			req := e.receive()

			if n := e.drain(d); n != 1 {
				t.Fatalf("first drain delivered %d, want 1 (the card)", n)
			}
			e.checkOneCard(req.ID)
			card := e.slack.TopLevel(testChannel)[0]
			if !strings.Contains(card.Text, req.ID) || strings.Contains(card.Text, "+1415") {
				t.Errorf("got fallback %q, want the id and no identifiers", card.Text)
			}
			if n := e.drain(d); n != 1 {
				t.Fatalf("second drain delivered %d, want 1 (the original)", n)
			}
			files := e.slack.Files(testChannel)
			if len(files) != 1 || files[0].Name != req.ID+".eml" || files[0].ThreadTS != card.TS ||
				!strings.Contains(string(files[0].Content), "Please produce.") {
				t.Fatalf("got files %+v, want the .eml in the card's thread", files)
			}
			if n := e.drain(d); n != 0 {
				t.Fatalf("third drain delivered %d, want 0", n)
			}
			audit, err := e.store.Audit(context.Background(), req.ID)
			if err != nil || len(audit) != 2 || audit[1].Action != "card" {
				t.Fatalf("got audit %+v (%v), want created then card", audit, err)
			}
			if n := len(e.slack.Calls("conversations.history")); n != 0 {
				t.Errorf("got %d history searches on a first attempt, want 0", n)
			}
			e.checkLogsClean()
		})
	}
}

// TestDrainSlackOutage: however Slack fails, the request ends with one card.
func TestDrainSlackOutage(t *testing.T) {
	tests := []struct {
		name  string
		fault func(*fakeslack.Server)
	}{
		{"500s", func(s *fakeslack.Server) { s.Fail("chat.postMessage", 3) }},
		{"whole API down", func(s *fakeslack.Server) { s.Fail("", 5) }},
		{"answers lost after posting", func(s *fakeslack.Server) {
			s.Inject("chat.postMessage", 2, fakeslack.Fault{Status: http.StatusBadGateway, AfterApply: true})
		}},
		{"history down after a lost answer", func(s *fakeslack.Server) {
			s.Inject("chat.postMessage", 1, fakeslack.Fault{Status: http.StatusBadGateway, AfterApply: true})
			s.Fail("conversations.history", 2)
		}},
	}
	for _, tt := range tests {
		for _, backend := range backends {
			t.Run(tt.name+"/"+backend, func(t *testing.T) {
				e := newEnv(t, backend)
				d := e.dispatcher(nil)
				req := e.receive()
				tt.fault(e.slack)
				delivered := 0
				for i := 0; i < 10 && e.get(req.ID).CardTS == ""; i++ {
					delivered += e.drain(d)
					e.clock.Advance(10 * time.Minute)
				}
				if delivered == 0 {
					t.Fatalf("card never delivered")
				}
				e.checkOneCard(req.ID)
				e.checkLogsClean()
			})
		}
	}
}

// TestDrainBackoff: failed items wait longer after each attempt, and not
// before their time.
func TestDrainBackoff(t *testing.T) {
	e := newEnv(t, "redis")
	d := e.dispatcher(nil)
	e.receive()
	e.slack.Fail("chat.postMessage", 3)
	waits := []time.Duration{}
	start := e.clock.Now()
	last := e.drain(d) // attempt 1 fails
	for step := time.Second; len(waits) < 3 && last == 0; e.clock.Advance(step) {
		before := len(e.slack.Calls("chat.postMessage"))
		last = e.drain(d)
		if len(e.slack.Calls("chat.postMessage")) > before {
			waits = append(waits, e.clock.Now().Sub(start))
			start = e.clock.Now()
		}
	}
	// With no jitter the waits are the upper halves' floors: 2.5s, 5s, 10s.
	want := []time.Duration{3 * time.Second, 5 * time.Second, 10 * time.Second}
	for i := range waits {
		if waits[i] != want[i] {
			t.Fatalf("got waits %v, want %v", waits, want)
		}
	}
	if last != 1 {
		t.Fatalf("got %d delivered after the outage, want 1", last)
	}
}

func TestDrainRateLimited(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			d := e.dispatcher(nil)
			req := e.receive()
			e.slack.RateLimit("chat.postMessage", 1, 30*time.Second)
			if n := e.drain(d); n != 0 {
				t.Fatalf("got %d delivered while rate limited, want 0", n)
			}
			first := e.clock.Now()
			e.clock.Advance(29 * time.Second)
			if n := e.drain(d); n != 0 || len(e.slack.Calls("")) != 1 {
				t.Fatalf("before Retry-After: got %d delivered and %d calls, want 0 and 1", n, len(e.slack.Calls("")))
			}
			e.clock.Advance(time.Second)
			if n := e.drain(d); n != 1 {
				t.Fatalf("at Retry-After: got %d delivered, want 1", n)
			}
			posts := e.slack.Calls("chat.postMessage")
			if len(posts) != 2 || posts[1].At.Sub(first) < 30*time.Second {
				t.Fatalf("got %d posts, the second %v after the first, want 2 and >= 30s", len(posts), posts[len(posts)-1].At.Sub(first))
			}
			e.checkOneCard(req.ID)
		})
	}
}

// TestDrainCrash: the process dies between posting and recording (or
// between recording and acking); after the lease another dispatcher
// takes the item over and the channel still has exactly one card.
func TestDrainCrash(t *testing.T) {
	for _, at := range []string{"UpdateRequest", "Ack"} {
		for _, backend := range backends {
			t.Run(at+"/"+backend, func(t *testing.T) {
				e := newEnv(t, backend)
				req := e.receive()
				dying := e.dispatcher(&crashStore{Store: e.store, at: at})
				if _, err := dying.DrainOnce(context.Background(), e.clock.Now()); !errors.Is(err, errKilled) {
					t.Fatalf("got %v, want the simulated kill", err)
				}
				if n := len(e.slack.TopLevel(testChannel)); n != 1 {
					t.Fatalf("got %d cards before the crash, want 1", n)
				}

				next := e.dispatcher(nil) // the restarted process
				e.clock.Advance(time.Minute)
				e.drain(next) // may send the original (recorded before the kill), never the card
				if n := len(e.slack.Calls("conversations.history")); n != 0 {
					t.Fatalf("got %d card searches while the lease holds, want 0", n)
				}
				e.clock.Advance(2 * time.Minute)
				for range 3 {
					e.drain(next)
				}
				e.checkOneCard(req.ID)
				if n := len(e.slack.Calls("chat.postMessage")); n != 1 {
					t.Errorf("got %d chat.postMessage calls, want 1", n)
				}
				if n := len(e.slack.Files(testChannel)); n != 1 {
					t.Errorf("got %d files, want the original once", n)
				}
				if st, _ := e.store.OutboxStats(context.Background()); st.Depth != 0 || st.DeadLetter != 0 {
					t.Errorf("got outbox %+v, want it empty", st)
				}
				e.checkLogsClean()
			})
		}
	}
}

// TestThreadWaitsForCard: a thread message enqueued before the card is
// posted waits for it, then appears once in the card's thread.
func TestThreadWaitsForCard(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			d := e.dispatcher(nil)
			req := e.receive(ThreadItem("", "🚨 paging <@U1>", true), CardItem(""))
			e.slack.Inject("chat.postMessage", 1, fakeslack.Fault{Status: http.StatusBadGateway, AfterApply: true})
			for range 8 {
				e.drain(d)
				e.clock.Advance(time.Minute)
			}
			e.checkOneCard(req.ID)
			card := e.slack.TopLevel(testChannel)[0]
			var notes []fakeslack.Message
			for _, m := range e.slack.Replies(testChannel, card.TS) {
				if len(m.Files) == 0 {
					notes = append(notes, m)
				}
			}
			if len(notes) != 1 || notes[0].Text != "🚨 paging <@U1>" || !notes[0].Broadcast {
				t.Fatalf("got thread %+v, want the broadcast note once", notes)
			}
		})
	}
}

// TestThreadLostAnswer: a thread post whose answer is lost is found by
// its outbox id and not repeated.
func TestThreadLostAnswer(t *testing.T) {
	e := newEnv(t, "redis")
	d := e.dispatcher(nil)
	req := e.receive()
	e.drain(d)
	e.drain(d) // card, original
	if err := e.store.Enqueue(context.Background(), ThreadItem(req.ID, "claimed by <@U2>", false)); err != nil {
		t.Fatal(err)
	}
	e.slack.Inject("chat.postMessage", 1, fakeslack.Fault{Status: http.StatusBadGateway, AfterApply: true})
	e.drain(d)
	e.clock.Advance(time.Minute)
	if n := e.drain(d); n != 1 {
		t.Fatalf("got %d delivered on retry, want 1", n)
	}
	r := e.get(req.ID)
	if got := len(e.slack.Replies(testChannel, r.CardTS)); got != 2 {
		t.Fatalf("got %d replies, want the original and one note", got)
	}
}

func TestCardUpdate(t *testing.T) {
	e := newEnv(t, "redis")
	d := e.dispatcher(nil)
	req := e.receive()
	if err := e.store.Enqueue(context.Background(), CardUpdateItem(req.ID)); err != nil {
		t.Fatal(err)
	}
	e.drain(d) // the card posts; the update waits for it
	r := e.get(req.ID)
	r.Status, r.Assignee = legal.StatusInReview, "U7"
	if err := e.store.UpdateRequest(context.Background(), r, store.AuditEntry{}, CardUpdateItem(req.ID)); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		e.clock.Advance(time.Minute)
		e.drain(d)
	}
	top := e.slack.TopLevel(testChannel)
	if len(top) != 1 || top[0].Updates < 1 || !strings.Contains(string(top[0].Blocks), "In review") ||
		!strings.Contains(string(top[0].Blocks), "\\u003c@U7\\u003e") {
		t.Fatalf("got %d cards, updates %d, blocks %s; want one updated card showing the new state", len(top), top[0].Updates, top[0].Blocks)
	}
}

// BenchmarkDrainCards measures posting cards end to end: claim, render,
// chat.postMessage to the fake, record, ack (and the original's upload).
func BenchmarkDrainCards(b *testing.B) {
	for _, backend := range backends {
		b.Run(backend, func(b *testing.B) {
			e := newEnv(b, backend)
			d := e.dispatcher(nil)
			ctx := context.Background()
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				draft := subpoena(b)
				draft.ID = ""
				_, _, err := e.store.CreateRequest(ctx, store.Incoming{Raw: []byte("From: a@b.gov\r\n\r\nx " + strconv.Itoa(i)),
					ReceivedAt: draft.ReceivedAt, Request: *draft, Outbox: []store.OutboxItem{CardItem("")}})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if n, err := d.DrainOnce(ctx, e.clock.Now()); err != nil || n == 0 {
					b.Fatalf("drain: %d, %v", n, err)
				}
			}
		})
	}
}

// TestDrainSlackErrors: a request Slack refuses as malformed is
// dead-lettered at once; a configuration error (bot not in the channel)
// keeps the card queued until an operator fixes it.
func TestDrainSlackErrors(t *testing.T) {
	tests := []struct {
		code      string
		wantDead  bool
		wantDepth int
	}{
		{"invalid_blocks", true, 0},
		{"not_in_channel", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			e := newEnv(t, "redis")
			d := e.dispatcher(nil)
			e.receive()
			e.slack.Inject("chat.postMessage", 1, fakeslack.Fault{Error: tt.code})
			e.drain(d)
			st, err := e.store.OutboxStats(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if (st.DeadLetter == 1) != tt.wantDead || st.Depth != tt.wantDepth {
				t.Fatalf("got %+v, want dead %v, depth %d", st, tt.wantDead, tt.wantDepth)
			}
			if !strings.Contains(e.logs.String(), "code="+tt.code) {
				t.Errorf("log lacks the Slack code %s:\n%s", tt.code, e.logs.String())
			}
		})
	}
}
