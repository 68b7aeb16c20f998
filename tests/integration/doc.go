// Package integration runs in-process raftis clusters (real Raft over TCP,
// real BoltDB files) through failover, restarts, snapshot installs and
// random workloads, and checks that no acknowledged write is lost and every
// node reaches the same state.
package integration
