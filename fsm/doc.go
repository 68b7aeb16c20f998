// Package fsm is raftis's replicated state machine: the data set (16
// databases of keys, values and deadlines), the semantics of every data
// command, the binary codec of Raft log entries, and snapshots written as
// RDB files.
//
// Every node applies the same entries in the same order and must reach the
// same state, so nothing in this package reads a clock or a random source.
// Time and randomness come from the entry: the leader stamps each entry with
// its wall-clock time in milliseconds and a random seed. A relative expiry
// (SET k v EX 10) becomes the absolute deadline entry.Time+10s when applied,
// writes treat keys whose deadline is at or before entry.Time as absent, and
// reads (which never mutate) treat keys whose deadline has passed on the
// caller's clock as absent. Expired keys are removed by sweep entries that
// the leader proposes; a sweep deletes a key only if it is expired at the
// sweep's own time.
//
// An entry that cannot be decoded panics the node: a node that cannot apply
// what its peers applied must stop rather than diverge. A command that fails
// (WRONGTYPE, not an integer, ...) is an ordinary reply, identical on every
// node.
//
// Blocking commands (BLPOP, BLMOVE, BLMPOP, BZPOPMIN, BZMPOP, ...) never
// block here: applied, they pop as Redis does inside MULTI or reply the
// command's null. The server waits, using BlockingTimeout, BlockingKeys,
// BlockingDeadline, WouldBlock and the ready hook (SetReadyHook), and
// proposes the command again once a key it waits on is ready.
//
// Reads run concurrently with Apply under a read lock. Snapshot captures a
// copy-on-write view of every keyspace in O(databases) time, so Persist can
// stream an RDB file while Apply goes on.
package fsm
