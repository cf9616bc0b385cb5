// Package cpumeter reports, beside a benchmark's wall time, the CPU time the
// whole process used per operation ("cpu-ns/op": user and system time of
// every thread, the garbage collector's included), and optionally that of
// other processes the benchmark started, such as a server it drives. On a
// shared, loaded machine it is the steadier figure. It is used by the
// benchmarks only.
package cpumeter

import (
	"testing"
	"time"
)

// Meter is the CPU time used when a measurement started, by this process
// and the other processes it counts; its figures are negative where the
// platform does not report them.
type Meter struct {
	pids  []int
	start int64
}

// Start begins a measurement of this process; call it after b.ResetTimer.
func Start() Meter { return StartWith() }

// StartWith begins a measurement of this process and the processes pids
// together (on Linux; elsewhere the figure is not reported when pids are
// given).
func StartWith(pids ...int) Meter {
	m := Meter{pids: pids}
	m.start = m.now()
	return m
}

// now returns the CPU time of the measured processes, or -1.
func (m Meter) now() int64 {
	total := processCPU()
	for _, pid := range m.pids {
		t := otherProcessCPU(pid)
		if t < 0 || total < 0 {
			return -1
		}
		total += t
	}
	return total
}

// Report adds the cpu-ns/op metric to b, unless the platform has no figure.
func (m Meter) Report(b *testing.B) {
	if end := m.now(); m.start >= 0 && end >= 0 && b.N > 0 {
		b.ReportMetric(float64(end-m.start)/float64(b.N), "cpu-ns/op")
	}
}

// Elapsed returns the CPU time used since the measurement started, or 0
// where the platform does not report it: for benchmarks that measure only
// part of each operation, or per unit of their own.
func (m Meter) Elapsed() time.Duration {
	if end := m.now(); m.start >= 0 && end >= 0 {
		return time.Duration(end - m.start)
	}
	return 0
}
