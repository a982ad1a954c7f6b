package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
)

func TestParseEncryptionKeys(t *testing.T) {
	k1, k2 := testKey(1), testKey(2)
	std, url := base64.StdEncoding.EncodeToString(k1), base64.RawURLEncoding.EncodeToString(k2)
	tests := []struct {
		name, in string
		want     [][]byte
		errHas   string
	}{
		{"unset", "", nil, ""},
		{"one key", std, [][]byte{k1}, ""},
		{"two keys, URL alphabet, no padding, spaces", " " + std + " , " + url, [][]byte{k1, k2}, ""},
		{"not base64", "not*base64!", nil, "key 1 is not base64"},
		{"too short", base64.StdEncoding.EncodeToString(k1[:16]), nil, "key 1 is 16 bytes, want 32"},
		{"empty second key", std + ",", nil, "key 2 is empty"},
		{"the same key twice", std + "," + std, nil, "key 2 is given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEncryptionKeys(tt.in)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) || strings.Contains(err.Error(), std[:10]) {
					t.Fatalf("got %v, want an error with %q that shows no key", err, tt.errHas)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("got %d keys, %v; want %d", len(got), err, len(tt.want))
			}
			for i := range got {
				if !bytes.Equal(got[i], tt.want[i]) {
					t.Errorf("key %d differs", i+1)
				}
			}
		})
	}
}

// Content a request carries that must never be stored in clear with a
// key set: the subject, words of the body, the target's number in the
// forms it appears in, the agent's name and address, a note, the
// Message-ID (the dedup key).
var secrets = []string{"Bluebird-7731", "subscriber information for", "555-0100", "5550100",
	"Dana Smith", "dana.smith", "called the agent back", "m-secret-77", "ops@example.com"}

