// Package integration runs in-process raftis clusters (real Raft over TCP,
// real log stores on disk,
// both raft-wal and BoltDB where the store matters) through failover, restarts, snapshot installs and
// random workloads, and checks that no acknowledged write is lost and every
// node reaches the same state.
package integration
