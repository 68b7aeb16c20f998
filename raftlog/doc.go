// Package raftlog runs the Raft node that orders raftis's writes: a
// hashicorp/raft instance with its log and stable store in raft-wal (the
// default) or BoltDB (raft-boltdb/v2), behind raft's in-memory LogCache,
// snapshots in a file store, and the TCP transport.
//
// It knows nothing about Redis: it takes a raft.FSM and byte slices to
// apply, and it speaks in member ids and Raft addresses. What it adds to
// hashicorp/raft is what every caller would otherwise repeat: bootstrap
// exactly once, idempotent membership changes, an Apply whose wait is
// bounded (raft's own timeout covers only enqueueing), and leadership
// changes pushed to subscribers from a raft Observer rather than polled.
package raftlog
