//go:build !linux

package triage

// childrenMaxRSS is unknown outside Linux (ru_maxrss units differ).
func childrenMaxRSS() int64 { return 0 }
