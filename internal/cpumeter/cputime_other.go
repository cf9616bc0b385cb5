//go:build !unix

package cpumeter

func processCPU() int64 { return -1 }
