package triage

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// EvalFields are the label fields Eval scores, in report order.
var EvalFields = []string{"kinds", "preservation_extension", "exigent", "child_endangerment", "ndo",
	"ndo_until", "no_tos_action", "content_requested", "sender_domain", "sender_official", "agent",
	"identifiers", "period", "deadline", "missing"}

// FieldScore is the accuracy of one field.
type FieldScore struct {
	Field   string
	Correct int
	Total   int
}

// Percent is Correct/Total in percent (100 for an empty corpus).
func (s FieldScore) Percent() float64 {
	if s.Total == 0 {
		return 100
	}
	return 100 * float64(s.Correct) / float64(s.Total)
}

// Mismatch is one field triage got wrong.
type Mismatch struct {
	File, Field, Got, Want string
}

// EvalReport is the result of Eval.
type EvalReport struct {
	Dir        string
	Cases      int
	Fields     []FieldScore
	Mismatches []Mismatch
	// Errors are files that could not be read or triaged; each counts as
	// wrong on every field.
	Errors []string
}

// Score returns the score of field, or false when it is not scored.
func (r *EvalReport) Score(field string) (FieldScore, bool) {
	for _, s := range r.Fields {
		if s.Field == field {
			return s, true
		}
	}
	return FieldScore{}, false
}

// Print writes one line per field (correct/total and percent), then the
// mismatches.
func (r *EvalReport) Print(w io.Writer) {
	fmt.Fprintf(w, "%d cases in %s\n", r.Cases, r.Dir)
	for _, s := range r.Fields {
		fmt.Fprintf(w, "%-24s %3d/%-3d %6.1f%%\n", s.Field, s.Correct, s.Total, s.Percent())
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
	if len(r.Mismatches) > 0 {
		fmt.Fprintf(w, "\n%d mismatches:\n", len(r.Mismatches))
	}
	for _, m := range r.Mismatches {
		fmt.Fprintf(w, "%s  %s: got %s, want %s\n", m.File, m.Field, m.Got, m.Want)
	}
}

// Eval triages every NAME.eml in dir that has a NAME.json label and scores
// each label field. When dir holds a dns.json and opts gives no resolver,
// DKIM keys are looked up there. Messages are received "as of" their own
// Date unless opts says otherwise.
func Eval(ctx context.Context, dir string, opts Options) (*EvalReport, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		return nil, fmt.Errorf("eval %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("eval %s: no .eml files", dir)
	}
	if opts.Verify.LookupTXT == nil {
		if lookup, err := LoadDNSFile(filepath.Join(dir, "dns.json")); err == nil {
			opts.Verify.LookupTXT = lookup
		}
	}
	rep := &EvalReport{Dir: dir}
	correct := map[string]int{}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(f), ".eml")
		want, err := readLabel(strings.TrimSuffix(f, ".eml") + ".json")
		if os.IsNotExist(err) {
			continue
		}
		rep.Cases++
		if err != nil {
			rep.Errors = append(rep.Errors, err.Error())
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			rep.Errors = append(rep.Errors, err.Error())
			continue
		}
		res, err := Triage(ctx, raw, opts)
		if err != nil {
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		got := labelOf(res)
		for _, field := range EvalFields {
			g, w := fieldValue(got, field), fieldValue(want, field)
			if g == w {
				correct[field]++
			} else {
				rep.Mismatches = append(rep.Mismatches, Mismatch{File: name, Field: field, Got: g, Want: w})
			}
		}
	}
	for _, field := range EvalFields {
		rep.Fields = append(rep.Fields, FieldScore{Field: field, Correct: correct[field], Total: rep.Cases})
	}
	return rep, nil
}

func readLabel(path string) (*Label, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var l Label
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("label %s: %w", path, err)
	}
	return &l, nil
}

// labelOf expresses a triage result in label form.
func labelOf(res *Result) *Label {
	o := NewOutput(res)
	return &o.Label
}

// fieldValue renders one field for comparison and for the report. Kinds
// and missing items compare as sets; identifiers in order.
func fieldValue(l *Label, field string) string {
	set := func(s []string) string {
		slices.Sort(s)
		return "[" + strings.Join(s, ",") + "]"
	}
	date := func(d *legal.Date) string {
		if d == nil || d.IsZero() {
			return "null"
		}
		return d.String()
	}
	switch field {
	case "kinds":
		return set(stringsOf(l.Kinds))
	case "preservation_extension":
		return fmt.Sprint(l.PreservationExtension)
	case "exigent":
		return fmt.Sprint(l.Exigent)
	case "child_endangerment":
		return fmt.Sprint(l.ChildEndangerment)
	case "ndo":
		return fmt.Sprint(l.NDO)
	case "ndo_until":
		return date(l.NDOUntil)
	case "no_tos_action":
		return fmt.Sprint(l.NoToSAction)
	case "content_requested":
		return fmt.Sprint(l.ContentRequested)
	case "sender_domain":
		return l.SenderDomain
	case "sender_official":
		return fmt.Sprint(l.SenderOfficial)
	case "agent":
		var a legal.Agent
		if l.Agent != nil {
			a = *l.Agent
		}
		return fmt.Sprintf("{%s, %s, %s}", a.Name, a.Email, a.Phone)
	case "identifiers":
		return "[" + strings.Join(l.Identifiers, ",") + "]"
	case "period":
		if l.Period == nil {
			return "null"
		}
		return l.Period.Start.String() + ".." + l.Period.End.String()
	case "deadline":
		return date(l.Deadline)
	case "missing":
		return set(stringsOf(l.Missing))
	}
	return ""
}

// stringsOf copies a slice of string-based values into a new []string.
func stringsOf[S ~string](s []S) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}
