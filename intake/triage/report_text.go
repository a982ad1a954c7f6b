package triage

import (
	"fmt"
	"io"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// WriteText writes a result for a person to read: each reading with the
// words of the message it came from.
func WriteText(w io.Writer, path string, res *Result) {
	f, v := res.Facts, res.Verification
	fmt.Fprintf(w, "%s\n", path)
	if m := res.Message; m != nil {
		fmt.Fprintf(w, "  subject:     %s\n  from:        %s\n", m.Subject, m.From.Email)
	}
	if f.NotRequest != "" {
		fmt.Fprintf(w, "  not a request: %s\n", f.NotRequest)
		writeEvidence(w, f.Evidence[legal.EvidenceKinds])
	} else {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = k.Label()
		}
		fmt.Fprintf(w, "  kinds:       %s\n", strings.Join(kinds, ", "))
		writeEvidence(w, f.Evidence[legal.EvidenceKinds])
	}
	var warn []string
	for _, x := range []struct {
		on   bool
		text string
	}{{f.Exigent, "EMERGENCY"}, {f.ChildEndangerment, "child endangerment"}, {f.NDO, "non-disclosure order"},
		{f.NoToSAction, "take no action on the account"}, {f.ContentRequested, "content requested"}} {
		if x.on {
			warn = append(warn, x.text)
		}
	}
	if len(warn) > 0 {
		fmt.Fprintf(w, "  alerts:      %s\n", strings.Join(warn, "; "))
	}
	if m := res.Message; m != nil {
		for _, x := range m.Warnings { // the same as --json's "warnings"
			fmt.Fprintf(w, "  warning:     %s\n", x)
		}
	}
	fmt.Fprintf(w, "  sender:      %s (official: %v, callback needed: %v), DKIM %s %s aligned=%v\n",
		f.SenderDomain, v.Official, v.Callback, v.DKIM, v.DKIMDomain, v.Aligned)
	for _, flag := range v.Flags {
		fmt.Fprintf(w, "  flag:        %s\n", flag)
	}
	if f.NotRequest == "" {
		fmt.Fprintf(w, "  agent:       %s <%s> %s\n", f.Agent.Name, f.Agent.Email, f.Agent.Phone)
		writeEvidence(w, f.Evidence[legal.EvidenceAgent])
		fmt.Fprintf(w, "  identifiers: %s\n", strings.Join(f.Identifiers, ", "))
		writeEvidence(w, f.Evidence[legal.EvidenceIdentifiers])
		if len(f.Records) > 0 {
			fmt.Fprintf(w, "  records:     %s\n", strings.Join(legal.RecordLabels(f.Records), ", "))
		}
	}
	if p := f.Period; p != nil {
		if p.Start.IsZero() {
			fmt.Fprintf(w, "  period:      from the account's opening to %s\n", p.End)
		} else {
			fmt.Fprintf(w, "  period:      %s to %s\n", p.Start, p.End)
		}
		writeEvidence(w, f.Evidence[legal.EvidencePeriod])
	}
	if f.Deadline != nil {
		fmt.Fprintf(w, "  deadline:    %s\n", f.Deadline)
		writeEvidence(w, f.Evidence[legal.EvidenceDeadline])
	}
	if f.NDOUntil != nil {
		fmt.Fprintf(w, "  no notice until: %s\n", f.NDOUntil)
		writeEvidence(w, f.Evidence[legal.EvidenceNDOUntil])
	}
	if !res.Due.IsZero() {
		fmt.Fprintf(w, "  due:         %s\n", res.Due.Format(legal.TimeLayout))
	}
	for _, it := range res.Checklist {
		if it.Outcome != legal.Passed {
			fmt.Fprintf(w, "  check:       %-12s %s: %s\n", it.Outcome, it.Item.Label(), it.Reason)
		}
	}
	for _, r := range f.ManualReview {
		fmt.Fprintf(w, "  review:      %s\n", r)
	}
	fmt.Fprintln(w)
}

// writeEvidence writes the words a reading came from, and where they
// stand, under the reading.
func writeEvidence(w io.Writer, e legal.Evidence) {
	if e.Quote == "" {
		return
	}
	fmt.Fprintf(w, "               read from %s: \"%s\"\n", e.Where(), e.Quote)
	if e.Note != "" {
		fmt.Fprintf(w, "               note: %s\n", e.Note)
	}
}
