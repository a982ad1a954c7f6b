// Package metrics holds lebot's Prometheus metrics, all named lebot_*, on
// a registry of their own (not the global one, so tests and several
// servers in one process never collide). main builds one *Metrics and
// hands it to each package through its Config; every method is a no-op on
// a nil *Metrics, so a package built without metrics needs no checks.
//
// It lives under internal/ because it is wiring, not a domain package:
// intake, bot and jobs import it (and prometheus) and nothing else of
// lebot's, so their allowed imports in DESIGN.md stay as they are. Label
// values are fixed vocabularies (kinds, codes, method names): never an
// identifier, address or text from a message.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is lebot's set of metrics. It is safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	received     *prometheus.CounterVec
	duplicates   *prometheus.CounterVec
	followUps    *prometheus.CounterVec
	smtpRefusals *prometheus.CounterVec
	inbound      *prometheus.CounterVec
	sends        *prometheus.CounterVec
	deadLetters  *prometheus.CounterVec
	pages        *prometheus.CounterVec
	acks         prometheus.Counter
	reminders    *prometheus.CounterVec
	jobRuns      *prometheus.CounterVec
	jobDuration  *prometheus.HistogramVec
	slackErrors  *prometheus.CounterVec
	slack429     *prometheus.CounterVec
}

// New returns the metrics registered on a new private registry, with the
// Go runtime and process collectors beside them.
func New() *Metrics {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		received: counter("lebot_requests_received_total",
			"Requests stored from new mail, by source (smtp, http), kind, DKIM result (pass, fail, none) and official sender domain.",
			"source", "kind", "dkim", "official"),
		duplicates: counter("lebot_requests_duplicate_total",
			"Mail received again (same Message-ID or bytes) and answered with the stored request, by source.", "source"),
		followUps: counter("lebot_follow_ups_joined_total",
			"Mail joined to an earlier request as a follow-up in its thread (no new request), by source.", "source"),
		smtpRefusals: counter("lebot_smtp_refusals_total",
			"SMTP commands refused by lebot, by reply code (550 unknown recipient, 552 too big, 451 store failure, 421 shutting down...).", "code"),
		inbound: counter("lebot_inbound_http_responses_total",
			"Responses of POST /inbound/email, by HTTP status code.", "code"),
		sends: counter("lebot_sends_total",
			"Outbox deliveries, by target (slack, pagerduty, email) and result (ok, retry, ratelimited, dead).", "target", "result"),
		deadLetters: counter("lebot_outbox_dead_letters_total",
			"Outbox items given up on (attempts exhausted or a permanent error), by target.", "target"),
		pages: counter("lebot_pages_total",
			"Escalation steps announced in a request's thread, by whether it was the final @here.", "final"),
		acks: prometheus.NewCounter(prometheus.CounterOpts{Name: "lebot_page_acks_total",
			Help: "Pages acknowledged (page DMs marked acknowledged)."}),
		reminders: counter("lebot_reminders_sent_total",
			"Reminders posted in a request's thread, by kind (due, preservation, ndo, order).", "kind"),
		jobRuns: counter("lebot_job_runs_total",
			"Job runs, by job and result (ok, error, skipped: another replica or run held the lock).", "job", "result"),
		jobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lebot_job_duration_seconds",
			Help: "Duration of job runs that did their work, by job.", Buckets: prometheus.ExponentialBuckets(0.005, 4, 9)},
			[]string{"job"}),
		slackErrors: counter("lebot_slack_api_errors_total",
			"Slack Web API calls that failed, by method and error code (invalid_auth, ratelimited, http_500, ...).", "method", "code"),
		slack429: counter("lebot_slack_ratelimited_total",
			"Slack Web API calls answered 429 (rate limited), by method.", "method"),
	}
	m.reg.MustRegister(m.received, m.duplicates, m.followUps, m.smtpRefusals, m.inbound, m.sends, m.deadLetters,
		m.pages, m.acks, m.reminders, m.jobRuns, m.jobDuration, m.slackErrors, m.slack429,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.zero()
	return m
}

