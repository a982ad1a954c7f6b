package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/legal"
)

// seededBoltFile returns the bytes of a closed lebot.db holding n
// requests (with audit trails, outbox items and an on-call record), and
// its page size and root page.
func seededBoltFile(t *testing.T, n int) (file []byte, pageSize, root int64) {
	t.Helper()
	dir := t.TempDir()
	s := mustOpenBolt(t, dir, nil)
	ctx := context.Background()
	for i := range n {
		r := mustCreate(t, s, incoming(i, day0))
		r.Assignee = "U1"
		mustUpdate(t, s, r, "claim")
	}
	if err := s.SetOnCall(ctx, OnCall{Levels: [][]string{{"U1"}}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, err := os.ReadFile(filepath.Join(dir, "lebot.db"))
	if err != nil {
		t.Fatal(err)
	}
	c := &boltChecker{f: strings.NewReader(string(b)), size: int64(len(b))}
	m, err := c.readMetas()
	if err != nil {
		t.Fatal(err)
	}
	return b, int64(m.pageSize), int64(m.root)
}

// openDamaged writes file as DATA_DIR/lebot.db and opens it.
func openDamaged(t *testing.T, file []byte) (*Bolt, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lebot.db"), file, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := OpenBolt(Config{DataDir: dir})
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func TestBoltCheckSoundFile(t *testing.T) {
	t.Parallel() // its own files
	file, _, _ := seededBoltFile(t, 200)
	c := &boltChecker{f: strings.NewReader(string(file)), size: int64(len(file))}
	if err := c.check(); err != nil {
		t.Fatalf("a sound file: got %v, want no problem", err)
	}
	used := 0
	for i := range c.used {
		if c.used[i] {
			used++
		}
	}
	if used < 20 {
		t.Errorf("the check visited %d pages, want it to walk the whole tree", used)
	}
}

// TestBoltDamagedRefused: a damaged lebot.db is refused at open with one
// line naming the file, what is wrong and what to do; never a panic.
func TestBoltDamagedRefused(t *testing.T) {
	t.Parallel() // its own files
	file, ps, root := seededBoltFile(t, 100)
	flip := func(off int64, n int) []byte {
		b := append([]byte(nil), file...)
		for i := range int64(n) {
			b[off+i] ^= 0xA5
		}
		return b
	}
	garbage := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(r.Uint32())
	}
	tests := []struct {
		name string
		file []byte
		want string // in the reason
	}{
		{"truncated to half", file[:len(file)/2], "truncated"},
		{"truncated to three pages", file[:3*ps], "truncated"},
		{"truncated inside the header", file[:100], "too short"},
		{"garbage", garbage, "no valid database header"},
		{"flipped page id of the root page", flip(root*ps, 8), fmt.Sprintf("page %d", root)},
		{"flipped element table of the root page", flip(root*ps+16, 16), ""},
		{"flipped page type of the root page", flip(root*ps+8, 2), "type"},
		{"both header pages overwritten", flip(16, 8), ""},
	}
	// The last case overwrites only the first header's magic: bbolt then
	// uses the second, so only a damaged second header too is fatal.
	tests[len(tests)-1].file = flip(16, 8)
	copy(tests[len(tests)-1].file[ps+16:], make([]byte, 8))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openDamaged(t, tt.file)
			var d *DamagedError
			if !errors.As(err, &d) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want a *DamagedError wrapping ErrCorrupt", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "lebot.db is damaged: ") || !strings.HasSuffix(msg, "; restore it from backup or move it aside") ||
				strings.Contains(msg, "\n") || !strings.Contains(d.Reason, tt.want) {
				t.Errorf("got %q, want one line naming lebot.db, %q and what to do", msg, tt.want)
			}
		})
	}
}

// TestBoltOneDamagedHeaderIsFine: bbolt keeps two header pages and uses
// the other when one is damaged, so that alone is no reason to refuse.
func TestBoltOneDamagedHeaderIsFine(t *testing.T) {
	t.Parallel() // its own files
	file, _, _ := seededBoltFile(t, 20)
	b := append([]byte(nil), file...)
	b[16] ^= 0xFF // the first header's magic
	s, err := openDamaged(t, b)
	if err != nil {
		t.Fatalf("got %v, want the file opened from its second header", err)
	}
	if got, err := s.ListByStatus(context.Background(), legal.StatusNew, 0); err != nil || len(got) != 20 {
		t.Errorf("got %d requests, %v; want 20", len(got), err)
	}
}

// TestBoltFlippedBytesNeverPanic flips bytes at the start, in the
// element table and further into every page of a file. Each damaged file
// is either refused at open or opened and then read and written without
// a panic: every call answers or returns an error.
func TestBoltFlippedBytesNeverPanic(t *testing.T) {
	t.Parallel() // its own files
	file, ps, _ := seededBoltFile(t, 40)
	refused, opened := 0, 0
	for page := int64(2); page < int64(len(file))/ps; page++ {
		for _, off := range []int64{0, 10, 16, 40, ps / 2} {
			b := append([]byte(nil), file...)
			for i := range int64(6) {
				b[page*ps+off+i] ^= 0x5A
			}
			s, err := openDamaged(t, b)
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("page %d offset %d: got %v, want a damaged-file error", page, off, err)
				}
				refused++
				continue
			}
			opened++
			exercise(t, s)
			s.Close()
		}
	}
	t.Logf("%d damaged files refused at open, %d opened (the damage was in free pages or values)", refused, opened)
	if refused == 0 {
		t.Error("no damaged file was refused")
	}
}

// exercise calls every kind of read and a write; only a panic fails.
func exercise(t *testing.T, s Store) {
	ctx := context.Background()
	_ = s.Ping(ctx)
	reqs, _ := s.ListByStatus(ctx, legal.StatusNew, 0)
	for _, r := range reqs {
		_, _ = s.RawMessage(ctx, r.ID)
		_, _ = s.Audit(ctx, r.ID)
	}
	_, _ = s.ListByAssignee(ctx, "U1", 0)
	_, _ = s.CountByStatus(ctx)
	_, _, _ = s.ListByStatuses(ctx, legal.Statuses, 10)
	_, _ = s.Range(ctx, IndexDue, day0.AddDate(-1, 0, 0), day0.AddDate(1, 0, 0), 0)
	_, _ = s.OutboxStats(ctx)
	_, _ = s.Claim(ctx, day0.AddDate(0, 0, 1), 0, 100)
	_, _ = s.OnCall(ctx)
	_, _, _ = s.CreateRequest(ctx, incoming(1000, day0))
}

// TestBoltDamagedWhileOpen: when the file is overwritten under a running
// store, calls and Ping fail with a *DamagedError instead of panicking,
// so readiness turns false rather than every session crashing.
func TestBoltDamagedWhileOpen(t *testing.T) {
	t.Parallel() // its own files
	dir := t.TempDir()
	s := mustOpenBolt(t, dir, nil)
	for i := range 100 {
		mustCreate(t, s, incoming(i, day0))
	}
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("ping before: %v", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "lebot.db"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	// Zero everything after the two header pages.
	if _, err := f.WriteAt(make([]byte, fi.Size()-8192), 8192); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var d *DamagedError
	if err := s.Ping(ctx); !errors.As(err, &d) {
		t.Errorf("ping after: got %v, want a *DamagedError", err)
	}
	if _, err := s.GetRequest(ctx, "LE-2026-0001"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("get after: got %v, want ErrCorrupt", err)
	}
	if _, _, err := s.CreateRequest(ctx, incoming(500, day0)); err == nil {
		t.Errorf("create after: got nil, want an error")
	}
}
