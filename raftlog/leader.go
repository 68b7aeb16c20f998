package raftlog

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// leaderWatch follows leadership through a raft Observer (LeaderCh is lossy
// and has one consumer; NotifyCh blocks raft) and wakes every waiter on each
// change by closing a channel.
type leaderWatch struct {
	r        *raft.Raft
	obs      *raft.Observer
	ch       chan raft.Observation
	done     chan struct{}
	mu       sync.Mutex
	changed  chan struct{}        // closed and replaced on every observed change
	failing  map[string]time.Time // follower id → last contact, while heartbeats to it fail
	stopOnce sync.Once
}

func watchLeader(r *raft.Raft) *leaderWatch {
	w := &leaderWatch{
		r:       r,
		ch:      make(chan raft.Observation, 64),
		done:    make(chan struct{}),
		changed: make(chan struct{}),
		failing: make(map[string]time.Time),
	}
	w.obs = raft.NewObserver(w.ch, false, func(o *raft.Observation) bool {
		switch o.Data.(type) {
		case raft.LeaderObservation, raft.RaftState, raft.FailedHeartbeatObservation, raft.ResumedHeartbeatObservation:
			return true
		}
		return false
	})
	r.RegisterObserver(w.obs)
	go w.run()
	return w
}

func (w *leaderWatch) run() {
	for {
		select {
		case o := <-w.ch:
			w.observe(o)
		case <-w.done:
			return
		}
	}
}

func (w *leaderWatch) observe(o raft.Observation) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch d := o.Data.(type) {
	case raft.FailedHeartbeatObservation:
		w.failing[string(d.PeerID)] = d.LastContact
		return
	case raft.ResumedHeartbeatObservation:
		delete(w.failing, string(d.PeerID))
		return
	case raft.RaftState:
		// Heartbeat failures are a leader's view; a new term starts afresh.
		clear(w.failing)
	}
	close(w.changed)
	w.changed = make(chan struct{})
}

func (w *leaderWatch) stop() {
	w.stopOnce.Do(func() {
		w.r.DeregisterObserver(w.obs)
		close(w.done)
	})
}

// next returns a channel closed at the next leadership change.
func (w *leaderWatch) next() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.changed
}

// LeaderChanged returns a channel that is closed at the next change of
// leader or of this member's state. Callers re-read the state and ask again.
func (n *Node) LeaderChanged() <-chan struct{} { return n.leader.next() }

// Leader returns the current leader's id and Raft address, empty if none is
// known.
func (n *Node) Leader() (id, raftAddr string) {
	addr, sid := n.raft.LeaderWithID()
	return string(sid), string(addr)
}

// IsLeader reports whether this member is the leader.
func (n *Node) IsLeader() bool { return n.raft.State() == raft.Leader }

// WaitLeader waits until some leader is known and returns its id.
func (n *Node) WaitLeader(ctx context.Context) (string, error) {
	for {
		changed := n.LeaderChanged()
		if id, _ := n.Leader(); id != "" {
			return id, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// Unreachable reports whether the leader (this member) is failing to
// send heartbeats to follower id, and since when it last reached it.
func (n *Node) Unreachable(id string) (bool, time.Time) {
	n.leader.mu.Lock()
	defer n.leader.mu.Unlock()
	last, failing := n.leader.failing[id]
	return failing, last
}

// LastContact is when this member last heard from a leader (now, on the
// leader itself; zero if never).
func (n *Node) LastContact() time.Time {
	if n.IsLeader() {
		return time.Now()
	}
	return n.raft.LastContact()
}
