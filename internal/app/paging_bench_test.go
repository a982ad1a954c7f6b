package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/fakepagerduty"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
)

// BenchmarkSMTPToFirstPage measures, through run() as deployed (serve on
// Redis, fake Slack and PagerDuty on loopback), the time from the SMTP
// 250 for an emergency to its PagerDuty trigger arriving at the fake:
// the first page leaving lebot. Reported as ms/page (target: under 1 s).
func BenchmarkSMTPToFirstPage(b *testing.B) {
	fake, pd := fakeslack.New(b), fakepagerduty.New(b)
	triggers := make(chan time.Time, 1024)
	pd.OnCall(func(c fakepagerduty.Call) {
		if c.Status == http.StatusAccepted && c.Event.EventAction == "trigger" {
			triggers <- time.Now()
		}
	})
	env := testEnv(b, fake)
	url := testredis.URL(b)
	for k, v := range map[string]string{"REDIS_URL": url, "REDIS_KEY_PREFIX": testredis.PrefixCleanup(b, url),
		"ONCALL_USERS": oncall1 + "," + oncall2, "PAGERDUTY_ROUTING_KEY": pdKey, "PAGERDUTY_EVENTS_URL": pd.URL()} {
		env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, envOf(env), Options{Log: io.Discard}) }()
	defer func() {
		cancel()
		<-done
	}()
	waitFor(b, "/healthz", func() bool { return httpStatus("http://127.0.0.1:"+env["PORT"]+"/healthz") == http.StatusOK })

	var total time.Duration
	b.ResetTimer()
	for i := range b.N {
		c, err := smtp.Dial(env["SMTP_ADDR"])
		if err != nil {
			b.Fatal(err)
		}
		raw := strings.Replace(emergencyMail(b, "x@sfgov.org"), "<x@sfgov.org>", fmt.Sprintf("<bench-%d-%d@sfgov.org>", time.Now().UnixNano(), i), 1)
		if err := c.SendMail("maria.lopez@sfgov.org", []string{"legal@example.com"}, strings.NewReader(raw)); err != nil {
			b.Fatalf("SMTP: %v", err)
		}
		accepted := time.Now() // SendMail returns after the 250 to DATA
		c.Quit()
		select {
		case at := <-triggers:
			total += at.Sub(accepted)
		case <-time.After(20 * time.Second):
			b.Fatal("no PagerDuty trigger within 20s")
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/page")
}
