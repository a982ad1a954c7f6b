package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// CreateRequest implements Store in one write transaction, shared with
// creates made at the same time (batchUpdate: one fsync for all of them,
// each returning once its own is on disk).
func (s *Bolt) CreateRequest(ctx context.Context, in Incoming) (*legal.Request, bool, error) {
	var req *legal.Request
	var created bool
	err := s.batchUpdate(ctx, func(tx btx) error {
		var err error
		req, created, err = createTx(tx, in, s.now())
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("create request: %w", err)
	}
	return req, created, nil
}

// createTx creates in within tx (also used to seed benchmarks in batches).
func createTx(tx btx, in Incoming, now time.Time) (*legal.Request, bool, error) {
	if err := draft(&in); err != nil {
		return nil, false, err
	}
	plan := tx.cr.dedupPlan(in.MessageID, in.Raw)
	dedup := tx.Bucket(bDedup)
	var entries []midEntry
	if plan.hasMID {
		entries = parseMid(string(dedup.Get([]byte(plan.key))))
		id, err := midMatch(entries, plan.content, func(id string) ([]byte, bool, error) {
			v := tx.Bucket(bRaw).Get([]byte(id))
			if v == nil {
				return nil, false, nil
			}
			raw, err := tx.cr.openRaw(id, v)
			return raw, err == nil, err
		}, tx.cr)
		if err != nil {
			return nil, false, err
		}
		if id != "" {
			r, err := getTx(tx, id)
			return r, false, err
		}
	} else {
		for _, k := range []string{plan.key, plan.legacy} {
			if id := dedup.Get([]byte(k)); k != "" && id != nil {
				r, err := getTx(tx, string(id))
				return r, false, err
			}
		}
	}
	year := idYear(in.ReceivedAt)
	seqs := tx.Bucket(bSeq)
	yk := []byte(strconv.Itoa(year))
	var n uint64
	if v := seqs.Get(yk); len(v) == 8 {
		n = beUint(v)
	}
	n++
	id := FormatID(year, n)
	in.Outbox = append([]OutboxItem(nil), in.Outbox...)
	if err := finishCreate(&in, id, now); err != nil {
		return nil, false, err
	}
	dedupVal := []byte(id)
	if plan.hasMID {
		next, links := midAdd(entries, id, plan.content)
		dedupVal = []byte(formatMid(next))
		in.Request.SharedMessageID = links
		if err := linkEarlierTx(tx, &in, links, now); err != nil {
			return nil, false, err
		}
	}
	if err := registerCreateTx(tx, &in.Request); err != nil {
		return nil, false, err
	}
	body, err := tx.cr.encodeRequest(&in.Request)
	if err != nil {
		return nil, false, err
	}
	puts := []struct{ b, k, v []byte }{
		{bSeq, yk, u64(n)},
		{bDedup, []byte(plan.key), dedupVal},
		{bRaw, []byte(id), tx.cr.sealRaw(id, in.Raw)},
		{bRequests, []byte(id), body},
	}
	for _, p := range puts {
		if err := tx.Bucket(p.b).Put(p.k, p.v); err != nil {
			return nil, false, err
		}
	}
	if err := reindexTx(tx, nil, &in.Request); err != nil {
		return nil, false, err
	}
	if err := appendAuditTx(tx, in.Audit); err != nil {
		return nil, false, err
	}
	if err := enqueueTx(tx, in.Outbox); err != nil {
		return nil, false, err
	}
	return &in.Request, true, nil
}

// linkEarlierTx records on each earlier request in links that in's new
// request used its Message-ID with other content.
func linkEarlierTx(tx btx, in *Incoming, links []string, now time.Time) error {
	for _, lid := range links {
		old, err := getTx(tx, lid)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		next := *old
		next.SharedMessageID = slices.Clone(old.SharedMessageID)
		if !linkShared(&next, in.Request.ID) {
			continue
		}
		next.Version++
		body, err := tx.cr.encodeRequest(&next)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bRequests).Put([]byte(lid), body); err != nil {
			return err
		}
		if err := appendAuditTx(tx, linkAudit(lid, in.Request.ID, in)); err != nil {
			return err
		}
		items := linkItems(in.LinkOutbox, lid)
		if err := prepareItems(items, now); err != nil {
			return err
		}
		if err := enqueueTx(tx, items); err != nil {
			return err
		}
	}
	return nil
}
