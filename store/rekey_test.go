package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
	bolt "go.etcd.io/bbolt"
)

// rekeyBackend opens one store again and again, and shows its raw data.
type rekeyBackend struct {
	cfg  Config
	dump func(t *testing.T, s Store) []byte
}

// rekeyBackends are a Redis, an embedded file and, with cluster, a
// Redis Cluster (where the keys are found on the master that has them).
func rekeyBackends(t *testing.T, cluster bool) map[string]rekeyBackend {
	url := testredis.NewPrivate(t).URL // rekey scans the keyspace
	bs := map[string]rekeyBackend{
		"redis": {cfg: Config{RedisURL: url, KeyPrefix: testredis.PrefixCleanup(t, url)},
			dump: func(t *testing.T, s Store) []byte { return redisDump(t, s.(*Redis)) }},
		"bolt": {cfg: Config{DataDir: t.TempDir()},
			dump: func(t *testing.T, s Store) []byte {
				s.Close()
				b, err := os.ReadFile(s.(*Bolt).Path())
				if err != nil {
					t.Fatal(err)
				}
				return b
			}},
	}
	if cluster {
		url := testredis.NewCluster(t).URL
		bs["cluster"] = rekeyBackend{cfg: Config{RedisURL: url, KeyPrefix: testredis.Prefix(t)},
			dump: func(t *testing.T, s Store) []byte { return redisDump(t, s.(*Redis)) }}
	}
	return bs
}

func (b rekeyBackend) open(t *testing.T, keys ...[]byte) (Store, error) {
	t.Helper()
	cfg := b.cfg
	cfg.EncryptionKeys = keys
	s, err := Open(context.Background(), cfg)
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func (b rekeyBackend) mustOpen(t *testing.T, keys ...[]byte) Store {
	t.Helper()
	s, err := b.open(t, keys...)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func (b rekeyBackend) rekey(t *testing.T, keys ...[]byte) RekeyResult {
	t.Helper()
	cfg := b.cfg
	cfg.EncryptionKeys = keys
	res, err := Rekey(context.Background(), cfg)
	if err != nil {
		t.Fatalf("rekey: %v", err)
	}
	return res
}

// sealedWith reports whether dump holds a value sealed with key.
func sealedWith(t *testing.T, dump []byte, key []byte) bool {
	c, err := newCrypt([][]byte{key})
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(dump, append(append([]byte(nil), sealMagic...), c.keys[0].id[:]...))
}

// TestRekeyRotation: a second key put first seals new values while the
// old ones still open; rekey seals everything with it, after which the
// old key can go — and is refused if given alone.
func TestRekeyRotation(t *testing.T) {
	t.Parallel() // its own servers and files
	k1, k2 := testKey(1), testKey(2)
	for name, b := range rekeyBackends(t, true) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := b.mustOpen(t, k1)
			seedSecrets(t, s)
			s.Close()

			s = b.mustOpen(t, k2, k1) // rotation begins: k2 seals, both open
			checkSecretsRead(t, s, day0.Add(3*time.Hour))
			mustCreate(t, s, incoming(2, day0))
			s.Close()

			res := b.rekey(t, k2, k1)
			if res.FromPlain || res.Resealed == 0 || res.Kept == 0 || res.Hashed != 0 {
				t.Errorf("got %+v, want values re-sealed and the new request's kept", res)
			}
			if _, err := b.open(t, k1); !errors.Is(err, ErrEncryptionKey) {
				t.Errorf("the old key alone after rekey: got %v, want ErrEncryptionKey", err)
			}
			s = b.mustOpen(t, k2) // the old key is gone
			checkSecretsRead(t, s, day0.Add(4*time.Hour))
			if r := mustGet(t, s, "LE-2026-0002"); r.Subject != "subpoena 2" {
				t.Errorf("got %q", r.Subject)
			}
			dump := b.dump(t, s)
			if sealedWith(t, dump, k1) || !sealedWith(t, dump, k2) {
				t.Errorf("after rekey: a value sealed with the old key remains, or none with the new")
			}
			checkSecrets(t, dump, true)
			if again := b.rekey(t, k2); again.Resealed != 0 || again.Kept == 0 {
				t.Errorf("a second rekey: got %+v, want nothing left to do", again)
			}
		})
	}
}

