//go:build !race

package credential

const raceEnabled = false
