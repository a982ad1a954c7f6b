package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestBinaryLinksNoTestCode: the lebot binary links neither testing nor
// net/http/httptest. `lebot demo` runs internal/fakeslack as its Slack
// stand-in, so a test helper creeping into that package (or any other the
// binary imports) would ship test code; go list sees the whole graph.
func TestBinaryLinksNoTestCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps .: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/lebot-dev/lebot") || !slices.Contains(deps, "net/http") {
		t.Fatalf("go list -deps . gave %d packages without lebot itself or net/http, want the binary's graph", len(deps))
	}
	for _, pkg := range []string{"testing", "net/http/httptest"} {
		if slices.Contains(deps, pkg) {
			t.Errorf("the binary links %s", pkg)
		}
	}
}
