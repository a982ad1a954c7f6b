package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/intake"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// lackingMail lacks the nature of the emergency and why normal
// disclosure would be too slow.
const lackingMail = "From: Det. Sam Ortiz <sam.ortiz@pd.springfield.gov>\r\nTo: legal@example.com\r\n" +
	"Subject: Emergency disclosure request\r\nDate: Thu, 03 Dec 2026 09:00:00 -0800\r\nMessage-ID: <%s>\r\n\r\n" +
	"Emergency disclosure request.\r\n\r\nPlease provide subscriber information and call detail records for " +
	"+1 (415) 555-0142\r\nfor the period November 1, 2026 through December 2, 2026.\r\n\r\n" +
	"Det. Sam Ortiz, Springfield Police Department\r\nsam.ortiz@pd.springfield.gov, (217) 555-0100\r\n"

// answerMail answers it with the missing facts: From, Subject, Message-ID
// and In-Reply-To/References headers are filled in.
const answerMail = "From: %s\r\nTo: legal@example.com\r\nSubject: %s\r\n" +
	"Date: Thu, 03 Dec 2026 10:00:00 -0800\r\nMessage-ID: <%s>\r\n%s\r\n" +
	"The nature of the emergency: a 15-year-old girl was abducted at gunpoint this morning and her\r\n" +
	"life is in danger. The phone belongs to the suspect; its records would help us locate her, and\r\n" +
	"a court order would take days we do not have: she may be killed before then.\r\n\r\nDet. Sam Ortiz\r\n\r\n" +
	"On Thu, Dec 3, 2026 at 9:30 AM Legal <legal@example.com> wrote:\r\n" +
	"> Your request cannot be processed because it lacks:\r\n" +
	"> - the nature of the emergency: a good-faith belief of a danger of death or serious physical injury\r\n"

func answer(from, subject, msgID, refs string) []byte {
	return fmt.Appendf(nil, answerMail, from, subject, msgID, refs)
}

