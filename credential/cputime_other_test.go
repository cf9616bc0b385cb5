//go:build !unix

package credential

func processCPU() int64 { return -1 }
