// Package server is raftis's front end: the RESP listener that Redis clients
// talk to, the HTTP API operators and joining nodes use, and the routing
// between them and the Raft log.
//
// One command table (table.go) describes every command: the data commands
// that package fsm implements and the connection, server and admin commands
// implemented here. It drives dispatch, arity errors, COMMAND's output and
// the write/read decision.
//
// Writes: the write commands waiting in a connection's pipeline become one
// log entry (write.go); the leader applies it through Raft, a follower
// forwards it to the leader over pooled connections (forward.go) and then
// waits until its own copy has applied the entry, so a client reads its own
// writes on the node it wrote through. Reads run against the local copy
// (read.go), refused when the node has been cut off from a leader for longer
// than --max-staleness.
package server