// TestRekeyFromPlain: a store in clear refuses a key until rekey has
// encrypted it; then lookups (dedup by Message-ID) still work and no
// secret is left in clear (for bbolt, not even in free pages).
func TestRekeyFromPlain(t *testing.T) {
	t.Parallel() // its own servers and files
	k1 := testKey(1)
	for name, b := range rekeyBackends(t, true) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := b.mustOpen(t)
			seedSecrets(t, s)
			s.Close()
			if _, err := b.open(t, k1); !errors.Is(err, ErrEncryptionKey) || !strings.Contains(err.Error(), "lebot store rekey") {
				t.Fatalf("a key for a store in clear: got %v, want to be told to rekey", err)
			}
			res := b.rekey(t, k1)
			if !res.FromPlain || res.Resealed < 6 || res.Hashed != 1 {
				t.Errorf("got %+v, want the store encrypted and its one dedup key hashed", res)
			}
			s = b.mustOpen(t, k1)
			checkSecretsRead(t, s, day0.Add(3*time.Hour))
			checkSecrets(t, b.dump(t, s), true)
			if _, err := b.open(t); !errors.Is(err, ErrEncryptionKey) {
				t.Errorf("no key after rekey: got %v, want ErrEncryptionKey", err)
			}
		})
	}
}

func TestRekeyRefusals(t *testing.T) {
	t.Parallel() // its own servers and files
	for name, b := range rekeyBackends(t, false) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := b.mustOpen(t, testKey(1))
			mustCreate(t, s, incoming(1, day0))
			s.Close()
			cfg := b.cfg
			if _, err := Rekey(context.Background(), cfg); !errors.Is(err, ErrEncryptionKey) {
				t.Errorf("no key: got %v, want ErrEncryptionKey", err)
			}
			cfg.EncryptionKeys = [][]byte{testKey(3)}
			if _, err := Rekey(context.Background(), cfg); !errors.Is(err, ErrEncryptionKey) {
				t.Errorf("a wrong key: got %v, want ErrEncryptionKey", err)
			}
			if r := mustGet(t, b.mustOpen(t, testKey(1)), "LE-2026-0001"); r.Subject != "subpoena 1" {
				t.Errorf("after refused rekeys the store reads %q", r.Subject)
			}
		})
	}
}

// TestRekeyInterrupted: a Redis rekey cut off half-way leaves the key
// record marked, so a start is refused until a second run finishes it.
func TestRekeyInterrupted(t *testing.T) {
	t.Parallel() // its own servers and files
	b := rekeyBackends(t, false)["redis"]
	s := b.mustOpen(t, testKey(1))
	seedSecrets(t, s)
	r := s.(*Redis)
	rec, err := r.keyRecord(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rec.Rekeying = true
	if err := r.putKeyRecord(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := b.open(t, testKey(2), testKey(1)); !errors.Is(err, ErrEncryptionKey) || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("got %v, want to be told the rekey did not finish", err)
	}
	b.rekey(t, testKey(2), testKey(1))
	checkSecretsRead(t, b.mustOpen(t, testKey(2)), day0.Add(3*time.Hour))
}

// TestRekeyLeavesUnreadable: a value no key opens (here overwritten with
// garbage) does not stop a rekey: it is named, left as it was (still an
// error to read, never garbage), and everything else is re-sealed.
func TestRekeyLeavesUnreadable(t *testing.T) {
	t.Parallel() // its own servers and files
	k1, k2 := testKey(1), testKey(2)
	for name, b := range rekeyBackends(t, false) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := b.mustOpen(t, k1)
			mustCreate(t, s, incoming(1, day0))
			mustCreate(t, s, incoming(2, day0))
			var err error
			switch s := s.(type) {
			case *Redis:
				err = s.c.Set(context.Background(), s.k.request("LE-2026-0002"), "garbage", 0).Err()
			case *Bolt:
				err = s.db.Update(func(tx *bolt.Tx) error {
					return tx.Bucket(bRequests).Put([]byte("LE-2026-0002"), []byte("garbage"))
				})
			}
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			res := b.rekey(t, k2, k1)
			if len(res.Unreadable) != 1 || res.Unreadable[0] != "request LE-2026-0002" {
				t.Errorf("got unreadable %v, want request LE-2026-0002", res.Unreadable)
			}
			s = b.mustOpen(t, k2)
			if r := mustGet(t, s, "LE-2026-0001"); r.Subject != "subpoena 1" {
				t.Errorf("got %q", r.Subject)
			}
			if _, err := s.GetRequest(context.Background(), "LE-2026-0002"); !errors.Is(err, ErrCorrupt) {
				t.Errorf("the unreadable request: got %v, want ErrCorrupt", err)
			}
		})
	}
}
