package server

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/tidwall/redcon"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
)

// A batch caps how much of a pipeline goes into one log entry, keeping
// entries near raft's suggested size.
const (
	maxBatchCmds  = 1024
	maxBatchBytes = 256 << 10
)

// Replies for write failures. The outcome of a write that was handed to Raft
// but not confirmed is unknown: it may still commit, so the reply says so
// instead of pretending it failed.
const (
	errNoLeader  = "CLUSTERDOWN The cluster is down: no Raft leader"
	errUncertain = "UNCERTAIN write outcome unknown: leadership changed or the commit timed out; it may have been applied"
	errShutdown  = "ERR server is shutting down"
	errNotLeader = "NOTLEADER this node is not the Raft leader"
	errReadOnly  = "READONLY You can't write against a read only replica."
)

// batch runs one connection's pipeline in order. Consecutive write commands
// collect into one log entry; any other command first flushes them, so
// replies stay in order and reads see the writes before them.
type batch struct {
	s       *Server
	conn    redcon.Conn
	sess    *session
	pending []fsm.Cmd  // writes waiting to become one entry
	size    int        // bytes of argument in pending
	reads   [][][]byte // reads waiting to run under one read lock
	quit    bool
}

func newBatch(s *Server, conn redcon.Conn, sess *session) *batch {
	return &batch{s: s, conn: conn, sess: sess}
}

func (b *batch) add(args [][]byte) {
	if b.quit {
		return // QUIT closes the connection; later pipelined commands are dropped, as in Redis
	}
	cmd, errReply := b.s.table.resolve(args)
	if errReply != "" {
		b.flush()
		b.conn.WriteError(errReply)
		return
	}
	b.sess.begin(cmd)
	isWrite := cmd.Flags&fsm.FlagWrite != 0
	switch {
	case cmd.data != nil && !isWrite:
		b.flushWrites()
		b.reads = append(b.reads, args)
		return
	case cmd.data != nil:
		b.flushReads()
		b.pending = append(b.pending, fsm.Cmd{DB: b.sess.db, Args: args})
		for _, a := range args {
			b.size += len(a)
		}
		if len(b.pending) >= maxBatchCmds || b.size >= maxBatchBytes {
			b.flushWrites()
		}
		return
	}
	b.flush()
	cmd.run(b.s, &call{conn: b.conn, sess: b.sess, args: args, batch: b})
}

// flush runs whatever is pending. At most one of writes and reads is.
func (b *batch) flush() {
	b.flushWrites()
	b.flushReads()
}

// flushReads runs the pending reads and writes their replies.
func (b *batch) flushReads() {
	if len(b.reads) == 0 {
		return
	}
	b.s.read(b.conn, b.sess, b.reads)
	b.reads = b.reads[:0]
}

// flushWrites proposes the pending writes and writes their replies.
func (b *batch) flushWrites() {
	if len(b.pending) == 0 {
		return
	}
	replies, errReply := b.s.write(b.sess, b.pending)
	if errReply != "" {
		for range b.pending {
			b.conn.WriteError(errReply)
		}
	} else {
		b.conn.WriteRaw(replies)
	}
	b.pending = b.pending[:0]
	b.size = 0
}

// write applies cmds as one log entry, through the leader wherever this
// node is, and returns their concatenated replies or one error reply.
func (s *Server) write(sess *session, cmds []fsm.Cmd) ([]byte, string) {
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ApplyTimeout)
	defer cancel()
	for {
		changed := s.node.LeaderChanged()
		replies, index, errReply, retry := s.tryWrite(ctx, cmds)
		if !retry {
			if errReply == "" {
				sess.minIndex = max(sess.minIndex, index)
			}
			return replies, errReply
		}
		if !s.waitRetry(ctx, changed) {
			if s.ctx.Err() != nil {
				return nil, errShutdown
			}
			return nil, errNoLeader
		}
	}
}

// tryWrite makes one attempt. retry means nothing was applied and the
// attempt may be repeated once the leader is known.
func (s *Server) tryWrite(ctx context.Context, cmds []fsm.Cmd) (replies []byte, index uint64, errReply string, retry bool) {
	if s.node.IsLeader() {
		return s.applyAsLeader(cmds)
	}
	leaderAddr := s.leaderRedisAddr()
	if leaderAddr == "" {
		return nil, 0, "", true
	}
	if s.cfg.FollowerWrites == FollowerWritesReject {
		return nil, 0, errReadOnly + " Leader is at " + leaderAddr + ".", false
	}
	index, replies, err := s.fwd.forward(ctx, leaderAddr, cmds)
	switch {
	case err == nil:
	case errors.Is(err, errForwardNotSent), isReplyError(err, "NOTLEADER"), isReplyError(err, "CLUSTERDOWN"):
		return nil, 0, "", true
	case isReplyError(err, ""):
		return nil, 0, err.Error(), false
	default:
		return nil, 0, errUncertain, false
	}
	// Read your writes: reply only once this node has applied the write.
	// If that takes too long the write still stands; the connection's next
	// read waits for it (session.minIndex).
	_ = s.data.WaitApplied(ctx, index)
	return replies, index, "", false
}

// applyAsLeader proposes cmds as one entry on this node, which believes it
// is the leader. retry means it was not, and nothing was appended.
func (s *Server) applyAsLeader(cmds []fsm.Cmd) (replies []byte, index uint64, errReply string, retry bool) {
	replies, index, err := s.proposer.submit(cmds)
	switch {
	case err == nil:
		return replies, index, "", false
	case errors.Is(err, raftlog.ErrNotLeader):
		return nil, 0, "", true
	case errors.Is(err, raftlog.ErrShutdown):
		return nil, 0, errShutdown, false
	default:
		return nil, 0, errUncertain, false
	}
}

// waitRetry waits for a leadership change, or a short back-off (a new
// leader announces its client address with its first entries), until ctx
// ends. It reports whether to try again.
func (s *Server) waitRetry(ctx context.Context, changed <-chan struct{}) bool {
	t := time.NewTimer(20 * time.Millisecond)
	defer t.Stop()
	select {
	case <-changed:
	case <-t.C:
	case <-ctx.Done():
		return false
	}
	return true
}

// propose stamps cmds with this leader's time and a fresh seed and applies
// them as one entry.
func (s *Server) propose(typ fsm.EntryType, cmds []fsm.Cmd) (raftlog.Applied, error) {
	e := fsm.Entry{Type: typ, Time: time.Now().UnixMilli(), Seed: rand.Uint64(), Cmds: cmds}
	return s.node.Apply(e.Encode(make([]byte, 0, e.SizeHint())), s.cfg.ApplyTimeout)
}

// leaderRedisAddr is the client address of the current leader, from the
// replicated member table; empty if no leader is known or it has not
// announced its address yet.
func (s *Server) leaderRedisAddr() string {
	id, _ := s.node.Leader()
	if id == "" {
		return ""
	}
	return s.data.NodeAddr(id)
}

// isReplyError reports whether err is an error reply from a peer whose
// first word is prefix (any error reply when prefix is empty).
func isReplyError(err error, prefix string) bool {
	var re replyError
	if !errors.As(err, &re) {
		return false
	}
	return prefix == "" || strings.HasPrefix(string(re), prefix+" ")
}
