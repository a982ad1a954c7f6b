package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Encryption at rest. With STORE_ENCRYPTION_KEY set, the store seals
// every value that holds what people wrote or sent — requests (subject,
// identifiers, agent contact, extracted text, notes), raw messages, audit
// entries, outbox items and their errors, on-call settings and agency
// records — with AES-256-GCM at its boundary, in both backends; nothing
// outside the store knows. Each value is bound to its place (the AAD
// names its record, such as "req:LE-2026-0042"), so a value moved to
// another record does not open either.
//
// What stays in clear is what the store must query: ids, statuses,
// times, Slack user ids, agency domains, lock and marker names. The one
// lookup key built from message content, the dedup key (Message-ID, or
// the SHA-256 of the raw message), is an HMAC-SHA256 under a lookup key.
//
// Keys and rotation. STORE_ENCRYPTION_KEY holds one or more base64 keys
// of 32 bytes, comma-separated: the first seals, all open (each sealed
// value names its key by a 4-byte id), so a new key can be put first
// while old values still read. `lebot store rekey` re-seals everything
// with the first key, after which the others can go. The lookup key is
// not derived from them: it is 32 random bytes made when encryption is
// first turned on, kept in the store's key record sealed with the first
// key, and re-sealed (not changed) by rekey, so lookups never need
// rehashing. The key record also tells a wrong key at start: none of the
// given keys opens it.

// EncryptionKeySize is the size of a STORE_ENCRYPTION_KEY key in bytes.
const EncryptionKeySize = 32

// ErrEncryptionKey is wrapped by every start-up error about the
// encryption key: missing, wrong, or needing a rekey first.
var ErrEncryptionKey = errors.New("encryption key")

// ParseEncryptionKeys reads STORE_ENCRYPTION_KEY: comma-separated base64
// (standard or URL alphabet, padding optional) keys of 32 bytes each;
// the first encrypts. "" gives none. Errors never show a key.
func ParseEncryptionKeys(s string) ([][]byte, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var keys [][]byte
	seen := map[string]bool{}
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimRight(strings.TrimSpace(part), "=")
		var k []byte
		var err error
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			if k, err = enc.DecodeString(part); err == nil {
				break
			}
		}
		switch {
		case part == "":
			return nil, fmt.Errorf("key %d is empty", i+1)
		case err != nil:
			return nil, fmt.Errorf("key %d is not base64", i+1)
		case len(k) != EncryptionKeySize:
			return nil, fmt.Errorf("key %d is %d bytes, want %d (make one with: openssl rand -base64 32)", i+1, len(k), EncryptionKeySize)
		case seen[string(k)]:
			return nil, fmt.Errorf("key %d is given twice", i+1)
		}
		seen[string(k)] = true
		keys = append(keys, k)
	}
	return keys, nil
}

// sealMagic starts every sealed value: a byte that begins no JSON value
// and no e-mail, and a format version.
var sealMagic = []byte{0xE5, 0x01}

const sealKeyID = 4

// sealKey is one AES-256-GCM key and its id.
type sealKey struct {
	id   [sealKeyID]byte
	aead cipher.AEAD
}

// crypt seals and opens stored values. A nil *crypt is a store without
// encryption: values pass through unchanged and lookup keys stay as
// they are, so without a key nothing changes.
type crypt struct {
	keys   []*sealKey // keys[0] seals
	lookup []byte     // the HMAC key of lookup keys (from the key record)
}

func newCrypt(raw [][]byte) (*crypt, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	c := &crypt{}
	for _, k := range raw {
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, err
		}
		sk := &sealKey{aead: aead}
		m := hmac.New(sha256.New, k)
		m.Write([]byte("lebot store key id"))
		copy(sk.id[:], m.Sum(nil))
		c.keys = append(c.keys, sk)
	}
	return c, nil
}

// seal encrypts p for the record aad names, with the first key.
func (c *crypt) seal(aad string, p []byte) []byte {
	if c == nil {
		return p
	}
	k := c.keys[0]
	out := append(append([]byte(nil), sealMagic...), k.id[:]...)
	return k.aead.Seal(out, nil, p, []byte(aad)) // the nonce is random and prepended
}

// sealed reports whether b is a sealed value, and which key sealed it.
func sealed(b []byte) (id [sealKeyID]byte, ok bool) {
	if len(b) < len(sealMagic)+sealKeyID || string(b[:len(sealMagic)]) != string(sealMagic) {
		return id, false
	}
	copy(id[:], b[len(sealMagic):])
	return id, true
}

// open decrypts b, sealed for aad by any of the keys. Anything that
// does not open (not sealed, sealed with another key, altered, or moved
// from another record) is an error wrapping ErrCorrupt: never garbage.
func (c *crypt) open(aad string, b []byte) ([]byte, error) {
	if c == nil {
		return b, nil
	}
	id, ok := sealed(b)
	if !ok {
		return nil, fmt.Errorf("%w: stored in clear, but the store is encrypted", ErrCorrupt)
	}
	for _, k := range c.keys {
		if k.id != id {
			continue
		}
		p, err := k.aead.Open(nil, nil, b[len(sealMagic)+sealKeyID:], []byte(aad))
		if err != nil {
			return nil, fmt.Errorf("%w: does not decrypt (damaged, altered or moved)", ErrCorrupt)
		}
		return p, nil
	}
	return nil, fmt.Errorf("%w: encrypted with a key not in STORE_ENCRYPTION_KEY", ErrCorrupt)
}

