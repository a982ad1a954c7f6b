package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// RekeyResult says what Rekey did.
type RekeyResult struct {
	// FromPlain: the store was in clear and is now encrypted.
	FromPlain bool
	// Resealed values were sealed again with the first key (or sealed for
	// the first time); Kept ones already were.
	Resealed, Kept int
	// Hashed dedup keys were turned from content into keyed hashes.
	Hashed int
	// Unreadable names the values no key opens (damaged, or sealed with a
	// key no longer given): they could not be read before either, and are
	// left as they are.
	Unreadable []string
}

// Rekey seals every sealed value of the store cfg names again with the
// first of cfg.EncryptionKeys, opening them with any of them, and seals
// the key record's lookup key with it too; afterwards the other keys can
// be dropped from STORE_ENCRYPTION_KEY. A store in clear is encrypted
// (and its dedup keys hashed). Lookup keys do not change: the lookup key
// is the store's own, only re-sealed (see crypt.go).
//
// Run it with lebot stopped. The embedded file is copied into a new file
// that replaces it whole (so no page of the old one, in clear or under
// an old key, is left in lebot.db); bbolt's lock refuses a running lebot.
// On Redis each value is rewritten in its own transaction and a start
// is refused until Rekey has finished; it can simply be run again after
// an interruption. Redis's own files (AOF, RDB snapshots) keep what was
// written before until Redis rewrites them (BGREWRITEAOF).
func Rekey(ctx context.Context, cfg Config) (RekeyResult, error) {
	cfg = cfg.withDefaults()
	if len(cfg.EncryptionKeys) == 0 {
		return RekeyResult{}, fmt.Errorf("%w: set STORE_ENCRYPTION_KEY to the key to encrypt with, followed by any older keys", ErrEncryptionKey)
	}
	if cfg.RedisURL != "" {
		return rekeyRedis(ctx, cfg)
	}
	return rekeyBolt(ctx, cfg)
}

// rekeyer re-seals values with the first key.
type rekeyer struct {
	c         *crypt
	fromPlain bool
	res       RekeyResult
}

// newRekeyer reads the store's key record (nil when none) and returns
// the rekeyer and the record to write when done.
func newRekeyer(keys [][]byte, rec *keyRecord) (*rekeyer, *keyRecord, error) {
	c, err := newCrypt(keys)
	if err != nil {
		return nil, nil, err
	}
	rk := &rekeyer{c: c}
	if rec == nil {
		rk.fromPlain = true
		nrec, err := c.newLookupRecord()
		return rk, nrec, err
	}
	if err := c.useRecord(rec); err != nil {
		return nil, nil, err
	}
	rk.fromPlain = rec.FromPlain
	return rk, &keyRecord{V: 1, Lookup: c.seal(aadKeyRecord, c.lookup)}, nil
}

// reseal returns b sealed with the first key for aad, and whether it
// changed. A value that does not open is left as it is and named in
// Unreadable, except when encrypting a store that was in clear: then it
// is a value in clear.
func (rk *rekeyer) reseal(what, aad string, b []byte) ([]byte, bool) {
	if rk.c.sealedWithFirst(b) {
		if _, err := rk.c.open(aad, b); err == nil {
			rk.res.Kept++
			return b, false
		}
	}
	p, err := rk.c.open(aad, b)
	if err != nil {
		if !rk.fromPlain {
			rk.res.Unreadable = append(rk.res.Unreadable, what)
			return b, false
		}
		p = b
	}
	rk.res.Resealed++
	return rk.c.seal(aad, p), true
}

// dedupKey returns the stored form of a dedup key, and whether it changed.
func (rk *rekeyer) dedupKey(k string) (string, bool) {
	if !rk.fromPlain || isLookupHash(k) {
		return k, false
	}
	rk.res.Hashed++
	return rk.c.lookupKey(k), true
}

// dedupValue returns the stored form of a dedup value: the content
// tokens of a mid: key's entries hashed like the keys (dedup.go).
func (rk *rekeyer) dedupValue(v []byte) []byte {
	if !rk.fromPlain {
		return v
	}
	es := parseMid(string(v))
	changed := false
	for i, e := range es {
		if e.Content != "" && !isLookupHash(e.Content) {
			es[i].Content, changed = rk.c.lookupKey(e.Content), true
		}
	}
	if !changed {
		return v
	}
	return []byte(formatMid(es))
}

func (rk *rekeyer) result() RekeyResult {
	r := rk.res
	r.FromPlain = rk.fromPlain
	return r
}

