package server

import (
	"time"
)

// Replication in Redis's terms (INFO replication, ROLE), with Raft log
// indexes as offsets:
//   - the leader's master_repl_offset is its last log index: everything it
//     has put into the replication stream;
//   - a follower's offset, as the leader lists it (slaveN offset, ROLE), is
//     its match index: the highest index its answers show it has stored;
//     lag is the seconds since its last answer, as Redis's is since the
//     replica's last ACK;
//   - a follower's own slave_read_repl_offset is its last log index (what
//     it has received and stored: the leader's view of it once its answer
//     arrives), slave_repl_offset and master_repl_offset what it has
//     applied, as Redis's replica reports what it has processed.
//
// When every member has caught up, every offset is the same number.

// replica is a follower as the leader lists it.
type replica struct {
	host, port string
	offset     uint64
	lag        int64 // seconds
}

// replicas are the followers this leader is in touch with: they answered
// in its term and its heartbeats to them are not failing (a dead follower
// drops out, as a disconnected replica does from Redis's list).
func (s *Server) replicas() []replica {
	addrs := s.data.Nodes()
	var out []replica
	for _, r := range s.node.Replicas() {
		if failing, _ := s.node.Unreachable(r.ID); failing || r.LastContact.IsZero() {
			continue
		}
		host, port := splitHostPort(addrs[r.ID])
		out = append(out, replica{host: host, port: port, offset: r.Match, lag: int64(time.Since(r.LastContact) / time.Second)})
	}
	return out
}

// replicationOffsets are this node's offsets: the leader's
// master_repl_offset (its last index); a follower's received (last index)
// and processed (applied) offsets.
func (s *Server) replicationOffsets() (master, received, processed uint64) {
	st := s.node.Status()
	processed = max(st.AppliedIndex, s.data.AppliedIndex())
	return st.LastIndex, st.LastIndex, processed
}
