package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot/email"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// KindReplyMail sends an answer to an agency (ReplyPayload).
const KindReplyMail = "mail.reply"

// ReplyPayload is an answer to an agency (recorded on the request as a
// legal.Reply when submitted), written in full when a team member
// submitted it: the bytes sent, so a retry sends the very same
// message (same Message-ID and Date), and the .eml in the thread is
// exactly what went out.
type ReplyPayload struct {
	RequestID string   `json:"request_id"`
	By        string   `json:"by"`         // Slack user id of who submitted it
	Kind      string   `json:"kind"`       // receipt, deficiency or custom
	What      string   `json:"what"`       // "a deficiency notice", for the thread
	To        []string `json:"to"`         // bare addresses
	Subject   string   `json:"subject"`    // as sent
	MessageID string   `json:"message_id"` // lebot's own, without <>
	Raw       []byte   `json:"raw"`
}

// ReplyItem is the outbox item that sends p. It is not in the thread's
// order group: a stuck thread line must not hold a mail back.
func ReplyItem(p ReplyPayload) store.OutboxItem { return item(KindReplyMail, p.RequestID, p) }

// RawMailer sends a message already written; *email.Mailer is one.
type RawMailer interface {
	SendRaw(ctx context.Context, to []string, raw []byte) error
}

var _ RawMailer = (*email.Mailer)(nil)

// RegisterReplyMail registers the sender of answers to agencies. Each
// goes out once: a retried item first looks on the request for the
// reply recorded after the relay took it (FindThenSend by Message-ID).
// The one gap no relay lets lebot close, a crash between the relay's 250
// and that record, re-sends the same bytes with the same Message-ID, which
// mail systems treat as one message. Once sent, the request records it
// with an audit entry, a line in the thread ("@alice sent a deficiency
// notice to …"), the sent message as .eml and a card update, in one
// update. A refusal (5xx) is shown in the thread in the server's words
// and is not retried; anything else is retried with backoff. cmd is the
// slash command's name for the hint after a deficiency notice.
func RegisterReplyMail(d *outbox.Dispatcher, m RawMailer, st Store, cmd string) {
	if cmd == "" {
		cmd = "/legal"
	}
	d.Handle(KindReplyMail, "email", func(ctx context.Context, it store.OutboxItem) error {
		var p ReplyPayload
		if err := outbox.Decode(it, &p); err != nil {
			return err
		}
		if it.RequestID != "" {
			p.RequestID = it.RequestID
		}
		if p.RequestID == "" || p.MessageID == "" || len(p.Raw) == 0 {
			return outbox.Permanent(fmt.Errorf("outbox item %s: incomplete reply", it.ID))
		}
		return outbox.FindThenSend(ctx, it, func(ctx context.Context) (bool, error) {
			r, err := st.GetRequest(ctx, p.RequestID)
			if err != nil {
				return false, err
			}
			return r.SentReply(p.MessageID), nil
		}, func(ctx context.Context) error {
			err := m.SendRaw(ctx, p.To, p.Raw)
			if err != nil && outbox.IsPermanent(err) {
				if rerr := recordReply(ctx, st, p, err, cmd); rerr != nil {
					return rerr // retried: recording the refusal must not be lost
				}
				return err
			}
			if err != nil {
				return err
			}
			return recordReply(ctx, st, p, nil, cmd)
		})
	})
}

// recordReply records on the request that p was sent (refused nil) or
// refused, with its audit entry and thread line.
func recordReply(ctx context.Context, st Store, p ReplyPayload, refused error, cmd string) error {
	to := strings.Join(p.To, ", ")
	for attempt := 0; ; attempt++ {
		r, err := st.GetRequest(ctx, p.RequestID)
		if errors.Is(err, store.ErrNotFound) {
			return outbox.Permanent(err)
		}
		if err != nil {
			return err
		}
		var (
			audit store.AuditEntry
			items []store.OutboxItem
		)
		if refused != nil {
			words, ok := email.Refusal(refused)
			if !ok {
				words = refused.Error()
			}
			if x, ok := r.ReplyByID(p.MessageID); ok {
				x.Refused = words
			}
			audit = store.AuditEntry{Actor: "lebot", Action: "reply refused", After: p.Kind, Note: "to " + to + ": " + words}
			items = []store.OutboxItem{ThreadItem(r.ID, fmt.Sprintf("⚠️ %s to %s was not sent: the mail server refused it, saying “%s”. Check the address and send it again with `%s reply %s %s`.",
				capitalize(p.What), esc(to), esc(words), cmd, r.ID, p.Kind), false)}
		} else {
			x, ok := r.ReplyByID(p.MessageID)
			if !ok {
				r.Replies = append(r.Replies, legal.Reply{Kind: p.Kind, MessageID: p.MessageID, To: p.To, Subject: p.Subject, By: p.By})
				x = &r.Replies[len(r.Replies)-1]
			}
			if !x.Sent.IsZero() {
				return nil
			}
			x.Sent, x.Refused = time.Now(), ""
			audit = store.AuditEntry{Actor: p.By, Action: "reply sent", After: p.Kind, Note: "to " + to + ": " + p.Subject}
			text := fmt.Sprintf("📤 %s sent %s to %s: “%s”.", Mention(p.By), p.What, esc(to), esc(p.Subject))
			if p.Kind == "deficiency" && r.Status != legal.StatusDeficient && r.Status.Open() {
				text += fmt.Sprintf("\nWhile the agency supplies what is missing, mark the request deficient: `%s status %s deficient`.", cmd, r.ID)
			}
			n := 1
			for _, y := range r.Replies {
				if y.MessageID == p.MessageID {
					break
				}
				n++
			}
			name := fmt.Sprintf("%s-reply-%d.eml", r.ID, n)
			items = []store.OutboxItem{CardUpdateItem(r.ID), ThreadItem(r.ID, text, false),
				EmlItem(EmlPayload{RequestID: r.ID, Content: p.Raw, Name: name, Title: "Sent: " + p.Subject})}
		}
		err = st.UpdateRequest(ctx, r, audit, items...)
		if errors.Is(err, store.ErrConflict) && attempt < 5 {
			continue
		}
		return err
	}
}
