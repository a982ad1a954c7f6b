package intake

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// BenchmarkSMTPIntakeRedis measures end-to-end intake: 10 concurrent
// clients, each on its own connection, deliver distinct messages that are
// triaged and stored in Redis before the 250. Reports messages/s, the
// latency of one message (MAIL to the 250 after DATA) and the process CPU
// per message. BenchmarkBaselineSMTPDiscard drives a bare go-smtp server
// the same way.
func BenchmarkSMTPIntakeRedis(b *testing.B) {
	ts := mustRedisStore(b)
	addr := mustSMTP(b, mustService(b, storeSink{ts}), nil)
	driveSMTP(b, addr)
}

// benchClients is how many SMTP clients deliver at once.
const benchClients = 10

// driveSMTP delivers b.N distinct messages to addr from benchClients
// concurrent connections and reports msgs/s, p50-ms, p99-ms and
// cpu-ms/msg (client and server: both run in this process).
func driveSMTP(b *testing.B, addr string) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	cpu0, cpuOK := processCPU()
	for c := range benchClients {
		wg.Go(func() {
			cl, err := smtp.Dial(addr)
			if err != nil {
				b.Error(err)
				return
			}
			defer cl.Close()
			var mine []time.Duration
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					break
				}
				raw := testMessage(fmt.Sprintf("bench-%d-%d-%d@fbi.gov", c, i, start.UnixNano()))
				t0 := time.Now()
				if err := cl.SendMail("dana.smith@fbi.gov", []string{intakeAddr}, bytes.NewReader(raw)); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			cl.Quit()
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	b.StopTimer()
	cpu1, _ := processCPU()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
	if len(lat) > 0 {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	if cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/1e6/float64(b.N), "cpu-ms/msg")
	}
}

// BenchmarkSMTPIntake25MB measures the heap while one 25 MB message (a
// base64 PDF attachment) is taken in over SMTP and stored in Redis. It
// samples HeapInuse and reports the peak above the baseline, as bytes and
// as a multiple of the message size (target: under 4x).
func BenchmarkSMTPIntake25MB(b *testing.B) {
	ts := mustRedisStore(b)
	addr := mustSMTP(b, mustService(b, storeSink{ts}), func(c *SMTPConfig) { c.MaxBytes = 26 << 20 })
	driveBig(b, addr, bigMessage(b, 25<<20-64<<10))
}

// driveBig sends raw (with a fresh Message-ID each time) b.N times and
// reports the peak heap in use above the baseline while it is taken in,
// as a multiple of the message size.
func driveBig(b *testing.B, addr string, raw []byte) {
	b.ReportAllocs()
	b.ResetTimer()
	var peakRatio float64
	for i := range b.N {
		msg := bytes.Replace(raw, []byte("<big@x>"), fmt.Appendf(nil, "<big-%d-%d@x>", i, time.Now().UnixNano()), 1)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var peak atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		})
		cl, err := smtp.Dial(addr)
		if err != nil {
			b.Fatal(err)
		}
		if err := cl.Mail("dana.smith@fbi.gov", &smtp.MailOptions{Size: int64(len(msg))}); err != nil {
			b.Fatal(err)
		}
		if err := cl.Rcpt(intakeAddr, nil); err != nil {
			b.Fatal(err)
		}
		w, err := cl.Data()
		if err != nil {
			b.Fatal(err)
		}
		w.Write(msg)
		if err := w.Close(); err != nil {
			b.Fatalf("DATA: %v", err)
		}
		cl.Quit()
		close(stop)
		wg.Wait()
		// The client's copy of the message was live before the baseline.
		ratio := float64(peak.Load()-min(base, peak.Load())) / float64(len(msg))
		peakRatio = max(peakRatio, ratio)
	}
	b.StopTimer()
	b.ReportMetric(peakRatio, "peak-heap/msg")
	b.ReportMetric(float64(len(raw))/(1<<20), "msg-MiB")
}

// bigMessage is a message of about size bytes with a base64 "PDF".
func bigMessage(tb testing.TB, size int) []byte {
	tb.Helper()
	bin := make([]byte, size*3/4)
	rand.Read(bin)
	copy(bin, "%PDF-1.4\n")
	enc := base64.StdEncoding.EncodeToString(bin)
	var sb strings.Builder
	sb.Grow(size + 4096)
	sb.WriteString("From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: legal@example.com\r\n" +
		"Subject: Subpoena with exhibits\r\nMessage-ID: <big@x>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n" +
		"Attached is a grand jury subpoena for subscriber records.\r\n--b1\r\n" +
		"Content-Type: application/pdf; name=\"exhibits.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for len(enc) > 76 {
		sb.WriteString(enc[:76])
		sb.WriteString("\r\n")
		enc = enc[76:]
	}
	sb.WriteString(enc + "\r\n--b1--\r\n")
	return []byte(sb.String())
}
