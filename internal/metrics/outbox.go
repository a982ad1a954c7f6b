package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// OutboxStatsFunc reads the outbox's state: items waiting or leased, when
// the oldest of them was created (zero when none), and dead letters.
type OutboxStatsFunc func(ctx context.Context) (depth int, oldest time.Time, dead int, err error)

// WatchOutbox registers a collector that reads the outbox at scrape time,
// each read bounded by timeout (default 2s), so a slow store makes the
// scrape say so (lebot_outbox_up 0) instead of hanging it.
func (m *Metrics) WatchOutbox(stats OutboxStatsFunc, timeout time.Duration) {
	if m == nil || stats == nil {
		return
	}
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	m.reg.MustRegister(&outboxCollector{stats: stats, timeout: timeout, now: time.Now})
}

var (
	outboxUp = prometheus.NewDesc("lebot_outbox_up",
		"1 when the outbox statistics could be read from the store at this scrape, else 0.", nil, nil)
	outboxDepth = prometheus.NewDesc("lebot_outbox_depth",
		"Outbox items waiting to be sent or being sent.", nil, nil)
	outboxOldest = prometheus.NewDesc("lebot_outbox_oldest_age_seconds",
		"Age of the oldest item in the outbox (0 when empty).", nil, nil)
	outboxDead = prometheus.NewDesc("lebot_outbox_dead_letters",
		"Outbox items that exhausted their attempts and wait for an operator.", nil, nil)
)

type outboxCollector struct {
	stats   OutboxStatsFunc
	timeout time.Duration
	now     func() time.Time
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxUp
	ch <- outboxDepth
	ch <- outboxOldest
	ch <- outboxDead
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	depth, oldest, dead, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(outboxUp, prometheus.GaugeValue, 0)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(c.now().Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(outboxUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(outboxDepth, prometheus.GaugeValue, float64(depth))
	ch <- prometheus.MustNewConstMetric(outboxOldest, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(outboxDead, prometheus.GaugeValue, float64(dead))
}
