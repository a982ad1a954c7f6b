//go:build unix

package app

import "syscall"

// processCPU returns the CPU time (user and system) this process and its
// finished children (PDF workers) have used, in nanoseconds, and true.
func processCPU() (int64, bool) {
	var total int64
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err != nil {
			return 0, false
		}
		total += ru.Utime.Nano() + ru.Stime.Nano()
	}
	return total, true
}
