package metrics

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestNilIsNoop(t *testing.T) {
	var m *Metrics
	m.Received("smtp", "subpoena", "pass", true, true)
	m.FollowUp("smtp")
	m.SMTPRefused(550)
	m.InboundResponse(201)
	m.Send("slack", "dead")
	m.Page(false)
	m.Ack()
	m.Reminder("due")
	m.JobRun("reminders", "ok", time.Second)
	m.SlackError("chat.postMessage", "ratelimited")
	m.WatchOutbox(nil, 0)
}

func TestCountersAndHandler(t *testing.T) {
	m := New()
	m.Received("smtp", "subpoena", "", false, true)
	m.Received("smtp", "subpoena", "", false, false)
	m.Send("pagerduty", "dead")
	m.SlackError("chat.postMessage", "ratelimited")
	m.SlackError("chat.update", "invalid_auth")
	m.JobRun("digest", "skipped", 0)
	m.JobRun("digest", "ok", 2*time.Millisecond)

	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"received, dkim none by default", testutil.ToFloat64(m.received.WithLabelValues("smtp", "subpoena", "none", "false")), 1},
		{"duplicate", testutil.ToFloat64(m.duplicates.WithLabelValues("smtp")), 1},
		{"dead letter", testutil.ToFloat64(m.deadLetters.WithLabelValues("pagerduty")), 1},
		{"429", testutil.ToFloat64(m.slack429.WithLabelValues("chat.postMessage")), 1},
		{"no 429 for invalid_auth", testutil.ToFloat64(m.slack429.WithLabelValues("chat.update")), 0},
		{"skipped job run", testutil.ToFloat64(m.jobRuns.WithLabelValues("digest", "skipped")), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
	body := scrape(m)
	if want := `lebot_job_duration_seconds_count{job="digest"} 1` + "\n"; !strings.Contains(body, want) {
		t.Errorf("/metrics lacks %q (skipped runs are not timed)", want)
	}
	for _, want := range []string{"lebot_requests_received_total", "lebot_slack_ratelimited_total", "go_goroutines"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func scrape(m *Metrics) string {
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

// TestFamiliesAtStart: before anything happened, /metrics already lists
// the families an operator builds dashboards and alerts on, at 0.
func TestFamiliesAtStart(t *testing.T) {
	body := scrape(New())
	for _, want := range []string{
		`lebot_smtp_refusals_total{code="451"} 0`,
		`lebot_sends_total{result="ratelimited",target="slack"} 0`,
		`lebot_outbox_dead_letters_total{target="pagerduty"} 0`,
		`lebot_pages_total{final="false"} 0`,
		`lebot_page_acks_total 0`,
		`lebot_reminders_sent_total{kind="preservation"} 0`,
		`lebot_job_runs_total{job="reminders",result="error"} 0`,
		`lebot_job_duration_seconds_count{job="digest"} 0`,
		`lebot_slack_ratelimited_total{method="chat.postMessage"} 0`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics at start lacks %q", want)
		}
	}
}

func TestWatchOutbox(t *testing.T) {
	created := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"store answers", nil, `
lebot_outbox_dead_letters 2
lebot_outbox_depth 5
lebot_outbox_oldest_age_seconds 90
lebot_outbox_up 1
`},
		{"store fails", io.ErrUnexpectedEOF, `
lebot_outbox_up 0
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &outboxCollector{timeout: time.Second, now: func() time.Time { return created.Add(90 * time.Second) },
				stats: func(ctx context.Context) (int, time.Time, int, error) {
					if _, ok := ctx.Deadline(); !ok {
						t.Error("stats read without a deadline")
					}
					return 5, created, 2, tt.err
				}}
			if err := testutil.CollectAndCompare(c, strings.NewReader(header+tt.want)); err != nil {
				t.Error(err)
			}
		})
	}
}

const header = `
# HELP lebot_outbox_dead_letters Outbox items that exhausted their attempts and wait for an operator.
# TYPE lebot_outbox_dead_letters gauge
# HELP lebot_outbox_depth Outbox items waiting to be sent or being sent.
# TYPE lebot_outbox_depth gauge
# HELP lebot_outbox_oldest_age_seconds Age of the oldest item in the outbox (0 when empty).
# TYPE lebot_outbox_oldest_age_seconds gauge
# HELP lebot_outbox_up 1 when the outbox statistics could be read from the store at this scrape, else 0.
# TYPE lebot_outbox_up gauge
`
