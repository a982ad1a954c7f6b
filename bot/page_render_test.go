package bot

import (
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/legal"
)

// TestThreadAlertSaysWhatComesNext checks the alert never promises a
// "next level" after the last one: it names the new round or the @here.
func TestThreadAlertSaysWhatComesNext(t *testing.T) {
	req := &legal.Request{ID: "LE-2026-0004"}
	tests := []struct {
		name      string
		pg        Page
		want, not string
	}{
		{"more levels", Page{Level: 1, Levels: 2, Round: 1, Rounds: 1, Next: "5m"}, "the next level is paged in 5m", "@here"},
		{"last level, more rounds", Page{Level: 2, Levels: 2, Round: 1, Rounds: 3, Next: "5m"}, "round 2 starts again from level 1 in 5m", "next level"},
		{"last level, last round", Page{Level: 2, Levels: 2, Round: 1, Rounds: 1, Next: "2m"}, "the whole channel is alerted (@here) in 2m", "next level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.pg.Targets = []string{"U0ONE"}
			got := threadAlert(req, tt.pg)
			if !strings.Contains(got, tt.want) || strings.Contains(got, tt.not) {
				t.Fatalf("got %q, want %q and no %q", got, tt.want, tt.not)
			}
		})
	}
}
