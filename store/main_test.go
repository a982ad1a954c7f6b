package store

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs more of this package's parallel tests at once than Go's
// default of one per CPU: most of them wait (for a Cluster or Sentinel
// deployment to settle, a child process, fsync, a lock's timeout) rather
// than compute. An explicit -parallel still wins.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
}
