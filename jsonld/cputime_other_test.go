//go:build !unix

package jsonld

func processCPU() int64 { return -1 }
