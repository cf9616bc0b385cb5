//go:build !unix

package cpumeter

func processCPU() int64 { return -1 }

func otherProcessCPU(int) int64 { return -1 }
