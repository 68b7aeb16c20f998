package raftlog

import "time"

// Replica is what the leader knows of another member's log in its term,
// from that member's answers (peerTracker): Redis's view of a replica,
// with Raft indexes as offsets.
type Replica struct {
	ID       string
	Suffrage string // "Voter", "Nonvoter", "Staging"
	// Match is the highest log index known to be stored in its log (Raft's
	// match index); 0 until it has answered an append of this term.
	Match uint64
	// LastContact is when its newest answer of this term arrived; zero if
	// none has.
	LastContact time.Time
}

// Replicas lists the members other than this one with what this leader
// knows of their logs; nil on a follower.
func (n *Node) Replicas() []Replica {
	term := n.raft.CurrentTerm()
	if !n.IsLeader() {
		return nil
	}
	members, err := n.members(term)
	if err != nil {
		return nil
	}
	out := make([]Replica, 0, len(members))
	for _, m := range members {
		if string(m.ID) == n.cfg.ID {
			continue
		}
		st := n.peers.progress(m.ID, term)
		r := Replica{ID: string(m.ID), Suffrage: m.Suffrage.String(), Match: st.match}
		if st.heard > 0 {
			r.LastContact = n.peers.base.Add(st.heard)
		}
		out = append(out, r)
	}
	return out
}

// StoredOn counts the members other than except (an id, or "") that are
// known to hold the log entry at index: this leader itself, whose log
// holds every committed entry, and the followers whose match index in this
// term has reached it. It never counts more than answers have shown. It
// is 0 on a follower.
func (n *Node) StoredOn(index uint64, except string) int {
	term := n.raft.CurrentTerm()
	if !n.IsLeader() {
		return 0
	}
	members, err := n.members(term)
	if err != nil {
		return 0
	}
	count := 0
	for _, m := range members {
		switch {
		case string(m.ID) == except:
		case string(m.ID) == n.cfg.ID:
			if index <= n.raft.LastIndex() {
				count++
			}
		case n.peers.progress(m.ID, term).match >= index:
			count++
		}
	}
	return count
}

// ReplicasChanged returns a channel closed at the next answer from any
// follower: StoredOn and Replicas may have changed.
func (n *Node) ReplicasChanged() <-chan struct{} { return n.peers.next() }
