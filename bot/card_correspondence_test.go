package bot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/legal"
)

// correspondenceBlock is the text of the card's correspondence context
// block in blocks as posted, and how many such blocks and elements there
// are ("" and 0 when none).
func correspondenceBlock(tb testing.TB, blocks []byte) (text string, count int) {
	tb.Helper()
	var bs []struct {
		BlockID  string `json:"block_id"`
		Elements []struct {
			Text json.RawMessage `json:"text"` // a button's is an object
		} `json:"elements"`
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		tb.Fatalf("blocks: %v", err)
	}
	for _, b := range bs {
		if b.BlockID == "lebot_correspondence" {
			count++
			for _, e := range b.Elements {
				var s string
				if err := json.Unmarshal(e.Text, &s); err != nil {
					tb.Fatalf("correspondence element: %v", err)
				}
				text += s
				if len(b.Elements) > 1 {
					count++
				}
			}
		}
	}
	return text, count
}

func renderedCorrespondence(tb testing.TB, req *legal.Request, cal *legal.Calendar) (string, int) {
	tb.Helper()
	b, err := json.Marshal(Card(req, time.Date(2026, 12, 7, 9, 0, 0, 0, cal.Location()), cal).Blocks)
	if err != nil {
		tb.Fatal(err)
	}
	return correspondenceBlock(tb, b)
}

// TestCardCorrespondence: the card names the latest replies and
// follow-ups, newest first, in the card's date style, in one context line,
// and counts the rest.
func TestCardCorrespondence(t *testing.T) {
	loc := mustLoc(t)
	cal := legal.NewCalendar(loc)
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, loc) }
	req := subpoena(t)
	if text, n := renderedCorrespondence(t, req, cal); n != 0 || text != "" {
		t.Errorf("no correspondence: got %d blocks %q, want none", n, text)
	}

	req.Replies = []legal.Reply{{Kind: "receipt", MessageID: "a@x", By: "U0ALICE", Queued: at(3, 10, 11), Sent: at(3, 10, 12)}}
	req.FollowUps = []legal.FollowUp{{At: at(4, 9, 30), From: "kim@police.example.gov", Subject: "Re: subpoena"}}
	want := "✉️ *Correspondence:* follow-up received Fri Dec 4, 2026 09:30 PST · receipt notice sent Thu Dec 3, 2026 10:12 PST by <@U0ALICE>"
	if text, n := renderedCorrespondence(t, req, cal); n != 1 || text != want {
		t.Errorf("got %d blocks %q, want one: %q", n, text, want)
	}

	req.Replies = append(req.Replies,
		legal.Reply{Kind: "deficiency", MessageID: "b@x", By: "U0BOB", Queued: at(4, 11, 0), Refused: "550 5.1.1 no such user"},
		legal.Reply{Kind: "custom", MessageID: "c@x", By: "U0CARL", Queued: at(4, 12, 5)})
	req.FollowUps = append(req.FollowUps, legal.FollowUp{At: at(2, 8, 0)})
	want = "✉️ *Correspondence:* reply by <@U0CARL> being sent (submitted Fri Dec 4, 2026 12:05 PST) · " +
		"deficiency notice by <@U0BOB> not sent: the mail server refused it (Fri Dec 4, 2026 11:00 PST) · " +
		"follow-up received Fri Dec 4, 2026 09:30 PST · and 2 more"
	if text, n := renderedCorrespondence(t, req, cal); n != 1 || text != want {
		t.Errorf("five events:\n got %d blocks %q\nwant one: %q", n, text, want)
	}
	// Nothing read from the mail (sender, subject, server's words) is shown.
	if text, _ := renderedCorrespondence(t, req, cal); strings.Contains(text, "kim@") || strings.Contains(text, "Re: subpoena") || strings.Contains(text, "no such user") {
		t.Errorf("correspondence line quotes the mail: %q", text)
	}
}

// TestCardCorrespondenceFollowsReplies: the card in Slack shows a reply
// once the relay took it, and one the server refused, without anyone
// touching the card.
func TestCardCorrespondenceFollowsReplies(t *testing.T) {
	for _, refused := range []bool{false, true} {
		name := map[bool]string{false: "sent", true: "refused"}[refused]
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, "bolt")
			rl := &relay{}
			if refused {
				rl.refuse = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
			}
			req := e.receive()
			d := e.dispatcher(nil)
			RegisterReplyMail(d, rl, e.store, "/legal")
			e.drainAll(d)
			e.queueReply(req, "lebot.9@example.com")
			e.drainAll(d)
			r := e.get(req.ID)
			var card []byte
			for _, m := range e.slack.TopLevel(testChannel) {
				if m.TS == r.CardTS {
					card = m.Blocks
				}
			}
			text, n := correspondenceBlock(t, card)
			want := "✉️ *Correspondence:* deficiency notice sent " + legal.TimeLabel(r.Replies[0].Sent, e.cal.Location()) + " by <@U0ALICE>"
			if refused {
				want = "✉️ *Correspondence:* deficiency notice by <@U0ALICE> not sent: the mail server refused it (" +
					legal.TimeLabel(r.Replies[0].Queued, e.cal.Location()) + ")"
			}
			if n != 1 || text != want {
				t.Errorf("card: got %d blocks %q, want %q", n, text, want)
			}
		})
	}
}
