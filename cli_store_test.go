package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestStoreRekey: `lebot store rekey` encrypts an embedded store that was
// in clear, after which serve's store opens only with the key, and the
// file no longer holds the subject; then a second key put first and a
// rekey rotate to it, and the old key can go.
func TestStoreRekey(t *testing.T) {
	env := testEnv(t, fakeslack.New(t))
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: env["DATA_DIR"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CreateRequest(ctx, store.Incoming{Raw: []byte("Subject: Warrant Kestrel-204\r\n\r\nx\r\n"),
		ReceivedAt: time.Now(), Request: legal.Request{Subject: "Warrant Kestrel-204"}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	key := func(n byte) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{n}, 32)) }
	rekey := func() string {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, []string{"store", "rekey"}, envOf(env), &out, io.Discard); err != nil {
			t.Fatalf("store rekey: %v", err)
		}
		return out.String()
	}
	openWith := func(keys string) (store.Store, error) {
		ks, err := store.ParseEncryptionKeys(keys)
		if err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(ctx, store.Config{DataDir: env["DATA_DIR"], EncryptionKeys: ks})
		if err == nil {
			st.Close()
		}
		return st, err
	}

	if err := run(ctx, []string{"store", "rekey"}, envOf(env), io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "set STORE_ENCRYPTION_KEY") {
		t.Errorf("rekey without a key: got %v, want to be told to set STORE_ENCRYPTION_KEY", err)
	}
	env["STORE_ENCRYPTION_KEY"] = key(1)
	if out := rekey(); !strings.Contains(out, "now encrypted") || !strings.Contains(out, "1 message lookups hashed") {
		t.Errorf("got %q, want the store reported encrypted", out)
	}
	if _, err := openWith(""); !errors.Is(err, store.ErrEncryptionKey) {
		t.Errorf("open without the key: got %v, want ErrEncryptionKey", err)
	}
	file, err := os.ReadFile(env["DATA_DIR"] + "/lebot.db")
	if err != nil || bytes.Contains(file, []byte("Kestrel-204")) {
		t.Errorf("lebot.db still holds the subject in clear (%v)", err)
	}

	env["STORE_ENCRYPTION_KEY"] = key(2) + "," + key(1)
	if out := rekey(); !strings.Contains(out, "again with the first key") || !strings.Contains(out, "can be removed") {
		t.Errorf("got %q, want the rotation reported", out)
	}
	if _, err := openWith(key(2)); err != nil {
		t.Errorf("open with the new key alone: %v", err)
	}
	if _, err := openWith(key(1)); !errors.Is(err, store.ErrEncryptionKey) {
		t.Errorf("open with the old key alone: got %v, want ErrEncryptionKey", err)
	}
	if err := run(ctx, []string{"store"}, envOf(env), io.Discard, io.Discard); !errors.Is(err, errUsage) {
		t.Errorf("lebot store: got %v, want a usage error", err)
	}
}
