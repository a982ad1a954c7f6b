//go:build !linux

package intake

// childrenMaxRSS is unknown outside Linux (ru_maxrss units differ).
func childrenMaxRSS() int64 { return 0 }
