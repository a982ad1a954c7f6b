package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestRetentionCorrespondence: retention deletes what the agency's later
// mail and lebot's replies carried, as it does for the request's own
// message: the follow-ups' raw messages, senders and subjects, and the
// replies' recipients, subjects and a mail server's refusal (which quotes
// the address). When each came or went, who sent it and what it met stay.
func TestRetentionCorrespondence(t *testing.T) {
	for _, backend := range []string{"redis", "bolt"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, backend)
			r := e.create(func(r *legal.Request) {
				r.Facts.Identifiers = []string{"+14155550100"}
				r.From, r.Subject = "kim@pd.gov", "Records for 555-0100"
			})
			got := e.get(r.ID)
			fuAt := e.clock.Now().Add(time.Hour)
			fu := legal.FollowUp{At: fuAt, On: legal.DateOf(fuAt.In(la)), MessageID: "answer-1@pd.gov",
				From: "kim@pd.gov", Subject: "RE: Records for 555-0100 [" + r.ID + "]", RawID: store.FollowUpRawID(r.ID, 1),
				Met: []legal.ItemID{legal.ItemTimePeriod}}
			got.FollowUps = append(got.FollowUps, fu)
			added, err := e.store.AddFollowUp(ctx, got, store.FollowUpMessage{MessageID: fu.MessageID,
				Raw: []byte("Message-ID: <answer-1@pd.gov>\r\nFrom: kim@pd.gov\r\n\r\nThe period is May 2026.\r\n")},
				store.AuditEntry{At: fuAt, Actor: "smtp", Action: "follow_up"})
			if err != nil || !added {
				t.Fatalf("add follow-up: %v (added %v)", err, added)
			}
			sent := fuAt.Add(time.Hour)
			e.update(r.ID, func(r *legal.Request) {
				r.Replies = []legal.Reply{
					{Kind: "receipt", MessageID: "lebot.1@example.com", To: []string{"kim@pd.gov"},
						Subject: "Re: Records for 555-0100 [" + r.ID + "]", By: "U0ALICE", Queued: sent, Sent: sent},
					{Kind: "custom", MessageID: "lebot.2@example.com", To: []string{"kim.typo@pd.gov"},
						Subject: "Re: Records for 555-0100", By: "U0BOB", Queued: sent,
						Refused: "550 5.1.1 <kim.typo@pd.gov>: Recipient address rejected"},
				}
				r.Status, r.ClosedAt = legal.StatusClosed, at(2026, 3, 3, 10, 0)
			})
			if _, err := e.store.RawMessage(ctx, fu.RawID); err != nil {
				t.Fatalf("follow-up raw before retention: %v", err)
			}
			now := at(2026, 6, 10, 3, 0)
			e.clock.Set(now)
			ret, err := NewRetention(e.store, 90, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ids, err := ret.Run(ctx, now, false); err != nil || len(ids) != 1 {
				t.Fatalf("run: got %v, %v, want [%s]", ids, err, r.ID)
			}
			e.drain()

			p := e.get(r.ID)
			if _, err := e.store.RawMessage(ctx, fu.RawID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("follow-up raw after retention: got %v, want ErrNotFound", err)
			}
			body, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{"kim@pd.gov", "kim.typo@pd.gov", "555-0100", "Recipient address rejected"} {
				if strings.Contains(string(body), secret) {
					t.Errorf("purged request still holds %q: %s", secret, body)
				}
			}
			if len(p.FollowUps) != 1 {
				t.Fatalf("follow-ups after retention: got %+v, want the one kept", p.FollowUps)
			}
			if f := p.FollowUps[0]; !f.At.Equal(fu.At) || f.On != fu.On || f.MessageID != fu.MessageID || f.RawID != fu.RawID ||
				len(f.Met) != 1 || f.Met[0] != legal.ItemTimePeriod || f.From != "" || f.Subject != "" {
				t.Errorf("follow-up after retention: got %+v, want when it came and what it met kept, sender and subject gone", f)
			}
			if len(p.Replies) != 2 {
				t.Fatalf("replies after retention: got %+v, want both kept", p.Replies)
			}
			if x := p.Replies[0]; x.Kind != "receipt" || x.By != "U0ALICE" || !x.Sent.Equal(sent) || x.MessageID != "lebot.1@example.com" ||
				len(x.To) != 0 || x.Subject != "" || x.Refused != "" {
				t.Errorf("sent reply after retention: got %+v, want kind, sender and time kept, recipients and subject gone", x)
			}
			if x := p.Replies[1]; x.Kind != "custom" || x.By != "U0BOB" || x.Refused == "" || !x.Sent.IsZero() || len(x.To) != 0 || x.Subject != "" {
				t.Errorf("refused reply after retention: got %+v, want it still refused, without the server's words", x)
			}
			if m, ok := p.MetBy(legal.ItemTimePeriod); !ok || !m.At.Equal(fu.At) {
				t.Errorf("MetBy after retention: got %+v, %v, want the follow-up still credited", m, ok)
			}
			if thread, err := e.store.ThreadOf(ctx, fu.MessageID); err != nil || thread != r.ID {
				t.Errorf("ThreadOf(follow-up) after retention: got %q, %v, want %s (later mail still joins the request)", thread, err, r.ID)
			}
		})
	}
}
