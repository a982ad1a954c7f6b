package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
)

// The crash test: a child process creates requests in a tight loop and
// is killed with SIGKILL at a random moment; the store must then hold
// each request whole (raw message, audit, index, outbox) or not at all.

const crashEnv = "LEBOT_STORE_CRASH_CHILD"

// TestHelperProcess is the child. It is a no-op unless started by
// TestCrashDuringCreate.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(crashEnv)
	if mode == "" {
		t.Skip("helper process for TestCrashDuringCreate")
	}
	var s Store
	var err error
	switch mode {
	case "open-bolt": // for TestBoltSecondProcess
		_, err = OpenBolt(Config{DataDir: os.Getenv("CRASH_DIR")})
		fmt.Println(err)
		os.Exit(0)
	case "bolt":
		s, err = OpenBolt(Config{DataDir: os.Getenv("CRASH_DIR")})
	case "redis":
		s, err = OpenRedis(context.Background(), Config{RedisURL: os.Getenv("CRASH_URL"), KeyPrefix: os.Getenv("CRASH_PREFIX")})
	}
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	fmt.Println("ready")
	start := int(time.Now().UnixNano() % 1e9)
	for i := start; ; i++ {
		in := incoming(i, day0)
		in.Outbox = append(in.Outbox, OutboxItem{Kind: "page"})
		if _, _, err := s.CreateRequest(context.Background(), in); err != nil {
			fmt.Println("create:", err)
			os.Exit(3)
		}
	}
}

func TestCrashDuringCreate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	t.Parallel() // its own children, file and prefix
	t.Run("bolt", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		for round := range 3 {
			runAndKill(t, []string{crashEnv + "=bolt", "CRASH_DIR=" + dir})
			s := mustOpenBolt(t, dir, nil)
			checkWholeOrNothing(t, s, round)
			s.Close()
		}
	})
	t.Run("redis", func(t *testing.T) {
		t.Parallel()
		url := testredis.URL(t)
		prefix := testredis.PrefixCleanup(t, url)
		for round := range 3 {
			runAndKill(t, []string{crashEnv + "=redis", "CRASH_URL=" + url, "CRASH_PREFIX=" + prefix})
			checkWholeOrNothing(t, mustOpenRedis(t, url, prefix, nil), round)
		}
	})
}

// runAndKill starts the child, lets it create for a random while, and
// kills it with SIGKILL.
func runAndKill(t *testing.T, env []string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "ready" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("child did not start: %q", sc.Text())
	}
	time.Sleep(time.Duration(100+rand.IntN(400)) * time.Millisecond)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
		t.Logf("child: %s", sc.Text())
	}
	_ = cmd.Wait()
}

// checkWholeOrNothing walks every id up to a few past the last one
// issued and checks each request is complete or entirely absent.
func checkWholeOrNothing(t *testing.T, s Store, round int) {
	t.Helper()
	ctx := context.Background()
	listed, err := s.ListByStatus(ctx, legal.StatusNew, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) == 0 {
		t.Fatalf("round %d: the child created nothing", round)
	}
	// Each round claims at a later instant, so earlier rounds' leases
	// have run out and every item is seen again.
	items, err := s.Claim(ctx, day0.AddDate(10+round, 0, 0), time.Hour, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	perRequest := map[string]int{}
	for _, it := range items {
		perRequest[it.RequestID]++
	}
	// Each id is read on its own; a few readers at once walk thousands
	// of ids in a fraction of the time.
	n := len(listed) + 5
	whole := make([]bool, n+1)
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 8 {
		wg.Go(func() {
			for {
				i := int(next.Add(1))
				if i > n {
					return
				}
				whole[i] = checkOne(t, s, round, FormatID(2026, uint64(i)), perRequest)
			}
		})
	}
	wg.Wait()
	var present []string
	for i := 1; i <= n; i++ {
		if whole[i] {
			present = append(present, FormatID(2026, uint64(i)))
		}
	}
	if got := ids(listed); !sameSet(got, present) {
		t.Errorf("round %d: status index holds %d ids, stored requests are %d", round, len(got), len(present))
	}
	t.Logf("round %d: %d whole requests, outbox %d items", round, len(present), len(items))
}

// checkOne reports whether request id is stored whole, and fails t when
// it is partial.
func checkOne(t *testing.T, s Store, round int, id string, perRequest map[string]int) bool {
	ctx := context.Background()
	r, errGet := s.GetRequest(ctx, id)
	_, errRaw := s.RawMessage(ctx, id)
	audit, errAudit := s.Audit(ctx, id)
	if errors.Is(errGet, ErrNotFound) {
		if !errors.Is(errRaw, ErrNotFound) || perRequest[id] != 0 || len(audit) != 0 {
			t.Errorf("round %d: %s is partial: no request but raw err %v, %d outbox items, %d audit entries",
				round, id, errRaw, perRequest[id], len(audit))
		}
		return false
	}
	if errGet != nil || errRaw != nil || errAudit != nil || len(audit) != 1 || perRequest[id] != 2 || r.ID != id {
		t.Errorf("round %d: %s incomplete: get %v, raw %v, audit %d (%v), outbox %d",
			round, id, errGet, errRaw, len(audit), errAudit, perRequest[id])
	}
	return true
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
