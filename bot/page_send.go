package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot/email"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/bot/pagerduty"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// pageDMEventType marks page DMs in message metadata.
const pageDMEventType = "lebot_page"

// Audit actions of paging.
const (
	AuditPageDM     = "page_dm"        // After: user; Note: where the DM is (dmNote)
	AuditPageFailed = "page_failed"    // After: user or "pagerduty"; Note: why
	AuditPagerDuty  = "page_pagerduty" // Note: the event accepted
	AuditPageEmail  = "page_email"     // After: users mailed
)

var reDMNote = regexp.MustCompile(`^DM (\S+) (\S+) \(item (\S+)\)`)

func dmNote(channel, ts, itemID string) string {
	return fmt.Sprintf("DM %s %s (item %s)", channel, ts, itemID)
}

// SendDM DMs every member of the level with the emergency summary and the
// Acknowledge and Open buttons, and records each DM in the audit trail
// (which is also how a retried item skips those already sent and how the
// DMs are found again to mark them acknowledged).
func (p *Pager) SendDM(ctx context.Context, it store.OutboxItem) error {
	var pp PagePayload
	if err := outbox.Decode(it, &pp); err != nil {
		return err
	}
	req, err := p.current(ctx, it, pp.RequestID)
	if req == nil {
		return err
	}
	users, err := p.expand(ctx, pp.Page.Targets)
	if err != nil {
		return err
	}
	// The DMs an earlier attempt sent are in the audit trail; found when
	// every member of the level has one.
	done := map[string]bool{}
	return outbox.FindThenSend(ctx, it, func(ctx context.Context) (bool, error) {
		var err error
		if done, err = p.dmsOfItem(ctx, req.ID, it.ID); err != nil {
			return false, err
		}
		return !slices.ContainsFunc(users, func(u string) bool { return !done[u] }), nil
	}, func(ctx context.Context) error {
		return p.sendDMs(ctx, it, req, pp.Page, users, done)
	})
}

// sendDMs DMs each of users not done, recording each DM in the audit.
func (p *Pager) sendDMs(ctx context.Context, it store.OutboxItem, req *legal.Request, pg Page, users []string, done map[string]bool) error {
	link := p.link(ctx, req)
	msg := pageDM(req, pg, link, p.now(), p.sl.cal)
	for _, u := range users {
		if done[u] {
			continue
		}
		ch, _, _, err := p.sl.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{u}})
		if err == nil {
			msg.Metadata = pageMetadata(req.ID, it.ID)
			opts := msg.Options()
			var ts string
			if _, ts, err = p.sl.api.PostMessageContext(ctx, ch.ID, opts...); err == nil {
				if err := p.audit(ctx, req.ID, AuditPageDM, u, dmNote(ch.ID, ts, it.ID)); err != nil {
					return err
				}
				continue
			}
		}
		if outbox.IsPermanent(classifyDM(err)) {
			// This person cannot be DMed (deactivated, not a user): the
			// others still are, and the escalation goes on.
			p.log.Warn("page DM refused", "request", req.ID, "code", slackCode(err))
			if err := p.audit(ctx, req.ID, AuditPageFailed, u, "Slack DM refused: "+slackCode(err)); err != nil {
				return err
			}
			continue
		}
		return classify(fmt.Errorf("page DM for %s: %w", req.ID, err))
	}
	return nil
}

// classifyDM marks the errors about the recipient as permanent.
func classifyDM(err error) error {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "user_not_found", "user_disabled", "cannot_dm_bot", "user_not_visible", "channel_not_found":
			return outbox.Permanent(err)
		}
	}
	return classify(err)
}

// dmsOfItem lists the users an earlier attempt of item already DMed.
func (p *Pager) dmsOfItem(ctx context.Context, id, itemID string) (map[string]bool, error) {
	trail, err := p.st.Audit(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("audit of %s: %w", id, err)
	}
	done := map[string]bool{}
	for _, e := range trail {
		if m := reDMNote.FindStringSubmatch(e.Note); e.Action == AuditPageDM && m != nil && m[3] == itemID {
			done[e.After] = true
		}
	}
	return done, nil
}

