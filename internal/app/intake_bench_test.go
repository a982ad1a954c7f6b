package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/store"
)

// BenchmarkIntake20KB is issue 18's intake load, side by side in one
// run: 10 SMTP clients, each on its own connection, deliver distinct
// 20 KB letters to (1) a bare go-smtp server that reads each message and
// discards it, (2) lebot's SMTP intake as serve builds it on Redis and
// (3) on the embedded store. lebot answers 250 only once the message is
// triaged and stored durably (Redis: written; bbolt: fsynced). Each
// reports msgs/s, p50-ms and p99-ms (MAIL to the 250); the run logs
// lebot's rate as a multiple of the bare server's.
func BenchmarkIntake20KB(b *testing.B) {
	rates := map[string]float64{}
	for _, tc := range []struct {
		name  string
		start func(b *testing.B) string
	}{
		{"bare-go-smtp", bareSMTPServer},
		{"lebot-redis", func(b *testing.B) string {
			url := testredis.URL(b)
			st, err := store.Open(context.Background(), store.Config{RedisURL: url, KeyPrefix: testredis.PrefixCleanup(b, url)})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return lebotSMTP(b, st)
		}},
		{"lebot-bolt", func(b *testing.B) string {
			st, err := store.Open(context.Background(), store.Config{DataDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return lebotSMTP(b, st)
		}},
	} {
		b.Run(tc.name, func(b *testing.B) { rates[tc.name] = driveLetters(b, tc.start(b)) })
	}
	if bare := rates["bare-go-smtp"]; bare > 0 {
		for _, name := range []string{"lebot-redis", "lebot-bolt"} {
			b.Logf("%s: %.0f msgs/s = %.3f× the bare go-smtp server's %.0f", name, rates[name], rates[name]/bare, bare)
		}
	}
}

// lebotSMTP starts lebot's SMTP intake (newIntake, as serve) on st.
func lebotSMTP(b *testing.B, st store.Store) string {
	cfg, err := config.Load(envOf(serveEnv()), true)
	if err != nil {
		b.Fatal(err)
	}
	srv, _, err := newIntake(cfg, st, nil, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Shutdown(context.Background()) })
	return ln.Addr().String()
}

// bareSMTPServer is a go-smtp server, lebot's size limit, that takes any
// sender and recipient and discards every message.
func bareSMTPServer(b *testing.B) string {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return discardSession{}, nil }))
	srv.Domain, srv.MaxMessageBytes = "localhost", 26<<20
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

type discardSession struct{}

func (discardSession) Mail(string, *smtp.MailOptions) error { return nil }
func (discardSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (discardSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}
func (discardSession) Reset()        {}
func (discardSession) Logout() error { return nil }

// loadClients is how many SMTP clients deliver at once.
const loadClients = 10

// driveLetters delivers b.N distinct 20 KB letters to addr from
// loadClients connections, reports msgs/s, p50-ms and p99-ms, and
// returns the rate.
func driveLetters(b *testing.B, addr string) float64 {
	run := time.Now().UnixNano()
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	for c := range loadClients {
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
				raw := letter20KB(fmt.Sprintf("load-%d-%d-%d@fbi.gov", run, c, i), int(i))
				t0 := time.Now()
				if err := cl.SendMail("dana.smith@fbi.gov", []string{"legal@example.com"}, bytes.NewReader(raw)); err != nil {
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
	rate := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(rate, "msgs/s")
	if len(lat) > 0 {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	return rate
}

// letter20KB is a grand jury subpoena letter of about 20 KB: a cover
// note with the target and period, then the schedule's definitions and
// instructions, as such letters run. n varies the target number.
func letter20KB(msgID string, n int) []byte {
	var sb strings.Builder
	sb.Grow(21 << 10)
	fmt.Fprintf(&sb, "From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: legal@example.com\r\n"+
		"Subject: Grand jury subpoena for subscriber records\r\nDate: Mon, 02 Mar 2026 10:00:00 -0800\r\n"+
		"Message-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", msgID)
	fmt.Fprintf(&sb, "Please find below a grand jury subpoena for subscriber information for phone number\r\n"+
		"(415) 555-%04d for the period January 1, 2026 to February 1, 2026. Please respond within 10 days.\r\n\r\n", n%10000)
	para := "The term \"records\" means all information kept in any form, including electronic data, logs,\r\n" +
		"notes and correspondence, in your possession, custody or control. Produce the records as they are\r\n" +
		"kept in the usual course of business, organized and labelled to correspond to the categories of\r\n" +
		"this schedule. If any record is withheld under a claim of privilege, describe its nature and the\r\n" +
		"basis of the claim in enough detail to permit the claim to be assessed. Do not disclose the\r\n" +
		"existence of this request to the subscriber while the investigation is pending.\r\n\r\n"
	for sb.Len() < 20<<10-200 {
		sb.WriteString(para)
	}
	sb.WriteString("Special Agent Dana Smith\r\nFederal Bureau of Investigation\r\n(202) 555-0199\r\n")
	return []byte(sb.String())
}
