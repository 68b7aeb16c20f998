// Package rounds shares one call among every caller that asks for it
// while it is not running: etcd's way of batching ReadIndex requests. A
// caller that arrives while a call is in flight does not take that call's
// result (it may have started before the caller arrived, and so prove
// nothing about the caller's moment); it waits for the next call, which
// starts as soon as the one in flight ends and answers every caller that
// arrived meanwhile. So there is at most one call in flight, each caller
// gets the result of a call that started after it asked, and under load a
// call serves all the callers of the previous call's duration.
package rounds

import (
	"context"
	"sync"
)

// Group runs rounds of one kind of call. The zero Group is ready to use.
type Group[T any] struct {
	mu      sync.Mutex
	running bool
	next    *round[T] // the round callers join now; nil until one does
}

type round[T any] struct {
	fn     func() (T, error)
	done   chan struct{}
	joined int // callers waiting for it
	val    T
	err    error
}

// Do returns the result of a call of fn that starts after Do was called,
// shared with the other callers of that round; the fn of the round's
// first caller runs. fn runs on a goroutine of its own and must bound its
// own duration: ctx ends only this caller's wait.
func (g *Group[T]) Do(ctx context.Context, fn func() (T, error)) (T, error) {
	g.mu.Lock()
	r := g.next
	if r == nil {
		r = &round[T]{fn: fn, done: make(chan struct{})}
		g.next = r
	}
	r.joined++
	if !g.running {
		g.startLocked()
	}
	g.mu.Unlock()
	select {
	case <-r.done:
		return r.val, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// startLocked runs the round callers have joined. g.mu is held.
func (g *Group[T]) startLocked() {
	r := g.next
	g.next, g.running = nil, true
	go func() {
		r.val, r.err = r.fn()
		close(r.done)
		g.mu.Lock()
		g.running = false
		if g.next != nil {
			g.startLocked()
		}
		g.mu.Unlock()
	}()
}
