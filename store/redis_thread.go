package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/lebot-dev/lebot/legal"
)

var _ Threads = (*Redis)(nil)

// LinkMessage implements Threads (SET NX, then GET when it was set before).
func (s *Redis) LinkMessage(ctx context.Context, messageID, requestID string) (string, error) {
	if messageID == "" || requestID == "" {
		return "", fmt.Errorf("link message: empty Message-ID or request id")
	}
	key := s.k.dedup(s.cr.lookupKey(threadKey(messageID)))
	prev, err := s.c.SetArgs(ctx, key, requestID, redis.SetArgs{Mode: "NX", Get: true}).Result()
	switch {
	case errors.Is(err, redis.Nil):
		return requestID, nil
	case err != nil:
		return "", fmt.Errorf("link message: %w", err)
	}
	return prev, nil
}

// ThreadOf implements Threads.
func (s *Redis) ThreadOf(ctx context.Context, messageID string) (string, error) {
	for _, k := range []string{threadKey(messageID), originKey(messageID)} {
		v, err := s.c.Get(ctx, s.k.dedup(s.cr.lookupKey(k))).Result()
		if err == nil {
			return linkedID(k, v), nil
		}
		if !errors.Is(err, redis.Nil) {
			return "", fmt.Errorf("thread of a message: %w", err)
		}
	}
	return "", fmt.Errorf("message %q: %w", messageID, ErrNotFound)
}

// AddFollowUp implements Threads: WATCH the request and the link, then
// write the raw message, the link, the request, its indexes, audit and
// outbox in one MULTI/EXEC.
func (s *Redis) AddFollowUp(ctx context.Context, req *legal.Request, f FollowUpMessage, audit AuditEntry, outbox ...OutboxItem) (bool, error) {
	if err := checkUpdate(req); err != nil {
		return false, err
	}
	fk, err := followUpKey(f)
	if err != nil {
		return false, err
	}
	finishUpdate(req, &audit, s.now())
	outbox = append([]OutboxItem(nil), outbox...)
	if err := prepareItems(outbox, s.now()); err != nil {
		return false, err
	}
	key, link := s.k.request(req.ID), s.k.dedup(s.cr.lookupKey(fk))
	rawID := FollowUpRawID(req.ID, len(req.FollowUps))
	next := *req
	next.Version = req.Version + 1
	body, err := s.cr.encodeRequest(&next)
	if err != nil {
		return false, fmt.Errorf("add follow-up to %s: %w", req.ID, err)
	}
	added := false
	err = s.watch(ctx, func(tx *redis.Tx) error {
		added = false
		n, err := tx.Exists(ctx, link).Result()
		if err != nil || n > 0 {
			return err
		}
		err = s.writeUpdate(ctx, tx, req.Version, &next, body, audit, outbox, func(p redis.Pipeliner) {
			p.Set(ctx, link, req.ID, 0)
			p.Set(ctx, s.k.raw(rawID), s.cr.sealRaw(rawID, f.Raw), 0)
		})
		if err == nil {
			added = true
		}
		return err
	}, append([]string{key, link}, s.registryKeys(&next)...)...)
	if err != nil {
		return false, fmt.Errorf("add follow-up to %s: %w", req.ID, err)
	}
	if added {
		req.Version = next.Version
	}
	return added, nil
}
