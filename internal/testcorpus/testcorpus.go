// Package testcorpus finds the shared development corpus for tests.
//
// The corpus lives beside the repository (../shared/corpus from its root),
// not in it, so a user's clone has none: tests that need it skip. CI sets
// LEBOT_REQUIRE_CORPUS=1 so that a missing corpus fails instead of
// silently skipping the accuracy gate.
package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// RequireEnv names the variable that turns a skip into a failure.
const RequireEnv = "LEBOT_REQUIRE_CORPUS"

// Path returns the corpus directory (absolute) and whether it exists.
// It looks for ../shared/corpus beside the module root, found by walking
// up from the working directory to go.mod.
func Path() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
	corpus := filepath.Join(filepath.Dir(dir), "shared", "corpus")
	if st, err := os.Stat(corpus); err != nil || !st.IsDir() {
		return corpus, false
	}
	return corpus, true
}

// Dir returns the corpus directory for tb. When it is absent it skips tb,
// or fails it when LEBOT_REQUIRE_CORPUS=1.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, ok := Path()
	if !ok {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("no corpus at %s and %s=1", dir, RequireEnv)
		}
		tb.Skipf("no corpus at %s (set %s=1 to fail instead)", dir, RequireEnv)
	}
	return dir
}