// rekeyBolt copies lebot.db into lebot.db.rekey, re-sealing on the way,
// and renames the copy over the original.
func rekeyBolt(_ context.Context, cfg Config) (RekeyResult, error) {
	path := filepath.Join(cfg.DataDir, "lebot.db")
	if _, err := os.Stat(path); err != nil {
		return RekeyResult{}, fmt.Errorf("embedded store: %w", err)
	}
	src, err := openBoltFile(path)
	if err != nil {
		return RekeyResult{}, err
	}
	defer guard(src.Close)
	var rec *keyRecord
	err = guard(func() error {
		return src.View(func(tx *bolt.Tx) error {
			if m := tx.Bucket(bMeta); m != nil {
				if v := m.Get([]byte("crypt")); v != nil {
					var err error
					rec, err = decodeKeyRecord(v)
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return RekeyResult{}, err
	}
	rk, done, err := newRekeyer(cfg.EncryptionKeys, rec)
	if err != nil {
		return RekeyResult{}, err
	}
	tmp := path + ".rekey"
	_ = os.Remove(tmp) // left by an interrupted run
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: lockWait, NoSync: true})
	if err != nil {
		return RekeyResult{}, fmt.Errorf("embedded store: %w", err)
	}
	err = guard(func() error { return copyBolt(dst, src, rk, done) })
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return RekeyResult{}, fmt.Errorf("rekey %s (left unchanged): %w", path, err)
	}
	if d, err := os.Open(cfg.DataDir); err == nil {
		_ = d.Sync() // the rename
		d.Close()
	}
	return rk.result(), nil
}

// copyBolt copies every bucket of src into dst, re-sealing values and
// hashing dedup keys on the way, and writes the key record done.
func copyBolt(dst, src *bolt.DB, rk *rekeyer, done *keyRecord) error {
	const batch = 32 << 20 // bytes per destination transaction
	tx, err := dst.Begin(true)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	size := 0
	put := func(path [][]byte, k, v []byte) error {
		if size += len(k) + len(v); size > batch {
			if err := tx.Commit(); err != nil {
				return err
			}
			if tx, err = dst.Begin(true); err != nil {
				return err
			}
			size = 0
		}
		b := tx.Bucket(path[0])
		for _, p := range path[1:] {
			b = b.Bucket(p)
		}
		return b.Put(k, v)
	}
	mkBucket := func(path [][]byte, seq uint64) error {
		var b *bolt.Bucket
		var err error
		if len(path) == 1 {
			b, err = tx.CreateBucket(path[0])
		} else {
			parent := tx.Bucket(path[0])
			for _, p := range path[1 : len(path)-1] {
				parent = parent.Bucket(p)
			}
			b, err = parent.CreateBucket(path[len(path)-1])
		}
		if err != nil {
			return err
		}
		return b.SetSequence(seq)
	}
	err = src.View(func(stx *bolt.Tx) error {
		return stx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return copyBucket(b, [][]byte{name}, mkBucket, func(path [][]byte, k, v []byte) error {
				k, v, err := rk.boltValue(path, k, v)
				if err != nil || k == nil {
					return err
				}
				return put(path, k, v)
			})
		})
	})
	if err != nil {
		return err
	}
	b, _ := json.Marshal(done)
	meta, err := tx.CreateBucketIfNotExists(bMeta)
	if err != nil {
		return err
	}
	if err := meta.Put([]byte("crypt"), b); err != nil {
		return err
	}
	return tx.Commit()
}

// copyBucket creates b at path in the destination and copies its keys,
// recursing into nested buckets.
func copyBucket(b *bolt.Bucket, path [][]byte, mkBucket func([][]byte, uint64) error,
	put func([][]byte, []byte, []byte) error) error {
	if err := mkBucket(path, b.Sequence()); err != nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if sub := b.Bucket(k); sub != nil {
			if err := copyBucket(sub, append(path[:len(path):len(path)], k), mkBucket, put); err != nil {
				return err
			}
			continue
		}
		if err := put(path, k, v); err != nil {
			return err
		}
	}
	return nil
}

// boltValue is the rekeyed form of one key and value of the embedded
// store at bucket path (k nil: drop it).
func (rk *rekeyer) boltValue(path [][]byte, k, v []byte) ([]byte, []byte, error) {
	bucket, id := string(path[0]), string(k)
	var aad, what string
	switch {
	case bucket == string(bRequests):
		aad, what = aadRequest(id), "request "+id
	case bucket == string(bRaw):
		aad, what = aadRaw(id), "raw message of "+id
	case bucket == string(bOutbox):
		aad, what = aadItem(id), "outbox item "+id
	case bucket == string(bAgency):
		aad, what = aadAgency(id), "agency "+id
	case bucket == string(bAudit) && len(path) == 2:
		aad, what = aadAudit(string(path[1])), "audit of "+string(path[1])
	case bucket == string(bMeta) && id == "oncall":
		aad, what = aadOnCall, "on-call settings"
	case bucket == string(bMeta) && id == "crypt":
		return nil, nil, nil // written anew at the end
	case bucket == string(bDedup):
		nk, _ := rk.dedupKey(id)
		return []byte(nk), rk.dedupValue(v), nil
	default:
		return k, v, nil
	}
	nv, _ := rk.reseal(what, aad, v)
	return k, nv, nil
}

// globEscape escapes Redis glob characters in s.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unescape reverses escape (keys.go).
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if hi, lo := unhex(s[i+1]), unhex(s[i+2]); hi >= 0 && lo >= 0 {
				b.WriteByte(byte(hi<<4 | lo))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}