// zero creates at 0 the series whose labels come from a small fixed
// vocabulary, so /metrics lists every family from the start and rate()
// and dashboards see a 0, not a missing series, before the first event.
// Series labelled by open sets (Slack method and code, request kind) are
// created when first counted.
func (m *Metrics) zero() {
	for _, target := range []string{"slack", "pagerduty", "email"} {
		m.deadLetters.WithLabelValues(target)
		for _, result := range []string{"ok", "retry", "ratelimited", "dead"} {
			m.sends.WithLabelValues(target, result)
		}
	}
	for _, code := range []string{"421", "451", "550", "552"} {
		m.smtpRefusals.WithLabelValues(code)
	}
	for _, source := range []string{"smtp", "http"} {
		m.duplicates.WithLabelValues(source)
		m.followUps.WithLabelValues(source)
	}
	m.pages.WithLabelValues("false")
	m.pages.WithLabelValues("true")
	for _, kind := range []string{"due", "preservation", "ndo", "order"} {
		m.reminders.WithLabelValues(kind)
	}
	for _, job := range []string{"reminders", "digest", "escalations"} {
		m.jobDuration.WithLabelValues(job)
		for _, result := range []string{"ok", "error", "skipped"} {
			m.jobRuns.WithLabelValues(job, result)
		}
	}
	for _, method := range []string{"chat.postMessage", "chat.update"} {
		m.slack429.WithLabelValues(method)
	}
}

// Registry is the private registry, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, Timeout: 10 * time.Second})
}

// Received counts a message stored by intake; created is false for a
// message already stored (a sender's retry).
func (m *Metrics) Received(source, kind, dkim string, official, created bool) {
	if m == nil {
		return
	}
	if !created {
		m.duplicates.WithLabelValues(source).Inc()
		return
	}
	if dkim == "" {
		dkim = "none"
	}
	m.received.WithLabelValues(source, kind, dkim, strconv.FormatBool(official)).Inc()
}

// FollowUp counts a message stored as a follow-up of an earlier request
// (neither a new request nor a duplicate).
func (m *Metrics) FollowUp(source string) {
	if m == nil {
		return
	}
	m.followUps.WithLabelValues(source).Inc()
}

// SMTPRefused counts an SMTP reply with a 4xx or 5xx code.
func (m *Metrics) SMTPRefused(code int) {
	if m == nil {
		return
	}
	m.smtpRefusals.WithLabelValues(strconv.Itoa(code)).Inc()
}

// InboundResponse counts a response of POST /inbound/email.
func (m *Metrics) InboundResponse(status int) {
	if m == nil {
		return
	}
	m.inbound.WithLabelValues(strconv.Itoa(status)).Inc()
}

// Send counts one outbox delivery attempt; result "dead" also counts a
// dead letter.
func (m *Metrics) Send(target, result string) {
	if m == nil {
		return
	}
	m.sends.WithLabelValues(target, result).Inc()
	if result == "dead" {
		m.deadLetters.WithLabelValues(target).Inc()
	}
}

// Page counts an escalation step announced in the thread.
func (m *Metrics) Page(final bool) {
	if m == nil {
		return
	}
	m.pages.WithLabelValues(strconv.FormatBool(final)).Inc()
}

// Ack counts an acknowledged page.
func (m *Metrics) Ack() {
	if m == nil {
		return
	}
	m.acks.Inc()
}

// Reminder counts a reminder posted in a thread.
func (m *Metrics) Reminder(kind string) {
	if m == nil {
		return
	}
	m.reminders.WithLabelValues(kind).Inc()
}

// JobRun counts a job run; the duration is observed for runs that did
// their work (result ok or error), not for skipped ones.
func (m *Metrics) JobRun(job, result string, took time.Duration) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(job, result).Inc()
	if result != "skipped" {
		m.jobDuration.WithLabelValues(job).Observe(took.Seconds())
	}
}

// SlackError counts a failed Slack Web API call; code "ratelimited" also
// counts a 429.
func (m *Metrics) SlackError(method, code string) {
	if m == nil {
		return
	}
	m.slackErrors.WithLabelValues(method, code).Inc()
	if code == "ratelimited" {
		m.slack429.WithLabelValues(method).Inc()
	}
}
