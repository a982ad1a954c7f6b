//go:build !unix

package app

func processCPU() (int64, bool) { return 0, false }
