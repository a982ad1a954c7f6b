package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
)

// agencyMTA is the agency's receiving mail server (OUTBOUND_SMTP_URL
// points at it): a real SMTP server that keeps what it accepts and
// refuses recipients at refuseDomain with a 550.
type agencyMTA struct {
	addr         string
	refuseDomain string
	mu           sync.Mutex
	got          []agencyMail
}

type agencyMail struct {
	From string
	To   []string
	Data []byte
}

func newAgencyMTA(tb testing.TB, refuseDomain string) *agencyMTA {
	tb.Helper()
	a := &agencyMTA{refuseDomain: refuseDomain}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &agencySession{mta: a}, nil }))
	srv.Domain = "mx.agency.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	a.addr = ln.Addr().String()
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return a
}

func (a *agencyMTA) mails() []agencyMail {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]agencyMail(nil), a.got...)
}

type agencySession struct {
	mta  *agencyMTA
	from string
	to   []string
}

func (s *agencySession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *agencySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.mta.refuseDomain != "" && strings.HasSuffix(to, "@"+s.mta.refuseDomain) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	s.to = append(s.to, to)
	return nil
}
func (s *agencySession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mta.mu.Lock()
	defer s.mta.mu.Unlock()
	s.mta.got = append(s.mta.got, agencyMail{From: s.from, To: s.to, Data: b})
	return nil
}
func (s *agencySession) Reset()        { s.from, s.to = "", nil }
func (s *agencySession) Logout() error { return nil }

// sendIntake delivers raw to lebot's SMTP intake.
func sendIntake(t *testing.T, addr, from string, raw []byte) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail(from, []string{"legal@example.com"}, bytes.NewReader(raw)); err != nil {
		t.Fatalf("SMTP intake: %v", err)
	}
	c.Quit()
}

