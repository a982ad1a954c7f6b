package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// SendThread posts a message in the card's thread, waiting (ErrNotReady)
// until the card exists. The message carries the outbox item's id in its
// metadata, and a retried item looks for it first, so it appears once.
func (s *Slack) SendThread(ctx context.Context, it store.OutboxItem) error {
	var p ThreadPayload
	req, err := s.request(ctx, it, &p)
	if err != nil {
		return err
	}
	if req.CardTS == "" {
		return fmt.Errorf("thread message for %s: %w: no card yet", req.ID, outbox.ErrNotReady)
	}
	return outbox.FindThenSend(ctx, it, func(ctx context.Context) (bool, error) {
		return s.findInThread(ctx, req, func(m slack.Message) bool {
			return m.Metadata.EventType == threadEventType && m.Metadata.EventPayload["outbox_id"] == it.ID
		})
	}, func(ctx context.Context) error {
		opts := []slack.MsgOption{slack.MsgOptionTS(req.CardTS), slack.MsgOptionText(truncate(p.Text, 3900), false),
			slack.MsgOptionMetadata(slack.SlackMetadata{EventType: threadEventType,
				EventPayload: map[string]any{"request_id": req.ID, "outbox_id": it.ID}})}
		if p.Broadcast {
			opts = append(opts, slack.MsgOptionBroadcast())
		}
		if _, _, err := s.api.PostMessageContext(ctx, req.CardChannel, opts...); err != nil {
			return classify(fmt.Errorf("thread message for %s: %w", req.ID, err))
		}
		return nil
	})
}

// SendOriginal uploads the raw message a request came from into its
// card's thread as ID.eml (files upload v2), so the team reads the
// original, attachments included, without leaving Slack. Requests entered
// by hand have none; that is not an error.
func (s *Slack) SendOriginal(ctx context.Context, it store.OutboxItem) error {
	req, err := s.request(ctx, it, &CardPayload{})
	if err != nil {
		return err
	}
	if req.CardTS == "" {
		return fmt.Errorf("original of %s: %w: no card yet", req.ID, outbox.ErrNotReady)
	}
	raw, err := s.store.RawMessage(ctx, req.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && len(raw) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("original of %s: %w", req.ID, err)
	}
	name := req.ID + ".eml"
	return outbox.FindThenSend(ctx, it, func(ctx context.Context) (bool, error) {
		return s.findInThread(ctx, req, func(m slack.Message) bool { return hasFile(m, name) })
	}, func(ctx context.Context) error {
		_, err := s.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Channel: req.CardChannel, ThreadTimestamp: req.CardTS,
			Filename: name, Title: "Original message " + name, Content: string(raw), FileSize: len(raw),
			InitialComment: "✉️ The original message, as received.",
		})
		if err != nil {
			return classify(fmt.Errorf("upload original of %s: %w", req.ID, err))
		}
		return nil
	})
}

// hasFile reports whether m carries a file called name.
func hasFile(m slack.Message, name string) bool {
	for _, f := range m.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}

// findInThread reports whether a reply in the card's thread matches.
func (s *Slack) findInThread(ctx context.Context, req *legal.Request, match func(slack.Message) bool) (bool, error) {
	params := &slack.GetConversationRepliesParameters{ChannelID: req.CardChannel, Timestamp: req.CardTS,
		Limit: 200, IncludeAllMetadata: true}
	for range 50 {
		msgs, more, next, err := s.api.GetConversationRepliesContext(ctx, params)
		if err != nil {
			if err := s.lookupErr("thread", err); err != nil {
				return false, fmt.Errorf("read the thread of %s: %w", req.ID, err)
			}
			return false, nil
		}
		for _, m := range msgs {
			if m.Timestamp != req.CardTS && match(m) {
				return true, nil
			}
		}
		if !more || next == "" {
			return false, nil
		}
		params.Cursor = next
	}
	return false, nil
}
