// Package cpumeter reports, beside a benchmark's wall time, the CPU time the
// whole process used per operation ("cpu-ns/op": user and system time of
// every thread, the garbage collector's included). On a shared, loaded
// machine it is the steadier figure. It is used by the benchmarks only.
package cpumeter

import (
	"testing"
	"time"
)

// Meter is the process CPU time when a measurement started, or -1 where the
// platform does not report it.
type Meter int64

// Start begins a measurement; call it after b.ResetTimer.
func Start() Meter { return Meter(processCPU()) }

// Report adds the cpu-ns/op metric to b, unless the platform has no figure.
func (m Meter) Report(b *testing.B) {
	if end := processCPU(); m >= 0 && end >= 0 && b.N > 0 {
		b.ReportMetric(float64(end-int64(m))/float64(b.N), "cpu-ns/op")
	}
}

// Elapsed returns the process CPU time used since the measurement started,
// or 0 where the platform does not report it: for benchmarks that measure
// only part of each operation, or per unit of their own.
func (m Meter) Elapsed() time.Duration {
	if end := processCPU(); m >= 0 && end >= 0 {
		return time.Duration(end - int64(m))
	}
	return 0
}