// expand turns targets into users: a user group's current members.
func (p *Pager) expand(ctx context.Context, targets []string) ([]string, error) {
	var users []string
	for _, t := range targets {
		if !legal.IsGroupID(t) {
			users = append(users, t)
			continue
		}
		members, err := p.sl.api.GetUserGroupMembersContext(ctx, t)
		if err != nil {
			return nil, classify(fmt.Errorf("members of on-call group %s: %w", t, err))
		}
		users = append(users, members...)
	}
	slices.Sort(users)
	return slices.Compact(users), nil
}

// link is a link back to the card (its permalink), else to the channel.
func (p *Pager) link(ctx context.Context, req *legal.Request) string {
	if req.CardTS != "" {
		u, err := p.sl.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: req.CardChannel, Ts: req.CardTS})
		if err == nil && u != "" {
			return u
		}
		p.log.Warn("chat.getPermalink failed; linking the channel", "request", req.ID, "code", slackCode(err))
	}
	return "https://slack.com/app_redirect?channel=" + p.sl.channel
}

// SendThreadAlert posts the step's alert in the card's thread, broadcast
// to the channel: who is paged, or @here that nobody answered.
func (p *Pager) SendThreadAlert(ctx context.Context, it store.OutboxItem) error {
	var pp PagePayload
	if err := outbox.Decode(it, &pp); err != nil {
		return err
	}
	req, err := p.current(ctx, it, pp.RequestID)
	if req == nil {
		return err
	}
	thread := item(KindThread, req.ID, ThreadPayload{req.ID, threadAlert(req, pp.Page), true})
	thread.ID, thread.Attempts = it.ID, it.Attempts
	if err := p.sl.SendThread(ctx, thread); err != nil {
		return err
	}
	p.sl.met.Page(pp.Page.Final)
	return nil
}

// SendPagerDuty sends a PagerDuty event with the request id as dedup key.
// A trigger is re-checked like every page; acknowledge and resolve always
// go. An event PagerDuty refuses (400) is reported in the card's thread.
func (p *Pager) SendPagerDuty(ctx context.Context, it store.OutboxItem) error {
	var pp PagerDutyPayload
	if err := outbox.Decode(it, &pp); err != nil {
		return err
	}
	if p.pd == nil {
		p.log.Debug("pagerduty item without PAGERDUTY_ROUTING_KEY; dropped", "request", it.RequestID)
		return nil
	}
	id := pp.RequestID
	if it.RequestID != "" {
		id = it.RequestID
	}
	ev := pagerduty.Event{EventAction: pp.Action, DedupKey: id}
	if pp.Action == "trigger" {
		req, err := p.current(ctx, it, id)
		if req == nil {
			return err
		}
		ev = pdTrigger(req, pp.Page, p.link(ctx, req), p.now())
	}
	err := p.pd.Send(ctx, ev)
	if err == nil {
		return p.audit(ctx, id, AuditPagerDuty, "", "PagerDuty "+pp.Action+" accepted"+stepNote(pp))
	}
	if outbox.IsPermanent(err) {
		p.log.Error("pagerduty refused the event", "request", id, "action", pp.Action, "error", err)
		text := fmt.Sprintf("⚠️ PagerDuty refused the %s for this request, so it did not page through PagerDuty: %s. "+
			"Slack and e-mail pages continue; check PAGERDUTY_ROUTING_KEY.", pp.Action, esc(truncate(err.Error(), 500)))
		if qerr := p.st.Enqueue(ctx, ThreadItem(id, text, true)); qerr != nil {
			return fmt.Errorf("report pagerduty refusal for %s: %w", id, qerr)
		}
		if aerr := p.audit(ctx, id, AuditPageFailed, "pagerduty", truncate(err.Error(), 500)); aerr != nil {
			return aerr
		}
	}
	return fmt.Errorf("pagerduty %s for %s: %w", pp.Action, id, err)
}

