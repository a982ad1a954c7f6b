package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"
)

// newOutboxID returns a random outbox item id.
func newOutboxID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "ob-" + hex.EncodeToString(b)
}

// prepareItems assigns ids and Created to new outbox items: now, a
// microsecond apart in the order given, so items enqueued together keep
// their order within an Order group.
func prepareItems(items []OutboxItem, now time.Time) error {
	for i := range items {
		it := &items[i]
		if it.Kind == "" {
			return errors.New("outbox item without a kind")
		}
		if it.ID == "" {
			it.ID = newOutboxID()
		}
		if it.Created.IsZero() {
			it.Created = now.Add(time.Duration(i) * time.Microsecond)
		}
		it.LeaseUntil = time.Time{}
	}
	return nil
}

// orderGroup is the group an item waits its turn in ("" for none):
// its Order and RequestID.
func orderGroup(it *OutboxItem) string {
	if it.Order == "" {
		return ""
	}
	return it.Order + "\x00" + it.RequestID
}

// readyAt is when an outbox item may next be claimed.
func readyAt(it *OutboxItem) time.Time {
	if it.LeaseUntil.After(it.NotBefore) {
		return it.LeaseUntil
	}
	return it.NotBefore
}

func (c *crypt) encodeItem(it *OutboxItem) ([]byte, error) { return c.encode(aadItem(it.ID), it) }

func (c *crypt) decodeItem(id string, b []byte) (OutboxItem, error) {
	var it OutboxItem
	err := c.decode("outbox item "+id, aadItem(id), b, &it)
	return it, err
}

// ms is t in Unix milliseconds: the resolution of every index and queue.
func ms(t time.Time) int64 { return t.UnixMilli() }
