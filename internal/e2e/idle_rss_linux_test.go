//go:build linux

package e2e

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// BenchmarkIdleRSS reports the resident memory of `lebot serve` (the
// built binary, embedded store, fake Slack) after it has started and sat
// idle for 2 seconds: what one idle replica costs. One sample per run.
func BenchmarkIdleRSS(b *testing.B) {
	bin := buildLebot(b)
	fake := fakeslack.New(b)
	fake.AddChannel(channel, fakeslack.Private)
	var rss float64
	for i := range b.N {
		port, smtpPort := freePort(b), freePort(b)
		env := []string{"SLACK_BOT_TOKEN=xoxb-test", "SLACK_SIGNING_SECRET=s3cret", "SLACK_API_URL=" + fake.URL(),
			"LEGAL_CHANNEL=" + channel, "LEGAL_USERS=U0LEGAL1", "INTAKE_ADDRESSES=" + intakeAddr,
			"DATA_DIR=" + b.TempDir(), "PORT=" + port, "TIMEZONE=UTC", "INBOUND_SECRET=rss-test",
			"HOME=" + b.TempDir(), "SMTP_ADDR=127.0.0.1:" + smtpPort}
		p := startLebot(b, bin, env, "127.0.0.1:"+smtpPort, i)
		time.Sleep(2 * time.Second)
		kb, err := vmRSS(p.cmd.Process.Pid)
		p.terminate(b)
		if err != nil {
			b.Fatal(err)
		}
		rss = max(rss, float64(kb)/1024)
	}
	b.ReportMetric(rss, "idle-RSS-MiB")
}

// vmRSS reads a process's resident set size (KiB) from /proc.
func vmRSS(pid int) (int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}
