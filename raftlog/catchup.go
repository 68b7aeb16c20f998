package raftlog

import (
	"context"
	"errors"

	"github.com/hashicorp/raft"
)

// ErrNotInLog: CatchUp found another entry at the index it was given (one
// of an older term, not yet replaced): nothing was applied.
var ErrNotInLog = errors.New("the committed entry is not in this member's log")

// CatchUp applies this member's log up to index now, once the entry at
// index is in it with term: the leader said it committed that entry, so it
// and every entry before it are committed (two logs that hold the same
// entry hold the same entries before it). A follower learns of a commit
// from raft only with the leader's next append, or after CommitTimeout; a
// follower that forwarded a write learns of it sooner from the leader's
// answer, and serves it at once.
//
// It waits, until ctx ends, for the entry to arrive. On an error nothing
// more was applied; raft applies the entry once it learns of the commit.
func (n *Node) CatchUp(ctx context.Context, index, term uint64) error {
	if n.fsm.handled(index) {
		return nil
	}
	var l raft.Log
	for {
		arrived := n.logs.appended()
		err := n.logs.GetLog(index, &l)
		if err == nil {
			break
		}
		if !errors.Is(err, raft.ErrLogNotFound) {
			return err
		}
		select {
		case <-arrived:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if l.Term != term {
		return ErrNotInLog
	}
	return n.fsm.catchUp(n.logs, index, n.cfg.MaxAppendEntries)
}
