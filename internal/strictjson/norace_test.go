//go:build !race

package strictjson

// raceEnabled: the race detector makes sync.Pool drop entries at random.
const raceEnabled = false
