//go:build !unix

package rdfc

func processCPU() int64 { return -1 }
