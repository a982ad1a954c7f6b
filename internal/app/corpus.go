package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/corpus"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/legal"
)

// ErrCorpusSince marks a --since `lebot corpus export` cannot read (bad usage).
var ErrCorpusSince = errors.New("bad --since date")

// CorpusOptions are the arguments of `lebot corpus export`, checked by main.
type CorpusOptions struct {
	IDs          []string // requests named on the command line
	AllCorrected bool     // every request the team corrected (since Since)
	Since        string   // YYYY-MM-DD in TIMEZONE; "" for any time
	Dir          string
	Pseudonymize bool
	Now          time.Time
}

// CorpusExport is `lebot corpus export`: it writes the requests of the
// configured store as labelled corpus cases in opt.Dir and says what it
// did with each on out. It fails when a request named on the command line
// was not written; with AllCorrected, those that cannot be exported are
// listed and skipped.
func CorpusExport(ctx context.Context, getenv func(string) string, opt CorpusOptions, out, logw io.Writer) error {
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return err
	}
	var since time.Time
	if opt.Since != "" {
		d, err := legal.ParseDate(opt.Since)
		if err != nil {
			return fmt.Errorf("%w: %s is not a date (YYYY-MM-DD)", ErrCorpusSince, opt.Since)
		}
		since = d.In(cfg.Location())
	}
	st, err := OpenStore(ctx, cfg, NewCLILogger(cfg.LogFormat, logw))
	if err != nil {
		return err
	}
	defer st.Close()
	ids := opt.IDs
	if opt.AllCorrected {
		if ids, err = corpus.Corrected(ctx, st, since, opt.Now); err != nil {
			return err
		}
	}
	outcomes, err := corpus.Export(ctx, st, ids, corpus.Options{Dir: opt.Dir, Pseudonymize: opt.Pseudonymize})
	written, failed := 0, 0
	for _, o := range outcomes {
		if !o.Written {
			failed++
			fmt.Fprintf(out, "%s: not written: %s\n", o.ID, o.Reason)
			continue
		}
		written++
		what := "nothing corrected"
		if len(o.Corrected) > 0 {
			var ls []string
			for _, fd := range o.Corrected {
				ls = append(ls, fd.Label())
			}
			what = "corrected: " + strings.Join(ls, ", ")
		}
		fmt.Fprintf(out, "%s: written (%s)\n", o.ID, what)
	}
	if err != nil {
		return err
	}
	switch {
	case len(ids) == 0 && opt.AllCorrected:
		fmt.Fprintln(out, "No request was corrected in that time.")
	default:
		fmt.Fprintf(out, "%d of %d written to %s; score the reader on them with: lebot eval %s\n", written, len(ids), opt.Dir, opt.Dir)
	}
	if opt.Pseudonymize && written > 0 {
		fmt.Fprintln(out, "Pseudonymized: every telephone number and e-mail address, the account identifiers and the agent's name "+
			"are replaced (the same fake in every file). Other names, street addresses and case details in the text are not: "+
			"read the files before they leave the legal team.")
	}
	if failed > 0 && !opt.AllCorrected {
		return fmt.Errorf("%d of %d requests not written", failed, len(ids))
	}
	return nil
}
