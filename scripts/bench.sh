#!/usr/bin/env bash
# Runs lebot's benchmarks and their baselines with fixed -benchtime and
# -count, keeps the raw output, and prints BENCHMARKS.md's table (medians
# of the runs, each lebot number beside its baseline from the same run).
#
#   scripts/bench.sh              # everything, COUNT=3 (about 20-30 minutes on 2 cores)
#   COUNT=1 scripts/bench.sh      # quicker
#   SKIP_100K=1 scripts/bench.sh  # leave out the 100k-request reminder tick (seeding is the slow part)
#
# Redis: REDIS_URL if set, else each benchmark starts a throwaway
# redis-server (internal/testredis). Raw output goes to $OUT (default
# bench-<date>.txt in the system temp dir); the table to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-3}
OUT=${OUT:-${TMPDIR:-/tmp}/lebot-bench-$(date +%Y%m%d-%H%M%S).txt}
: >"$OUT"

bench() { # package pattern benchtime
	echo "== $1 $2 -benchtime $3 -count $COUNT" >&2
	go test -run '^$' -bench "$2" -benchtime "$3" -count "$COUNT" -timeout 120m "$1" | tee -a "$OUT" >&2
}

{
	echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs, $(go version)"
	echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
} | tee -a "$OUT" >&2

# Intake: 10 concurrent SMTP clients, lebot into Redis vs a bare go-smtp server.
bench ./intake '^(BenchmarkSMTPIntakeRedis|BenchmarkBaselineSMTPDiscard)$' 2000x
# Peak heap for one 25 MB message, lebot vs the bare server.
bench ./intake '^(BenchmarkSMTPIntake25MB|BenchmarkBaselineSMTPDiscard25MB)$' 3x
# Triage per message vs reading the same MIME with go-message alone.
bench ./intake/triage '^(BenchmarkTriageText20KB|BenchmarkTriageMixed20KB|BenchmarkBaselineMIMEText20KB)$' 200x
bench ./intake/triage '^(BenchmarkTriagePDF1MB|BenchmarkBaselineMIMEPDF1MB)$' 10x
# Slash commands, 50 in flight over 10k stored requests, vs a bare verify + GET handler.
bench ./commands '^(BenchmarkCommands|BenchmarkBaselineSlashVerifyGet)$' 2000x
# Job tick vs store size, and one Redis round trip.
if [[ -n "${SKIP_100K:-}" ]]; then
	bench ./jobs '^BenchmarkReminderTick$/^open=1000$' 20x
else
	bench ./jobs '^BenchmarkReminderTick$' 20x
fi
bench ./jobs '^BenchmarkBaselineRedisGet$' 2000x
bench ./store '^BenchmarkRangeDue$' 2000x
# SMTP 250 to the first page, through `lebot serve`, vs a bare POST to PagerDuty.
bench ./internal/app '^(BenchmarkSMTPToFirstPage|BenchmarkBaselinePagerDutyPost)$' 50x

echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)" | tee -a "$OUT" >&2
echo "raw output: $OUT" >&2
go run ./scripts/benchtable <"$OUT"
