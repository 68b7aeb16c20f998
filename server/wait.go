package server

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/raftis/raftis/fsm"
)

// WAIT counts the other members whose Raft log holds the connection's last
// write (the index of its entry, session.minIndex): Redis counts replicas
// that acknowledged its offset, raftis members that stored the entry. The
// leader knows from the followers' answers (raftlog.Node.StoredOn: Raft's
// match indexes), so it never counts more than they have shown. On a
// follower the client's write went through the leader, and only the leader
// knows who holds it: the follower asks it with RAFT WAIT, naming itself as
// the member not to count (the leader counts itself: it holds every
// committed entry).

// WAIT numreplicas timeout
func cmdWait(s *Server, c *call) {
	want, ok := fsm.ParseInt(c.args[1])
	if !ok {
		c.conn.WriteError(fsm.ErrNotInteger)
		return
	}
	timeout, errReply := parseWaitTimeout(c.args[2])
	if errReply != "" {
		c.conn.WriteError(errReply)
		return
	}
	if c.inExec {
		want = 0 // as in Redis: count the replicas once, never block
	}
	ctx, cancel := s.waitContext(c, timeout)
	defer cancel()
	c.conn.WriteInt(s.waitReplicas(ctx, c.sess.minIndex, want, s.cfg.ID))
}

// RAFT WAIT index numreplicas timeout except-id
func cmdRaftWait(s *Server, c *call) {
	index, ok1 := fsm.ParseInt(c.args[2])
	want, ok2 := fsm.ParseInt(c.args[3])
	timeout, errReply := parseWaitTimeout(c.args[4])
	switch {
	case !ok1 || index < 0 || !ok2:
		c.conn.WriteError(fsm.ErrNotInteger)
		return
	case errReply != "":
		c.conn.WriteError(errReply)
		return
	case !s.node.IsLeader():
		c.conn.WriteError(replyNotLeader)
		return
	}
	ctx, cancel := s.waitContext(c, timeout)
	defer cancel()
	c.conn.WriteInt(s.waitReplicas(ctx, uint64(index), want, string(c.args[5])))
}

// parseWaitTimeout reads WAIT's timeout in ms as Redis does (0: none).
func parseWaitTimeout(arg []byte) (time.Duration, string) {
	ms, ok := fsm.ParseInt(arg)
	switch {
	case !ok:
		return 0, "ERR timeout is not an integer or out of range"
	case ms < 0:
		return 0, "ERR timeout is negative"
	case ms > int64(math.MaxInt64/time.Millisecond):
		return 0, "" // past any date: Redis's deadline overflows and never passes
	}
	return time.Duration(ms) * time.Millisecond, ""
}

// waitContext ends at the timeout (none if 0), when the client goes away
// or when the server stops.
func (s *Server) waitContext(c *call, timeout time.Duration) (context.Context, context.CancelFunc) {
	var ctx context.Context
	var cancel context.CancelFunc
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(s.ctx, timeout)
	} else {
		ctx, cancel = context.WithCancel(s.ctx)
	}
	closed, stopWatch := watchClose(c.conn.NetConn())
	go func() {
		select {
		case <-closed:
			cancel()
		case <-ctx.Done(): // also what the returned cancel ends it with
		}
	}()
	return ctx, func() {
		stopWatch()
		cancel()
	}
}

// waitReplicas waits until at least want members other than except hold
// the entry at index, or ctx ends, and returns how many were known to.
// It asks at least once, however small want is.
func (s *Server) waitReplicas(ctx context.Context, index uint64, want int64, except string) int {
	best := 0
	for {
		changed := s.node.LeaderChanged()
		var progress <-chan struct{}
		if s.node.IsLeader() {
			progress = s.node.ReplicasChanged()
			best = max(best, s.node.StoredOn(index, except))
		} else if addr := s.leaderRedisAddr(); addr != "" {
			n, err := s.fwd.waitStored(ctx, addr, index, want, s.cfg.ApplyTimeout, except)
			if err == nil {
				best = max(best, n)
				progress = closedChan // asked with a bounded wait: ask again at once
			}
		}
		if int64(best) >= want || ctx.Err() != nil {
			return best
		}
		retry := time.NewTimer(20 * time.Millisecond)
		select {
		case <-progress:
		case <-changed:
		case <-retry.C:
		case <-ctx.Done():
		}
		retry.Stop()
	}
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// waitStored runs RAFT WAIT on the leader at addr for at most chunk (or
// until ctx ends) and returns its count.
func (f *forwarder) waitStored(ctx context.Context, addr string, index uint64, want int64, chunk time.Duration, except string) (int, error) {
	if dl, ok := ctx.Deadline(); ok {
		chunk = min(chunk, time.Until(dl))
	}
	ms := max(chunk.Milliseconds(), 1) // 0 would wait for ever
	callCtx, cancel := context.WithTimeout(ctx, chunk+time.Second)
	defer cancel()
	n, err := f.client(addr).Do(callCtx, "raft", "wait", strconv.FormatUint(index, 10), strconv.FormatInt(want, 10),
		strconv.FormatInt(ms, 10), except).Int64()
	if err != nil {
		return 0, classifyForwardErr(err)
	}
	if n < 0 {
		return 0, fmt.Errorf("raft wait: unexpected reply %d", n)
	}
	return int(n), nil
}
