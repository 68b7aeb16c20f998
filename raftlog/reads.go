package raftlog

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/raft"

	"github.com/raftis/raftis/internal/rounds"
)

// Reads that must not be stale: hashicorp/raft has no ReadIndex, so this
// file builds one from its parts (the Raft thesis, §6.4; etcd's read
// index).
//
// A leader serves such a read once it knows two things: it was still the
// only leader at a moment after the read arrived, and the commit index it
// read at that moment (every write acknowledged before the read began is
// at or below it). Two ways to know the first:
//
//   - Confirmation (ReadIndex, the linearizable level): after the read
//     arrives, a quorum of voters accepts a request of this leader's term
//     sent after that moment. A voter that accepted it had not voted for a
//     newer term when it did, so no newer leader had written anything the
//     read must see. raft.VerifyLeader sends the heartbeats at once; the
//     proof is taken from the answers themselves (peerTracker), because
//     VerifyLeader also counts answers to heartbeats sent before it was
//     called, which a leader paused and resumed may still find in its
//     sockets. Concurrent reads share one round (rounds.Group).
//   - Lease (LeaseReadIndex, the leader level): a follower that accepted
//     a request of this leader's refuses to vote for anyone else until a
//     whole HeartbeatTimeout has passed without hearing from it (raft's
//     "rejecting vote request since we have a leader"), so no other leader
//     can exist until LeaderLeaseTimeout (at most HeartbeatTimeout, half
//     of it by default) after the quorum's oldest accepted request was
//     sent. That holds while clocks run at rates within that margin of
//     each other. A leadership transfer voids the lease for the rest of
//     the term: the transfer's candidate may collect votes anyway.
//
// Either way, a new leader first commits an entry of its own term
// (Barrier): until then its commit index may lack entries its
// predecessors committed.

var (
	// ErrNotConfirmed: leadership could not be confirmed in time (no
	// quorum answered); the read was not served.
	ErrNotConfirmed = errors.New("leadership not confirmed by a quorum in time")
)

// ReadIndex is where a read that must not be stale may be served from:
// once the local state machine has applied the log through Index, it holds
// every write acknowledged before the read began. Term is the term of the
// entry at Index (0 if it is no longer in the log), which lets a follower
// apply up to it from its own log (CatchUp).
type ReadIndex struct {
	Index, Term uint64
}

// readState is a leader's bookkeeping for ReadIndex and leases.
type readState struct {
	confirms     rounds.Group[ReadIndex]
	barriers     rounds.Group[struct{}]
	readyTerm    atomic.Uint64 // a term in which this member has committed an entry as leader
	transferTerm atomic.Uint64 // a term in which this member started a leadership transfer
	rounds       atomic.Uint64 // confirmation rounds run

	mu      sync.Mutex
	cfgTerm uint64 // members is the configuration as of cfgTerm and cfgIndex
	cfgIdx  uint64
	members []raft.Server
	voters  []raft.ServerID // the voting members
}

// ReadIndex confirms that this member leads (one round of heartbeats,
// shared by every read that arrives while the previous round runs) and
// returns the commit index it read before confirming. It fails with
// ErrNotLeader on a follower or a deposed leader.
func (n *Node) ReadIndex(ctx context.Context) (ReadIndex, error) {
	if !n.IsLeader() {
		return ReadIndex{}, ErrNotLeader
	}
	if err := n.termCommitted(ctx); err != nil {
		return ReadIndex{}, err
	}
	return n.reads.confirms.Do(ctx, n.confirm)
}

// LeaseReadIndex returns the commit index if this member's lease holds:
// a quorum accepted its requests within LeaderLeaseTimeout. Otherwise it
// confirms leadership as ReadIndex does, so an unlucky moment costs a
// round, not an error.
func (n *Node) LeaseReadIndex(ctx context.Context) (ReadIndex, error) {
	if !n.IsLeader() {
		return ReadIndex{}, ErrNotLeader
	}
	if err := n.termCommitted(ctx); err != nil {
		return ReadIndex{}, err
	}
	term := n.raft.CurrentTerm()
	commit := n.raft.CommitIndex()
	if n.leaseHolds(term, time.Now()) && n.IsLeader() {
		return ReadIndex{Index: commit, Term: n.termAt(commit)}, nil
	}
	return n.reads.confirms.Do(ctx, n.confirm)
}

// ReadRounds is how many confirmation rounds this member has run.
func (n *Node) ReadRounds() uint64 { return n.reads.rounds.Load() }

// LeaseHolds reports whether this member leads under a lease now.
func (n *Node) LeaseHolds() bool {
	return n.IsLeader() && n.leaseHolds(n.raft.CurrentTerm(), time.Now())
}

func (n *Node) leaseHolds(term uint64, now time.Time) bool {
	if n.reads.transferTerm.Load() == term {
		return false
	}
	voters, err := n.voters(term)
	if err != nil {
		return false
	}
	oldest, ok := n.peers.quorumSent(voters, raft.ServerID(n.cfg.ID), term, now)
	return ok && n.peers.since(now)-oldest < n.cfg.LeaderLeaseTimeout
}

