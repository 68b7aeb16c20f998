package raftlog

import (
	"math"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// How stale a member's data is.
//
// A member serves reads from what its FSM has applied. Two things bound how
// far that lags the leader:
//   - the time since it last heard from a leader: anything committed since,
//     it cannot know of;
//   - if it knows of committed entries it has not applied yet (raft tells a
//     follower the commit index with each append), the time since it first
//     knew of the oldest of them.
//
// Heartbeats refresh the first only: a follower whose FSM (or disk) has
// fallen behind keeps hearing from the leader but is stale all the same.
// raft tells the commit index with appends only, so a follower whose
// appends stall while its heartbeats go through is seen stale once it
// knows what it lacks, not before.

// lagInterval is how often watchLag samples the commit and applied index,
// the precision of the second bound.
const lagInterval = 10 * time.Millisecond

// applyLag remembers, oldest first, commit indexes this member has seen and
// when, until the FSM has applied every entry that changes state up to
// them.
type applyLag struct {
	mu      sync.Mutex
	pending []seenCommit
}

type seenCommit struct {
	index uint64
	at    time.Time
}

// observe records that at now the commit index known is commit and the FSM
// has applied up to applied; dataIn(from, to) reports whether the log holds
// an entry in (from, to] that the FSM applies (barriers and no-ops do not
// count: the FSM never sees them). It returns since when the member has
// known of committed data it has not applied, zero if it has none.
func (a *applyLag) observe(now time.Time, commit, applied uint64, dataIn func(from, to uint64) bool) time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n := len(a.pending); commit > applied && (n == 0 || commit > a.pending[n-1].index) {
		a.pending = append(a.pending, seenCommit{index: commit, at: now})
	}
	// Indexes grow along pending: once one is caught up, so are those
	// before it.
	for len(a.pending) > 0 {
		p := a.pending[0]
		if p.index > applied && dataIn(applied, p.index) {
			return p.at
		}
		a.pending = a.pending[1:]
	}
	return time.Time{}
}

// watchLag keeps behindSince current.
func (n *Node) watchLag() {
	defer n.bg.Done()
	t := time.NewTicker(lagInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-n.stop:
			return
		}
		n.sampleLag(time.Now())
	}
}

func (n *Node) sampleLag(now time.Time) {
	// An append being stored has staged a commit index raft has not
	// adopted yet: the member knows of it already.
	commit := max(n.raft.CommitIndex(), n.logs.staged.Load())
	var since int64
	if t := n.lag.observe(now, commit, n.fsm.AppliedIndex(), n.logs.dataIn); !t.IsZero() {
		since = t.UnixNano()
	}
	n.behindSince.Store(since)
}

// dataIn reports whether the log holds a command or configuration entry in
// (from, to]. An entry it cannot read (not stored yet) counts as one.
func (c *commitLog) dataIn(from, to uint64) bool {
	for i := from + 1; i <= to; i++ {
		var l raft.Log
		if err := c.GetLog(i, &l); err != nil {
			return true
		}
		if l.Type == raft.LogCommand || l.Type == raft.LogConfiguration {
			return true
		}
	}
	return false
}

// DataAge bounds how far the data this member has applied may lag what
// the leader has committed: the time since it last heard from a leader
// (on the leader itself, since a quorum last accepted its requests: a
// leader paused or cut off may have been replaced meanwhile), or since it
// has known of committed entries it has not applied, whichever is longer.
// It is math.MaxInt64 for a member that has heard from no leader since it
// started, and for a leader no quorum has answered yet.
func (n *Node) DataAge() time.Duration {
	now := time.Now()
	var age time.Duration
	if n.IsLeader() {
		term := n.raft.CurrentTerm()
		voters, err := n.voters(term)
		if err != nil {
			return math.MaxInt64
		}
		sent, ok := n.peers.quorumSent(voters, raft.ServerID(n.cfg.ID), term, now)
		if !ok {
			return math.MaxInt64
		}
		age = n.peers.since(now) - sent
	} else {
		last := n.raft.LastContact()
		if last.IsZero() {
			return math.MaxInt64
		}
		age = now.Sub(last)
	}
	if since := n.behindSince.Load(); since != 0 {
		age = max(age, now.Sub(time.Unix(0, since)))
	}
	return age
}
