package raftlog

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/raft"
)

// Server is a member of the Raft configuration.
type Server struct {
	ID       string `json:"id"`
	RaftAddr string `json:"raft_addr"`
	Suffrage string `json:"suffrage"` // "Voter", "Nonvoter", "Staging"
}

// Servers returns the latest Raft configuration.
func (n *Node) Servers() ([]Server, error) {
	f := n.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, err
	}
	var out []Server
	for _, s := range f.Configuration().Servers {
		out = append(out, Server{ID: string(s.ID), RaftAddr: string(s.Address), Suffrage: s.Suffrage.String()})
	}
	return out, nil
}

// AddVoter adds id at raftAddr as a voter. It must run on the leader, and
// returns once the configuration that holds the member is committed.
// Adding a member that is already there with the same address changes
// nothing (but still waits for that configuration to commit), so a
// restarted node may ask to join again; a known id with a new address has
// its address updated, and another id at the same address is replaced.
func (n *Node) AddVoter(id, raftAddr string, timeout time.Duration) error {
	servers, err := n.Servers()
	if err != nil {
		return err
	}
	for _, s := range servers {
		switch {
		case s.ID == id && s.RaftAddr == raftAddr:
			// The configuration raft reports may not be committed yet: a
			// barrier commits everything before it.
			return classify(n.raft.Barrier(timeout).Error())
		case s.ID != id && s.RaftAddr == raftAddr:
			if err := n.raft.RemoveServer(raft.ServerID(s.ID), 0, timeout).Error(); err != nil {
				return fmt.Errorf("remove %s before re-adding its address: %w", s.ID, classify(err))
			}
		}
	}
	if err := n.raft.AddVoter(raft.ServerID(id), raft.ServerAddress(raftAddr), 0, timeout).Error(); err != nil {
		return classify(err)
	}
	return nil
}

// Remove takes id out of the configuration. Removing an unknown id does
// nothing. It must run on the leader.
func (n *Node) Remove(id string, timeout time.Duration) error {
	servers, err := n.Servers()
	if err != nil {
		return err
	}
	for _, s := range servers {
		if s.ID == id {
			return classify(n.raft.RemoveServer(raft.ServerID(id), 0, timeout).Error())
		}
	}
	return nil
}

// Transfer hands leadership to id, or to the most up-to-date follower when
// id is empty.
func (n *Node) Transfer(id string) error {
	// The candidate it hands over to may win votes from followers that
	// still know this leader: its lease is void for the rest of the term.
	n.reads.transferTerm.Store(n.raft.CurrentTerm())
	if id == "" {
		return n.raft.LeadershipTransfer().Error()
	}
	servers, err := n.Servers()
	if err != nil {
		return err
	}
	for _, s := range servers {
		if s.ID == id {
			return n.raft.LeadershipTransferToServer(raft.ServerID(id), raft.ServerAddress(s.RaftAddr)).Error()
		}
	}
	return fmt.Errorf("no member with id %q", id)
}

// Snapshot forces a snapshot now.
func (n *Node) Snapshot() error {
	err := n.raft.Snapshot().Error()
	if errors.Is(err, raft.ErrNothingNewToSnapshot) {
		return nil
	}
	return err
}

// Status is a point-in-time summary of the member.
type Status struct {
	ID            string    `json:"id"`
	State         string    `json:"state"`
	LeaderID      string    `json:"leader_id"`
	LeaderAddr    string    `json:"leader_raft_addr"`
	Term          uint64    `json:"term"`
	CommitIndex   uint64    `json:"commit_index"`
	DurableCommit uint64    `json:"durable_commit_index"` // recorded on disk: a restart replays up to it
	AppliedIndex  uint64    `json:"applied_index"`
	LastIndex     uint64    `json:"last_log_index"`
	LastSnapshot  uint64    `json:"last_snapshot_index"`
	LastConfig    uint64    `json:"last_configuration_index"` // the latest membership change
	LastContact   time.Time `json:"-"`
}

// Status reports the member's state.
func (n *Node) Status() Status {
	leaderID, leaderAddr := n.Leader()
	stats := n.raft.Stats()
	snapIndex, _ := strconv.ParseUint(stats["last_snapshot_index"], 10, 64)
	return Status{
		ID:            n.cfg.ID,
		State:         n.raft.State().String(),
		LeaderID:      leaderID,
		LeaderAddr:    leaderAddr,
		Term:          n.raft.CurrentTerm(),
		CommitIndex:   n.raft.CommitIndex(),
		DurableCommit: n.DurableCommitIndex(),
		AppliedIndex:  n.raft.AppliedIndex(),
		LastIndex:     n.raft.LastIndex(),
		LastSnapshot:  snapIndex,
		LastConfig:    n.logs.lastConfig.Load(),
		LastContact:   n.raft.LastContact(),
	}
}

// BootstrapWith starts a new cluster whose voters are servers, the same
// list on each of them (--bootstrap-expect). A node that has state already
// (bootstrapped, or reached by a leader) does nothing and reports false.
func (n *Node) BootstrapWith(servers []Server) (bool, error) {
	cfg := raft.Configuration{}
	for _, s := range servers {
		cfg.Servers = append(cfg.Servers, raft.Server{Suffrage: raft.Voter, ID: raft.ServerID(s.ID), Address: raft.ServerAddress(s.RaftAddr)})
	}
	err := n.raft.BootstrapCluster(cfg).Error()
	if errors.Is(err, raft.ErrCantBootstrap) {
		return false, nil
	}
	return err == nil, err
}

// HasConfiguration reports whether this node knows a cluster configuration:
// it bootstrapped, or a leader reached it.
func (n *Node) HasConfiguration() bool {
	servers, err := n.Servers()
	return err == nil && len(servers) > 0
}