func stepNote(pp PagerDutyPayload) string {
	if pp.Action != "trigger" {
		return ""
	}
	return fmt.Sprintf(" (step %d)", pp.Page.Step+1)
}

// SendEmail sends an e-mail item. A page goes to the targets' addresses:
// the stored on-call e-mails first, else the Slack profile's; people with
// neither are skipped.
func (p *Pager) SendEmail(ctx context.Context, it store.OutboxItem) error {
	var ep EmailPayload
	if err := outbox.Decode(it, &ep); err != nil {
		return err
	}
	if p.mail == nil {
		p.log.Warn("email item without OUTBOUND_SMTP_URL; dropped", "outbox_id", it.ID)
		return nil
	}
	if ep.Page == nil {
		return p.mail.Send(ctx, email.Mail{To: ep.To, Subject: ep.Subject, Text: ep.Text})
	}
	req, err := p.current(ctx, it, ep.RequestID)
	if req == nil {
		return err
	}
	users, err := p.expand(ctx, ep.Page.Targets)
	if err != nil {
		return err
	}
	to, mailed, err := p.addresses(ctx, users)
	if err != nil || len(to) == 0 {
		return err
	}
	subject, body := pageEmail(req, *ep.Page, p.link(ctx, req), p.now(), p.sl.cal)
	if err := p.mail.Send(ctx, email.Mail{To: to, Subject: subject, Text: body}); err != nil {
		return fmt.Errorf("page e-mail for %s: %w", req.ID, err)
	}
	return p.audit(ctx, req.ID, AuditPageEmail, strings.Join(mailed, ","), "e-mailed "+plural(len(to), "on-call address"))
}

// addresses finds the e-mail addresses of users.
func (p *Pager) addresses(ctx context.Context, users []string) (to, mailed []string, err error) {
	oc, err := p.st.OnCall(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("on-call settings: %w", err)
	}
	for _, u := range users {
		addr := oc.Emails[u]
		if addr == "" {
			info, err := p.sl.api.GetUserInfoContext(ctx, u)
			var se slack.SlackErrorResponse
			if errors.As(err, &se) {
				continue // no such user: nothing to mail
			}
			if err != nil {
				return nil, nil, classify(fmt.Errorf("users.info: %w", err))
			}
			addr = info.Profile.Email
		}
		if addr != "" {
			to, mailed = append(to, addr), append(mailed, u)
		}
	}
	return to, mailed, nil
}

// SendAcked marks every page DM of the request "acknowledged by …", or,
// when the request was corrected out of being an emergency instead,
// "no longer an emergency".
func (p *Pager) SendAcked(ctx context.Context, it store.OutboxItem) error {
	var pp PagePayload
	if err := outbox.Decode(it, &pp); err != nil {
		return err
	}
	id := pp.RequestID
	if it.RequestID != "" {
		id = it.RequestID
	}
	req, err := p.st.GetRequest(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return outbox.Permanent(err)
	}
	if err != nil {
		return err
	}
	trail, err := p.st.Audit(ctx, id)
	if err != nil {
		return fmt.Errorf("audit of %s: %w", id, err)
	}
	msg := ackedDM(req, p.link(ctx, req), p.sl.cal)
	if req.AckedBy == "" && !legal.IsEmergency(req) {
		msg = stoodDownDM(req, p.link(ctx, req), p.sl.cal)
	}
	for _, e := range trail {
		m := reDMNote.FindStringSubmatch(e.Note)
		if e.Action != AuditPageDM || m == nil {
			continue
		}
		_, _, _, err := p.sl.api.UpdateMessageContext(ctx, m[1], m[2], msg.Options()...)
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && (se.Err == "message_not_found" || se.Err == "cant_update_message") {
			continue
		}
		if err != nil {
			return classify(fmt.Errorf("mark page DM of %s acknowledged: %w", id, err))
		}
	}
	p.sl.met.Ack()
	return nil
}
