//go:build race

package fsm

// raceEnabled shortens the model tests under the race detector, which
// slows them tenfold; the race test itself runs in full.
const raceEnabled = true
