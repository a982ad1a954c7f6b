package store

import (
	"bytes"
	"context"
	"fmt"

	"github.com/lebot-dev/lebot/legal"
)

var _ Threads = (*Bolt)(nil)

// LinkMessage implements Threads.
func (s *Bolt) LinkMessage(ctx context.Context, messageID, requestID string) (string, error) {
	if messageID == "" || requestID == "" {
		return "", fmt.Errorf("link message: empty Message-ID or request id")
	}
	var id string
	err := s.update(ctx, func(tx btx) error {
		k := []byte(tx.cr.lookupKey(threadKey(messageID)))
		if v := tx.Bucket(bDedup).Get(k); v != nil {
			id = string(v)
			return nil
		}
		id = requestID
		return tx.Bucket(bDedup).Put(k, []byte(requestID))
	})
	if err != nil {
		return "", fmt.Errorf("link message: %w", err)
	}
	return id, nil
}

// ThreadOf implements Threads.
func (s *Bolt) ThreadOf(ctx context.Context, messageID string) (string, error) {
	var id string
	err := s.view(ctx, func(tx btx) error {
		for _, k := range []string{threadKey(messageID), originKey(messageID)} {
			if v := tx.Bucket(bDedup).Get([]byte(tx.cr.lookupKey(k))); v != nil {
				id = linkedID(k, string(v))
				return nil
			}
		}
		return fmt.Errorf("message %q: %w", messageID, ErrNotFound)
	})
	return id, err
}

// AddFollowUp implements Threads in one Update transaction.
func (s *Bolt) AddFollowUp(ctx context.Context, req *legal.Request, f FollowUpMessage, audit AuditEntry, outbox ...OutboxItem) (bool, error) {
	if err := checkUpdate(req); err != nil {
		return false, err
	}
	key, err := followUpKey(f)
	if err != nil {
		return false, err
	}
	now := s.now()
	finishUpdate(req, &audit, now)
	outbox = append([]OutboxItem(nil), outbox...)
	if err := prepareItems(outbox, now); err != nil {
		return false, err
	}
	next := *req
	next.Version = req.Version + 1
	rawID := FollowUpRawID(req.ID, len(req.FollowUps))
	added := false
	err = s.update(ctx, func(tx btx) error {
		lk := []byte(tx.cr.lookupKey(key))
		if tx.Bucket(bDedup).Get(lk) != nil {
			return nil
		}
		if err := tx.Bucket(bDedup).Put(lk, []byte(req.ID)); err != nil {
			return err
		}
		if err := tx.Bucket(bRaw).Put([]byte(rawID), tx.cr.sealRaw(rawID, f.Raw)); err != nil {
			return err
		}
		if err := updateTx(tx, req.Version, &next, audit, outbox); err != nil {
			return err
		}
		added = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("add follow-up to %s: %w", req.ID, err)
	}
	if added {
		req.Version = next.Version
	}
	return added, nil
}

// purgeFollowUpRawTx deletes the raw messages of id's follow-ups.
func purgeFollowUpRawTx(tx btx, id string) error {
	c := tx.Bucket(bRaw).Cursor()
	prefix := []byte(FollowUpRawID(id, 0))
	prefix = prefix[:len(prefix)-1] // id~f
	var dead [][]byte
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		dead = append(dead, bytes.Clone(k))
	}
	for _, k := range dead {
		if err := tx.Bucket(bRaw).Delete(k); err != nil {
			return err
		}
	}
	return nil
}
