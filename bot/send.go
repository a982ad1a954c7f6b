package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// The outbox kinds the bot sends. Their payloads are JSON of the types
// below; build items with CardItem, CardUpdateItem and ThreadItem.
const (
	KindCard       = "slack.card"        // CardPayload: post the request's card
	KindCardUpdate = "slack.card_update" // CardPayload: re-render the card (chat.update)
	KindThread     = "slack.thread"      // ThreadPayload: a message in the card's thread
	KindOriginal   = "slack.original"    // CardPayload: upload the raw .eml into the thread
)

// threadEventType marks lebot's thread messages in message metadata, with
// payload {"request_id", "outbox_id"}, so a retried post can be found.
const threadEventType = "lebot_thread"

// CardPayload names the request of a card item.
type CardPayload struct {
	RequestID string `json:"request_id"`
}

// ThreadPayload is a message for a request's thread. Text is mrkdwn
// written by lebot: escape anything taken from outside before putting it
// here. Broadcast also shows it in the channel (urgent news).
type ThreadPayload struct {
	RequestID string `json:"request_id"`
	Text      string `json:"text"`
	Broadcast bool   `json:"broadcast,omitempty"`
}

// threadOrder is the order group (store.OutboxItem.Order, per request)
// of a request's card updates, thread lines, original and thread
// reminders: they go out one at a time, in the order they were enqueued,
// by whichever replica, so a retried note never lands after a later one.
// The card itself stays out of it (the others wait for it with
// ErrNotReady; in the group, a line enqueued before it would block it),
// and so does an emergency's page alert, which must never wait behind a
// stuck line.
const threadOrder = "slack.thread"

// CardItem is the outbox item that posts a request's card. Pass "" in
// store.Incoming.Outbox: CreateRequest fills in the new request's id.
func CardItem(requestID string) store.OutboxItem {
	return item(KindCard, requestID, CardPayload{requestID})
}

// CardUpdateItem is the outbox item that brings a card up to date; enqueue
// it with every change to the request (UpdateRequest's outbox).
func CardUpdateItem(requestID string) store.OutboxItem {
	return ordered(item(KindCardUpdate, requestID, CardPayload{requestID}), threadOrder)
}

// ThreadItem is the outbox item that posts text in the card's thread.
func ThreadItem(requestID, text string, broadcast bool) store.OutboxItem {
	return ordered(item(KindThread, requestID, ThreadPayload{requestID, text, broadcast}), threadOrder)
}

func ordered(it store.OutboxItem, order string) store.OutboxItem {
	it.Order = order
	return it
}

func item(kind, requestID string, payload any) store.OutboxItem {
	return outbox.Item(kind, requestID, payload)
}

// RegisterSlack registers the slack.* kinds of s with d.
func RegisterSlack(d *outbox.Dispatcher, s *Slack) {
	Handle(d, KindCard, "slack", s.SendCard)
	Handle(d, KindCardUpdate, "slack", s.SendCardUpdate)
	Handle(d, KindThread, "slack", s.SendThread)
	Handle(d, KindOriginal, "slack", s.SendOriginal)
	Handle(d, KindEml, "slack", s.SendEml)
}

// request reads the request an item is about; a bad payload or a missing
// request cannot be fixed by retrying.
func (s *Slack) request(ctx context.Context, it store.OutboxItem, payload any) (*legal.Request, error) {
	if err := outbox.Decode(it, payload); err != nil {
		return nil, err
	}
	// The item's RequestID wins: CreateRequest fills it in for items
	// enqueued before the request had an id.
	id := it.RequestID
	switch p := payload.(type) {
	case *CardPayload:
		id = cmp.Or(id, p.RequestID)
	case *ThreadPayload:
		id = cmp.Or(id, p.RequestID)
	}
	if id == "" {
		return nil, outbox.Permanent(fmt.Errorf("outbox item %s names no request", it.ID))
	}
	req, err := s.store.GetRequest(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, outbox.Permanent(err)
	}
	return req, err
}

