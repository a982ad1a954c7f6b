//go:build !unix

package triage

func processCPU() (int64, bool) { return 0, false }
