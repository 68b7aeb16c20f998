package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/raftis/raftis/internal/rounds"
	"github.com/raftis/raftis/raftlog"
)

// readIndexClient is how a follower asks the leader for read indexes:
// one RAFT READINDEX call at a time per leader and level, shared by every
// read that arrives while the previous call runs (rounds.Group), so a
// follower's reads cost the leader one call per round trip, however many
// there are. A call to a leader that stopped answering holds up only the
// reads that asked that leader.
type readIndexClient struct {
	fwd     *forwarder
	timeout time.Duration
	mu      sync.Mutex
	groups  map[string]*[levelLinearizable + 1]rounds.Group[readIndex] // by leader address
}

// get returns a read index for level from the leader at addr, asked for
// after get was called.
func (c *readIndexClient) get(ctx context.Context, addr string, level readLevel) (readIndex, error) {
	return c.group(addr)[level].Do(ctx, func() (readIndex, error) {
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		defer cancel()
		return c.fwd.readIndex(ctx, addr, level == levelLeader)
	})
}

func (c *readIndexClient) group(addr string) *[levelLinearizable + 1]rounds.Group[readIndex] {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.groups[addr]
	if g == nil {
		if c.groups == nil {
			c.groups = make(map[string]*[levelLinearizable + 1]rounds.Group[readIndex])
		}
		g = new([levelLinearizable + 1]rounds.Group[readIndex])
		c.groups[addr] = g
	}
	return g
}

// readIndex runs RAFT READINDEX [LEASE] on the leader at addr.
func (f *forwarder) readIndex(ctx context.Context, addr string, lease bool) (readIndex, error) {
	args := []interface{}{"raft", "readindex"}
	if lease {
		args = append(args, "lease")
	}
	res, err := f.client(addr).Do(ctx, args...).Slice()
	if err != nil {
		return readIndex{}, classifyForwardErr(err)
	}
	var n [3]int64
	for i := range n {
		v, ok := int64(0), len(res) == 3
		if ok {
			v, ok = res[i].(int64)
		}
		if !ok || v < 0 {
			return readIndex{}, fmt.Errorf("raft readindex: unexpected reply %v", res)
		}
		n[i] = v
	}
	return readIndex{ReadIndex: raftlog.ReadIndex{Index: uint64(n[0]), Term: uint64(n[1])}, leaderTime: n[2]}, nil
}

// RAFT READINDEX [LEASE]
//
// A follower's fresh reads ask the leader for [index, term, time]: the
// commit index once leadership is confirmed (under its lease with LEASE),
// the term of the entry there and the leader's clock in unix ms. Only the
// leader answers; others answer NOTLEADER.
func cmdRaftReadIndex(s *Server, c *call) {
	lease := false
	switch {
	case len(c.args) == 3 && strings.EqualFold(string(c.args[2]), "lease"):
		lease = true
	case len(c.args) != 2:
		c.conn.WriteError("ERR syntax error")
		return
	}
	level := levelLinearizable
	if lease {
		level = levelLeader
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ApplyTimeout)
	defer cancel()
	ri, err := s.leaderReadIndex(ctx, level)
	switch {
	case errors.Is(err, raftlog.ErrNotLeader):
		c.conn.WriteError(replyNotLeader)
	case err != nil:
		c.conn.WriteError(replyNoLeader)
	default:
		c.conn.WriteArray(3)
		c.conn.WriteInt64(int64(ri.Index))
		c.conn.WriteInt64(int64(ri.Term))
		c.conn.WriteInt64(s.now().UnixMilli())
	}
}
