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
	want := []time.Duration{
		50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond,
		800 * time.Millisecond, 1600 * time.Millisecond, 2 * time.Second, 2 * time.Second, 2 * time.Second,
	}
	wait := retryBackoffMin
	for i, w := range want {
		if wait != w {
			t.Fatalf("wait %d = %v, want %v (sequence %v)", i, wait, w, want)
		}
		wait = nextBackoff(wait)
	}
}
