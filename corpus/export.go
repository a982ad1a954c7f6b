// Package corpus writes the legal team's requests as labelled cases in the
// corpus format (NAME.eml as received, NAME.json with the labels; see the
// corpus README), so corrected requests become an evaluation set that
// `lebot eval DIR` scores the reader against. With pseudonymization the
// cases can leave the legal team.
package corpus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// Store is what an export reads; store.Store satisfies it. It is safe
// for concurrent use, honours ctx and wraps store.ErrNotFound.
type Store interface {
	ResolveID(ctx context.Context, input string) (string, error)
	GetRequest(ctx context.Context, id string) (*legal.Request, error)
	RawMessage(ctx context.Context, id string) ([]byte, error)
	EachReceived(ctx context.Context, from, to time.Time, fn func(*legal.Request) error) error
}

var _ Store = store.Store(nil)

// Options configure an export.
type Options struct {
	Dir string // written to; created (0700) when missing
	// Pseudonymize replaces identifiers and the agent's contact in both
	// files (see Pseudonymizer); a case that cannot be is not written.
	Pseudonymize bool
}

// Outcome is what happened to one request.
type Outcome struct {
	ID      string // the request id, also the case's NAME
	Written bool
	Reason  string // why it was not written, for a person
	// Corrected lists the fields the team corrected (the labels carry them).
	Corrected []legal.Field
}

// Export writes each request as DIR/ID.eml and DIR/ID.json. A request
// that cannot be exported (no e-mail: entered by hand; its message
// deleted under retention; not pseudonymizable) is reported in its
// Outcome and skipped; the error is for a store or file failure, after
// which nothing more is written.
func Export(ctx context.Context, st Store, ids []string, opt Options) ([]Outcome, error) {
	if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("export to %s: %w", opt.Dir, err)
	}
	var p *Pseudonymizer
	if opt.Pseudonymize {
		p = NewPseudonymizer()
	}
	var out []Outcome
	for _, input := range ids {
		o, err := exportOne(ctx, st, input, opt.Dir, p)
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

func exportOne(ctx context.Context, st Store, input, dir string, p *Pseudonymizer) (Outcome, error) {
	id, err := st.ResolveID(ctx, input)
	if errors.Is(err, store.ErrNotFound) {
		return Outcome{ID: input, Reason: "no request matches " + input}, nil
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("resolve %s: %w", input, err)
	}
	r, err := st.GetRequest(ctx, id)
	if err != nil {
		return Outcome{}, fmt.Errorf("get %s: %w", id, err)
	}
	o := Outcome{ID: id, Corrected: r.CorrectedFields()}
	switch {
	case r.Source == "manual":
		o.Reason = "entered by hand: there is no e-mail to export"
		return o, nil
	case !r.Purged.IsZero():
		o.Reason = "its message was deleted under the retention policy"
		return o, nil
	}
	raw, err := st.RawMessage(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		o.Reason = "its message is no longer stored"
		return o, nil
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("raw message of %s: %w", id, err)
	}
	facts := r.Facts
	if p != nil {
		if raw, facts, err = p.Pseudonymize(raw, r.Facts); err != nil {
			o.Reason = err.Error()
			return o, nil
		}
	}
	label, err := json.MarshalIndent(LabelOf(r, facts), "", "  ")
	if err != nil {
		return Outcome{}, fmt.Errorf("label of %s: %w", id, err)
	}
	label = append(label, '\n')
	if p != nil {
		if err := p.Check(string(label)); err != nil {
			o.Reason = err.Error()
			return o, nil
		}
	}
	if err := writeCase(dir, id, raw, label); err != nil {
		return Outcome{}, err
	}
	o.Written = true
	return o, nil
}

// writeCase writes both files or neither: each goes to a temporary file
// first, and the old label is removed before the message is replaced, so
// no message is ever beside a label that is not its own.
func writeCase(dir, name string, eml, label []byte) error {
	tmp := func(data []byte) (string, error) {
		f, err := os.CreateTemp(dir, "."+name+".*")
		if err != nil {
			return "", err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(f.Name())
			return "", err
		}
		if err := f.Close(); err != nil {
			os.Remove(f.Name())
			return "", err
		}
		return f.Name(), nil
	}
	emlTmp, err := tmp(eml)
	if err != nil {
		return fmt.Errorf("write %s.eml: %w", name, err)
	}
	jsonTmp, err := tmp(label)
	if err != nil {
		os.Remove(emlTmp)
		return fmt.Errorf("write %s.json: %w", name, err)
	}
	base := filepath.Join(dir, name)
	if err := os.Remove(base + ".json"); err != nil && !errors.Is(err, os.ErrNotExist) {
		os.Remove(emlTmp)
		os.Remove(jsonTmp)
		return fmt.Errorf("replace %s.json: %w", name, err)
	}
	if err := os.Rename(emlTmp, base+".eml"); err != nil {
		os.Remove(emlTmp)
		os.Remove(jsonTmp)
		return fmt.Errorf("write %s.eml: %w", name, err)
	}
	if err := os.Rename(jsonTmp, base+".json"); err != nil {
		os.Remove(jsonTmp)
		return fmt.Errorf("write %s.json: %w", name, err)
	}
	return nil
}

// LabelOf is the corpus label of r with facts f (r's own, or their
// pseudonyms): the sixteen fields of the schema, missing as the team's
// checklist has it (its decisions included), and a note on what the team
// corrected. Lists are never null.
func LabelOf(r *legal.Request, f legal.Facts) triage.Label {
	kinds := f.Kinds
	if kinds == nil {
		kinds = []legal.Kind{}
	}
	ids := f.Identifiers
	if ids == nil {
		ids = []string{}
	}
	l := triage.Label{
		Kinds: kinds, PreservationExtension: f.PreservationExtension, Exigent: f.Exigent,
		ChildEndangerment: f.ChildEndangerment, NDO: f.NDO, NDOUntil: f.NDOUntil, NoToSAction: f.NoToSAction,
		ContentRequested: f.ContentRequested, SenderDomain: f.SenderDomain, SenderOfficial: f.SenderOfficial,
		Agent: agentOf(f.Agent), Identifiers: ids, Period: f.Period, Deadline: f.Deadline,
		Missing: legal.Missing(r.Checklist()), Notes: note(r), // pseudonyms change no outcome
	}
	if l.Period != nil && l.Period.Start.IsZero() {
		l.Period = nil
	}
	return l
}

// agentOf is the label's agent: null when no agent was read.
func agentOf(a legal.Agent) *legal.Agent {
	if a == (legal.Agent{}) {
		return nil
	}
	return &a
}

func note(r *legal.Request) string {
	fields := r.CorrectedFields()
	if len(fields) == 0 {
		return "Exported from " + r.ID + "; the legal team corrected nothing lebot read."
	}
	var ls []string
	for _, fd := range fields {
		ls = append(ls, fd.Label())
	}
	s := "Exported from " + r.ID + "; the legal team corrected " + strings.Join(ls, ", ")
	if len(r.Decisions) > 0 {
		s += ", and decided checklist items by hand"
	}
	return s + "."
}

// Corrected returns the ids of the requests the team corrected at or
// after since (any time when zero), oldest received first. It reads
// every request received up to now, through the store's indexes (a
// command-line export, not a request path).
func Corrected(ctx context.Context, st Store, since, now time.Time) ([]string, error) {
	var ids []string
	err := st.EachReceived(ctx, time.Unix(0, 0), now.Add(time.Millisecond), func(r *legal.Request) error {
		if r.Corrected(since) {
			ids = append(ids, r.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corrected requests: %w", err)
	}
	return ids, nil
}