// sealedWithFirst reports whether b is already sealed with the first key.
func (c *crypt) sealedWithFirst(b []byte) bool {
	id, ok := sealed(b)
	return ok && c != nil && id == c.keys[0].id
}

// lookupKey is the stored form of a lookup key built from content (the
// dedup key): an HMAC under the lookup key, hex, when encrypting.
func (c *crypt) lookupKey(k string) string {
	if c == nil {
		return k
	}
	m := hmac.New(sha256.New, c.lookup)
	m.Write([]byte(k))
	return "h:" + hex.EncodeToString(m.Sum(nil))
}

// isLookupHash reports whether a stored dedup key is already a hash.
func isLookupHash(k string) bool { return strings.HasPrefix(k, "h:") }

// The sealed encodings of each kind of record. aad names the record.

func aadRequest(id string) string { return "req:" + id }
func aadRaw(id string) string     { return "raw:" + id }
func aadAudit(id string) string   { return "audit:" + id }
func aadItem(id string) string    { return "ob:" + id }
func aadItemErr(id string) string { return "ob-err:" + id }
func aadAgency(d string) string   { return "agency:" + d }

const (
	aadOnCall    = "oncall"
	aadKeyRecord = "keyrecord"
)

func (c *crypt) encode(aad string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return c.seal(aad, b), nil
}

// decode opens b for aad and unmarshals it into v; what is the record,
// for errors.
func (c *crypt) decode(what, aad string, b []byte, v any) error {
	p, err := c.open(aad, b)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := json.Unmarshal(p, v); err != nil {
		return fmt.Errorf("%s: %w: %v", what, ErrCorrupt, err)
	}
	return nil
}

// keyRecord is the store's record of its encryption (Redis key
// "crypt", bbolt meta "crypt"); no record means not encrypted.
type keyRecord struct {
	V int `json:"v"`
	// Lookup is the lookup key, sealed with the key that was first when
	// the record was last written.
	Lookup []byte `json:"lookup"`
	// Rekeying is set while a rekey runs; a start then refuses.
	Rekeying bool `json:"rekeying,omitempty"`
	// FromPlain: the rekey in progress encrypts a store that was in clear,
	// so values in clear are expected (and dedup keys to hash).
	FromPlain bool `json:"from_plain,omitempty"`
}

func decodeKeyRecord(b []byte) (*keyRecord, error) {
	var r keyRecord
	if err := json.Unmarshal(b, &r); err != nil || r.V != 1 {
		return nil, fmt.Errorf("the store's key record is unreadable: %w", ErrCorrupt)
	}
	return &r, nil
}

// newLookupRecord makes a key record with a fresh lookup key sealed by
// c's first key, and sets c's lookup key.
func (c *crypt) newLookupRecord() (*keyRecord, error) {
	lk := make([]byte, 32)
	if _, err := rand.Read(lk); err != nil {
		return nil, err
	}
	c.lookup = lk
	return &keyRecord{V: 1, Lookup: c.seal(aadKeyRecord, lk)}, nil
}

// useRecord opens rec's lookup key with any of c's keys; failing that,
// the keys given are not the store's.
func (c *crypt) useRecord(rec *keyRecord) error {
	lk, err := c.open(aadKeyRecord, rec.Lookup)
	if err != nil {
		return fmt.Errorf("%w: STORE_ENCRYPTION_KEY does not open this store: it was encrypted with a key that is not among the %d given", ErrEncryptionKey, len(c.keys))
	}
	c.lookup = lk
	return nil
}

// startCrypt decides a store's encryption at open from the configured
// keys, its key record (nil when none) and whether it holds data. It
// returns the crypt to use (nil: none) and a record to store when
// encryption is being turned on for an empty store.
func startCrypt(keys [][]byte, rec *keyRecord, hasData bool) (*crypt, *keyRecord, error) {
	c, err := newCrypt(keys)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case c == nil && rec != nil:
		return nil, nil, fmt.Errorf("%w: this store is encrypted but STORE_ENCRYPTION_KEY is not set: set the key it was encrypted with", ErrEncryptionKey)
	case c == nil:
		return nil, nil, nil
	case rec == nil && hasData:
		return nil, nil, fmt.Errorf("%w: this store holds data that is not encrypted: to encrypt it, stop lebot and run `lebot store rekey` with STORE_ENCRYPTION_KEY set", ErrEncryptionKey)
	case rec == nil:
		nrec, err := c.newLookupRecord()
		return c, nrec, err
	case rec.Rekeying:
		return nil, nil, fmt.Errorf("%w: a `lebot store rekey` did not finish: run it again", ErrEncryptionKey)
	}
	return c, nil, c.useRecord(rec)
}
