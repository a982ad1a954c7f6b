package main

import (
	"context"
	"io"
	"time"

	"github.com/lebot-dev/lebot/report"
)

const reportUsage = "lebot report [--from YYYY-MM-DD --to YYYY-MM-DD | --half 2026H2] [--format csv|md|json]"

// runReport prints the transparency report of the configured store; the
// counting and formats are package report's.
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
	cfg, err := loadAndValidate(getenv, false)
	if err != nil {
		return err
	}
	loc := cfg.Location()
	p := report.HalfOf(time.Now(), loc)
	switch {
	case *half != "":
		p, err = report.Half(*half, loc)
	case *from != "":
		p, err = report.Dates(*from, *to, loc)
	}
	if err != nil {
		return usageErr("report: %v", err)
	}
	log := newLogger(cfg.LogFormat, stderr)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := report.Build(ctx, st, p)
	if err != nil {
		return err
	}
	return report.Write(stdout, rep, *format)
}
