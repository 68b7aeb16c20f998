package raftlog

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// Restart without going back in time.
//
// hashicorp/raft does not persist the commit index: a restarted member
// restores its newest snapshot and applies nothing more until a leader tells
// it what is committed. Until then it would serve the data set as of that
// snapshot, up to a snapshot threshold of writes older than what it served
// before it stopped, and with no quorum it would do so for good.
//
// raft's RestoreCommittedLogs fixes that when the log store implements
// raft.CommitTrackingLogStore: the commit index raft stages before each
// append must be persisted atomically with that append, and on start raft
// replays the log up to it before NewRaft returns. commitLog does this for
// the BoltDB store without a second write: it records the staged index in
// the Extensions field of the last log of each append, which the store
// writes in the same transaction. Extensions is otherwise unused by raftis.
//
// The index recorded lags the append that carries it, so after a burst of
// writes the newest ones are committed but not yet marked so on disk. The
// leader's commit marker (see Node.markCommits) closes that gap once writes
// pause, by appending a barrier that carries the final commit index.
type commitLog struct {
	raft.LogStore

	staged atomic.Uint64 // commit index staged for the next append
	// durable is the highest commit index recorded on disk: what a restart
	// replays up to.
	durable atomic.Uint64
	// lastData is the index of the last appended entry that changes state
	// (a command or a configuration), as opposed to a barrier or no-op.
	lastData atomic.Uint64
	appends  atomic.Uint64 // StoreLogs calls, so the marker can tell a pause
	// lastConfig is the index of the last configuration entry appended.
	lastConfig atomic.Uint64
	// restored is the index of the snapshot raft restored on start, told by
	// snapshotStore; replays start after it.
	restored  atomic.Uint64
	maxReplay uint64 // entries a start-up replay may apply
}

var _ raft.CommitTrackingLogStore = (*commitLog)(nil)

// snapshotStore tells commitLog which snapshot raft restores on start: the
// last one it opens while starting is the one restored (raft opens the
// newest first and falls back to older ones only if that fails).
type snapshotStore struct {
	raft.SnapshotStore
	logs     *commitLog
	starting atomic.Bool
}

func (s *snapshotStore) Open(id string) (*raft.SnapshotMeta, io.ReadCloser, error) {
	meta, rc, err := s.SnapshotStore.Open(id)
	if err == nil && s.starting.Load() {
		s.logs.restored.Store(meta.Index)
	}
	return meta, rc, err
}

// commitExt marks Extensions written by commitLog: a version byte, then the
// commit index as 8 big-endian bytes.
const commitExtVersion = 0xc1

func encodeCommitExt(index uint64) []byte {
	b := make([]byte, 9)
	b[0] = commitExtVersion
	binary.BigEndian.PutUint64(b[1:], index)
	return b
}

// decodeCommitExt returns the commit index in ext, or 0 if ext is not one.
func decodeCommitExt(ext []byte) uint64 {
	if len(ext) != 9 || ext[0] != commitExtVersion {
		return 0
	}
	return binary.BigEndian.Uint64(ext[1:])
}

func newCommitLog(store raft.LogStore) *commitLog {
	c := &commitLog{LogStore: store, maxReplay: ^uint64(0) >> 1}
	if ci, err := c.recorded(); err == nil {
		c.durable.Store(ci)
	}
	return c
}

// StageCommitIndex implements raft.CommitTrackingLogStore.
func (c *commitLog) StageCommitIndex(index uint64) error {
	c.staged.Store(index)
	return nil
}