// SendCard posts a request's card as the one top-level message for it,
// then records where on the request. It is idempotent: a request that
// already has a card is done, and a retried item (a crash or a lost
// answer may have left a card without a record) first looks for the card
// in the channel by its metadata.
func (s *Slack) SendCard(ctx context.Context, it store.OutboxItem) error {
	req, err := s.request(ctx, it, &CardPayload{})
	if err != nil {
		return err
	}
	if req.CardTS != "" {
		return nil
	}
	var channel, ts string
	err = outbox.FindThenSend(ctx, it, func(ctx context.Context) (bool, error) {
		var err error
		if channel, ts, err = s.findCard(ctx, req); err != nil {
			return false, fmt.Errorf("look for the card of %s: %w", req.ID, err)
		}
		if ts != "" {
			s.log.Info("card found in channel; recording it", "request", req.ID)
		}
		return ts != "", nil
	}, func(ctx context.Context) error {
		card := Card(req, s.now(), s.cal)
		var err error
		if channel, ts, err = s.api.PostMessageContext(ctx, s.channel, card.Options()...); err != nil {
			return classify(fmt.Errorf("post card for %s: %w", req.ID, err))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.recordCard(ctx, req.ID, channel, ts)
}

// findCard pages back through the channel's history since shortly before
// the request arrived, for a message carrying its card metadata.
func (s *Slack) findCard(ctx context.Context, req *legal.Request) (channel, ts string, err error) {
	params := &slack.GetConversationHistoryParameters{ChannelID: s.channel, Limit: 200,
		IncludeAllMetadata: true, Oldest: slackTS(req.ReceivedAt.Add(-10 * time.Minute))}
	for range 50 { // 10,000 messages: a card is never further back than that
		h, err := s.api.GetConversationHistoryContext(ctx, params)
		if err != nil {
			return "", "", s.lookupErr("card", err)
		}
		for _, m := range h.Messages {
			if isCard(m.Metadata, req.ID) {
				return s.channel, m.Timestamp, nil
			}
		}
		if !h.HasMore || h.ResponseMetaData.NextCursor == "" {
			return "", "", nil
		}
		params.Cursor = h.ResponseMetaData.NextCursor
	}
	s.log.Warn("card search stopped after 50 pages", "request", req.ID)
	return "", "", nil
}

// lookupErr says what a failed look for an earlier post means. Without
// the channel's history scope (missing_scope: a public channel and a
// manifest without channels:history) lebot cannot look, so it takes the
// post as not made and posts: a possible duplicate beats a message never
// sent. It warns so an operator adds the scope. Other errors are returned
// (the item is retried).
func (s *Slack) lookupErr(what string, err error) error {
	if slackCode(err) == "missing_scope" {
		s.log.Warn("cannot look for an earlier post: the bot lacks the channel's history scope "+
			"(add channels:history or groups:history to the app); posting again", "lookup", what)
		return nil
	}
	return err
}

func isCard(md slack.SlackMetadata, id string) bool {
	return md.EventType == MetadataEventType && md.EventPayload["request_id"] == id
}

func slackTS(t time.Time) string {
	return strconv.FormatInt(t.Unix(), 10) + ".000000"
}

// recordCard stores the card's place on the request, re-reading on a
// concurrent change, and enqueues the upload of the original.
func (s *Slack) recordCard(ctx context.Context, id, channel, ts string) error {
	for range 10 {
		req, err := s.store.GetRequest(ctx, id)
		if err != nil {
			return fmt.Errorf("record card of %s: %w", id, err)
		}
		if req.CardTS != "" {
			if req.CardTS != ts {
				s.log.Error("request already has another card", "request", id)
			}
			return nil
		}
		req.CardChannel, req.CardTS = channel, ts
		audit := store.AuditEntry{RequestID: id, At: s.now(), Actor: "lebot", Action: "card", Note: "card posted to Slack"}
		err = s.store.UpdateRequest(ctx, req, audit, ordered(item(KindOriginal, id, CardPayload{id}), threadOrder))
		if !errors.Is(err, store.ErrConflict) {
			if err != nil {
				return fmt.Errorf("record card of %s: %w", id, err)
			}
			return nil
		}
	}
	return fmt.Errorf("record card of %s: %w", id, store.ErrConflict)
}

// SendCardUpdate re-renders a card from the request's current state. It
// waits (ErrNotReady) until the card exists.
func (s *Slack) SendCardUpdate(ctx context.Context, it store.OutboxItem) error {
	req, err := s.request(ctx, it, &CardPayload{})
	if err != nil {
		return err
	}
	if req.CardTS == "" {
		return fmt.Errorf("update card of %s: %w: no card yet", req.ID, outbox.ErrNotReady)
	}
	card := Card(req, s.now(), s.cal)
	_, _, _, err = s.api.UpdateMessageContext(ctx, req.CardChannel, req.CardTS, card.Options()...)
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && (se.Err == "message_not_found" || se.Err == "cant_update_message") {
		return outbox.Permanent(fmt.Errorf("update card of %s: %w", req.ID, err))
	}
	if err != nil {
		return classify(fmt.Errorf("update card of %s: %w", req.ID, err))
	}
	return nil
}
