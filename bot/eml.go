package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/store"
)

// KindEml uploads a message (a follow-up as received, a notice as sent)
// into a request's thread as a .eml file.
const KindEml = "slack.eml"

// EmlPayload names the message to upload: Content itself, or the raw
// message the store keeps under RawID (store.FollowUpRawID). Name is the
// file's name, unique in the thread: a retry looks for it first.
type EmlPayload struct {
	RequestID string `json:"request_id"`
	RawID     string `json:"raw_id,omitempty"`
	Content   []byte `json:"content,omitempty"`
	Name      string `json:"name"`
	Title     string `json:"title"`
	Comment   string `json:"comment,omitempty"` // mrkdwn written by lebot
}

// EmlItem is the outbox item that uploads p into its request's thread,
// in order with the thread's lines.
func EmlItem(p EmlPayload) store.OutboxItem {
	return ordered(item(KindEml, p.RequestID, p), threadOrder)
}

// SendEml uploads an EmlPayload (files upload v2), once: a retried item
// first looks for a file of that name in the thread. A raw message purged
// meanwhile is not an error.
func (s *Slack) SendEml(ctx context.Context, it store.OutboxItem) error {
	var p EmlPayload
	if err := outbox.Decode(it, &p); err != nil {
		return err
	}
	p.RequestID = cmp.Or(it.RequestID, p.RequestID)
	req, err := s.request(ctx, it, &CardPayload{RequestID: p.RequestID})
	if err != nil {
		return err
	}
	if req.CardTS == "" {
		return fmt.Errorf("file for %s: %w: no card yet", req.ID, outbox.ErrNotReady)
	}
	content := p.Content
	if len(content) == 0 && p.RawID != "" {
		content, err = s.store.RawMessage(ctx, p.RawID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("file for %s: %w", req.ID, err)
		}
	}
	if len(content) == 0 || p.Name == "" {
		return outbox.Permanent(fmt.Errorf("outbox item %s: nothing to upload", it.ID))
	}
	return outbox.FindThenSend(ctx, it, func(ctx context.Context) (bool, error) {
		return s.findInThread(ctx, req, func(m slack.Message) bool { return hasFile(m, p.Name) })
	}, func(ctx context.Context) error {
		_, err := s.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Channel: req.CardChannel, ThreadTimestamp: req.CardTS, Filename: p.Name, Title: p.Title,
			Content: string(content), FileSize: len(content), InitialComment: p.Comment,
		})
		if err != nil {
			return classify(fmt.Errorf("upload %s for %s: %w", p.Name, req.ID, err))
		}
		return nil
	})
}
