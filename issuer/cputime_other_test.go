//go:build !unix

package issuer_test

func processCPU() int64 { return -1 }
