package intake

import "syscall"

// childrenMaxRSS is the peak RSS of the largest child process this
// process has waited for, in bytes: an upper bound on any PDF worker's.
func childrenMaxRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru) != nil {
		return 0
	}
	return ru.Maxrss << 10
}
