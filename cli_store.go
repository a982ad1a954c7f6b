package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/internal/app"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/store"
)

const storeUsage = "lebot store rekey   (encrypt the store with the first key of STORE_ENCRYPTION_KEY; stop lebot first)"

// runStore runs `lebot store rekey`: every stored message and request is
// encrypted again with the first key of STORE_ENCRYPTION_KEY (a store in
// clear is encrypted), so the other keys can then be dropped.
func runStore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[len(args)-1]) {
		fmt.Fprintf(stdout, "usage: %s\n", storeUsage)
		return errHelp
	}
	if len(args) != 1 || args[0] != "rekey" {
		fmt.Fprintf(stderr, "usage: %s\n", storeUsage)
		return usageErr("store needs: rekey")
	}
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return err
	}
	keys := cfg.EncryptionKeys()
	if len(keys) == 0 {
		return fmt.Errorf("store rekey: set STORE_ENCRYPTION_KEY to the key to encrypt with, followed by any older keys")
	}
	ctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	res, err := store.Rekey(ctx, store.Config{RedisURL: cfg.RedisURL, KeyPrefix: cfg.RedisKeyPrefix, DataDir: cfg.DataDir,
		EncryptionKeys: keys, Logger: app.NewCLILogger(cfg.LogFormat, stderr)})
	if err != nil {
		return fmt.Errorf("store rekey: %w", err)
	}
	if res.FromPlain {
		fmt.Fprintf(stdout, "The store is now encrypted with the first key of STORE_ENCRYPTION_KEY: %d stored values encrypted, %d message lookups hashed.\n",
			res.Resealed, res.Hashed)
	} else {
		fmt.Fprintf(stdout, "Encrypted %d stored values again with the first key of STORE_ENCRYPTION_KEY (%d already were).\n", res.Resealed, res.Kept)
	}
	if n := len(res.Unreadable); n > 0 {
		fmt.Fprintf(stdout, "%d stored values could not be read with any of the keys (damaged, or encrypted with a key not given) and were left as they were: %s.\n",
			n, strings.Join(res.Unreadable, ", "))
	}
	fmt.Fprintln(stdout, "Everything readable now opens with the first key alone: any other keys can be removed from STORE_ENCRYPTION_KEY.")
	if cfg.RedisURL != "" {
		fmt.Fprintln(stdout, "Redis keeps earlier writes in its append-only file and snapshots until they are rewritten: run BGREWRITEAOF, and replace older snapshots and backups.")
	}
	return nil
}
