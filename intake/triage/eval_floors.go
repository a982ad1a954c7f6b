package triage

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
)

// Floors is the evaluation ratchet: for each scored field, the lowest
// accuracy (percent, one decimal) the reader may score on the corpus. The
// floors are committed, raised in the same commit as every improvement and
// never lowered; CI fails when any field drops below its floor.
type Floors struct {
	Note   string             `json:"note,omitempty"`
	Floors map[string]float64 `json:"floors"`
}

// LoadFloors reads a floors file and checks that it names every field
// Eval scores, with a percentage between 0 and 100.
func LoadFloors(path string) (*Floors, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("floors: %w", err)
	}
	var f Floors
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("floors %s: %w", path, err)
	}
	for _, field := range EvalFields {
		v, ok := f.Floors[field]
		if !ok {
			return nil, fmt.Errorf("floors %s: no floor for %s", path, field)
		}
		if v < 0 || v > 100 {
			return nil, fmt.Errorf("floors %s: %s: %.1f is not a percentage", path, field, v)
		}
	}
	for field := range f.Floors {
		if !slices.Contains(EvalFields, field) {
			return nil, fmt.Errorf("floors %s: %s is not a scored field", path, field)
		}
	}
	return &f, nil
}

// FloorResult compares one field's score with its floor.
type FloorResult struct {
	Field        string
	Score, Floor float64 // percent, rounded to one decimal
}

// Check compares rep with the floors: below holds the fields that dropped
// under their floor (a regression), above those that now score higher (the
// floor should be raised to the new score).
func (f *Floors) Check(rep *EvalReport) (below, above []FloorResult) {
	for _, s := range rep.Fields {
		floor, ok := f.Floors[s.Field]
		if !ok {
			continue
		}
		r := FloorResult{Field: s.Field, Score: round1(s.Percent()), Floor: round1(floor)}
		switch {
		case r.Score < r.Floor:
			below = append(below, r)
		case r.Score > r.Floor:
			above = append(above, r)
		}
	}
	return below, above
}

// Raised returns the floors with every field raised to its score in rep
// where the score is higher; a floor is never lowered.
func (f *Floors) Raised(rep *EvalReport) *Floors {
	out := &Floors{Note: f.Note, Floors: map[string]float64{}}
	for k, v := range f.Floors {
		out.Floors[k] = v
	}
	_, above := f.Check(rep)
	for _, r := range above {
		out.Floors[r.Field] = r.Score
	}
	return out
}

// Write writes the floors as indented JSON in EvalFields order.
func (f *Floors) Write(path string) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func round1(p float64) float64 { return math.Round(p*10) / 10 }
