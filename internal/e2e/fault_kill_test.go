package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/store"
)

// TestFaultSIGKILLDuringBurst builds the real binary and runs `lebot
// serve` on the embedded store, sends a burst of mail over SMTP and kills
// the process with SIGKILL at random moments, restarting it each time and
// re-sending whatever did not get 250 (as sending MTAs do). Fake Slack
// lives in this process and survives the kills. At the end every message
// is stored once and carded once: a kill between a card's post and its
// record, or while the outbox item is leased, must not lose or double it.
func TestFaultSIGKILLDuringBurst(t *testing.T) {
	t.Parallel() // each on its own store, fakes and ports
	if testing.Short() {
		t.Skip("fault suite: builds and kills the lebot binary")
	}
	bin := lebotBinary(t)
	fake := fakeslack.New(t)
	fake.AddChannel(channel, fakeslack.Private)
	dataDir := t.TempDir()
	env := []string{"SLACK_BOT_TOKEN=xoxb-test", "SLACK_SIGNING_SECRET=s3cret", "SLACK_API_URL=" + fake.URL(),
		"LEGAL_CHANNEL=" + channel, "LEGAL_USERS=U0LEGAL1", "INTAKE_ADDRESSES=" + intakeAddr,
		"DATA_DIR=" + dataDir, "PORT=" + freePort(t), "TIMEZONE=UTC", "INBOUND_SECRET=fault-test",
		"HOME=" + t.TempDir()}
	smtpAddr := "127.0.0.1:" + freePort(t)
	env = append(env, "SMTP_ADDR="+smtpAddr)

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	t.Logf("kill schedule seed %d", seed)

	const n = 200
	pending := make([]string, n)
	for i := range pending {
		pending[i] = fmt.Sprintf("kill-%03d", i)
	}
	q := &queue{ids: pending}
	o := newOutcomes()
	deadline := time.Now().Add(2 * time.Minute)

	const kills = 4
	for round := range kills {
		p := startLebot(t, bin, env, smtpAddr, round)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() { q.send(smtpAddr, o, stop) })
		}
		time.Sleep(time.Duration(30+rng.IntN(300)) * time.Millisecond)
		p.kill(t)
		close(stop)
		wg.Wait()
		t.Logf("round %d: SIGKILL with %d accepted, %d to send", round, len(o.acceptedIDs()), q.len())
		if round == 0 && q.len() == 0 {
			t.Fatal("the whole burst was accepted before the first kill; the kill hit no mail in flight")
		}
	}

	// The last run: deliver the rest (four senders, as in the rounds), let
	// the dispatcher post what it can, then stop it properly.
	p := startLebot(t, bin, env, smtpAddr, kills)
	rest := make(chan string)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for id := range rest {
				deliver(t, smtpAddr, id, o, deadline)
			}
		})
	}
	for _, id := range q.take() {
		rest <- id
	}
	close(rest)
	wg.Wait()
	if t.Failed() {
		p.kill(t)
		return
	}
	waitCards(fake, n, 300*time.Millisecond, 5*time.Second)
	p.terminate(t)

	// Items claimed by a killed process stay leased for the dispatcher's
	// lease (2m): drain them as of later instants with the operator's
	// `lebot jobs run outbox --at`, until every request has its card.
	st := drainLeftovers(t, bin, env, dataDir, n)
	t.Logf("deliveries: %d accepted, %d sessions broken by kills or refused; %d card searches in history",
		o.count(250), o.count(0), len(fake.Calls("conversations.history")))
	checkExactlyOnce(t, st, fake, o.acceptedIDs())
	if got := len(o.acceptedIDs()); got != n {
		t.Errorf("got %d messages accepted, want all %d", got, n)
	}
}

// queue holds the ids still to be accepted.
type queue struct {
	mu  sync.Mutex
	ids []string
}

func (q *queue) pop() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.ids) == 0 {
		return "", false
	}
	id := q.ids[0]
	q.ids = q.ids[1:]
	return id, true
}

func (q *queue) push(id string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, id)
}

func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.ids)
}

func (q *queue) take() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	ids := q.ids
	q.ids = nil
	return ids
}

