package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/raftis/raftis/fsm"
)

// Member is one node of the cluster as /status and RAFT INFO report it.
type Member struct {
	ID        string `json:"id"`
	RaftAddr  string `json:"raft_addr"`
	RedisAddr string `json:"redis_addr"`
	Suffrage  string `json:"suffrage"`
	Leader    bool   `json:"leader"`
}

// members joins the Raft configuration with the replicated client addresses.
func (s *Server) members() ([]Member, error) {
	servers, err := s.node.Servers()
	if err != nil {
		return nil, err
	}
	addrs := s.data.Nodes()
	leaderID, _ := s.node.Leader()
	out := make([]Member, 0, len(servers))
	for _, sv := range servers {
		out = append(out, Member{
			ID: sv.ID, RaftAddr: sv.RaftAddr, RedisAddr: addrs[sv.ID],
			Suffrage: sv.Suffrage, Leader: sv.ID == leaderID,
		})
	}
	return out, nil
}

var errBadJoin = errors.New("join needs id, raft_addr and redis_addr")

// join adds a member. On a follower the request is passed to the leader
// (over RESP, whose address every node knows). Joining again with the same
// id and addresses changes nothing.
func (s *Server) join(ctx context.Context, id, raftAddr, redisAddr string) error {
	if id == "" || raftAddr == "" || redisAddr == "" {
		return errBadJoin
	}
	if !s.node.IsLeader() {
		return s.onLeader(ctx, "raft", "join", id, raftAddr, redisAddr)
	}
	if err := s.node.AddVoter(id, raftAddr, s.cfg.ApplyTimeout); err != nil {
		return fmt.Errorf("add voter %s: %w", id, err)
	}
	return s.announce(id, redisAddr)
}

// remove takes a member out of the cluster.
func (s *Server) remove(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("remove needs an id")
	}
	if !s.node.IsLeader() {
		return s.onLeader(ctx, "raft", "remove", id)
	}
	if err := s.node.Remove(id, s.cfg.ApplyTimeout); err != nil {
		return fmt.Errorf("remove %s: %w", id, err)
	}
	return s.applyNode("del", id)
}

// onLeader runs a RAFT subcommand on the leader.
func (s *Server) onLeader(ctx context.Context, args ...interface{}) error {
	addr := s.leaderRedisAddr()
	if addr == "" {
		return errors.New("no leader known")
	}
	_, err := s.fwd.call(ctx, addr, args...)
	return err
}

// announce records a member's client address in the replicated member
// table, unless it is already there.
func (s *Server) announce(id, redisAddr string) error {
	if s.data.NodeAddr(id) == redisAddr {
		return nil
	}
	return s.applyNode("set", id, redisAddr)
}

func (s *Server) applyNode(args ...string) error {
	cmd := fsm.Cmd{}
	for _, a := range args {
		cmd.Args = append(cmd.Args, []byte(a))
	}
	_, err := s.propose(fsm.EntryNode, []fsm.Cmd{cmd})
	return err
}

// runLeaderDuties announces this node's client address each time it becomes
// leader, so followers can forward writes to it. An announcement that does
// not commit (a timeout, a busy disk) is tried again until it does or
// leadership is lost: until it commits, followers know no address to
// forward to and answer CLUSTERDOWN.
func (s *Server) runLeaderDuties() {
	for {
		changed := s.node.LeaderChanged()
		if s.node.IsLeader() {
			retryWithBackoff(s.ctx, changed, s.node.IsLeader, func() error {
				return s.announce(s.cfg.ID, s.cfg.RedisAddr)
			}, func(err error, wait time.Duration) {
				s.cfg.Logger.Warn("announce client address; retrying", "err", err, "in", wait)
			})
		}
		select {
		case <-changed:
		case <-s.ctx.Done():
			return
		}
	}
}

// Back-off between attempts of a leader duty.
const (
	retryBackoffMin = 50 * time.Millisecond
	retryBackoffMax = 2 * time.Second
)

// retryWithBackoff runs attempt until it succeeds, waiting between tries
// from retryBackoffMin, doubling up to retryBackoffMax. It gives up when
// leading() is false, changed closes (leadership changed: the caller
// starts over if it still leads) or ctx ends, and reports whether attempt
// succeeded. failed hears of each failure and the wait before the next try.
func retryWithBackoff(ctx context.Context, changed <-chan struct{}, leading func() bool,
	attempt func() error, failed func(err error, wait time.Duration)) bool {
	wait := retryBackoffMin
	for leading() {
		err := attempt()
		if err == nil {
			return true
		}
		if !leading() {
			return false
		}
		failed(err, wait)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-changed:
			t.Stop()
			return false
		case <-ctx.Done():
			t.Stop()
			return false
		}
		wait = nextBackoff(wait)
	}
	return false
}

// nextBackoff doubles wait, up to retryBackoffMax.
func nextBackoff(wait time.Duration) time.Duration { return min(2*wait, retryBackoffMax) }

// Expiry sweeps propose at most this many keys per entry.
const maxExpirePerSweep = 128

// runExpirySweeps makes the leader propose the deletion of keys it sees
// expired. Every node then deletes them at the same log position.
func (s *Server) runExpirySweeps() {
	t := time.NewTicker(s.cfg.ExpireInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-s.ctx.Done():
			return
		}
		for s.node.IsLeader() && s.ctx.Err() == nil {
			keys := s.data.ExpiredKeys(s.now().UnixMilli(), maxExpirePerSweep)
			if len(keys) == 0 {
				break
			}
			if _, err := s.propose(fsm.EntryExpire, keys); err != nil {
				break
			}
			if len(keys) < maxExpirePerSweep {
				break
			}
		}
	}
}

// lastSave is when this node last wrote a snapshot, or its start time.
func (s *Server) lastSave() time.Time {
	if t := s.node.LastSnapshotTime(); !t.IsZero() {
		return t
	}
	return s.start
}
