package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/report"
)

// ErrReportPeriod marks a period `lebot report` cannot read (bad usage).
var ErrReportPeriod = errors.New("bad report period")

// ReportOptions are the arguments of `lebot report`, checked by main.
type ReportOptions struct {
	Half     string    // 2026H2 or 2026; empty with From/To empty: the half-year of Now
	From, To string    // YYYY-MM-DD, both included
	Format   string    // csv, md or json
	Now      time.Time // for the default period
}

// Report is `lebot report`: it counts the configured store's requests
// received in the period (days in TIMEZONE) and writes the report to out
// in opt.Format, logs to logw.
func Report(ctx context.Context, getenv func(string) string, opt ReportOptions, out, logw io.Writer) error {
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return err
	}
	loc := cfg.Location()
	p := report.HalfOf(opt.Now, loc)
	switch {
	case opt.Half != "":
		p, err = report.Half(opt.Half, loc)
	case opt.From != "" || opt.To != "":
		p, err = report.Dates(opt.From, opt.To, loc)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrReportPeriod, err)
	}
	st, err := OpenStore(ctx, cfg, NewCLILogger(cfg.LogFormat, logw))
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := report.Build(ctx, st, p)
	if err != nil {
		return err
	}
	return report.Write(out, rep, opt.Format)
}
