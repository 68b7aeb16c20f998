package raftlog

import (
	"errors"
	"time"

	"github.com/hashicorp/raft"
)

var (
	// ErrNotLeader: this member is not the leader; nothing was applied.
	ErrNotLeader = errors.New("not the leader")
	// ErrUnknownOutcome: the entry was handed to Raft but its fate is not
	// known (leadership lost, or the wait timed out). It may yet commit, so
	// callers must not blindly retry non-idempotent commands.
	ErrUnknownOutcome = errors.New("outcome unknown")
	// ErrShutdown: the member is shutting down.
	ErrShutdown = errors.New("raft is shut down")
)

// Applied is the outcome of a successful Apply.
type Applied struct {
	Index    uint64      // log index of the entry
	Term     uint64      // the leader's term once it committed (see CatchUp)
	Response interface{} // what the FSM's Apply returned
}

// Apply proposes data as one log entry and waits, at most timeout in all,
// until it is committed and applied to the local FSM. data must not be
// modified afterwards: raft keeps the slice. Data over maxChunk bytes goes
// as several entries that the FSM receives as one (see chunk.go).
func (n *Node) Apply(data []byte, timeout time.Duration) (Applied, error) {
	if len(data) > maxChunk {
		return n.applyChunked(data, timeout)
	}
	deadline := time.Now().Add(timeout)
	return n.wait(n.raft.Apply(data, timeout), deadline)
}

// wait waits for f until deadline: raft's own timeout covers only
// enqueueing.
func (n *Node) wait(f raft.ApplyFuture, deadline time.Time) (Applied, error) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	done := make(chan error, 1)
	go func() { done <- f.Error() }()
	select {
	case err := <-done:
		if err != nil {
			return Applied{}, classify(err)
		}
		return Applied{Index: f.Index(), Term: n.raft.CurrentTerm(), Response: f.Response()}, nil
	case <-timer.C:
		return Applied{}, ErrUnknownOutcome
	}
}

// classify maps raft's apply errors to whether the entry may have been
// appended.
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, raft.ErrNotLeader), errors.Is(err, raft.ErrLeadershipTransferInProgress),
		errors.Is(err, raft.ErrEnqueueTimeout):
		return ErrNotLeader
	case errors.Is(err, raft.ErrRaftShutdown):
		return ErrShutdown
	default:
		return errors.Join(ErrUnknownOutcome, err)
	}
}

// Barrier waits until every entry committed before it has been applied.
func (n *Node) Barrier(timeout time.Duration) error {
	return n.raft.Barrier(timeout).Error()
}
