package bot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// relay is a RawMailer that fails the first `down` sends (as a relay
// outage does), refuses with refuse when set, and keeps what it takes.
type relay struct {
	mu     sync.Mutex
	down   int
	refuse error
	sent   [][]byte
}

func (r *relay) SendRaw(_ context.Context, to []string, raw []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down > 0 {
		r.down--
		return errors.New("mail: connect to relay: connection refused")
	}
	if r.refuse != nil {
		return outbox.Permanent(r.refuse)
	}
	r.sent = append(r.sent, raw)
	return nil
}

func (r *relay) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

// queueReply records a deficiency notice on req and enqueues it, as
// /legal reply's submission does.
func (e *env) queueReply(req *legal.Request, msgID string) {
	e.t.Helper()
	r := e.get(req.ID)
	r.Replies = append(r.Replies, legal.Reply{Kind: "deficiency", MessageID: msgID, To: []string{"asmith@police.example.gov"},
		Subject: "Re: subpoena [" + r.ID + "]", By: "U0ALICE", Queued: e.clock.Now()})
	p := ReplyPayload{RequestID: r.ID, By: "U0ALICE", Kind: "deficiency", What: "a deficiency notice",
		To: []string{"asmith@police.example.gov"}, Subject: "Re: subpoena [" + r.ID + "]", MessageID: msgID,
		Raw: []byte("Message-ID: <" + msgID + ">\r\nSubject: Re: subpoena\r\n\r\nWe need the period.\r\n")}
	if err := e.store.UpdateRequest(context.Background(), r, store.AuditEntry{Actor: "U0ALICE", Action: "reply"}, ReplyItem(p)); err != nil {
		e.t.Fatal(err)
	}
}

// drainAll drains until nothing is due, moving the clock past backoffs.
func (e *env) drainAll(d *outbox.Dispatcher) {
	for range 20 {
		e.drain(d)
		e.clock.Advance(10 * time.Minute)
	}
}

func (e *env) thread(req *legal.Request) string {
	var b strings.Builder
	for _, m := range e.slack.Replies(testChannel, e.get(req.ID).CardTS) {
		b.WriteString(m.Text + "\n")
	}
	return b.String()
}

// TestReplyMailOnce: a relay outage delays the notice and a crash after
// it was recorded does not send it again; either way one mail, one line
// in the thread, one .eml, one audit entry.
func TestReplyMailOnce(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			rl := &relay{down: 2}
			req := e.receive()
			e.drainAll(e.dispatcher(nil)) // the card and the original
			e.queueReply(req, "lebot.1@example.com")

			// The process dies as it acknowledges the sent item.
			crashing := &crashStore{Store: e.store, at: "Ack"}
			d1 := e.dispatcher(crashing)
			RegisterReplyMail(d1, rl, crashing, "/legal")
			for range 5 {
				_, _ = d1.DrainOnce(context.Background(), e.clock.Now())
				e.clock.Advance(10 * time.Minute)
			}
			if rl.count() != 1 || !e.get(req.ID).SentReply("lebot.1@example.com") {
				t.Fatalf("before the crash: %d mails, recorded %v", rl.count(), e.get(req.ID).SentReply("lebot.1@example.com"))
			}
			if !crashing.dead {
				t.Fatal("the process did not die at the acknowledgement")
			}
			// A new process takes over the item once its lease runs out.
			d2 := e.dispatcher(nil)
			RegisterReplyMail(d2, rl, e.store, "/legal")
			e.drainAll(d2)
			if rl.count() != 1 {
				t.Fatalf("mails: %d, want 1", rl.count())
			}
			th := e.thread(req)
			if strings.Count(th, "<@U0ALICE> sent a deficiency notice to asmith@police.example.gov") != 1 ||
				!strings.Contains(th, "`/legal status "+req.ID+" deficient`") {
				t.Errorf("thread:\n%s", th)
			}
			n := 0
			for _, f := range e.slack.Files(testChannel) {
				if f.Name == req.ID+"-reply-1.eml" && string(f.Content) == string(rl.sent[0]) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("sent .eml in the thread: %d, want 1", n)
			}
			audit, _ := e.store.Audit(context.Background(), req.ID)
			sent := 0
			for _, a := range audit {
				if a.Action == AuditReplySent {
					sent++
				}
			}
			if sent != 1 {
				t.Errorf("audit 'reply sent' entries: %d, want 1", sent)
			}
		})
	}
}

// TestReplyMailRefused: a 5xx is quoted in the thread and not retried.
func TestReplyMailRefused(t *testing.T) {
	e := newEnv(t, "bolt")
	rl := &relay{refuse: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Relaying denied"}}
	req := e.receive()
	e.queueReply(req, "lebot.2@example.com")
	d := e.dispatcher(nil)
	RegisterReplyMail(d, rl, e.store, "/legal")
	e.drainAll(d)
	if th := e.thread(req); strings.Count(th, "the mail server refused it, saying “550 5.7.1 Relaying denied”") != 1 {
		t.Errorf("thread:\n%s", th)
	}
	if r := e.get(req.ID); r.SentReply("lebot.2@example.com") || r.Replies[0].Refused != "550 5.7.1 Relaying denied" {
		t.Errorf("reply recorded: %+v", r.Replies)
	}
	if st, _ := e.store.OutboxStats(context.Background()); st.DeadLetter != 1 {
		t.Errorf("dead letters: %d, want the refused notice", st.DeadLetter)
	}
}
