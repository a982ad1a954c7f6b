//go:build !linux

package pdfworker

import (
	"os"
	"runtime"
	"runtime/debug"
)

// limitSelf sets only the Go runtime's soft memory limit: outside
// Linux there is no rlimit that counts heap mappings reliably, and the
// parent's kill at lim.Timeout is the hard bound.
func limitSelf(lim Limits) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	debug.SetMemoryLimit(int64(ms.Sys) + lim.Memory*3/4)
}

// maxRSS is unknown outside Linux.
func maxRSS(*os.ProcessState) int64 { return 0 }