func sinkStores(t *testing.T) map[string]store.Store {
	t.Helper()
	bolt, err := store.OpenBolt(store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bolt.Close() })
	url := testredis.URL(t)
	rs, err := store.Open(context.Background(), store.Config{RedisURL: url, KeyPrefix: testredis.PrefixCleanup(t, url)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	return map[string]store.Store{"bolt": bolt, "redis": rs}
}

func sinkService(t *testing.T, st store.Store) *intake.Service {
	t.Helper()
	svc, err := intake.NewService(intake.ServiceConfig{Sink: StoreSink{Store: st, Location: time.UTC}, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestFollowUpJoins: replies naming the request's Message-ID, or its id
// in the subject from the same domain, join the request (once, however
// often delivered) and pass what they supply; mail naming it from
// another domain gets its own request and both threads say so.
func TestFollowUpJoins(t *testing.T) {
	for name, st := range sinkStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			svc := sinkService(t, st)
			orig := fmt.Appendf(nil, lackingMail, "em-"+name+"@pd.springfield.gov")
			req, created, err := svc.Accept(ctx, orig, "smtp", nil)
			if err != nil || !created {
				t.Fatalf("original: %v, %v", created, err)
			}
			if m := legal.Missing(req.Checklist()); !slices.Equal(m, []legal.ItemID{legal.ItemDangerDescription, legal.ItemUrgencyJustification}) {
				t.Fatalf("original misses %v; the test needs the emergency's nature and urgency missing", m)
			}
			before, _ := st.OutboxStats(ctx)

			// A bare acknowledgement quoting the notice's words answers nothing.
			ack := []byte("From: Det. Sam Ortiz <sam.ortiz@pd.springfield.gov>\r\nTo: legal@example.com\r\n" +
				"Subject: Re: Emergency disclosure request [" + req.ID + "]\r\nMessage-ID: <ack-" + name + "@pd.springfield.gov>\r\n\r\n" +
				"Thanks, will get back to you.\r\n\r\n> - the nature of the emergency: a good-faith belief of a danger of death or serious physical injury\r\n" +
				"> - how the information would help avert the danger, and why normal disclosure would be too slow\r\n")
			if got, created, err := svc.Accept(ctx, ack, "smtp", nil); err != nil || created || got.ID != req.ID {
				t.Fatalf("acknowledgement: got %v created=%v, %v", got, created, err)
			}
			if m := legal.Missing(getReq(t, st, req.ID).Checklist()); len(m) != 2 {
				t.Fatalf("after a bare acknowledgement: missing %v, want both items still", m)
			}
			before, _ = st.OutboxStats(ctx)

			reply := answer("Det. Sam Ortiz <sam.ortiz@pd.springfield.gov>", "Re: Emergency disclosure request",
				"re-1-"+name+"@pd.springfield.gov", "In-Reply-To: <em-"+name+"@pd.springfield.gov>\r\n")
			for range 2 { // a redelivery joins nothing more
				got, created, err := svc.Accept(ctx, reply, "smtp", nil)
				if err != nil || created || got.ID != req.ID {
					t.Fatalf("reply: got %v created=%v, %v; want %s joined", got, created, err, req.ID)
				}
			}
			after := getReq(t, st, req.ID)
			if m := legal.Missing(after.Checklist()); len(m) != 0 {
				t.Errorf("after the reply: still missing %v", m)
			}
			if len(after.FollowUps) != 2 {
				t.Fatalf("follow-ups: %+v", after.FollowUps)
			}
			// The reason names the day the reply came (the sink's zone is
			// UTC), which is today.
			got := after.FollowUps[1].At
			if time.Since(got) > time.Minute || time.Since(got) < 0 {
				t.Errorf("follow-up received at %v, want just now", got)
			}
			want := "met by follow-up of " + got.UTC().Format("Mon Jan 2, 2006")
			for _, r := range after.Checklist() {
				if r.Item == legal.ItemDangerDescription && r.Reason != want {
					t.Errorf("reason: %q, want %q", r.Reason, want)
				}
			}
			if raw, err := st.RawMessage(ctx, after.FollowUps[1].RawID); err != nil || string(raw) != string(reply) {
				t.Errorf("follow-up raw: %v", err)
			}
			if st2, _ := st.OutboxStats(ctx); st2.Depth != before.Depth+3 {
				t.Errorf("outbox grew by %d, want 3 (card update, thread line, .eml)", st2.Depth-before.Depth)
			}
			var sent []store.OutboxItem
			sent = append(sent, pending(t, st)...)
			for _, k := range []string{bot.KindCard, bot.KindCardUpdate, bot.KindThread, bot.KindEml} {
				if !slices.ContainsFunc(sent, func(it store.OutboxItem) bool { return it.Kind == k }) {
					t.Errorf("outbox lacks %s", k)
				}
			}
			if count(t, st) != 1 {
				t.Errorf("requests: got %d, want 1", count(t, st))
			}

			// The id in the subject, same domain, no references: joins.
			bySubject := answer("Lt. Kim Park <kim.park@pd.springfield.gov>", "More on ["+req.ID+"]", "re-2-"+name+"@pd.springfield.gov", "")
			if got, created, err := svc.Accept(ctx, bySubject, "smtp", nil); err != nil || created || got.ID != req.ID {
				t.Fatalf("by subject: got %v created=%v, %v", got, created, err)
			}
			// The id in the subject and the Message-ID from elsewhere: its own request.
			spoof := answer("Someone <tips@freemail.example>", "Re: ["+req.ID+"]", "re-3-"+name+"@freemail.example",
				"In-Reply-To: <em-"+name+"@pd.springfield.gov>\r\n")
			own, created, err := svc.Accept(ctx, spoof, "smtp", nil)
			if err != nil || !created || own.ID == req.ID {
				t.Fatalf("other domain: got %v created=%v, %v; want a request of its own", own, created, err)
			}
			if n := len(getReq(t, st, req.ID).FollowUps); n != 3 {
				t.Errorf("follow-ups after the other domain's mail: %d, want 3", n)
			}
			sent = append(sent, pending(t, st)...)
			texts := threadTexts(t, sent)
			if !anyContains(texts[own.ID], "names "+req.ID) || !anyContains(texts[req.ID], "its own request, "+own.ID) {
				t.Errorf("threads do not link the two: %v", texts)
			}
		})
	}
}

func getReq(t *testing.T, st store.Store, id string) *legal.Request {
	t.Helper()
	r, err := st.GetRequest(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func count(t *testing.T, st store.Store) int {
	t.Helper()
	n, err := st.CountByStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range n {
		total += c
	}
	return total
}

// pending claims every outbox item (the test's store has no dispatcher).
func pending(t *testing.T, st store.Store) []store.OutboxItem {
	t.Helper()
	var all []store.OutboxItem
	at := time.Now().Add(time.Hour)
	for {
		items, err := st.Claim(context.Background(), at, time.Hour, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			all = append(all, it)
			_ = st.Ack(context.Background(), it.ID)
		}
	}
	return all
}

// threadTexts is the thread lines among items, by request.
func threadTexts(t *testing.T, items []store.OutboxItem) map[string][]string {
	out := map[string][]string{}
	for _, it := range items {
		if it.Kind != bot.KindThread {
			continue
		}
		var p bot.ThreadPayload
		if err := json.Unmarshal(it.Payload, &p); err != nil {
			t.Fatal(err)
		}
		out[it.RequestID] = append(out[it.RequestID], p.Text)
	}
	return out
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// subpoenaFrom is a subpoena from the Springfield police.
const subpoenaFrom = "From: Det. Sam Ortiz <sam.ortiz@pd.springfield.gov>\r\nTo: legal@example.com\r\n" +
	"Subject: Grand jury subpoena\r\nDate: Thu, 03 Dec 2026 09:00:00 -0800\r\nMessage-ID: <%s>\r\n\r\n" +
	"Grand jury subpoena for subscriber information for (415) 555-0100.\r\n"

// TestEmergencyNamingARequestIsNew: an emergency that names an earlier,
// non-emergency request of the same agency is a new request that pages;
// a follow-up to a closed request is announced in the channel.
func TestEmergencyNamingARequestIsNew(t *testing.T) {
	st := sinkStores(t)["bolt"]
	ctx := context.Background()
	svc := sinkService(t, st)
	sub, created, err := svc.Accept(ctx, fmt.Appendf(nil, subpoenaFrom, "sub-1@pd.springfield.gov"), "smtp", nil)
	if err != nil || !created || legal.IsEmergency(sub) {
		t.Fatalf("subpoena: %v %v", created, err)
	}
	em := fmt.Appendf(nil, lackingMail, "em-names@pd.springfield.gov")
	em = []byte(strings.Replace(string(em), "Subject: Emergency disclosure request", "Subject: Emergency disclosure request ["+sub.ID+"]", 1))
	got, created, err := svc.Accept(ctx, em, "smtp", nil)
	if err != nil || !created || got.ID == sub.ID || got.NextEscalation.IsZero() {
		t.Fatalf("emergency: got %+v created=%v, %v; want a new request that pages", got, created, err)
	}
	texts := threadTexts(t, pending(t, st))
	if !anyContains(texts[got.ID], "names "+sub.ID) || !anyContains(texts[sub.ID], "its own card, "+got.ID) {
		t.Errorf("threads: %v", texts)
	}

	closed := getReq(t, st, sub.ID)
	closed.Status = legal.StatusClosed
	if err := st.UpdateRequest(ctx, closed, store.AuditEntry{Actor: "U1", Action: "status"}); err != nil {
		t.Fatal(err)
	}
	re := answer("Det. Sam Ortiz <sam.ortiz@pd.springfield.gov>", "Re: Grand jury subpoena", "re-closed@pd.springfield.gov",
		"In-Reply-To: <sub-1@pd.springfield.gov>\r\n")
	if got, created, err := svc.Accept(ctx, re, "smtp", nil); err != nil || created || got.ID != sub.ID {
		t.Fatalf("follow-up to the closed request: %v %v %v", got, created, err)
	}
	var line *bot.ThreadPayload
	for _, it := range pending(t, st) {
		var p bot.ThreadPayload
		if it.Kind == bot.KindThread && json.Unmarshal(it.Payload, &p) == nil && p.RequestID == sub.ID {
			line = &p
		}
	}
	if line == nil || !line.Broadcast || !strings.Contains(line.Text, "The request is *Closed*") {
		t.Errorf("follow-up line: %+v", line)
	}
}
