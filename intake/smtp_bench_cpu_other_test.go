//go:build !unix

package intake

func processCPU() (int64, bool) { return 0, false }
