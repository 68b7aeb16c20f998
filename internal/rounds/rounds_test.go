package rounds

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A caller that arrives while a round runs gets the next round's result,
// and every caller that arrived during one round shares the next.
func TestLateCallersWaitForTheNextRound(t *testing.T) {
	var g Group[int]
	var calls atomic.Int32
	release := make(chan struct{})
	started := make(chan struct{}, 8)
	fn := func() (int, error) {
		n := int(calls.Add(1))
		started <- struct{}{}
		<-release
		return n, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	first := make(chan int, 1)
	go func() {
		v, _ := g.Do(ctx, fn)
		first <- v
	}()
	<-started // round 1 is in flight
	const late = 5
	var wg sync.WaitGroup
	results := make(chan int, late)
	for range late {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := g.Do(ctx, fn)
			if err != nil {
				t.Error(err)
			}
			results <- v
		}()
	}
	// Every late caller joins round 2 before round 1 ends.
	waitFor(t, func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.next != nil && g.next.joined == late
	})
	close(release)
	if v := <-first; v != 1 {
		t.Fatalf("first caller got round %d, want 1", v)
	}
	wg.Wait()
	close(results)
	for v := range results {
		if v != 2 {
			t.Fatalf("a caller that arrived during round 1 got round %d's result, want round 2's", v)
		}
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("%d rounds ran, want 2: one for the first caller, one shared by the %d late ones", n, late)
	}
}

func TestErrorsAreShared(t *testing.T) {
	var g Group[int]
	boom := errors.New("boom")
	_, err := g.Do(context.Background(), func() (int, error) { return 0, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	v, err := g.Do(context.Background(), func() (int, error) { return 7, nil })
	if err != nil || v != 7 {
		t.Fatalf("after an error: %d, %v; want a fresh round's 7", v, err)
	}
}

func TestContextEndsOnlyTheWait(t *testing.T) {
	var g Group[int]
	release := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := g.Do(ctx, func() (int, error) { <-release; return 1, nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	close(release)
	v, err := g.Do(context.Background(), func() (int, error) { return 2, nil })
	if err != nil || v != 2 {
		t.Fatalf("next round: %d, %v; want 2", v, err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
