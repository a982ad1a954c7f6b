package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakepagerduty"
)

// BenchmarkBaselinePagerDutyPost is the floor under
// BenchmarkSMTPToFirstPage: the time from starting a bare POST of an
// Events v2 trigger (the size lebot sends) to its arrival at the same
// fake PagerDuty, measured the same way (the fake's OnCall hook), in
// ms/page. What lebot adds is the outbox, the escalator and the store.
func BenchmarkBaselinePagerDutyPost(b *testing.B) {
	pd := fakepagerduty.New(b)
	arrived := make(chan time.Time, 1)
	pd.OnCall(func(c fakepagerduty.Call) {
		if c.Status == http.StatusAccepted && c.Event.EventAction == "trigger" {
			arrived <- time.Now()
		}
	})
	client := &http.Client{Timeout: 10 * time.Second}
	var total time.Duration
	for i := range b.N {
		ev := fakepagerduty.Event{RoutingKey: pdKey, EventAction: "trigger", DedupKey: fmt.Sprintf("LE-2026-%04d", i),
			Payload: &fakepagerduty.Detail{Summary: "EMERGENCY LE-2026-0004: child endangerment; callback +14085550199",
				Source: "lebot", Severity: "critical", Component: "legal", Group: "law-enforcement", Class: "emergency"}}
		body, err := json.Marshal(ev)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		resp, err := client.Post(pd.URL(), "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		select {
		case at := <-arrived:
			total += at.Sub(start)
		case <-time.After(10 * time.Second):
			b.Fatalf("no trigger arrived (status %d)", resp.StatusCode)
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/page")
}
