//go:build unix

package app

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/intake"
	"github.com/lebot-dev/lebot/internal/testpdf"
	"github.com/lebot-dev/lebot/store"
)

// BenchmarkFollowUpPDF times intake of a follow-up carrying a PDF (the
// signed order), from Accept to stored, on bbolt: each op is one
// follow-up joining a request of its own (created outside the timer).
// Reading the PDF (a worker process) dominates, so reading it twice shows
// as twice the time; pdf-cpu-ms/op is the CPU the PDF workers (this
// process's children, as the OS counts them) used per follow-up.
func BenchmarkFollowUpPDF(b *testing.B) {
	st, err := store.OpenBolt(store.Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc, err := intake.NewService(intake.ServiceConfig{Sink: StoreSink{Store: st, Location: time.UTC}, Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	pdf := testpdf.Build(testpdf.TextPage("GRAND JURY SUBPOENA", "UNITED STATES DISTRICT COURT",
		"Subscriber information for (415) 555-0100 from January 1, 2026 through March 1, 2026", "Signed: Judge A. Example"))
	ctx := context.Background()
	b.ReportAllocs()
	cpu0 := childrenCPU(b)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		orig := fmt.Sprintf("bench-orig-%d@fbi.gov", i)
		if _, created, err := svc.Accept(ctx, fmt.Appendf(nil, testMail, orig), "smtp", nil); err != nil || !created {
			b.Fatalf("original: %v, %v", created, err)
		}
		raw := followUpWithPDF(orig, fmt.Sprintf("bench-fu-%d@fbi.gov", i), pdf)
		b.StartTimer()
		if _, created, err := svc.Accept(ctx, raw, "smtp", nil); err != nil || created {
			b.Fatalf("follow-up: %v, %v", created, err)
		}
	}
	b.ReportMetric(float64(childrenCPU(b)-cpu0)/1e6/float64(b.N), "pdf-cpu-ms/op")
}

// childrenCPU is the CPU time (user and system) of this process's
// finished children, the PDF workers, in nanoseconds.
func childrenCPU(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
