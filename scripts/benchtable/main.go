// Command benchtable reads `go test -bench` output on stdin and prints
// BENCHMARKS.md's table: each lebot benchmark beside its baseline from the
// same run, the median of the -count runs of each, and their ratio.
// scripts/bench.sh runs the benchmarks and pipes them here.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// row pairs a metric of a lebot benchmark with one of its baseline.
// higherBetter metrics (throughput) invert the ratio, so every ratio
// reads "lebot costs N× the baseline".
type row struct {
	what            string
	bench, unit     string
	base, baseUnit  string // "" base: no baseline for this metric
	higherBetter    bool
	baseDescription string
}

const (
	smtpBase  = "bare go-smtp, discard"
	slashBase = "bare verify + 1 Redis GET"
	mimeBase  = "go-message parse only"
	getBase   = "1 Redis GET"
	pdBase    = "bare POST to PagerDuty"
)

var rows = []row{
	{what: "Intake throughput, 10 SMTP clients → Redis (msgs/s)", bench: "SMTPIntakeRedis", unit: "msgs/s", base: "BaselineSMTPDiscard", baseUnit: "msgs/s", higherBetter: true, baseDescription: smtpBase},
	{what: "Intake latency p50 (MAIL → 250, ms)", bench: "SMTPIntakeRedis", unit: "p50-ms", base: "BaselineSMTPDiscard", baseUnit: "p50-ms", baseDescription: smtpBase},
	{what: "Intake latency p99 (ms)", bench: "SMTPIntakeRedis", unit: "p99-ms", base: "BaselineSMTPDiscard", baseUnit: "p99-ms", baseDescription: smtpBase},
	{what: "Intake CPU per message, client + server (ms)", bench: "SMTPIntakeRedis", unit: "cpu-ms/msg", base: "BaselineSMTPDiscard", baseUnit: "cpu-ms/msg", baseDescription: smtpBase},
	{what: "Peak heap taking in a 25 MB message (× message size)", bench: "SMTPIntake25MB", unit: "peak-heap/msg", base: "BaselineSMTPDiscard25MB", baseUnit: "peak-heap/msg", baseDescription: smtpBase},
	{what: "`/legal list` p50, 50 in flight, 10k requests (ms)", bench: "Commands/list", unit: "p50-ms", base: "BaselineSlashVerifyGet", baseUnit: "p50-ms", baseDescription: slashBase},
	{what: "`/legal list` p99 (ms)", bench: "Commands/list", unit: "p99-ms", base: "BaselineSlashVerifyGet", baseUnit: "p99-ms", baseDescription: slashBase},
	{what: "`/legal list` p99 inside the server (ms)", bench: "Commands/list", unit: "server-p99-ms", base: "BaselineSlashVerifyGet", baseUnit: "server-p99-ms", baseDescription: slashBase},
	{what: "`/legal show` p50 (ms)", bench: "Commands/show", unit: "p50-ms", base: "BaselineSlashVerifyGet", baseUnit: "p50-ms", baseDescription: slashBase},
	{what: "`/legal show` p99 (ms)", bench: "Commands/show", unit: "p99-ms", base: "BaselineSlashVerifyGet", baseUnit: "p99-ms", baseDescription: slashBase},
	{what: "`/legal show` p99 inside the server (ms)", bench: "Commands/show", unit: "server-p99-ms", base: "BaselineSlashVerifyGet", baseUnit: "server-p99-ms", baseDescription: slashBase},
	{what: "Reminder tick, 1k open, 100 reminders sent (ms)", bench: "ReminderTick/open=1000/send", unit: "ms", base: "BaselineRedisGet", baseUnit: "ms", baseDescription: getBase},
	{what: "Reminder tick, 100k open, 100 reminders sent (ms)", bench: "ReminderTick/open=100000/send", unit: "ms", base: "BaselineRedisGet", baseUnit: "ms", baseDescription: getBase},
	{what: "Reminder tick, 1k open, nothing new (ms)", bench: "ReminderTick/open=1000/steady", unit: "ms", base: "BaselineRedisGet", baseUnit: "ms", baseDescription: getBase},
	{what: "Reminder tick, 100k open, nothing new (ms)", bench: "ReminderTick/open=100000/steady", unit: "ms", base: "BaselineRedisGet", baseUnit: "ms", baseDescription: getBase},
	{what: "Reminder tick round trips, 1k open", bench: "ReminderTick/open=1000/send", unit: "roundtrips/op", base: "", baseDescription: ""},
	{what: "Reminder tick round trips, 100k open", bench: "ReminderTick/open=100000/send", unit: "roundtrips/op", base: "", baseDescription: ""},
	{what: "Due-index range, 10 of N, Redis: 100k vs 1k stored (µs)", bench: "RangeDue/redis/100k", unit: "µs", base: "RangeDue/redis/1k", baseUnit: "µs", baseDescription: "same, 1k stored"},
	{what: "Due-index range, 10 of N, bbolt: 100k vs 1k stored (µs)", bench: "RangeDue/bolt/100k", unit: "µs", base: "RangeDue/bolt/1k", baseUnit: "µs", baseDescription: "same, 1k stored"},
	{what: "Triage, 20 KB text letter (CPU ms)", bench: "TriageText20KB", unit: "cpu-ms/op", base: "BaselineMIMEText20KB", baseUnit: "cpu-ms/op", baseDescription: mimeBase},
	{what: "Triage, 20 KB varied text (CPU ms)", bench: "TriageMixed20KB", unit: "cpu-ms/op", base: "BaselineMIMEText20KB", baseUnit: "cpu-ms/op", baseDescription: mimeBase},
	{what: "Triage, 1 MB PDF attachment (CPU ms)", bench: "TriagePDF1MB", unit: "cpu-ms/op", base: "BaselineMIMEPDF1MB", baseUnit: "cpu-ms/op", baseDescription: mimeBase},
	{what: "SMTP 250 → first page at PagerDuty (ms)", bench: "SMTPToFirstPage", unit: "ms/page", base: "BaselinePagerDutyPost", baseUnit: "ms/page", baseDescription: pdBase},
}

