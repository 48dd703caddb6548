//go:build !race

package sfclient_test

// raceEnabled is true when the race detector is on: the largest transfers are scaled down,
// since the detector slows them tenfold.
const raceEnabled = false
