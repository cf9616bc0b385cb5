package cpumeter

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spin uses d of this process's CPU time.
func spin(d time.Duration) {
	for start := processCPU(); processCPU()-start < int64(d); {
		for i := 0; i < 100_000; i++ {
		}
	}
}

// TestOtherProcessCPU reads this process's CPU time from /proc as another
// process's would be read, and holds it to getrusage's figure.
func TestOtherProcessCPU(t *testing.T) {
	before := otherProcessCPU(os.Getpid())
	require.GreaterOrEqual(t, before, int64(0))
	spin(100 * time.Millisecond)
	self, other := processCPU(), otherProcessCPU(os.Getpid())
	assert.Greater(t, other, before, "CPU time did not grow")
	// /proc counts in ticks of 10 ms; getrusage is finer.
	assert.InDelta(t, self, other, float64(30*time.Millisecond))
	assert.Equal(t, int64(-1), otherProcessCPU(-5), "a process that does not exist")
}

// TestStartWith counts the named processes beside this one: this process
// named again counts twice.
func TestStartWith(t *testing.T) {
	self := processCPU()
	m := StartWith(os.Getpid())
	spin(100 * time.Millisecond)
	used := processCPU() - self
	assert.InDelta(t, float64(2*used), float64(m.Elapsed()), float64(40*time.Millisecond))
}