// seedSecrets stores a request holding every secret in the places they
// go: the raw message, the request's facts, an audit note, an outbox
// item and its last error, on-call settings and the agency registry.
func seedSecrets(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	raw := "Message-ID: <m-secret-77@fbi.gov>\r\nFrom: Dana Smith <dana.smith@fbi.gov>\r\n" +
		"Subject: Grand jury subpoena Bluebird-7731\r\n\r\n" +
		"Please produce subscriber information for (415) 555-0100.\r\n"
	r := mustCreate(t, s, Incoming{
		Raw: []byte(raw), MessageID: "m-secret-77@fbi.gov", ReceivedAt: day0,
		Request: legal.Request{Source: "smtp", Subject: "Grand jury subpoena Bluebird-7731",
			From: "Dana Smith <dana.smith@fbi.gov>",
			Facts: legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}, SenderDomain: "fbi.gov", SenderOfficial: true,
				Agent:       legal.Agent{Name: "Dana Smith", Email: "dana.smith@fbi.gov", Phone: "+14155550100"},
				Identifiers: []string{"+14155550100"}}},
		Outbox: []OutboxItem{{Kind: "slack.thread", Payload: []byte(`{"text":"target (415) 555-0100"}`)}},
		Audit:  AuditEntry{Actor: "smtp", Action: "created", Note: "Bluebird-7731 received"},
	})
	r.Assignee = "U1"
	if err := s.UpdateRequest(ctx, r, AuditEntry{Actor: "U1", Action: "note", Note: "called the agent back at 415-555-0100"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendAudit(ctx, AuditEntry{RequestID: r.ID, Actor: "U1", Action: "note", Note: "Dana Smith confirmed"}); err != nil {
		t.Fatal(err)
	}
	items, err := s.Claim(ctx, day0.Add(time.Hour), time.Minute, 10)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim: %v, %v", items, err)
	}
	if err := s.Retry(ctx, items[0].ID, day0.Add(2*time.Hour), "slack refused text about 555-0100", 0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetOnCall(ctx, OnCall{Levels: [][]string{{"U1"}}, Emails: map[string]string{"U1": "ops@example.com"}}); err != nil {
		t.Fatal(err)
	}
}

// checkSecretsRead: everything seeded reads back as it was written; the
// outbox item is claimed at now (an hour later on each call).
func checkSecretsRead(t *testing.T, s Store, now time.Time) {
	t.Helper()
	ctx := context.Background()
	r := mustGet(t, s, "LE-2026-0001")
	raw, err := s.RawMessage(ctx, r.ID)
	audit, aerr := s.Audit(ctx, r.ID)
	oc, oerr := s.OnCall(ctx)
	items, ierr := s.Claim(ctx, now, time.Minute, 10)
	items = slices.DeleteFunc(items, func(it OutboxItem) bool { return it.Kind != "slack.thread" })
	ag, gerr := s.Agency(ctx, "fbi.gov")
	switch {
	case r.Subject != "Grand jury subpoena Bluebird-7731" || r.Facts.Identifiers[0] != "+14155550100":
		t.Errorf("request reads back as %q %v", r.Subject, r.Facts.Identifiers)
	case err != nil || !bytes.Contains(raw, []byte("555-0100")):
		t.Errorf("raw message: %q, %v", raw, err)
	case aerr != nil || len(audit) != 3 || audit[1].Note != "called the agent back at 415-555-0100":
		t.Errorf("audit: %+v, %v", audit, aerr)
	case oerr != nil || oc.Emails["U1"] != "ops@example.com":
		t.Errorf("on-call: %+v, %v", oc, oerr)
	case ierr != nil || len(items) != 1 || items[0].LastError != "slack refused text about 555-0100" ||
		!bytes.Contains(items[0].Payload, []byte("555-0100")):
		t.Errorf("outbox: %+v, %v", items, ierr)
	case gerr != nil || len(ag.Agents) != 1 || ag.Agents[0].Email != "dana.smith@fbi.gov":
		t.Errorf("agency: %+v, %v", ag, gerr)
	}
	// Re-delivered through one more relay: a new Received field on top.
	resent := append([]byte("Received: from relay2.example.net by mx.example.com; Thu, 3 Dec 2026 09:00:00 +0000\r\n"), raw...)
	again, created, err := s.CreateRequest(ctx, Incoming{Raw: resent, MessageID: "m-secret-77@fbi.gov", ReceivedAt: day0})
	if err != nil || created || again.ID != r.ID {
		t.Errorf("a second delivery: got %v created=%v %v, want the stored request (dedup by Message-ID and content)", again, created, err)
	}
}

// redisDump is every key of s's prefix with every value it holds.
func redisDump(t *testing.T, s *Redis) []byte {
	t.Helper()
	ctx := context.Background()
	var out bytes.Buffer
	var keys []string
	err := s.scanPrefix(ctx, func(k string) { keys = append(keys, k) })
	if err != nil || len(keys) < 10 {
		t.Fatalf("got %d keys (%v), want the whole store", len(keys), err)
	}
	for _, k := range keys {
		out.WriteString(k + "\n")
		typ, err := s.c.Type(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		var vals []string
		switch typ {
		case "string":
			v, _ := s.c.Get(ctx, k).Result()
			vals = []string{v}
		case "hash":
			m, _ := s.c.HGetAll(ctx, k).Result()
			for f, v := range m {
				vals = append(vals, f, v)
			}
		case "list":
			vals, _ = s.c.LRange(ctx, k, 0, -1).Result()
		case "set":
			vals, _ = s.c.SMembers(ctx, k).Result()
		case "zset":
			vals, _ = s.c.ZRange(ctx, k, 0, -1).Result()
		default:
			t.Fatalf("key %s has type %s", k, typ)
		}
		for _, v := range vals {
			out.WriteString(v + "\n")
		}
	}
	return out.Bytes()
}

// TestEncryptedAtRest: with a key, neither Redis (every key name and
// value of the store) nor the bytes of lebot.db holds any secret in
// clear, and everything reads back. Without a key the same dump shows
// them, so the search would find them.
func TestEncryptedAtRest(t *testing.T) {
	url := testredis.NewPrivate(t).URL // the dump scans the keyspace
	for _, enc := range []bool{true, false} {
		var keys [][]byte
		if enc {
			keys = [][]byte{testKey(1)}
		}
		name := map[bool]string{true: "encrypted", false: "in clear"}[enc]
		t.Run("redis "+name, func(t *testing.T) {
			s := mustOpenRedisKeys(t, url, testredis.PrefixCleanup(t, url), nil, keys)
			seedSecrets(t, s)
			checkSecretsRead(t, s, day0.Add(3*time.Hour))
			checkSecrets(t, redisDump(t, s), enc)
		})
		t.Run("bolt "+name, func(t *testing.T) {
			dir := t.TempDir()
			s := mustOpenBoltKeys(t, dir, nil, keys)
			seedSecrets(t, s)
			checkSecretsRead(t, s, day0.Add(3*time.Hour))
			s.Close()
			file, err := os.ReadFile(s.Path())
			if err != nil {
				t.Fatal(err)
			}
			checkSecrets(t, file, enc)
		})
	}
}

func checkSecrets(t *testing.T, dump []byte, encrypted bool) {
	t.Helper()
	for _, sec := range secrets {
		found := bytes.Contains(dump, []byte(sec))
		if encrypted && found {
			t.Errorf("%q is stored in clear", sec)
		}
		if !encrypted && !found && sec != "5550100" {
			t.Errorf("%q not found in a store in clear: the search does not see the stored data", sec)
		}
	}
}

// TestEncryptionKeyErrors: a wrong key, a missing key, and a key given
// to a store that holds data in clear are each refused at start with
// one clear line; nothing is read as garbage.
func TestEncryptionKeyErrors(t *testing.T) {
	k1, k2 := [][]byte{testKey(1)}, [][]byte{testKey(2)}
	url := testredis.URL(t)
	type opener func(t *testing.T, keys [][]byte) (Store, error)
	backends := map[string]func(t *testing.T) opener{
		"redis": func(t *testing.T) opener {
			prefix := testredis.PrefixCleanup(t, url)
			return func(t *testing.T, keys [][]byte) (Store, error) {
				s, err := OpenRedis(context.Background(), Config{RedisURL: url, KeyPrefix: prefix, EncryptionKeys: keys})
				if err == nil {
					t.Cleanup(func() { s.Close() })
				}
				return s, err
			}
		},
		"bolt": func(t *testing.T) opener {
			dir := t.TempDir()
			return func(t *testing.T, keys [][]byte) (Store, error) {
				s, err := OpenBolt(Config{DataDir: dir, EncryptionKeys: keys})
				if err == nil {
					t.Cleanup(func() { s.Close() })
				}
				return s, err
			}
		},
	}
	tests := []struct {
		name        string
		first, then [][]byte
		want        string // "" for no error
	}{
		{"the wrong key", k1, k2, "STORE_ENCRYPTION_KEY does not open this store"},
		{"no key for an encrypted store", k1, nil, "this store is encrypted but STORE_ENCRYPTION_KEY is not set"},
		{"a key for data in clear", nil, k1, "holds data that is not encrypted: to encrypt it, stop lebot and run `lebot store rekey`"},
		{"the right key among others", k1, [][]byte{testKey(2), testKey(1)}, ""},
	}
	for bname, backend := range backends {
		for _, tt := range tests {
			t.Run(bname+" "+tt.name, func(t *testing.T) {
				open := backend(t)
				s, err := open(t, tt.first)
				if err != nil {
					t.Fatal(err)
				}
				mustCreate(t, s, incoming(1, day0))
				s.Close()
				s, err = open(t, tt.then)
				if tt.want == "" {
					if err != nil {
						t.Fatalf("got %v, want the store opened", err)
					}
					if r := mustGet(t, s, "LE-2026-0001"); r.Subject != "subpoena 1" {
						t.Errorf("got subject %q", r.Subject)
					}
					return
				}
				if !errors.Is(err, ErrEncryptionKey) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("got %v, want one line with %q", err, tt.want)
				}
			})
		}
	}
}

// TestSealedValueBoundToItsRecord: a sealed value copied over another
// record's does not open there (ErrCorrupt), so records cannot be
// swapped by someone who can write to Redis but has no key.
func TestSealedValueBoundToItsRecord(t *testing.T) {
	url := testredis.URL(t)
	s := mustOpenRedisKeys(t, url, testredis.PrefixCleanup(t, url), nil, [][]byte{testKey(1)})
	mustCreate(t, s, incoming(1, day0))
	mustCreate(t, s, incoming(2, day0))
	ctx := context.Background()
	v, err := s.c.Get(ctx, s.k.request("LE-2026-0001")).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.c.Set(ctx, s.k.request("LE-2026-0002"), v, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetRequest(ctx, "LE-2026-0002"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("got %v, want ErrCorrupt", err)
	}
	if r := mustGet(t, s, "LE-2026-0001"); r.Subject != "subpoena 1" {
		t.Errorf("the original reads %q", r.Subject)
	}
}
