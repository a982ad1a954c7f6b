package triage

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lebot-dev/lebot/internal/testcorpus"
)

// TestEvidenceForEveryDate triages every labelled message of the shared
// corpus and of testdata (fixtures, held-out set, patterns) and checks,
// on the JSON `lebot triage --json` prints, that every period, deadline
// and NDO end it returns carries an evidence quote: words of the message
// (each word of the quote stands in the text read from the message), at most 200 characters,
// with the part they came from.
func TestEvidenceForEveryDate(t *testing.T) {
	t.Parallel()
	dirs := []string{filepath.Join("testdata", "triage"), filepath.Join("testdata", "heldout"), filepath.Join("testdata", "patterns")}
	if dir, ok := testcorpus.Path(); ok {
		dirs = append(dirs, dir)
	} else if os.Getenv(testcorpus.RequireEnv) == "1" {
		testcorpus.Dir(t)
	}
	checked := map[string]int{}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			raw := mustRead(t, f)
			res, err := Triage(context.Background(), raw, Options{})
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			b, err := JSON(res)
			if err != nil {
				t.Fatal(err)
			}
			var obj struct {
				Period   *json.RawMessage `json:"period"`
				Deadline *json.RawMessage `json:"deadline"`
				NDOUntil *json.RawMessage `json:"ndo_until"`
				Evidence map[string]struct {
					Quote, Part string
				} `json:"evidence"`
			}
			if err := json.Unmarshal(b, &obj); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			// The quote is of the text as read: dashes and spaces unified,
			// HTML tables as "label | value" lines.
			text := strings.ToLower(newDoc(res.Message).s)
			for field, v := range map[string]*json.RawMessage{"period": obj.Period, "deadline": obj.Deadline, "ndo_until": obj.NDOUntil} {
				if v == nil || string(*v) == "null" {
					continue
				}
				checked[field]++
				e, ok := obj.Evidence[field]
				if !ok || strings.TrimSpace(e.Quote) == "" || e.Part == "" {
					t.Errorf("%s: %s %s has no evidence quote (got %+v)", filepath.Base(f), field, *v, e)
					continue
				}
				if n := utf8.RuneCountInString(e.Quote); n > 200 {
					t.Errorf("%s: %s evidence is %d characters, want at most 200", filepath.Base(f), field, n)
				}
				for _, w := range strings.Fields(strings.ToLower(e.Quote)) {
					if w = strings.Trim(w, "…\"'"); w != "" && !strings.Contains(text, w) {
						t.Errorf("%s: %s evidence %q has %q, which is not in the message", filepath.Base(f), field, e.Quote, w)
						break
					}
				}
			}
		}
	}
	if checked["period"] == 0 || checked["deadline"] == 0 {
		t.Fatalf("checked %v, want periods and deadlines", checked)
	}
	t.Logf("evidence checked: %v", checked)
}
