package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// KindReminder is the outbox kind of a scheduled reminder (deadline,
// preservation, NDO or order expiry): a note in the card's thread or a DM.
// Its handler re-reads the request and drops the reminder when it no
// longer applies (closed, released, extended, due date moved), so nothing
// reaches a request that was closed after it was enqueued.
const KindReminder = "slack.reminder"

// reminderEventType marks reminder DMs in message metadata, with payload
// {"request_id", "outbox_id"}, so a retried DM can be found.
const reminderEventType = "lebot_reminder"

// Reminder topics: what a reminder is about, and so how it is re-checked.
const (
	TopicDue          = "due"          // the response deadline (Request.Due)
	TopicPreservation = "preservation" // Preservation.Expires
	TopicNDO          = "ndo"          // NDO.Until
	TopicOrder        = "order"        // OrderExpires (pen/trap, intercept)
)

// ReminderPayload is a reminder. Text is mrkdwn written by lebot with no
// content taken from the request's mail. User is the DM recipient; empty
// means the card's thread (broadcast to the channel when Broadcast).
type ReminderPayload struct {
	RequestID string `json:"request_id"`
	Text      string `json:"text"`
	Broadcast bool   `json:"broadcast,omitempty"`
	User      string `json:"user,omitempty"`
	// Topic and the deadline or date it was computed from: the reminder
	// applies only while the request still has them.
	Topic string     `json:"topic"`
	Due   time.Time  `json:"due,omitzero"`
	Date  legal.Date `json:"date,omitzero"`
}

// ReminderItem is the outbox item for p; a reminder in the card's thread
// takes its turn with the thread's other lines.
func ReminderItem(p ReminderPayload) store.OutboxItem {
	it := item(KindReminder, p.RequestID, p)
	if p.User == "" {
		it = ordered(it, threadOrder)
	}
	return it
}

// StillApplies reports whether a reminder computed from p is still true of
// req: the request is open (deadlines, orders), the hold not released or
// extended, the NDO still ends that day and notice was not given.
func StillApplies(p ReminderPayload, req *legal.Request) bool {
	switch p.Topic {
	case TopicDue:
		return req.Status.Open() && req.Due.Equal(p.Due)
	case TopicPreservation:
		pr := req.Preservation
		return pr != nil && !pr.Released && pr.Expires == p.Date
	case TopicNDO:
		n := req.NDO
		return n.Active && n.Until != nil && *n.Until == p.Date && req.Notice != legal.NoticeSent
	case TopicOrder:
		return req.Status.Open() && req.OrderExpires != nil && *req.OrderExpires == p.Date
	}
	return false
}

// SendReminder delivers a reminder item if it still applies (see
// StillApplies); a reminder that no longer does is acknowledged unsent.
func (s *Slack) SendReminder(ctx context.Context, it store.OutboxItem) error {
	var p ReminderPayload
	req, err := s.request(ctx, it, &p)
	if err != nil {
		return err
	}
	if !StillApplies(p, req) {
		s.log.Info("reminder no longer applies; dropped", "request", req.ID, "topic", p.Topic, "outbox_id", it.ID)
		return nil
	}
	if p.User == "" {
		err := s.SendThread(ctx, it) // ThreadPayload's fields are a subset of p's
		if err == nil {
			s.met.Reminder(p.Topic) // the thread post, not its DM copy
		}
		return err
	}
	return s.sendDM(ctx, it, req.ID, p.User, p.Text)
}

// sendDM posts text to user's DM with the bot. A retried item looks for
// its own metadata in the DM first, so it appears once.
func (s *Slack) sendDM(ctx context.Context, it store.OutboxItem, id, user, text string) error {
	ch, _, _, err := s.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return classify(fmt.Errorf("open DM for reminder of %s: %w", id, err))
	}
	return outbox.FindThenSend(ctx, it, func(ctx context.Context) (bool, error) {
		return s.findInHistory(ctx, ch.ID, it.Created.Add(-time.Minute), func(m slack.Message) bool {
			return m.Metadata.EventType == reminderEventType && m.Metadata.EventPayload["outbox_id"] == it.ID
		})
	}, func(ctx context.Context) error {
		_, _, err := s.api.PostMessageContext(ctx, ch.ID, slack.MsgOptionText(truncate(text, 3900), false),
			slack.MsgOptionMetadata(slack.SlackMetadata{EventType: reminderEventType,
				EventPayload: map[string]any{"request_id": id, "outbox_id": it.ID}}))
		if err != nil {
			return classify(fmt.Errorf("DM reminder of %s: %w", id, err))
		}
		return nil
	})
}

// findInHistory reports whether a message in channel since oldest matches.
func (s *Slack) findInHistory(ctx context.Context, channel string, oldest time.Time, match func(slack.Message) bool) (bool, error) {
	params := &slack.GetConversationHistoryParameters{ChannelID: channel, Limit: 200,
		IncludeAllMetadata: true, Oldest: slackTS(oldest)}
	for range 20 {
		h, err := s.api.GetConversationHistoryContext(ctx, params)
		if err != nil {
			if err := s.lookupErr("history", err); err != nil {
				return false, fmt.Errorf("read history: %w", err)
			}
			return false, nil
		}
		for _, m := range h.Messages {
			if match(m) {
				return true, nil
			}
		}
		if !h.HasMore || h.ResponseMetaData.NextCursor == "" {
			return false, nil
		}
		params.Cursor = h.ResponseMetaData.NextCursor
	}
	return false, nil
}
