package cpumeter

import (
	"runtime"
	"testing"
	"time"
)

func TestProcessCPUGrows(t *testing.T) {
	if runtime.GOOS == "js" || runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no process CPU time here")
	}
	m := Start()
	start := processCPU()
	x := 0
	for i := 0; i < 50_000_000; i++ {
		x += i
	}
	_ = x
	if end := processCPU(); start < 0 || end <= start {
		t.Fatalf("process CPU time did not grow: %d -> %d", start, end)
	}
	if m.Elapsed() <= 0 {
		t.Fatal("Elapsed is not positive")
	}
}

// BenchmarkWakeIdleCore measures the platform, not the library: how long a
// goroutine started by a busy goroutine waits before an idle core runs it.
// Every IssueBatch call and every stop of the garbage collector pays this
// once, so it bounds how far a batch of a few milliseconds can scale
// (BENCHMARKS.md, "Scaling with cores"). It needs two cores.
func BenchmarkWakeIdleCore(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	spin := func(d time.Duration) {
		for end := time.Now().Add(d); time.Now().Before(end); {
		}
	}
	var waited time.Duration
	started := make(chan time.Duration, 1)
	for b.Loop() {
		spin(200 * time.Microsecond) // the other core goes idle meanwhile
		t0 := time.Now()
		go func() { started <- time.Since(t0) }()
		// Stay busy, so that only another core can run the goroutine.
		for len(started) == 0 {
		}
		waited += <-started
	}
	b.ReportMetric(float64(waited.Microseconds())/float64(b.N), "µs/wake")
}
