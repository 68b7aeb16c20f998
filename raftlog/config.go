package raftlog

import (
	"os"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// Config configures a Node. A zero field takes DefaultConfig's value, so
// the raftis command and the tests' clusters run the same configuration
// but for what they set on purpose.
type Config struct {
	ID       string // member id, unique and stable across restarts
	RaftAddr string // host:port to listen on and advertise to peers
	// RaftAdvertise, when set, is the host:port peers are told to reach
	// this member at instead of RaftAddr: an address that forwards to
	// RaftAddr (a NAT, a port mapping, a fault-injecting proxy in tests).
	RaftAdvertise string
	Dir           string // the log + stable store (see Store) and snapshots/

	// Store is the log and stable store of a new directory; "" means
	// StoreWAL. A directory that holds a store keeps it: naming the other
	// kind is ErrStoreMismatch.
	Store StoreKind
	// WALSegmentSize is the size of raft-wal's segment files in bytes. The
	// log is truncated a whole segment at a time.
	WALSegmentSize int

	// Bootstrap makes a node without existing state start a one-member
	// cluster. A node with state never bootstraps again.
	Bootstrap bool

	SnapshotThreshold uint64 // log entries between snapshots
	SnapshotInterval  time.Duration
	SnapshotRetain    int    // snapshots kept on disk (≥ 1)
	TrailingLogs      uint64 // log entries kept after a snapshot

	HeartbeatTimeout time.Duration
	ElectionTimeout  time.Duration
	// LeaderLeaseTimeout: a leader that has not reached a quorum for this
	// long steps down. Zero: half the HeartbeatTimeout.
	LeaderLeaseTimeout time.Duration
	// CommitTimeout: how long a follower may go without learning the
	// commit index when no entries flow.
	CommitTimeout time.Duration
	// MaxAppendEntries caps the entries of one append, and of one batch
	// the FSM applies.
	MaxAppendEntries int

	Logger hclog.Logger
}

// DefaultConfig is how raftis runs a member, short of its identity.
func DefaultConfig() Config {
	return Config{
		WALSegmentSize:    64 << 20,
		SnapshotThreshold: 8192,
		SnapshotInterval:  2 * time.Minute,
		SnapshotRetain:    2,
		TrailingLogs:      10240,
		HeartbeatTimeout:  time.Second,
		ElectionTimeout:   time.Second,
		CommitTimeout:     10 * time.Millisecond,
		MaxAppendEntries:  256,
	}
}

// withDefaults fills in the zero fields.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	setIf(&c.WALSegmentSize, d.WALSegmentSize)
	setIf(&c.SnapshotThreshold, d.SnapshotThreshold)
	setIf(&c.SnapshotInterval, d.SnapshotInterval)
	setIf(&c.SnapshotRetain, d.SnapshotRetain)
	setIf(&c.TrailingLogs, d.TrailingLogs)
	setIf(&c.HeartbeatTimeout, d.HeartbeatTimeout)
	setIf(&c.ElectionTimeout, d.ElectionTimeout)
	setIf(&c.LeaderLeaseTimeout, c.HeartbeatTimeout/2)
	setIf(&c.CommitTimeout, d.CommitTimeout)
	setIf(&c.MaxAppendEntries, d.MaxAppendEntries)
	if c.Logger == nil {
		c.Logger = hclog.New(&hclog.LoggerOptions{Name: "raft", Level: hclog.Warn, Output: os.Stderr})
	}
	return c
}

// setIf sets *dst to v if *dst is zero.
func setIf[T comparable](dst *T, v T) {
	var zero T
	if *dst == zero {
		*dst = v
	}
}

// raftConfig is hashicorp/raft's configuration for c, which has its
// defaults filled in.
func (c Config) raftConfig() *raft.Config {
	rc := raft.DefaultConfig()
	rc.LocalID = raft.ServerID(c.ID)
	rc.Logger = c.Logger
	rc.ShutdownOnRemove = false
	rc.RestoreCommittedLogs = true // raft stages the commit index for commitLog
	// A buffered apply channel lets the chunks of a big entry, proposed
	// back to back, reach the leader loop together and share an append.
	// It voids raft's Apply timeout once enqueued; Node.wait has its own.
	rc.BatchApplyCh = true
	rc.SnapshotThreshold = c.SnapshotThreshold
	rc.SnapshotInterval = c.SnapshotInterval
	rc.TrailingLogs = c.TrailingLogs
	rc.HeartbeatTimeout = c.HeartbeatTimeout
	rc.ElectionTimeout = c.ElectionTimeout
	rc.LeaderLeaseTimeout = c.LeaderLeaseTimeout
	rc.CommitTimeout = c.CommitTimeout
	rc.MaxAppendEntries = c.MaxAppendEntries
	return rc
}
