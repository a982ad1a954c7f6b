package main

import (
	"context"
	"errors"
	"io"
	"regexp"
	"time"

	"github.com/lebot-dev/lebot/internal/app"
)

// reRequestID is a request id, which is never the directory.
var reRequestID = regexp.MustCompile(`(?i)^LE-\d{4}-\d+$`)

const corpusUsage = "lebot corpus export [--pseudonymize] (ID... | --all-corrected [--since YYYY-MM-DD]) DIR"

// runCorpus parses `lebot corpus export`; internal/app and package corpus
// do the rest. Flags may come before, between or after the ids and DIR.
func runCorpus(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		io.WriteString(stdout, "usage: "+corpusUsage+"\n")
		return errHelp
	}
	if len(args) == 0 || args[0] != "export" {
		io.WriteString(stderr, "usage: "+corpusUsage+"\n")
		return usageErr("corpus needs: export")
	}
	fs := newFlagSet("corpus export", stderr, corpusUsage)
	pseudo := fs.Bool("pseudonymize", false, "replace telephone numbers, e-mail addresses, account identifiers and the agent's name with consistent fakes in both files")
	all := fs.Bool("all-corrected", false, "export every request the legal team corrected")
	since := fs.String("since", "", "with --all-corrected: only those corrected on or after this day (YYYY-MM-DD, TIMEZONE)")
	var pos []string
	for rest := args[1:]; ; {
		if err := parseFlags(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	switch {
	case len(pos) == 0:
		fs.Usage()
		return usageErr("corpus export needs a DIR")
	case *all && len(pos) > 1:
		return usageErr("corpus export: give ids or --all-corrected, not both")
	case !*all && len(pos) < 2:
		return usageErr("corpus export: give the requests' ids (or --all-corrected) and a DIR")
	case *since != "" && !*all:
		return usageErr("corpus export: --since goes with --all-corrected")
	}
	dir := pos[len(pos)-1]
	if reRequestID.MatchString(dir) {
		return usageErr("corpus export: the last argument is the directory to write to, not an id (%s)", dir)
	}
	err := app.CorpusExport(ctx, getenv, app.CorpusOptions{IDs: pos[:len(pos)-1], AllCorrected: *all, Since: *since,
		Dir: dir, Pseudonymize: *pseudo, Now: time.Now()}, stdout, stderr)
	if errors.Is(err, app.ErrCorpusSince) {
		return usageErr("corpus export: %v", err)
	}
	return err
}
