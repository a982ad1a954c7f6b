package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// DamagedError says the embedded store's file is damaged: found by the
// structure check at open, or by bbolt failing (a panic or a memory
// fault, caught) on a read or write later. It wraps ErrCorrupt.
type DamagedError struct {
	Path   string
	Reason string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("%s is damaged: %s; restore it from backup or move it aside", e.Path, e.Reason)
}

func (e *DamagedError) Unwrap() error { return ErrCorrupt }

// bboltPanic is a panic (or memory fault) caught inside bbolt.
type bboltPanic struct{ v any }

func (p bboltPanic) Error() string { return oneLine(fmt.Sprint(p.v), 200) }

// guard runs fn, turning a panic inside it, and a fault on bbolt's
// memory map (a truncated or overwritten file), into an error instead
// of a crash.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = bboltPanic{r}
		}
	}()
	return fn()
}

// openBoltFile opens path with bbolt, refusing a damaged file with a
// *DamagedError. An existing file's structure is checked first (bounded
// by its size; see checkBoltFile), once bbolt holds its lock.
func openBoltFile(path string) (*bolt.DB, error) {
	existing := false
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		existing = true
	}
	var db *bolt.DB
	err := guard(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: lockWait})
		return err
	})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("embedded store %s is held by another lebot process (it is single-process; stop the other one, or set REDIS_URL to share state): %w", path, ErrLocked)
	}
	if existing {
		if reason := checkBoltFile(path); reason != "" {
			if db != nil {
				_ = guard(db.Close)
			}
			return nil, &DamagedError{Path: path, Reason: reason}
		}
	}
	var p bboltPanic
	switch {
	case errors.As(err, &p), errors.Is(err, bolt.ErrInvalid), errors.Is(err, bolt.ErrChecksum), errors.Is(err, bolt.ErrVersionMismatch):
		return nil, &DamagedError{Path: path, Reason: err.Error()}
	case err != nil:
		return nil, fmt.Errorf("embedded store %s: %w", path, err)
	}
	return db, nil
}

// oneLine makes s one line of at most n bytes, for an error message.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
