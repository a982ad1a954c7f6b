package store

import (
	"context"
	"io"
	"log/slog"
	"time"
)

// Config selects and configures a backend.
type Config struct {
	// RedisURL selects Redis when set (see OpenRedis for the forms);
	// empty selects the embedded file under DataDir.
	RedisURL string
	// KeyPrefix prefixes every Redis key (default "lebot:"; see keys).
	KeyPrefix string
	// DataDir holds lebot.db for the embedded store (default "./data").
	DataDir string
	// Logger receives start-up and failure logs (default: discard). No
	// message bodies or identifiers are logged.
	Logger *slog.Logger
	// Now is the clock for times the store stamps itself (outbox Created,
	// lock and marker expiry in the embedded store). Default time.Now.
	Now func() time.Time
	// EncryptionKeys (STORE_ENCRYPTION_KEY, see ParseEncryptionKeys and
	// crypt.go) turn on encryption at rest: the first seals, all open.
	// None: values are stored in clear, as before.
	EncryptionKeys [][]byte
}

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	if c.KeyPrefix == "" {
		c.KeyPrefix = DefaultKeyPrefix
	}
	return c
}

// Open opens the backend cfg selects: Redis when cfg.RedisURL is set, the
// embedded bbolt file otherwise. It fails at once (no hanging) when
// Redis does not answer within ctx or the file is held by another
// process (ErrLocked).
func Open(ctx context.Context, cfg Config) (Store, error) {
	cfg = cfg.withDefaults()
	if cfg.RedisURL != "" {
		return OpenRedis(ctx, cfg)
	}
	return OpenBolt(cfg)
}
