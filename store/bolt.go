package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/lebot-dev/lebot/legal"
	bolt "go.etcd.io/bbolt"
)

// Bolt is the embedded backend: one bbolt file, DATA_DIR/lebot.db, for
// one process. Every write is one bbolt Update transaction (fsynced), so
// a crash leaves a create or update whole or absent. bbolt serializes
// writers, which also makes claims and compare-and-set trivially safe.
// Bucket and key layout: see keys.go.
type Bolt struct {
	db   *bolt.DB
	log  *slog.Logger
	now  func() time.Time
	path string
	cr   *crypt // encryption at rest; nil: none
	// broken is set when bbolt failed on the file (see damaged): every
	// later call fails with it at once, without touching the file.
	broken atomic.Pointer[DamagedError]
	// group batches concurrent creates into one commit (bolt_batch.go).
	group commitGroup
}

var _ Store = (*Bolt)(nil)

// lockWait is how long Open waits for another holder of the file.
const lockWait = time.Second

// OpenBolt opens (creating) cfg.DataDir/lebot.db, mode 0600 in a 0700
// directory. If another process (or another Open in this one) holds the
// file, it fails after about a second with an error wrapping ErrLocked.
// A damaged file is refused with a *DamagedError (one line: what is
// wrong, and to restore it from backup or move it aside), never a panic.
func OpenBolt(cfg Config) (*Bolt, error) {
	cfg = cfg.withDefaults()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded store: create DATA_DIR: %w", err)
	}
	path := filepath.Join(cfg.DataDir, "lebot.db")
	db, err := openBoltFile(path)
	if err != nil {
		return nil, err
	}
	s := &Bolt{db: db, log: cfg.Logger, now: cfg.Now, path: path}
	// Read first; write (and fsync) only when buckets or the key record
	// are missing: a new file, an upgrade, encryption turned on.
	ready := false
	err = s.view(context.Background(), func(tx btx) error {
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				return nil
			}
		}
		write, err := s.startEncryption(tx, cfg.EncryptionKeys, false)
		ready = !write
		return err
	})
	if err == nil && !ready {
		err = s.update(context.Background(), func(tx btx) error {
			for _, b := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			_, err := s.startEncryption(tx, cfg.EncryptionKeys, true)
			return err
		})
	}
	if err != nil {
		_ = guard(db.Close)
		if errors.Is(err, ErrEncryptionKey) || errors.As(err, new(*DamagedError)) {
			return nil, err
		}
		return nil, fmt.Errorf("embedded store %s: %w", path, err)
	}
	cfg.Logger.Warn("store: embedded file store; single process only (set REDIS_URL to run several replicas)", "path", path)
	return s, nil
}

// startEncryption sets the store's encryption from keys and the stored
// key record (see startCrypt). When encryption is being turned on for an
// empty store it stores a new record, if write, else reports that it
// must write (and sets nothing).
func (s *Bolt) startEncryption(tx btx, keys [][]byte, write bool) (mustWrite bool, err error) {
	meta := tx.Bucket(bMeta)
	var rec *keyRecord
	if v := meta.Get([]byte("crypt")); v != nil {
		if rec, err = decodeKeyRecord(v); err != nil {
			return false, err
		}
	}
	hasData := false
	for _, b := range [][]byte{bRequests, bOutbox, bAgency} {
		if k, _ := tx.Bucket(b).Cursor().First(); k != nil {
			hasData = true
		}
	}
	hasData = hasData || meta.Get([]byte("oncall")) != nil
	cr, nrec, err := startCrypt(keys, rec, hasData)
	if err != nil {
		return false, err
	}
	if nrec != nil {
		if !write {
			return true, nil
		}
		b, _ := json.Marshal(nrec)
		if err := meta.Put([]byte("crypt"), b); err != nil {
			return false, err
		}
	}
	s.cr = cr
	return false, nil
}

// Path is the database file.
func (s *Bolt) Path() string { return s.path }

// Ping reads data: the last request by id, decoded (a damaged file or
// undecodable data is an error wrapping ErrCorrupt).
func (s *Bolt) Ping(ctx context.Context) error {
	return s.view(ctx, func(tx btx) error {
		if k, v := tx.Bucket(bRequests).Cursor().Last(); k != nil {
			_, err := tx.cr.decodeRequest(string(k), v)
			return err
		}
		return nil
	})
}

// Close closes the file, releasing its lock. A store found damaged is
// not closed (bbolt may still hold its writer lock from the failed
// transaction, and would wait for it forever): the process exits anyway.
func (s *Bolt) Close() error {
	if d := s.broken.Load(); d != nil {
		return d
	}
	return guard(s.db.Close)
}

// view and update run a bbolt transaction, turning a failure inside
// bbolt on a damaged file (a panic or a memory fault) into a
// *DamagedError. After one, the store is broken: every call fails at
// once with that error (a write that failed half-way may leave bbolt's
// locks held, and more writes would only add to the damage).
func (s *Bolt) view(ctx context.Context, fn func(btx) error) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	return s.damaged(guard(func() error {
		return s.db.View(func(tx *bolt.Tx) error { return fn(btx{tx, s.cr}) })
	}))
}

