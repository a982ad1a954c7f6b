package main

import (
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	out := `goos: linux
BenchmarkBaselineSMTPDiscard-2   	    2000	    108818 ns/op	 0.16 cpu-ms/msg	 9000 msgs/s	 0.8 p50-ms	 5 p99-ms
BenchmarkBaselineSMTPDiscard-2   	    2000	    108818 ns/op	 0.16 cpu-ms/msg	 8000 msgs/s	 0.8 p50-ms	 5 p99-ms
BenchmarkBaselineSMTPDiscard-2   	    2000	    108818 ns/op	 0.16 cpu-ms/msg	 1000 msgs/s	 0.8 p50-ms	 5 p99-ms
BenchmarkSMTPIntakeRedis-2        	    2000	   2653981 ns/op	 2.8 cpu-ms/msg	 400 msgs/s	 16 p50-ms	 150 p99-ms
--- BENCH: BenchmarkSMTPIntakeRedis-2
BenchmarkReminderTick/open=1000/send-2  20  3000000 ns/op  12.0 roundtrips/op
BenchmarkBaselineRedisGet-2  2000  50000 ns/op
BenchmarkSMTPToFirstPage-2         	redis: 2026/11/26 21:38:45 pool.go:770: redis: connection refused
      50	  36049488 ns/op	        10.44 ms/page
--- BENCH: BenchmarkSMTPToFirstPage-2
BenchmarkBaselinePagerDutyPost-2   	      50	    222992 ns/op	         0.1044 ms/page
`
	res, err := parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	write(&b, res)
	got := b.String()
	for _, want := range []string{
		"| Intake throughput, 10 SMTP clients → Redis (msgs/s) | 400 | 8000 (bare go-smtp, discard) | 20.00× | 1 |",
		"| Intake latency p50 (MAIL → 250, ms) | 16.00 | 0.8 (bare go-smtp, discard) | 20.00× | 1 |",
		"| Reminder tick, 1k open, 100 reminders sent (ms) | 3.00 | 0.05 (1 Redis GET) | 60.00× | 1 |",
		"| Reminder tick round trips, 1k open | 12.00 | — | — | 1 |",
		"| `/legal list` p99 (ms) | (not run) | | | |",
		"| SMTP 250 → first page at PagerDuty (ms) | 10.44 | 0.104 (bare POST to PagerDuty) | 100.00× | 1 |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing row %q in:\n%s", want, got)
		}
	}
}
