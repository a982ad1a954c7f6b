package triage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFloors(tb testing.TB, body string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "floors.json")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

func allFloors(v string) string {
	var parts []string
	for _, f := range EvalFields {
		parts = append(parts, `"`+f+`": `+v)
	}
	return `{"floors": {` + strings.Join(parts, ", ") + `}}`
}

func TestLoadFloorsRefusesIncompleteFiles(t *testing.T) {
	tests := []struct{ name, body, wantErr string }{
		{"not json", "{", "floors"},
		{"missing field", `{"floors": {"kinds": 50}}`, "no floor for preservation_extension"},
		{"unknown field", strings.Replace(allFloors("50"), `{"kinds"`, `{"colour": 1, "kinds"`, 1), "colour is not a scored field"},
		{"over 100", strings.Replace(allFloors("50"), `"kinds": 50`, `"kinds": 101`, 1), "not a percentage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFloors(writeFloors(t, tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestFloorsCheckAndRaise(t *testing.T) {
	f, err := LoadFloors(writeFloors(t, allFloors("75")))
	if err != nil {
		t.Fatal(err)
	}
	rep := &EvalReport{}
	for _, field := range EvalFields {
		rep.Fields = append(rep.Fields, FieldScore{Field: field, Correct: 3, Total: 4}) // 75.0 %
	}
	rep.Fields[0].Correct = 2 // kinds 50 %: below
	rep.Fields[1].Correct = 4 // preservation_extension 100 %: above
	below, above := f.Check(rep)
	if len(below) != 1 || below[0].Field != "kinds" || below[0].Score != 50 || below[0].Floor != 75 {
		t.Errorf("below: got %+v, want kinds 50 < 75", below)
	}
	if len(above) != 1 || above[0].Field != "preservation_extension" || above[0].Score != 100 {
		t.Errorf("above: got %+v, want preservation_extension 100 > 75", above)
	}
	r := f.Raised(rep)
	if r.Floors["kinds"] != 75 || r.Floors["preservation_extension"] != 100 || r.Floors["ndo"] != 75 {
		t.Errorf("raised: got %v, want kinds kept at 75 (never lowered) and preservation_extension at 100", r.Floors)
	}
	// 2/3 is 66.666…: a floor written as 66.7 holds, one decimal either way.
	rep.Fields[2] = FieldScore{Field: rep.Fields[2].Field, Correct: 2, Total: 3}
	f.Floors[rep.Fields[2].Field] = 66.7
	below, _ = f.Check(rep)
	for _, b := range below {
		if b.Field == rep.Fields[2].Field {
			t.Errorf("got %+v below, want 2/3 to meet a 66.7 floor", b)
		}
	}
}

// TestEvalFloorsFileComplete: the committed floors name every field.
func TestEvalFloorsFileComplete(t *testing.T) {
	if _, err := LoadFloors(evalFloorsFile); err != nil {
		t.Fatal(err)
	}
}