// GetCommitIndex implements raft.CommitTrackingLogStore. raft calls it once,
// on start, right after restoring a snapshot, and replays the log from that
// snapshot up to the index returned: the commit index recorded with the
// last log, cut short
//   - at maxReplay entries past the snapshot: raft queues the whole replay
//     for the FSM before the FSM goroutine starts, in a channel of 128
//     batches, so a longer replay would block NewRaft for good;
//   - before the first configuration entry past the snapshot: raft rebuilds
//     its membership by scanning the log after what it applied, so a replay
//     past a configuration entry would lose that change (hashicorp/raft
//     v1.8.0).
//
// Entries past the cut are applied once a leader is heard from, as without
// replay.
func (c *commitLog) GetCommitIndex() (uint64, error) {
	to, err := c.recorded()
	if err != nil {
		return 0, err
	}
	from := c.restored.Load()
	to = min(to, from+c.maxReplay)
	first, err := c.FirstIndex()
	if err != nil {
		return 0, err
	}
	for i := max(from+1, first); i <= to; i++ {
		var l raft.Log
		if err := c.GetLog(i, &l); err != nil {
			return 0, err
		}
		if l.Type == raft.LogConfiguration {
			return i - 1, nil
		}
	}
	return to, nil
}

func (c *commitLog) recorded() (uint64, error) {
	last, err := c.LastIndex()
	if err != nil || last == 0 {
		return 0, err
	}
	var l raft.Log
	if err := c.GetLog(last, &l); err != nil {
		return 0, err
	}
	return min(decodeCommitExt(l.Extensions), last), nil
}

// IsMonotonic implements raft.MonotonicLogStore for a store that is one
// (raft-wal): such a store refuses a gap in the log, so after installing a
// snapshot raft must empty the log rather than keep its tail.
func (c *commitLog) IsMonotonic() bool {
	m, ok := c.LogStore.(raft.MonotonicLogStore)
	return ok && m.IsMonotonic()
}

// StoreLog implements raft.LogStore.
func (c *commitLog) StoreLog(l *raft.Log) error {
	return c.StoreLogs([]*raft.Log{l})
}

// StoreLogs implements raft.LogStore. It stores a copy of the last log with
// the staged commit index in its Extensions; the caller's logs are not
// modified.
func (c *commitLog) StoreLogs(logs []*raft.Log) error {
	if len(logs) == 0 {
		return c.LogStore.StoreLogs(logs)
	}
	last := logs[len(logs)-1]
	ci := min(c.staged.Load(), last.Index)
	marked := *last
	marked.Extensions = encodeCommitExt(ci)
	out := make([]*raft.Log, len(logs))
	copy(out, logs)
	out[len(out)-1] = &marked
	if err := c.LogStore.StoreLogs(out); err != nil {
		return err
	}
	c.durable.Store(ci)
	for _, l := range logs {
		switch l.Type {
		case raft.LogCommand:
			c.lastData.Store(l.Index)
		case raft.LogConfiguration:
			c.lastData.Store(l.Index)
			c.lastConfig.Store(l.Index)
		}
	}
	c.appends.Add(1)
	return nil
}

// DeleteRange implements raft.LogStore. A follower truncating a conflicting
// suffix may drop the log that carried the durable index; the new last log
// carries its own.
func (c *commitLog) DeleteRange(lo, hi uint64) error {
	if err := c.LogStore.DeleteRange(lo, hi); err != nil {
		return err
	}
	if ci, err := c.recorded(); err == nil {
		c.durable.Store(ci)
	}
	return nil
}

// replayBatches bounds a replay to half of the 128 batches raft can queue
// for the FSM before its goroutine starts.
const replayBatches = 64

// replayTarget is the index of the last command the start-up replay handed
// the FSM, or 0 if it replayed nothing. Called right after NewRaft, whose
// AppliedIndex is then where the replay (or the snapshot) ended.
func (n *Node) replayTarget() (uint64, error) {
	from := n.logs.restored.Load()
	for to := n.raft.AppliedIndex(); to > from; to-- {
		var l raft.Log
		if err := n.logs.GetLog(to, &l); err != nil {
			return 0, fmt.Errorf("read log %d: %w", to, err)
		}
		if l.Type == raft.LogCommand {
			return to, nil
		}
	}
	return 0, nil
}

