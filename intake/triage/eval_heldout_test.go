package triage

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

// heldoutFloor is the accuracy (percent) each field must keep on
// testdata/heldout, fifteen requests written and labelled before the
// extraction rules were read. Measured first, extraction scored 80 % on
// deadline and missing, 86.7 % on ndo and 93.3 % on kinds, exigent,
// content_requested, agent and period; the general rules that fixed those
// (each with its own tests in TestExtractGeneralRules) bring every field to
// 100 %, which is the floor: any drop is a regression in how well the rules
// generalise. The set has now informed those rules, so fresh unseen
// requests remain the real measure.
var heldoutFloor = map[string]float64{}

func init() {
	for _, f := range EvalFields {
		heldoutFloor[f] = 100
	}
}

// TestEvalHeldout scores triage on the held-out requests and enforces the
// per-field floors.
func TestEvalHeldout(t *testing.T) {
	rep, err := Eval(context.Background(), filepath.Join("testdata", "heldout"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cases < 15 {
		t.Fatalf("got %d held-out cases, want at least 15", rep.Cases)
	}
	var out bytes.Buffer
	rep.Print(&out)
	t.Log("\n" + out.String())
	for _, e := range rep.Errors {
		t.Error(e)
	}
	for _, s := range rep.Fields {
		if floor := heldoutFloor[s.Field]; s.Percent() < floor {
			t.Errorf("%s: got %.1f%% (%d/%d), want >= %.0f%%", s.Field, s.Percent(), s.Correct, s.Total, floor)
		}
	}
}
