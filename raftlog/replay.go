package raftlog

import (
	"fmt"
	"time"

	"github.com/hashicorp/raft"
)

// FSM is the state machine a Node applies committed entries to.
type FSM interface {
	raft.FSM
	// AppliedIndex is the index of the last entry the FSM applied, also
	// right after a Restore: then it is the index the snapshot's data is at,
	// which the FSM must keep in the snapshot itself. It may be past the
	// index raft names the snapshot by (see Node.replay).
	AppliedIndex() uint64
}

// Restart without going back in time.
//
// hashicorp/raft does not persist the commit index: a restarted member
// restores its newest snapshot and applies nothing more until a leader
// tells it what is committed. Until then it would serve the data set as of
// that snapshot, up to a snapshot threshold of writes older than what it
// served before it stopped, and with no quorum it would do so for good.
//
// So every member records the commit index on disk with its log (see
// commitLog) and, on start, replays its own log up to it before it serves
// anything. raftis replays the log itself instead of leaving it to raft's
// RestoreCommittedLogs, which has two limits in hashicorp/raft v1.8.0: it
// queues the whole replay for the FSM before the FSM goroutine runs, in a
// channel of 128 batches, so a replay of more than 128 × MaxAppendEntries
// entries would block NewRaft for good; and raft rebuilds the membership by
// scanning the log after the last applied index, so a replay past a
// configuration entry would lose that membership change.
//
// raft calls GetCommitIndex once, in NewRaft, after restoring the newest
// snapshot and before it starts its goroutines. commitLog runs Node.replay
// there: it reads the log from the snapshot up to the recorded commit
// index and applies it to the FSM, MaxAppendEntries entries at a time, on
// the caller's goroutine, so nothing else touches the FSM meanwhile and the
// replay's length is not bounded by raft's queue. GetCommitIndex then tells
// raft that only the snapshot is applied, so raft's view (applied index,
// membership scan) starts at the snapshot and is complete.
//
// raft therefore hands the replayed entries to the FSM again once a leader
// tells it they are committed. fsmGate skips every entry at or below the
// FSM's applied index (and the last it handled), which also covers a
// snapshot raft takes before it has caught up with the replay: its data is
// past the index raft gives it, and every member that restores it knows
// that from the FSM.

// replay applies the log after the snapshot raft restored, up to the
// commit index this member recorded (read before NewRaft ran, so nothing
// raft did since can move it).
func (n *Node) replay() error {
	from := max(n.logs.restored.Load(), n.fsm.AppliedIndex())
	to := n.logs.recordedAtOpen
	if to <= from {
		return nil
	}
	first, err := n.logs.FirstIndex()
	if err != nil {
		return err
	}
	if first > from+1 {
		n.cfg.Logger.Warn("log starts after the restored snapshot: nothing to replay", "snapshot", from, "first_log", first)
		return nil
	}
	start := time.Now()
	n.fsm.skipTo(from)
	if err := n.fsm.catchUp(n.logs, to, n.cfg.MaxAppendEntries); err != nil {
		return fmt.Errorf("replay the log from %d to %d: %w", from+1, to, err)
	}
	n.cfg.Logger.Info("replayed committed log", "from", from+1, "to", to, "took", time.Since(start))
	return nil
}
