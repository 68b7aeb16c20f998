//go:build !race

package ranked

const raceEnabled = false