// send delivers ids from q until stop, putting back any that did not get
// 250 (a refusal, a session cut by the kill, a refused connection).
func (q *queue) send(addr string, o *outcomes, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		id, ok := q.pop()
		if !ok {
			return
		}
		code, _ := sendOnce(addr, mail(id))
		o.record(id, code)
		if code != 250 {
			q.push(id)
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// lebotProc is one run of `lebot serve`.
type lebotProc struct {
	cmd  *exec.Cmd
	log  string
	done chan error
}

// buildLebot builds the module's binary into a temp dir.
func buildLebot(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lebot")
	start := time.Now()
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built lebot in %v", time.Since(start).Round(time.Millisecond))
	return bin
}

// lebotBinary returns the module's lebot binary: the one `go run` keeps
// in the build cache (the go command caches the executables it runs), so
// a warm run need not link it again, else a fresh buildLebot. A first go
// run executes a temporary copy, gone when it exits; the second finds the
// cached one.
func lebotBinary(t testing.TB) string {
	t.Helper()
	start := time.Now()
	for range 2 {
		cmd := exec.Command("go", "run", "-exec", "echo", ".")
		cmd.Dir = filepath.Join("..", "..")
		out, err := cmd.Output()
		if err != nil {
			break
		}
		if bin := strings.TrimSpace(string(out)); filepath.IsAbs(bin) {
			if _, err := os.Stat(bin); err == nil {
				t.Logf("lebot from the build cache in %v", time.Since(start).Round(time.Millisecond))
				return bin
			}
		}
	}
	return buildLebot(t)
}

// startLebot starts `lebot serve` and waits until its SMTP port answers.
func startLebot(t testing.TB, bin string, env []string, smtpAddr string, round int) *lebotProc {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), fmt.Sprintf("serve-%d.log", round))
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &lebotProc{cmd: cmd, log: logPath, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.done
		}
	})
	end := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("lebot serve (round %d) exited at start: %v\n%s", round, err, p.tail())
		default:
		}
		if c, err := net.DialTimeout("tcp", smtpAddr, time.Second); err == nil {
			c.Close()
			return p
		}
		if time.Now().After(end) {
			t.Fatalf("lebot serve (round %d) never listened on %s\n%s", round, smtpAddr, p.tail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *lebotProc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	<-p.done
}

// terminate asks serve to stop (SIGTERM) and waits for it.
func (p *lebotProc) terminate(t testing.TB) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Logf("lebot serve after SIGTERM: %v\n%s", err, p.tail())
		}
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Errorf("lebot serve did not stop within 60s of SIGTERM\n%s", p.tail())
	}
}

func (p *lebotProc) tail() string {
	b, _ := os.ReadFile(p.log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-30):], "\n")
}

// waitCards waits, without failing, until the channel has n top-level
// messages, or no new one for quiet (the dispatcher has posted what it
// can: the rest are leased by killed runs), or d passes.
func waitCards(fake *fakeslack.Server, n int, quiet, d time.Duration) {
	end := time.Now().Add(d)
	last, since := -1, time.Now()
	for now := time.Now(); now.Before(end); now = time.Now() {
		got := len(fake.TopLevel(channel))
		if got >= n {
			return
		}
		if got != last {
			last, since = got, now
		} else if now.Sub(since) >= quiet {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// drainLeftovers runs `lebot jobs run outbox --at` at later and later
// instants until every one of the n requests records its card, and
// returns the store opened for the verdict.
func drainLeftovers(t *testing.T, bin string, env []string, dataDir string, n int) store.Store {
	t.Helper()
	for k := 1; ; k++ {
		st, err := store.Open(context.Background(), store.Config{DataDir: dataDir})
		if err != nil {
			t.Fatalf("open the store: %v", err)
		}
		if allCarded(st, n) {
			t.Cleanup(func() { st.Close() })
			t.Logf("every request carded after %d outbox job run(s)", k-1)
			return st
		}
		st.Close()
		if k > 40 {
			t.Fatalf("requests still without cards after %d outbox job runs", k-1)
		}
		at := time.Now().Add(time.Duration(k) * 10 * time.Minute).UTC().Format(time.RFC3339)
		cmd := exec.Command(bin, "jobs", "run", "outbox", "--at", at)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("lebot jobs run outbox --at %s: %v\n%s", at, err, out)
		}
	}
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}
