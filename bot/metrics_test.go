package bot

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/metrics"
)

// meteredDispatcher is the env's dispatcher with m counting.
func (e *env) meteredDispatcher(m *metrics.Metrics) (*outbox.Dispatcher, *Slack) {
	e.t.Helper()
	sl, err := New(Config{Token: "xoxb-test", APIURL: e.slack.URL(), Channel: testChannel,
		Calendar: e.cal, Store: e.store, Logger: e.log, Now: e.clock.Now, Metrics: m})
	if err != nil {
		e.t.Fatal(err)
	}
	d, err := outbox.New(outbox.Config{Store: e.store, Logger: e.log,
		Now: e.clock.Now, Jitter: func() float64 { return 0 }, Metrics: m})
	if err != nil {
		e.t.Fatal(err)
	}
	RegisterSlack(d, sl)
	return d, sl
}

// value is the counter name{labels...} in m's registry (label name,
// value pairs; a series matching them all), 0 when there is none.
func value(tb testing.TB, m *metrics.Metrics, name string, labels ...string) float64 {
	tb.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, s := range f.GetMetric() {
			got := map[string]string{}
			for _, l := range s.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if got[labels[i]] != labels[i+1] {
					continue next
				}
			}
			return s.GetCounter().GetValue()
		}
	}
	return 0
}

// TestMetricsSlack429: a 429 from (fake) Slack moves the 429 counter and
// the send result; the delivery after Retry-After counts as ok.
func TestMetricsSlack429(t *testing.T) {
	e := newEnv(t, "redis")
	m := metrics.New()
	d, _ := e.meteredDispatcher(m)
	e.receive()
	e.slack.RateLimit("chat.postMessage", 1, 30*time.Second)
	e.drain(d)
	e.clock.Advance(31 * time.Second)
	if n := e.drain(d); n != 1 {
		t.Fatalf("after Retry-After: got %d delivered, want 1", n)
	}
	tests := []struct {
		name   string
		metric string
		labels []string
		want   float64
	}{
		{"429 counted", "lebot_slack_ratelimited_total", []string{"method", "chat.postMessage"}, 1},
		{"as an API error too", "lebot_slack_api_errors_total", []string{"method", "chat.postMessage", "code", "ratelimited"}, 1},
		{"send throttled", "lebot_sends_total", []string{"target", "slack", "result", "ratelimited"}, 1},
		{"send delivered", "lebot_sends_total", []string{"target", "slack", "result", "ok"}, 1},
		{"nothing dead", "lebot_outbox_dead_letters_total", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := value(t, m, tt.metric, tt.labels...); got != tt.want {
				t.Errorf("%s%v: got %v, want %v", tt.metric, tt.labels, got, tt.want)
			}
		})
	}
}

// TestMetricsDeadLetter: a permanent Slack error dead-letters the item
// and the counter says so.
func TestMetricsDeadLetter(t *testing.T) {
	e := newEnv(t, "bolt")
	m := metrics.New()
	d, _ := e.meteredDispatcher(m)
	e.receive()
	e.slack.Inject("chat.postMessage", 1, fakeslack.Fault{Error: "invalid_blocks"})
	e.drain(d)
	if got := value(t, m, "lebot_outbox_dead_letters_total", "target", "slack"); got != 1 {
		t.Errorf("dead letters: got %v, want 1", got)
	}
	if got := value(t, m, "lebot_slack_api_errors_total", "code", "invalid_blocks"); got != 1 {
		t.Errorf("invalid_blocks errors: got %v, want 1", got)
	}
}

// TestTokenState: unknown until auth.test, good after it, bad once a
// later call is refused for the token.
func TestTokenState(t *testing.T) {
	e := newEnv(t, "bolt")
	m := metrics.New()
	d, sl := e.meteredDispatcher(m)
	if ok, reason := sl.TokenState(); ok || reason == "" {
		t.Fatalf("before auth.test: got %v %q, want not ready with a reason", ok, reason)
	}
	if err := sl.CheckAuth(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ok, reason := sl.TokenState(); !ok {
		t.Fatalf("after auth.test: got not ready (%q), want ready", reason)
	}
	e.receive()
	e.slack.RejectToken("xoxb-test")
	e.drain(d)
	ok, reason := sl.TokenState()
	if ok || reason != "slack refused the bot token (invalid_auth)" {
		t.Fatalf("after invalid_auth: got %v %q, want not ready, invalid_auth", ok, reason)
	}
}

func TestWithoutURL(t *testing.T) {
	secret := "https://hooks.slack.com/actions/T1/123/s3cr3tTOKEN"
	_, err := http.Post(secret[:8]+"127.0.0.1:1/actions/T1/123/s3cr3tTOKEN", "application/json", nil)
	if err == nil {
		t.Skip("something listens on port 1")
	}
	err = fmt.Errorf("failed to post webhook: %w", err)
	if got := withoutURL(err).Error(); strings.Contains(got, "s3cr3tTOKEN") || !strings.Contains(got, "Post") {
		t.Errorf("got %q, want the operation without the URL", got)
	}
}
