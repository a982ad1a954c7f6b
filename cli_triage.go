package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/internal/config"
)

// newFlagSet is a flag set that reports errors to stderr and returns them
// instead of exiting.
func newFlagSet(name string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning a flag error into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return errHelp
		}
		return usageErr("%s: %v", fs.Name(), err)
	}
	return nil
}

// triageOptions builds the triage options from the configuration and an
// optional --dns file (JSON map of TXT records, for archived mail).
func triageOptions(getenv func(string) string, dnsFile string) (triage.Options, error) {
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return triage.Options{}, err
	}
	opts := triage.Options{
		Verify:      triage.VerifyConfig{OfficialDomains: cfg.OfficialDomains},
		Location:    cfg.Location(),
		CompanyName: cfg.CompanyName,
	}
	if dnsFile != "" {
		if opts.Verify.LookupTXT, err = triage.LoadDNSFile(dnsFile); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

// runTriage reads and checks messages without Slack or a store.
func runTriage(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("triage", stderr, "lebot triage [--json] [--dns FILE] FILE.eml...")
	asJSON := fs.Bool("json", false, "print one JSON object per file, one per line")
	dns := fs.String("dns", "", "JSON map of DNS TXT records to verify DKIM against instead of DNS")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageErr("triage needs at least one FILE.eml")
	}
	opts, err := triageOptions(getenv, *dns)
	if err != nil {
		return err
	}
	failed := 0
	enc := json.NewEncoder(stdout)
	for _, path := range fs.Args() {
		res, err := triageFile(ctx, path, opts)
		if err != nil {
			fmt.Fprintf(stderr, "lebot: %v\n", err)
			failed++
			continue
		}
		if *asJSON {
			out := triage.NewOutput(res)
			out.File = path
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		triage.WriteText(stdout, path, res)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be triaged", failed, fs.NArg())
	}
	return nil
}

func triageFile(ctx context.Context, path string, opts triage.Options) (*triage.Result, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	res, err := triage.Triage(ctx, raw, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return res, nil
}

// runEval scores triage against a labelled corpus. With --min it fails
// when any field scores below that percentage; with --floors, when any
// field drops below its committed floor (the ratchet), and --raise then
// writes the new scores into the floors file (never lowering one).
func runEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", stderr, "lebot eval [--min PCT] [--floors FILE [--raise]] [--dns FILE] DIR")
	minPct := fs.Float64("min", 0, "fail (exit 1) when any field scores below this percentage, e.g. 95")
	floorsFile := fs.String("floors", "", "fail (exit 1) when any field scores below its floor in this JSON file")
	raise := fs.Bool("raise", false, "with --floors: raise each floor the reader now beats to its new score")
	dns := fs.String("dns", "", "JSON map of DNS TXT records (default: DIR/dns.json when present)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageErr("eval needs exactly one DIR")
	}
	if *raise && *floorsFile == "" {
		return usageErr("eval: --raise needs --floors FILE")
	}
	var floors *triage.Floors
	if *floorsFile != "" {
		var err error
		if floors, err = triage.LoadFloors(*floorsFile); err != nil {
			return err
		}
	}
	opts, err := triageOptions(getenv, *dns)
	if err != nil {
		return err
	}
	rep, err := triage.Eval(ctx, fs.Arg(0), opts)
	if err != nil {
		return err
	}
	rep.Print(stdout)
	var low []string
	for _, s := range rep.Fields {
		if s.Percent() < *minPct {
			low = append(low, fmt.Sprintf("%s %.1f%%", s.Field, s.Percent()))
		}
	}
	if len(low) > 0 {
		return fmt.Errorf("eval: below %.1f%%: %s", *minPct, strings.Join(low, ", "))
	}
	if floors == nil {
		return nil
	}
	below, above := floors.Check(rep)
	if *raise && len(above) > 0 {
		if err := floors.Raised(rep).Write(*floorsFile); err != nil {
			return err
		}
	}
	for _, r := range above {
		verb := "raise it"
		if *raise {
			verb = "raised"
		}
		fmt.Fprintf(stdout, "ratchet: %s scores %.1f%%, above its floor %.1f%%: %s\n", r.Field, r.Score, r.Floor, verb)
	}
	if len(below) > 0 {
		for _, r := range below {
			low = append(low, fmt.Sprintf("%s %.1f%% (floor %.1f%%)", r.Field, r.Score, r.Floor))
		}
		return fmt.Errorf("eval: below the floors in %s: %s", *floorsFile, strings.Join(low, ", "))
	}
	return nil
}
