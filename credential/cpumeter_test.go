package credential

import "testing"

// cpuMeter reports the process CPU time per operation as "cpu-ns/op" beside
// the wall time: on a shared, loaded machine it is the steadier figure (it
// includes the garbage collector's work on other threads).
type cpuMeter int64

func startCPU() cpuMeter { return cpuMeter(processCPU()) }

func (c cpuMeter) report(b *testing.B) {
	if end := processCPU(); c >= 0 && end >= 0 && b.N > 0 {
		b.ReportMetric(float64(end-int64(c))/float64(b.N), "cpu-ns/op")
	}
}