// confirm is one confirmation round: the commit index now, then a quorum
// accepting requests sent after now.
func (n *Node) confirm() (ReadIndex, error) {
	n.reads.rounds.Add(1)
	start := time.Now()
	term := n.raft.CurrentTerm()
	if !n.IsLeader() {
		return ReadIndex{}, ErrNotLeader
	}
	commit := n.raft.CommitIndex()
	voters, err := n.voters(term)
	if err != nil {
		return ReadIndex{}, err
	}
	verify := n.raft.VerifyLeader() // sends every follower a heartbeat now
	verified := make(chan error, 1)
	go func() { verified <- verify.Error() }()
	timer := time.NewTimer(n.confirmTimeout())
	defer timer.Stop()
	self, from := raft.ServerID(n.cfg.ID), n.peers.since(start)
	for {
		answered := n.peers.next()
		if t, ok := n.peers.quorumSent(voters, self, term, start); ok && t >= from {
			break
		}
		select {
		case <-answered:
		case err := <-verified:
			if err != nil {
				return ReadIndex{}, classifyRead(err)
			}
			verified = nil // raft is satisfied; wait for answers to requests sent after start
		case <-timer.C:
			return ReadIndex{}, ErrNotConfirmed
		case <-n.stop:
			return ReadIndex{}, ErrShutdown
		}
	}
	if !n.IsLeader() || n.raft.CurrentTerm() != term {
		return ReadIndex{}, ErrNotLeader
	}
	return ReadIndex{Index: commit, Term: n.termAt(commit)}, nil
}

// confirmTimeout bounds a confirmation round or a barrier: a leader that
// reaches no quorum steps down within LeaderLeaseTimeout, which ends them
// sooner.
func (n *Node) confirmTimeout() time.Duration {
	return 2 * max(n.cfg.HeartbeatTimeout, n.cfg.ElectionTimeout)
}

// termCommitted makes sure this leader has committed an entry of its
// term, so its commit index covers everything its predecessors committed:
// at once if the entry at the commit index is of this term, else with a
// barrier (one at a time, shared).
func (n *Node) termCommitted(ctx context.Context) error {
	term := n.raft.CurrentTerm()
	if n.reads.readyTerm.Load() == term {
		return nil
	}
	if n.termAt(n.raft.CommitIndex()) == term {
		n.reads.readyTerm.Store(term)
		return nil
	}
	_, err := n.reads.barriers.Do(ctx, func() (struct{}, error) {
		if n.reads.readyTerm.Load() == term {
			return struct{}{}, nil
		}
		err := n.waitBarrier(n.raft.Barrier(0))
		if err == nil && n.raft.CurrentTerm() == term {
			n.reads.readyTerm.Store(term)
		}
		return struct{}{}, err
	})
	return err
}

// waitBarrier waits for a barrier, at most confirmTimeout.
func (n *Node) waitBarrier(f raft.Future) error {
	done := make(chan error, 1)
	go func() { done <- f.Error() }()
	timer := time.NewTimer(n.confirmTimeout())
	defer timer.Stop()
	select {
	case err := <-done:
		return classifyRead(err)
	case <-timer.C:
		return ErrNotConfirmed
	case <-n.stop:
		return ErrShutdown
	}
}

// classifyRead maps raft's errors for barriers and verifications: none of
// them writes anything, so losing leadership is just not leading.
func classifyRead(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, raft.ErrNotLeader), errors.Is(err, raft.ErrLeadershipLost),
		errors.Is(err, raft.ErrLeadershipTransferInProgress):
		return ErrNotLeader
	case errors.Is(err, raft.ErrRaftShutdown):
		return ErrShutdown
	case errors.Is(err, raft.ErrEnqueueTimeout):
		return ErrNotConfirmed
	}
	return err
}

// termAt is the term of the log entry at index, 0 if it is not in the log.
func (n *Node) termAt(index uint64) uint64 {
	var l raft.Log
	if index == 0 || n.logs.GetLog(index, &l) != nil {
		return 0
	}
	return l.Term
}

// AppliedThrough reports whether the state machine has applied every
// entry it will be given up to index: entries it never sees (no-ops,
// barriers) need no applying.
func (n *Node) AppliedThrough(index uint64) bool {
	applied := n.fsm.AppliedIndex()
	return applied >= index || !n.logs.dataIn(applied, index)
}

// members is the latest configuration, fetched from raft again only when
// the term or the last configuration entry changes. Callers must not
// change what it returns.
func (n *Node) members(term uint64) ([]raft.Server, error) {
	m, _, err := n.configuration(term)
	return m, err
}

// voters are the voting members of the latest configuration.
func (n *Node) voters(term uint64) ([]raft.ServerID, error) {
	_, v, err := n.configuration(term)
	return v, err
}

func (n *Node) configuration(term uint64) ([]raft.Server, []raft.ServerID, error) {
	idx := n.logs.lastConfig.Load()
	rs := &n.reads
	rs.mu.Lock()
	if rs.members != nil && rs.cfgTerm == term && rs.cfgIdx == idx {
		m, v := rs.members, rs.voters
		rs.mu.Unlock()
		return m, v, nil
	}
	rs.mu.Unlock()
	f := n.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, nil, classify(err)
	}
	m := f.Configuration().Servers
	v := make([]raft.ServerID, 0, len(m))
	for _, s := range m {
		if s.Suffrage == raft.Voter {
			v = append(v, s.ID)
		}
	}
	rs.mu.Lock()
	rs.cfgTerm, rs.cfgIdx, rs.members, rs.voters = term, idx, m, v
	rs.mu.Unlock()
	return m, v, nil
}
