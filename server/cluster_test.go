package server

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRetryWithBackoffUntilCommitted(t *testing.T) {
	var tries []time.Time
	var waits []time.Duration
	ok := retryWithBackoff(context.Background(), nil, func() bool { return true }, func() error {
		tries = append(tries, time.Now())
		if len(tries) < 4 {
			return errors.New("commit timed out")
		}
		return nil
	}, func(_ error, wait time.Duration) { waits = append(waits, wait) })
	if !ok || len(tries) != 4 {
		t.Fatalf("ok %v after %d tries, want success at the 4th", ok, len(tries))
	}
	want := []time.Duration{retryBackoffMin, 2 * retryBackoffMin, 4 * retryBackoffMin}
	for i, w := range want {
		if waits[i] != w {
			t.Errorf("wait %d: %v, want %v", i, waits[i], w)
		}
		if gap := tries[i+1].Sub(tries[i]); gap < w {
			t.Errorf("try %d came %v after the one before, want at least %v", i+2, gap, w)
		}
	}
}

func TestRetryWithBackoffStopsWhenLeadershipIsLost(t *testing.T) {
	fail := func() error { return errors.New("no") }
	quiet := func(error, time.Duration) {}
	// Leadership lost between tries.
	leading, tries := true, 0
	done := make(chan bool)
	go func() {
		done <- retryWithBackoff(context.Background(), nil, func() bool { return leading }, func() error {
			tries++
			if tries == 2 {
				leading = false
			}
			return fail()
		}, quiet)
	}()
	select {
	case ok := <-done:
		if ok || tries != 2 {
			t.Errorf("ok %v after %d tries, want a stop after the 2nd", ok, tries)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still retrying after leadership was lost")
	}
	// A leadership change while waiting.
	changed := make(chan struct{})
	close(changed)
	tries = 0
	if retryWithBackoff(context.Background(), changed, func() bool { return true }, func() error { tries++; return fail() }, quiet) || tries != 1 {
		t.Errorf("retried %d times across a leadership change, want 1", tries)
	}
	// The server stopping.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tries = 0
	if retryWithBackoff(ctx, nil, func() bool { return true }, func() error { tries++; return fail() }, quiet) || tries != 1 {
		t.Errorf("retried %d times after shutdown, want 1", tries)
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	wait, n := retryBackoffMin, 0
	for ; wait < retryBackoffMax && n < 100; n++ {
		next := nextBackoff(wait)
		if next != min(2*wait, retryBackoffMax) {
			t.Fatalf("after %v: %v", wait, next)
		}
		wait = next
	}
	if wait != retryBackoffMax || nextBackoff(wait) != retryBackoffMax {
		t.Errorf("back-off reached %v after %d steps and then %v, want to stay at %v", wait, n, nextBackoff(wait), retryBackoffMax)
	}
}