// replayTimeout bounds the wait for the replay, which applies at most
// replayBatches×MaxAppendEntries entries from the local disk.
const replayTimeout = time.Minute

// waitReplay waits until fsm has applied the entries raft queued for it
// while starting, so a member serves nothing older than what it had.
func waitReplay(fsm raft.FSM, index uint64, logger hclog.Logger) error {
	w, ok := fsm.(interface {
		WaitApplied(ctx context.Context, index uint64) error
	})
	if !ok || index == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), replayTimeout)
	defer cancel()
	start := time.Now()
	if err := w.WaitApplied(ctx, index); err != nil {
		return fmt.Errorf("replay committed log up to %d: %w", index, err)
	}
	logger.Info("replayed committed log", "index", index, "took", time.Since(start))
	return nil
}

// markInterval is how often markCommits looks at the log; snapshotRetry is
// how long it waits after a snapshot attempt failed.
const (
	markInterval  = 20 * time.Millisecond
	snapshotRetry = time.Second
)

// markCommits runs on every member.
//
// While it leads: once writes pause with entries committed but not yet
// recorded as such (the index recorded lags the append that carries it), or
// when AnnounceCommit asks, it appends a barrier, which carries the commit
// index to every member and to its disk.
//
// On every member: once a membership change is applied, it takes a
// snapshot, so the change is inside the snapshot a restart begins from and
// does not stop the replay (see GetCommitIndex). Membership changes are
// rare; a young cluster's joins are the common case.
func (n *Node) markCommits() {
	defer n.bg.Done()
	t := time.NewTicker(markInterval)
	defer t.Stop()
	var seen uint64                       // appends at the previous tick
	snapshotted := n.logs.restored.Load() // membership changes up to here are in a snapshot
	var retryAt time.Time
	for {
		nudged := false
		select {
		case <-t.C:
		case <-n.nudge:
			nudged = true
		case <-n.stop:
			return
		}
		if cfg := n.logs.lastConfig.Load(); cfg > snapshotted && n.raft.AppliedIndex() >= cfg && time.Now().After(retryAt) {
			if n.snapshotCovers(cfg) {
				snapshotted = cfg
			} else {
				retryAt = time.Now().Add(snapshotRetry)
			}
		}
		appends := n.logs.appends.Load()
		quiet := appends == seen
		seen = appends
		last := n.logs.lastData.Load()
		if !(quiet || nudged) || !n.IsLeader() || n.logs.durable.Load() >= last || n.raft.CommitIndex() < last {
			continue
		}
		if err := n.raft.Barrier(markInterval * 50).Error(); err != nil {
			n.cfg.Logger.Debug("commit marker barrier failed", "error", err)
		}
	}
}

// snapshotCovers takes a snapshot if needed and reports whether the newest
// one includes the entry at index.
func (n *Node) snapshotCovers(index uint64) bool {
	err := n.raft.Snapshot().Error()
	if err != nil && !errors.Is(err, raft.ErrNothingNewToSnapshot) {
		n.cfg.Logger.Debug("snapshot after a membership change", "index", index, "error", err)
		return false
	}
	last, _ := strconv.ParseUint(n.raft.Stats()["last_snapshot_index"], 10, 64)
	return last >= index
}

// AnnounceCommit makes the followers learn the leader's commit index soon,
// instead of with the next append or within raft's CommitTimeout: unless an
// append after the last committed entry already carries the index, the
// commit marker appends a barrier now. A follower that forwarded a write
// waits to apply it before it replies, so the leader calls this once such a
// write has committed. It does not block; calls while a barrier is pending
// coalesce.
func (n *Node) AnnounceCommit() {
	select {
	case n.nudge <- struct{}{}:
	default:
	}
}

// DurableCommitIndex is the highest index recorded on this member's disk as
// committed: a restart serves at least the data set as of that entry.
func (n *Node) DurableCommitIndex() uint64 { return n.logs.durable.Load() }
