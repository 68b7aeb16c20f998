package server

import (
	"context"
	"errors"

	"github.com/raftis/raftis/raftlog"
)

// Reads at the leader and linearizable levels. On the leader, raftlog
// gives a read index (LeaseReadIndex under the lease, ReadIndex after a
// confirmation round) and the read waits until the local copy has applied
// through it. A follower asks the leader for the same index with RAFT
// READINDEX (readindex.go), applies its own log up to it at once when it
// holds that entry (CatchUp, as for a forwarded write), and reads its own
// copy: the leader spends one cheap call per round of reads, not the
// reads themselves, and the replies come from where the client is.

// errBehindLeader: this node did not apply the log through the read index
// within --apply-timeout.
const errBehindLeader = "TRYAGAIN this node has not yet applied the writes committed before this read"

// readGate makes the local copy fit to serve the connection's next reads
// at its level. It returns the earliest time the reads may take as now
// for expiry (the leader's clock when it gave the read index, so that a
// follower hides what the leader would) and an error reply if the reads
// must be refused.
func (s *Server) readGate(sess *session) (floor int64, errReply string) {
	if sess.level == levelStale {
		return 0, s.readAllowed(sess)
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ApplyTimeout)
	defer cancel()
	floor, err := s.freshRead(ctx, sess.level, sess.minIndex)
	if err != nil {
		return 0, freshReadErrorReply(err)
	}
	return floor, ""
}

// freshRead brings the local copy to a read index for level, trying again
// until ctx ends while no leader can give one (a read index request
// changes nothing, so it may always be repeated).
func (s *Server) freshRead(ctx context.Context, level readLevel, minIndex uint64) (int64, error) {
	for {
		changed := s.node.LeaderChanged()
		floor, err := s.tryFreshRead(ctx, level, minIndex, changed)
		if err == nil || errors.Is(err, errNotCaughtUp) || errors.Is(err, errShuttingDown) {
			return floor, err
		}
		if !s.waitRetry(ctx, changed) {
			if s.ctx.Err() != nil {
				return 0, errShuttingDown
			}
			return 0, errors.Join(errNoLeader, err)
		}
	}
}

// errNotCaughtUp: the read index was given but not applied here in time.
var errNotCaughtUp = errors.New(errBehindLeader)

// tryFreshRead makes one attempt, on this node if it leads, else through
// the leader.
func (s *Server) tryFreshRead(ctx context.Context, level readLevel, minIndex uint64, changed <-chan struct{}) (int64, error) {
	var ri readIndex
	if s.node.IsLeader() {
		r, err := s.leaderReadIndex(ctx, level)
		if err != nil {
			return 0, err
		}
		ri = readIndex{ReadIndex: r}
	} else {
		addr := s.leaderRedisAddr()
		if addr == "" {
			return 0, errNoLeader
		}
		var err error
		if ri, err = s.readIndexFromLeader(ctx, addr, level, changed); err != nil {
			return 0, err
		}
		if ri.Term != 0 {
			_ = s.node.CatchUp(ctx, ri.Index, ri.Term) // else raft applies it when it learns the commit
		}
	}
	if err := s.waitAppliedThrough(ctx, max(ri.Index, minIndex)); err != nil {
		if s.ctx.Err() != nil {
			return 0, errShuttingDown
		}
		return 0, errNotCaughtUp
	}
	return ri.leaderTime, nil
}

// readIndexFromLeader asks the leader at addr for a read index, giving up
// if the leader changes meanwhile: a leader that stopped answering (frozen,
// cut off) would hold the read until its timeout when another leader
// could answer at once.
func (s *Server) readIndexFromLeader(ctx context.Context, addr string, level readLevel, changed <-chan struct{}) (readIndex, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-changed:
			cancel()
		case <-ctx.Done():
		}
	}()
	return s.readIndexes.get(ctx, addr, level)
}

// leaderReadIndex is this leader's read index for level.
func (s *Server) leaderReadIndex(ctx context.Context, level readLevel) (raftlog.ReadIndex, error) {
	if level == levelLeader {
		return s.node.LeaseReadIndex(ctx)
	}
	return s.node.ReadIndex(ctx)
}

// waitAppliedThrough waits until the local state machine has applied
// every entry it will be given up to index.
func (s *Server) waitAppliedThrough(ctx context.Context, index uint64) error {
	for !s.node.AppliedThrough(index) {
		if err := s.data.WaitApplied(ctx, s.data.AppliedIndex()+1); err != nil {
			return err
		}
	}
	return nil
}

// freshReadErrorReply is the reply to reads refused at the leader or
// linearizable level.
func freshReadErrorReply(err error) string {
	switch {
	case errors.Is(err, errNotCaughtUp):
		return errBehindLeader
	case errors.Is(err, errShuttingDown):
		return replyShutdown
	}
	return replyNoLeader // no leader could confirm a read index in time
}

// readIndex is a read index with the leader's clock when it gave it
// (unix ms; 0 when this node is the leader).
type readIndex struct {
	raftlog.ReadIndex
	leaderTime int64
}