// line matches a benchmark result: name-procs, iterations, then pairs.
// A log line written while the benchmark ran can split a result in two:
// the name (nameOnly), then the numbers on a line of their own (rest).
var (
	line     = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)
	nameOnly = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s`)
	rest     = regexp.MustCompile(`^\s+\d+\s+(.*\d.*)$`)
)

// results maps benchmark name and unit to the values of each run.
type results map[string]map[string][]float64

func parse(r io.Reader) (results, error) {
	res := results{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	pending := "" // a benchmark whose numbers were pushed to a later line
	for sc.Scan() {
		text := sc.Text()
		var name, pairs string
		if m := line.FindStringSubmatch(text); m != nil {
			name, pairs, pending = m[1], m[2], ""
		} else if m := rest.FindStringSubmatch(text); m != nil && pending != "" {
			name, pairs, pending = pending, m[1], ""
		} else if m := nameOnly.FindStringSubmatch(text); m != nil {
			pending = m[1]
			continue
		} else {
			continue
		}
		f := strings.Fields(pairs)
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			add(res, name, f[i+1], v)
			if f[i+1] == "ns/op" { // derived units for readable rows
				add(res, name, "ms", v/1e6)
				add(res, name, "µs", v/1e3)
			}
		}
	}
	return res, sc.Err()
}

func add(res results, name, unit string, v float64) {
	if res[name] == nil {
		res[name] = map[string][]float64{}
	}
	res[name][unit] = append(res[name][unit], v)
}

// median of the runs, and whether there were any.
func (res results) median(name, unit string) (float64, int, bool) {
	vs := slices.Clone(res[name][unit])
	if len(vs) == 0 {
		return 0, 0, false
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2], len(vs), true
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2, len(vs), true
}

func format(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func main() {
	res, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	write(os.Stdout, res)
}

func write(w io.Writer, res results) {
	fmt.Fprintln(w, "| measure | lebot | baseline | × baseline | runs |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|")
	for _, r := range rows {
		v, n, ok := res.median(r.bench, r.unit)
		if !ok {
			fmt.Fprintf(w, "| %s | (not run) | | | |\n", r.what)
			continue
		}
		if r.base == "" {
			fmt.Fprintf(w, "| %s | %s | — | — | %d |\n", r.what, format(v), n)
			continue
		}
		bv, _, bok := res.median(r.base, r.baseUnit)
		ratio := "—"
		switch {
		case !bok:
		case r.higherBetter && v > 0:
			ratio = format(bv/v) + "×"
		case !r.higherBetter && bv > 0:
			ratio = format(v/bv) + "×"
		}
		base := "(not run)"
		if bok {
			base = format(bv) + " (" + r.baseDescription + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d |\n", r.what, format(v), base, ratio, n)
	}
}
