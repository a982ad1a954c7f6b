package intake

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lebot-dev/lebot/internal/metrics"
)

// counter reads one series of a counter by its labels from m's registry;
// 0 when the series does not exist yet.
func counter(tb testing.TB, m *metrics.Metrics, name string, labels map[string]string) float64 {
	tb.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, s := range f.GetMetric() {
			got := map[string]string{}
			for _, l := range s.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if got[k] != v {
					continue series
				}
			}
			return s.GetCounter().GetValue()
		}
	}
	return 0
}

// TestIntakeMetricsOnRealTraffic sends real SMTP and HTTP traffic to a
// Redis-backed intake and checks the counters moved.
func TestIntakeMetricsOnRealTraffic(t *testing.T) {
	ts := mustRedisStore(t)
	m := metrics.New()
	svc, err := NewService(ServiceConfig{Sink: storeSink{ts}, Location: time.UTC, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	addr := mustSMTP(t, svc, func(c *SMTPConfig) { c.Metrics = m })

	if err := send(t, addr, []string{intakeAddr}, testMessage("metrics-1@fbi.gov")); err != nil {
		t.Fatalf("send: %v", err)
	}
	wantReply(t, send(t, addr, []string{"ceo@example.com"}, testMessage("metrics-2@fbi.gov")), 550, smtp.EnhancedCode{5, 1, 1})
	if err := send(t, addr, []string{intakeAddr}, testMessage("metrics-1@fbi.gov")); err != nil {
		t.Fatalf("resend: %v", err)
	}

	h, err := NewInboundHandler(HTTPConfig{Accepter: svc, Secret: "s3cret", Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	url := serveHandler(t, h)
	post(t, url, http.MethodPost, "Bearer s3cret", testMessage("metrics-3@fbi.gov"))
	post(t, url, http.MethodPost, "Bearer wrong", testMessage("metrics-4@fbi.gov"))

	tests := []struct {
		name   string
		metric string
		labels map[string]string
		want   float64
	}{
		{"smtp delivery received", "lebot_requests_received_total", map[string]string{"source": "smtp", "kind": "subpoena", "official": "true"}, 1},
		{"http delivery received", "lebot_requests_received_total", map[string]string{"source": "http"}, 1},
		{"unsigned mail counted as dkim none", "lebot_requests_received_total", map[string]string{"source": "smtp", "dkim": "none"}, 1},
		{"resend is a duplicate", "lebot_requests_duplicate_total", map[string]string{"source": "smtp"}, 1},
		{"550 refusal", "lebot_smtp_refusals_total", map[string]string{"code": "550"}, 1},
		{"no 451", "lebot_smtp_refusals_total", map[string]string{"code": "451"}, 0},
		{"inbound 201", "lebot_inbound_http_responses_total", map[string]string{"code": "201"}, 1},
		{"inbound 401", "lebot_inbound_http_responses_total", map[string]string{"code": "401"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := counter(t, m, tt.metric, tt.labels); got != tt.want {
				t.Errorf("%s%v: got %v, want %v", tt.metric, tt.labels, got, tt.want)
			}
		})
	}
	if n := testutil.CollectAndCount(m.Registry(), "lebot_requests_received_total"); n != 2 {
		t.Errorf("received series: got %d, want 2 (smtp and http)", n)
	}
}

// serveHandler serves h at /inbound/email over real HTTP.
func serveHandler(tb testing.TB, h http.Handler) string {
	tb.Helper()
	mux := http.NewServeMux()
	mux.Handle("/inbound/email", h)
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return srv.URL
}
