package testcluster

import (
	"testing"
	"time"
)

// Poll calls cond every few milliseconds until it returns true, and fails
// the test with msg if that takes longer than timeout.
func Poll(t testing.TB, timeout time.Duration, msg string, cond func() bool) {
	t.Helper()
	if !Wait(timeout, cond) {
		t.Fatalf("timed out after %v waiting for: %s", timeout, msg)
	}
}

// Wait is Poll without the test: it reports whether cond became true in time.
func Wait(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}
