package e2e

import (
	"flag"
	"os"
	"testing"
)

// parallel is how many of this package's tests run at once unless
// -test.parallel says otherwise: all of them. They spend their time
// waiting on servers, processes and retries, not computing, so the
// default (GOMAXPROCS) would leave a 2-core machine idle while each
// waits in turn.
const parallel = "8"

func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", parallel); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