// serveReplies runs serve against the fake Slack, with the agency's MTA
// as the outbound relay and the store named (bolt or redis).
func serveReplies(t *testing.T, backend string, mta *agencyMTA) (*fakeslack.Server, map[string]string) {
	t.Helper()
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	env["OUTBOUND_SMTP_URL"] = "smtp://" + mta.addr
	env["MAIL_FROM"] = "Acme Legal <legal@example.com>"
	env["COMPANY_NAME"] = "Acme Voice"
	if backend == "redis" {
		url := testredis.URL(t)
		env["REDIS_URL"], env["REDIS_KEY_PREFIX"] = url, testredis.PrefixCleanup(t, url)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs syncBuffer
	go func() { done <- Serve(ctx, envOf(env), Options{Log: &logs, OutboxPoll: testPoll}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
		if strings.Contains(logs.String(), "abducted") {
			t.Error("logs contain the follow-up's text")
		}
	})
	base := "http://127.0.0.1:" + env["PORT"]
	waitFor(t, "/readyz", func() bool { return httpStatus(base+"/readyz") == 200 })
	fake.SetApp(base, env["SLACK_SIGNING_SECRET"])
	return fake, env
}

// threadText is every message in the card's thread, joined.
func threadText(fake *fakeslack.Server, card fakeslack.Message) string {
	var b strings.Builder
	for _, m := range fake.Replies("C0LEGAL", card.TS) {
		b.WriteString(m.Text + "\n")
	}
	return b.String()
}

// latestCard is the card's text as last posted or updated.
func latestCard(fake *fakeslack.Server, card fakeslack.Message) string {
	text := card.Text + string(card.Blocks)
	for _, c := range fake.Calls("chat.update") {
		if c.Params.Get("ts") == card.TS {
			text = c.Params.Get("text") + c.Params.Get("blocks")
		}
	}
	return text
}

// TestReplyDeficiencyAndFollowUp is issue 16's "done when", end to end
// over real SMTP both ways, the fake Slack's HTTP endpoints and each
// store: an emergency lacking its nature and urgency; /legal reply ID
// deficiency opens a draft naming both in the policy's words; nothing is
// sent before submit; after it one mail reaches the agent, in the
// request's thread, from MAIL_FROM; the thread and audit say so; the
// agency's reply with the facts joins the request, appears in its thread
// and leaves no failed item on the card.
func TestReplyDeficiencyAndFollowUp(t *testing.T) {
	for _, backend := range []string{"bolt", "redis"} {
		t.Run(backend, func(t *testing.T) {
			mta := newAgencyMTA(t, "")
			fake, env := serveReplies(t, backend, mta)
			member := env["LEGAL_USERS"]
			origID := "em-e2e-" + backend + "@pd.springfield.gov"
			sendIntake(t, env["SMTP_ADDR"], "sam.ortiz@pd.springfield.gov", fmt.Appendf(nil, lackingMail, origID))
			waitFor(t, "the card", func() bool { return len(fake.TopLevel("C0LEGAL")) == 1 })
			card := fake.TopLevel("C0LEGAL")[0]
			id := idRE.FindString(card.Text + string(card.Blocks))
			if id == "" {
				t.Fatalf("no request id on the card: %s", card.Text)
			}

			if c := latestCard(fake, card); !strings.Contains(c, "2 failed") || !strings.Contains(c, "❌") {
				t.Fatalf("the card should show the two failed items first: %s", c)
			}
			a := fake.SlashCommand(member, "C0LEGAL", "reply "+id+" deficiency")
			if a.Error != "" || a.Status != 200 {
				t.Fatalf("/legal reply: %+v", a)
			}
			var view fakeslack.View
			for _, v := range fake.Views() {
				if v.CallbackID == "lebot_reply" {
					view = v
				}
			}
			if view.ID == "" {
				t.Fatalf("no reply modal opened; answer %s", a.Body)
			}
			draft := string(view.JSON)
			for _, w := range []string{"the nature of the emergency", "why normal disclosure would be too slow",
				"Re: Emergency disclosure request [" + id + "]", "sam.ortiz@pd.springfield.gov", "Acme Voice"} {
				if !strings.Contains(draft, w) {
					t.Errorf("draft lacks %q", w)
				}
			}
			if n := len(mta.mails()); n != 0 {
				t.Fatalf("%d mails sent before submit", n)
			}

			body := "We need the nature of the emergency and why normal disclosure would be too slow."
			sub, err := fake.Submit(member, view.ID, map[string]map[string]any{
				"to":      {"v": map[string]any{"type": "plain_text_input", "value": "sam.ortiz@pd.springfield.gov"}},
				"subject": {"v": map[string]any{"type": "plain_text_input", "value": "Re: Emergency disclosure request [" + id + "]"}},
				"body":    {"v": map[string]any{"type": "plain_text_input", "value": body}},
			})
			if err != nil || !sub.Closed {
				t.Fatalf("submit: %+v, %v", sub, err)
			}
			waitFor(t, "the mail at the agency", func() bool { return len(mta.mails()) == 1 })
			got := mta.mails()[0]
			msg, err := mail.ReadMessage(bytes.NewReader(got.Data))
			if err != nil {
				t.Fatal(err)
			}
			if len(got.To) != 1 || got.To[0] != "sam.ortiz@pd.springfield.gov" || got.From != "legal@example.com" {
				t.Errorf("envelope: from %q to %v", got.From, got.To)
			}
			h := msg.Header
			if h.Get("In-Reply-To") != "<"+origID+">" || h.Get("References") != "<"+origID+">" ||
				!strings.Contains(h.Get("Subject"), "["+id+"]") || !strings.Contains(h.Get("From"), "legal@example.com") {
				t.Errorf("headers: %v", h)
			}
			noticeID := strings.Trim(h.Get("Message-ID"), "<>")
			waitFor(t, "the thread note and the sent .eml", func() bool {
				th := threadText(fake, card)
				return strings.Contains(th, "<@"+member+"> sent a deficiency notice to sam.ortiz@pd.springfield.gov") &&
					strings.Contains(th, "/legal status "+id+" deficient") && hasThreadFile(fake, card, "reply-1.eml", got.Data)
			})
			code, audit := postSlash(t, "http://127.0.0.1:"+env["PORT"], env["SLACK_SIGNING_SECRET"], member, "audit "+id, nil)
			if code != 200 || !strings.Contains(audit.Text+string(audit.Blocks), "<@"+member+"> sent a deficiency notice — to sam.ortiz@pd.springfield.gov") {
				t.Errorf("audit: %d %s %s", code, audit.Text, audit.Blocks)
			}

			// The agency answers in the same thread with the missing facts.
			re := answer("Det. Sam Ortiz <sam.ortiz@pd.springfield.gov>", "Re: Emergency disclosure request ["+id+"]",
				"re-e2e-"+backend+"@pd.springfield.gov", "In-Reply-To: <"+noticeID+">\r\nReferences: <"+origID+"> <"+noticeID+">\r\n")
			sendIntake(t, env["SMTP_ADDR"], "sam.ortiz@pd.springfield.gov", re)
			waitFor(t, "the follow-up in the thread", func() bool {
				return strings.Contains(threadText(fake, card), "Follow-up from sam.ortiz@pd.springfield.gov") &&
					hasThreadFile(fake, card, "follow-up-1.eml", re)
			})
			waitFor(t, "the card without a failed item", func() bool {
				c := latestCard(fake, card)
				return strings.Contains(c, "passed") && !strings.Contains(c, "failed") && !strings.Contains(c, "❌")
			})
			_, audit = postSlash(t, "http://127.0.0.1:"+env["PORT"], env["SLACK_SIGNING_SECRET"], member, "audit "+id, nil)
			if !strings.Contains(audit.Text+string(audit.Blocks), "lebot added a follow-up from the agency — by e-mail; now met: Danger of death or serious injury described") {
				t.Errorf("audit after the follow-up: %s %s", audit.Text, audit.Blocks)
			}
			th := threadText(fake, card)
			if !strings.Contains(th, "nobody is paged again") || !strings.Contains(th, "Every checklist item is now met") {
				t.Errorf("thread: %s", th)
			}
			if n := len(fake.TopLevel("C0LEGAL")); n != 1 {
				t.Errorf("top-level messages: %d, want the one card", n)
			}
			if n := len(mta.mails()); n != 1 {
				t.Errorf("mails at the agency: %d, want 1", n)
			}
		})
	}
}

// hasThreadFile reports whether the card's thread carries a file whose
// name ends in suffix with exactly content.
func hasThreadFile(fake *fakeslack.Server, card fakeslack.Message, suffix string, content []byte) bool {
	for _, m := range fake.Replies("C0LEGAL", card.TS) {
		for _, f := range m.Files {
			if strings.HasSuffix(f.Name, suffix) && bytes.Equal(f.Content, content) {
				return true
			}
		}
	}
	return false
}

// TestReplyRefusedAndNoRelay: a relay's refusal is shown in the thread in
// the server's words and sent nothing; without OUTBOUND_SMTP_URL the
// command says how to set it up.
func TestReplyRefusedAndNoRelay(t *testing.T) {
	mta := newAgencyMTA(t, "pd.springfield.gov")
	fake, env := serveReplies(t, "bolt", mta)
	member := env["LEGAL_USERS"]
	sendIntake(t, env["SMTP_ADDR"], "sam.ortiz@pd.springfield.gov", fmt.Appendf(nil, lackingMail, "em-refused@pd.springfield.gov"))
	waitFor(t, "the card", func() bool { return len(fake.TopLevel("C0LEGAL")) == 1 })
	card := fake.TopLevel("C0LEGAL")[0]
	id := idRE.FindString(card.Text + string(card.Blocks))
	fake.SlashCommand(member, "C0LEGAL", "reply "+id+" receipt")
	views := fake.Views()
	view := views[len(views)-1]
	if view.CallbackID != "lebot_reply" || !strings.Contains(string(view.JSON), "has received your emergency disclosure request") {
		t.Fatalf("receipt modal: %s", view.JSON)
	}
	val := func(s string) map[string]any {
		return map[string]any{"v": map[string]any{"type": "plain_text_input", "value": s}}
	}
	sub, err := fake.Submit(member, view.ID, map[string]map[string]any{"to": val("sam.ortiz@pd.springfield.gov"),
		"subject": val("Re: Emergency disclosure request [" + id + "]"), "body": val("Received.")})
	if err != nil || !sub.Closed {
		t.Fatalf("submit: %+v %v", sub, err)
	}
	waitFor(t, "the refusal in the thread", func() bool {
		return strings.Contains(threadText(fake, card), "the mail server refused it, saying “550 5.1.1 No such user here”")
	})
	if n := len(mta.mails()); n != 0 {
		t.Errorf("mails accepted: %d", n)
	}

	fake2 := fakeslack.New(t)
	env2 := testEnv(t, fake2)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, envOf(env2), Options{Log: io.Discard, OutboxPoll: testPoll}) }()
	defer func() { cancel(); <-done }()
	base := "http://127.0.0.1:" + env2["PORT"]
	waitFor(t, "/readyz", func() bool { return httpStatus(base+"/readyz") == 200 })
	sendIntake(t, env2["SMTP_ADDR"], "sam.ortiz@pd.springfield.gov", fmt.Appendf(nil, lackingMail, "em-norelay@pd.springfield.gov"))
	waitFor(t, "the card", func() bool { return len(fake2.TopLevel("C0LEGAL")) == 1 })
	id2 := idRE.FindString(fake2.TopLevel("C0LEGAL")[0].Text + string(fake2.TopLevel("C0LEGAL")[0].Blocks))
	_, rep := postSlash(t, base, env2["SLACK_SIGNING_SECRET"], env2["LEGAL_USERS"], "reply "+id2+" deficiency", nil)
	if !strings.Contains(rep.Text, "`OUTBOUND_SMTP_URL`") || !strings.Contains(rep.Text, "`MAIL_FROM`") {
		t.Errorf("no relay: %q", rep.Text)
	}
}
