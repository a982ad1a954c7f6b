package commands

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/reply"
	"github.com/lebot-dev/lebot/store"
)

// viewReply is the callback id of the reply modal.
const viewReply = "lebot_reply"

// Replies configures /legal reply; nil in Config when no outbound mail
// relay is set up.
type Replies struct {
	Templates *reply.Templates
	From      *mail.Address // MAIL_FROM
	Company   string        // COMPANY_NAME
}

func init() {
	register(&subcommand{name: "reply", usage: "ID receipt|deficiency|custom",
		summary: "write to the agency: a receipt or deficiency notice, or your own message, in a form you review before it is sent",
		run:     runReply})
}

// errNoRelay explains how to turn replies on.
var errNoRelay = userErrorf("lebot cannot send mail yet: no mail relay is set up. Ask whoever runs lebot to set " +
	"`OUTBOUND_SMTP_URL` (the relay, e.g. `smtp://user:password@smtp.example.com:587`) and `MAIL_FROM` " +
	"(the address agencies see and answer to), then restart it.")

func runReply(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 2 {
		return nil, errUsage()
	}
	kind, ok := reply.ParseKind(in.args[1])
	if !ok {
		return nil, usageErrorf("Unknown kind of reply `%s`. Use `receipt`, `deficiency` or `custom`.", in.args[1])
	}
	if c.replies == nil {
		return nil, errNoRelay
	}
	req, err := c.lookup(ctx, in.args[0])
	if err != nil {
		return nil, err
	}
	if kind == reply.Deficiency && len(reply.DataOf(req, c.replies.Company, c.cal).Missing) == 0 {
		return nil, userErrorf("%s fails no checklist item, so there is nothing to ask the agency for. To write to them anyway: `%s reply %s custom`.", req.ID, c.name, req.ID)
	}
	d, err := reply.NewDraft(c.replies.Templates, kind, req, c.replies.Company, c.cal)
	if err != nil {
		return nil, err
	}
	return nil, c.open(ctx, in.trigger, replyView(req, d))
}

// replyMeta rides in the reply modal's private_metadata.
type replyMeta struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
}

// The reply modal's blocks; each input's element has action id "v".
const (
	blockReplyTo      = "to"
	blockReplySubject = "subject"
	blockReplyBody    = "body"
)

// maxReplyBody is Slack's limit on a plain-text input; maxReplySubject
// keeps a subject on one header line.
const (
	maxReplyBody    = 3000
	maxReplySubject = 900
)

func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func replyView(r *legal.Request, d reply.Draft) slack.ModalViewRequest {
	meta, _ := json.Marshal(replyMeta{ID: r.ID, Kind: string(d.Kind)})
	input := func(block, label, value string, multiline bool, max int) *slack.InputBlock {
		el := slack.NewPlainTextInputBlockElement(nil, "v")
		el.InitialValue, el.Multiline, el.MaxLength = value, multiline, max
		return slack.NewInputBlock(block, plainText(label), nil, el)
	}
	var blocks []slack.Block
	if d.Warning != "" {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwnText("⚠️ "+escText(d.Warning)), nil, nil))
	}
	body := d.Body
	if r := []rune(body); len(r) > maxReplyBody {
		body = string(r[:maxReplyBody])
		blocks = append(blocks, slack.NewSectionBlock(mrkdwnText("✂️ The template's text is longer than a Slack form holds ("+
			fmt.Sprint(maxReplyBody)+" characters); its end was cut. Shorten it before sending."), nil, nil))
	}
	note := "Nothing is sent until you press *Send*. It goes from lebot's address, in the agency's own thread."
	if d.To == "" {
		note = "This request came with no e-mail address: enter the agency's. " + note
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwnText(note)),
		input(blockReplyTo, "To", d.To, false, 500),
		input(blockReplySubject, "Subject", truncateRunes(d.Subject, maxReplySubject), false, maxReplySubject),
		input(blockReplyBody, "Message", body, true, maxReplyBody))
	title := map[reply.Kind]string{reply.Receipt: "Receipt notice", reply.Deficiency: "Deficiency notice", reply.Custom: "Message to the agency"}[d.Kind]
	v := modal(viewReply, string(meta), title, blocks...)
	v.Submit = plainText("Send")
	return v
}

// escText escapes lebot's own text that quotes outside words for mrkdwn.
func escText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// submitReply records the answer on the request and puts it in the
// outbox, in one update; the outbox sends it. Its Message-ID comes from
// the view's id, so a submission Slack delivers twice sends one mail.
func (c *Commands) submitReply(ctx context.Context, in input, ic slack.InteractionCallback) (*bot.Reply, error) {
	var meta replyMeta
	if err := json.Unmarshal([]byte(ic.View.PrivateMetadata), &meta); err != nil || meta.ID == "" {
		return nil, fmt.Errorf("reply modal: bad private metadata")
	}
	if c.replies == nil {
		return fieldError(blockReplyBody, errNoRelay.Error()), nil
	}
	kind, ok := reply.ParseKind(meta.Kind)
	if !ok {
		return nil, fmt.Errorf("reply modal: unknown kind %q", meta.Kind)
	}
	vals := ic.View.State.Values
	get := func(block string) string { return strings.TrimSpace(vals[block]["v"].Value) }
	to, err := reply.ParseRecipients(get(blockReplyTo))
	if err != nil || len(to) == 0 {
		return fieldError(blockReplyTo, "Enter the agency's e-mail address (several: separate them with commas)."), nil
	}
	subject, body := get(blockReplySubject), get(blockReplyBody)
	if subject == "" {
		return fieldError(blockReplySubject, "Enter a subject."), nil
	}
	if body == "" {
		return fieldError(blockReplyBody, "Write the message."), nil
	}
	sum := sha256.Sum256([]byte(ic.View.ID + "\x00" + meta.ID))
	msgID := "lebot." + hex.EncodeToString(sum[:12]) + "@" + domainOf(c.replies.From.Address)
	if _, err := c.st.LinkMessage(ctx, msgID, meta.ID); err != nil {
		return fieldError(blockReplyBody, strings.TrimSpace(c.errorReply(ctx, err).Text)), nil
	}
	_, _, err = c.change(ctx, in.user, meta.ID, func(r *legal.Request) (edit, error) {
		if _, dup := r.ReplyByID(msgID); dup {
			return edit{}, &errNoChange{"already sent"}
		}
		m := reply.Message{From: c.replies.From, To: to, Subject: subject, Body: body, MessageID: msgID, Date: c.now()}
		if r.MessageID != "" {
			m.InReplyTo, m.References = r.MessageID, []string{r.MessageID}
		}
		r.Replies = append(r.Replies, legal.Reply{Kind: string(kind), MessageID: msgID, To: to, Subject: subject, By: in.user, Queued: c.now()})
		p := bot.ReplyPayload{RequestID: r.ID, By: in.user, Kind: string(kind), What: kind.Label(), To: to, Subject: subject,
			MessageID: msgID, Raw: m.Bytes()}
		return edit{action: "reply", after: string(kind), note: "to " + strings.Join(to, ", ") + ": " + subject,
			outbox: []store.OutboxItem{bot.ReplyItem(p)}}, nil
	})
	var nc *errNoChange
	switch {
	case errors.As(err, &nc):
		return nil, nil
	case err != nil:
		return fieldError(blockReplyBody, strings.TrimSpace(c.errorReply(ctx, err).Text)), nil
	}
	return nil, nil
}

func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	if d == "" {
		return "lebot.invalid"
	}
	return d
}
