package pdfworker

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
)

// limitSelf caps the worker process it runs in. RLIMIT_DATA counts
// the memory the Go runtime maps for its heap (RLIMIT_AS would count the
// address space it only reserves, over a gigabyte at start), so past
// lim.Memory more than at start the runtime's next mapping fails and
// the worker exits. RLIMIT_CPU kills a worker that spins, should the
// parent's kill at lim.Timeout not come; core dumps are off.
func limitSelf(lim Limits) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	debug.SetMemoryLimit(int64(ms.Sys) + lim.Memory*3/4)
	data := uint64(vmData() + lim.Memory)
	syscall.Setrlimit(syscall.RLIMIT_DATA, &syscall.Rlimit{Cur: data, Max: data})
	cpu := uint64(lim.Timeout.Seconds()) + 1
	syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: cpu, Max: cpu + 1})
	syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
}

// vmData is the process's data segment now, in bytes (/proc/self/status
// VmData); a generous guess when it cannot be read.
func vmData() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmData:"); ok {
				if kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return 128 << 20
}

// maxRSS is a finished worker's peak resident memory in bytes.
func maxRSS(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10 // KiB on Linux
	}
	return 0
}
