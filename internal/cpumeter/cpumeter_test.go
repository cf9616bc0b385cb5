package cpumeter

import (
	"runtime"
	"testing"
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
