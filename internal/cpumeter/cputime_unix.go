//go:build unix

package cpumeter

import "syscall"

// processCPU returns the CPU time (user+system) the process has used, in
// nanoseconds, or -1.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