func (s *Bolt) update(ctx context.Context, fn func(btx) error) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	return s.damaged(guard(func() error {
		return s.db.Update(func(tx *bolt.Tx) error { return fn(btx{tx, s.cr}) })
	}))
}

// btx is a bbolt transaction with the store's encryption (nil: none).
type btx struct {
	*bolt.Tx
	cr *crypt
}

func (s *Bolt) usable(ctx context.Context) error {
	if d := s.broken.Load(); d != nil {
		return d
	}
	return ctx.Err()
}

func (s *Bolt) damaged(err error) error {
	var p bboltPanic
	if !errors.As(err, &p) {
		return err
	}
	d := &DamagedError{Path: s.path, Reason: "bbolt failed on it: " + p.Error()}
	if s.broken.CompareAndSwap(nil, d) {
		s.log.Error("store: the embedded file is damaged; every store call fails until it is restored and lebot restarted", "err", d.Error())
	}
	return s.broken.Load()
}

// GetRequest implements Store.
func (s *Bolt) GetRequest(ctx context.Context, id string) (*legal.Request, error) {
	var r *legal.Request
	err := s.view(ctx, func(tx btx) error {
		var err error
		r, err = getTx(tx, id)
		return err
	})
	return r, err
}

func getTx(tx btx, id string) (*legal.Request, error) {
	v := tx.Bucket(bRequests).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("request %s: %w", id, ErrNotFound)
	}
	return tx.cr.decodeRequest(id, v) // decoding copies out of the mmap
}

// RawMessage implements Store.
func (s *Bolt) RawMessage(ctx context.Context, id string) ([]byte, error) {
	var raw []byte
	err := s.view(ctx, func(tx btx) error {
		v := tx.Bucket(bRaw).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("raw message of %s: %w", id, ErrNotFound)
		}
		p, err := tx.cr.openRaw(id, v)
		raw = bytes.Clone(p) // out of the mmap
		return err
	})
	return raw, err
}

// PurgeRaw implements Store.
func (s *Bolt) PurgeRaw(ctx context.Context, id string) error {
	err := s.update(ctx, func(tx btx) error {
		if tx.Bucket(bRequests).Get([]byte(id)) == nil {
			return fmt.Errorf("request %s: %w", id, ErrNotFound)
		}
		if err := purgeFollowUpRawTx(tx, id); err != nil {
			return err
		}
		return tx.Bucket(bRaw).Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("purge raw message of %s: %w", id, err)
	}
	return nil
}

// UpdateRequest implements Store: compare the version, write, re-index,
// audit and enqueue in one Update transaction.
func (s *Bolt) UpdateRequest(ctx context.Context, req *legal.Request, audit AuditEntry, outbox ...OutboxItem) error {
	if err := checkUpdate(req); err != nil {
		return err
	}
	now := s.now()
	finishUpdate(req, &audit, now)
	outbox = append([]OutboxItem(nil), outbox...)
	if err := prepareItems(outbox, now); err != nil {
		return err
	}
	next := *req
	next.Version = req.Version + 1
	err := s.update(ctx, func(tx btx) error { return updateTx(tx, req.Version, &next, audit, outbox) })
	if err != nil {
		return fmt.Errorf("update request %s: %w", req.ID, err)
	}
	req.Version = next.Version
	return nil
}

// updateTx writes next over the stored request whose version is
// version (else ErrConflict), with its indexes, the agency registry, the
// audit entry and the outbox items: every update's writes in one bbolt
// transaction.
func updateTx(tx btx, version int64, next *legal.Request, audit AuditEntry, outbox []OutboxItem) error {
	old, err := getTx(tx, next.ID)
	if err != nil {
		return err
	}
	if old.Version != version {
		return fmt.Errorf("request %s: stored version %d, update has %d: %w", next.ID, old.Version, version, ErrConflict)
	}
	body, err := tx.cr.encodeRequest(next)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bRequests).Put([]byte(next.ID), body); err != nil {
		return err
	}
	if err := reindexTx(tx, old, next); err != nil {
		return err
	}
	if err := registerUpdateTx(tx, old, next); err != nil {
		return err
	}
	if err := appendAuditTx(tx, audit); err != nil {
		return err
	}
	return enqueueTx(tx, outbox)
}

// ResolveID implements Store.
func (s *Bolt) ResolveID(ctx context.Context, input string) (string, error) {
	year, seq, err := parseIDInput(input)
	if err != nil {
		return "", err
	}
	var found []string
	err = s.view(ctx, func(tx btx) error {
		reqs := tx.Bucket(bRequests)
		try := func(y int) {
			if id := FormatID(y, seq); reqs.Get([]byte(id)) != nil {
				found = append(found, id)
			}
		}
		if year != 0 {
			try(year)
			return nil
		}
		return tx.Bucket(bSeq).ForEach(func(k, _ []byte) error { // one key per year
			y, err := strconv.Atoi(string(k))
			if err == nil {
				try(y)
			}
			return nil
		})
	})
	if err != nil {
		return "", fmt.Errorf("resolve %q: %w", input, err)
	}
	return resolveAmong(input, found)
}
