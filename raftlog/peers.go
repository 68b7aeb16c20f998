package raftlog

import (
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// peerTracker records what followers' answers to this member's appends
// say, for the term this member leads: hashicorp/raft keeps the same facts
// (match index, last contact) to itself. The transport (transport.go)
// reports every answer; leases, ReadIndex confirmations, WAIT and INFO
// replication read them.
//
// Times are kept on the monotonic clock, as durations since base, so a
// wall-clock step cannot stretch a lease.
type peerTracker struct {
	base  time.Time
	mu    sync.Mutex
	peers map[raft.ServerID]*peerState
	wake  chan struct{} // closed at the next answer; nil while nobody waits
}

// peerState is one follower's progress in term. A newer term's answer
// resets it: match indexes are per leader term.
type peerState struct {
	term  uint64
	match uint64        // highest index known stored in its log
	sent  time.Duration // send time of the newest request it accepted
	heard time.Duration // when its newest answer in term arrived
}

func newPeerTracker() *peerTracker {
	return &peerTracker{base: time.Now(), peers: make(map[raft.ServerID]*peerState)}
}

// since is t on the tracker's monotonic scale.
func (p *peerTracker) since(t time.Time) time.Duration { return t.Sub(p.base) }

// answered records id's answer, in term, to a request sent at sent.
// accepted: the follower took the request (it knows this member as leader
// of term and reset its election timer); stored: the highest index the
// request proves is in its log (0 if none).
func (p *peerTracker) answered(id raft.ServerID, term uint64, sent time.Time, accepted bool, stored uint64) {
	now := p.since(time.Now())
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.peers[id]
	if st == nil {
		st = &peerState{}
		p.peers[id] = st
	}
	switch {
	case term < st.term:
		return // a previous term's answer, late
	case term > st.term:
		*st = peerState{term: term}
	}
	st.heard = now
	st.match = max(st.match, stored)
	if accepted {
		st.sent = max(st.sent, p.since(sent))
	}
	if p.wake != nil {
		close(p.wake)
		p.wake = nil
	}
}

// next returns a channel closed at the next answer from any follower.
func (p *peerTracker) next() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wake == nil {
		p.wake = make(chan struct{})
	}
	return p.wake
}

// progress returns id's state in term (zero if it has not answered in it).
func (p *peerTracker) progress(id raft.ServerID, term uint64) peerState {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.peers[id]; st != nil && st.term == term {
		return *st
	}
	return peerState{term: term}
}

// quorumSent is the newest time t such that a quorum of voters accepted
// requests of term sent at or after t; self, a voter that needs no
// request, counts as accepting now. ok is false if no quorum answered.
func (p *peerTracker) quorumSent(voters []raft.ServerID, self raft.ServerID, term uint64, now time.Time) (t time.Duration, ok bool) {
	if len(voters) == 0 {
		return 0, false
	}
	var buf [8]time.Duration // most clusters: no allocation
	sent := buf[:0]
	p.mu.Lock()
	for _, id := range voters {
		switch st := p.peers[id]; {
		case id == self:
			sent = append(sent, p.since(now))
		case st != nil && st.term == term && st.sent > 0:
			sent = append(sent, st.sent)
		}
	}
	p.mu.Unlock()
	quorum := len(voters)/2 + 1
	if len(sent) < quorum {
		return 0, false
	}
	// The quorum-th newest: sort descending (a handful of voters).
	for i := 1; i < len(sent); i++ {
		for j := i; j > 0 && sent[j] > sent[j-1]; j-- {
			sent[j], sent[j-1] = sent[j-1], sent[j]
		}
	}
	return sent[quorum-1], true
}
