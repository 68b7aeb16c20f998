package raftlog

import (
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/raft"
)

// commitLog records the commit index on disk with the log, for the
// start-up replay (see replay.go), without a write of its own.
//
// raft's CommitTrackingLogStore interface (enabled by RestoreCommittedLogs)
// stages the commit index before each append. commitLog records it in the
// Extensions field of the last log of that append, which the store writes
// in the same fsync. Extensions is otherwise unused by raftis, and both
// stores keep it (TestStoreKeepsCommitIndexAcrossReopen).
//
// The index recorded lags the append that carries it, so after a burst of
// writes the newest ones are committed but not yet marked so on disk. The
// leader's commit marker (see Node.markCommits) closes that gap once writes
// pause, by appending a barrier that carries the final commit index.
type commitLog struct {
	raft.LogStore

	staged atomic.Uint64 // commit index staged for the next append
	// durable is the commit index recorded with the last log on disk: what
	// a restart replays up to.
	durable atomic.Uint64
	// floor is the highest commit index ever recorded here. An append never
	// records less: the commit index a leader sends can be lower than what
	// this member already knows (a new leader's first append carries its
	// own, older one).
	floor atomic.Uint64
	// recordedAtOpen is durable when the store was opened, before raft
	// started: the replay's end.
	recordedAtOpen uint64
	// lastData is the index of the last appended entry that changes state
	// (a command or a configuration), as opposed to a barrier or no-op.
	lastData atomic.Uint64
	appends  atomic.Uint64 // StoreLogs calls, so the marker can tell a pause
	// lastConfig is the index of the last configuration entry appended.
	lastConfig atomic.Uint64
	// restored is the index of the snapshot raft restored on start, told by
	// snapshotStore; the replay starts after it.
	restored atomic.Uint64
	// replay runs once, when raft asks for the commit index on start.
	replay func() error

	appendedMu sync.Mutex
	appendedCh chan struct{} // closed and replaced after each append
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

func newCommitLog(store raft.LogStore) (*commitLog, error) {
	c := &commitLog{LogStore: store}
	ci, err := c.recorded()
	if err != nil {
		return nil, fmt.Errorf("read the recorded commit index: %w", err)
	}
	c.durable.Store(ci)
	c.floor.Store(ci)
	c.recordedAtOpen = ci
	return c, nil
}

// StageCommitIndex implements raft.CommitTrackingLogStore.
func (c *commitLog) StageCommitIndex(index uint64) error {
	c.staged.Store(index)
	return nil
}

// GetCommitIndex implements raft.CommitTrackingLogStore. raft calls it
// once, in NewRaft, right after restoring the newest snapshot and before it
// applies anything: commitLog runs the start-up replay then, and answers
// the snapshot's index, so that raft itself replays nothing (see
// replay.go).
func (c *commitLog) GetCommitIndex() (uint64, error) {
	if c.replay != nil {
		if err := c.replay(); err != nil {
			return 0, err
		}
	}
	return c.restored.Load(), nil
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
// the commit index in its Extensions: the staged one, or the highest one
// recorded before if that is higher, and never past the last log. The
// caller's logs are not modified.
func (c *commitLog) StoreLogs(logs []*raft.Log) error {
	if len(logs) == 0 {
		return c.LogStore.StoreLogs(logs)
	}
	last := logs[len(logs)-1]
	ci := min(max(c.staged.Load(), c.floor.Load()), last.Index)
	marked := *last
	marked.Extensions = encodeCommitExt(ci)
	out := make([]*raft.Log, len(logs))
	copy(out, logs)
	out[len(out)-1] = &marked
	if err := c.LogStore.StoreLogs(out); err != nil {
		return err
	}
	c.durable.Store(ci)
	c.floor.Store(max(c.floor.Load(), ci))
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
	c.appendedMu.Lock()
	if c.appendedCh != nil {
		close(c.appendedCh)
		c.appendedCh = nil
	}
	c.appendedMu.Unlock()
	return nil
}

// appended returns a channel closed at the next append.
func (c *commitLog) appended() <-chan struct{} {
	c.appendedMu.Lock()
	defer c.appendedMu.Unlock()
	if c.appendedCh == nil {
		c.appendedCh = make(chan struct{})
	}
	return c.appendedCh
}

// DeleteRange implements raft.LogStore. A follower truncating a conflicting
// suffix may drop the log that carried the durable index; the new last log
// carries its own, lower one until the next append records floor again.
// (Entries up to floor are committed, so never in a conflicting suffix;
// only the log's wipe after a snapshot install removes them, and the
// snapshot holds them.)
func (c *commitLog) DeleteRange(lo, hi uint64) error {
	if err := c.LogStore.DeleteRange(lo, hi); err != nil {
		return err
	}
	if ci, err := c.recorded(); err == nil {
		c.durable.Store(ci)
	}
	return nil
}
