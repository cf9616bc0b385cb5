//go:build !race

package credential

// raceEnabled: the race detector makes sync.Pool drop entries at random.
const raceEnabled = false
