// Package chaos runs a real raftis cluster under faults and checks what its
// clients saw.
//
// A round starts 3 or 5 raftis processes on loopback, each with a
// fault-injecting TCP proxy in front of its Raft listener (the node
// advertises the proxy with --raft-advertise, so every Raft byte between
// two members passes through the receiver's proxy). Concurrent clients run
// SET/GET, INCR, APPEND, SADD, LPUSH and, when the server has them,
// MULTI/EXEC transfers on a small key set, through leaders and followers
// and at every read level the server offers, while a nemesis kills and
// restarts nodes, pauses them, partitions the network, delays it, removes
// and re-adds members and moves leadership. Every operation is recorded
// with its invoke and return times and its outcome: ok, failed (an error
// reply that proves nothing was written) or unknown (a timeout, a lost
// connection, -UNCERTAIN).
//
// Once the faults stop and the cluster has healed, the history is checked:
// writes and fresh reads of each key are linearizable (porcupine), stale
// reads keep their own promise, every acknowledged set or list element is
// there at the end, no value appears that was never written, and every
// node holds the same data (GET /digest).
package chaos
