package main

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/lebot-dev/lebot/internal/app"
)

const reportUsage = "lebot report [--from YYYY-MM-DD --to YYYY-MM-DD | --half 2026H2] [--format csv|md|json]"

// runReport parses `lebot report`; internal/app and package report do the rest.
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", stderr, reportUsage)
	from := fs.String("from", "", "first day counted (YYYY-MM-DD, in TIMEZONE); with --to")
	to := fs.String("to", "", "last day counted, included; with --from")
	half := fs.String("half", "", "a half-year such as 2026H2 (July to December) or a year such as 2026; default: the current half-year")
	format := fs.String("format", "md", "csv (a header row and one row per category), md (the report's draft) or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageErr("report: unexpected arguments %q", fs.Args())
	case (*from == "") != (*to == ""):
		return usageErr("report: --from and --to go together")
	case *from != "" && *half != "":
		return usageErr("report: give --half or --from/--to, not both")
	case *format != "csv" && *format != "md" && *format != "json":
		return usageErr("report: --format %q: want csv, md or json", *format)
	}
	err := app.Report(ctx, getenv, app.ReportOptions{Half: *half, From: *from, To: *to, Format: *format, Now: time.Now()}, stdout, stderr)
	if errors.Is(err, app.ErrReportPeriod) {
		return usageErr("report: %v", err)
	}
	return err
}
