package server

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tidwall/redcon"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
)

// A batch caps how much of a pipeline goes into one log entry, keeping
// entries near raft's suggested size; the proposer merges the batches of
// several connections up to the same caps. A command bigger than the byte
// cap goes alone (raftlog carries an entry over 1 MiB in chunks).
const (
	maxBatchCmds  = 1024
	maxBatchBytes = 256 << 10
)

// cmdSize bounds how many bytes cmd adds to an entry's encoding.
func cmdSize(cmd fsm.Cmd) int {
	e := fsm.Entry{Cmds: []fsm.Cmd{cmd}}
	return e.SizeHint()
}

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

// batchFor returns the connection's batch, ready for a new pipeline. One
// batch serves a connection for its life (only its own goroutine runs its
// commands), so its slices are allocated once, not per pipeline.
func (s *Server) batchFor(conn redcon.Conn, sess *session) *batch {
	b := sess.batch
	if b == nil {
		b = &batch{s: s, conn: conn, sess: sess}
		sess.batch = b
	}
	b.quit = false
	return b
}

func (b *batch) add(args [][]byte) {
	if b.quit {
		return // QUIT closes the connection; later pipelined commands are dropped, as in Redis
	}
	cmd, errReply := b.s.table.resolve(args)
	if b.sess.tx.multi || (errReply != "" && isExec(args[0])) {
		b.flush()
		b.transaction(args, cmd, errReply)
		return
	}
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
	case cmd.data != nil && cmd.Flags&fsm.FlagBlocking != 0:
		b.flush()
		b.sess.blocked.Store(true)
		b.s.block(b.conn, b.sess, args)
		b.sess.blocked.Store(false)
		b.sess.touch()
		return
	case cmd.data != nil:
		b.addWrite(fsm.Cmd{DB: b.sess.db, Args: args})
		return
	}
	b.flush()
	cmd.run(b.s, &call{conn: b.conn, sess: b.sess, args: args, batch: b})
}

// addWrite queues a write for the next entry, which it starts afresh if
// the entry would pass the byte cap with it.
func (b *batch) addWrite(c fsm.Cmd) {
	b.flushReads()
	size := cmdSize(c)
	if len(b.pending) > 0 && b.size+size > maxBatchBytes {
		b.flushWrites()
	}
	b.pending = append(b.pending, c)
	b.size += size
	if len(b.pending) >= maxBatchCmds || b.size >= maxBatchBytes {
		b.flushWrites()
	}
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
	clear(b.reads) // keep no request alive through the reused slice
	b.reads = b.reads[:0]
}

// flushWrites proposes the pending writes and writes their replies.
func (b *batch) flushWrites() {
	if len(b.pending) == 0 {
		return
	}
	replies, err := b.s.write(b.sess, b.pending, b.size)
	if err != nil {
		reply := writeErrorReply(err)
		for range b.pending {
			b.conn.WriteError(reply)
		}
		// A write that failed may still be held by the proposer (shut down
		// mid-entry): leave it that slice.
		b.pending, b.size = nil, 0
		return
	}
	b.conn.WriteRaw(replies)
	clear(b.pending) // keep no request alive through the reused slice
	b.pending, b.size = b.pending[:0], 0
}

// write applies cmds (size bytes of entry) as one log entry, through the
// leader wherever this node is, and returns their concatenated replies.
// It retries, until --apply-timeout, while nothing can have been written.
func (s *Server) write(sess *session, cmds []fsm.Cmd, size int) ([]byte, error) {
	deadline := time.Now().Add(s.cfg.ApplyTimeout)
	if s.node.IsLeader() {
		// The common case, first and without a context of its own: the
		// proposer bounds its waits.
		replies, at, err := s.submit(cmds, size)
		if err == nil {
			sess.minIndex = max(sess.minIndex, at.index)
			return replies, nil
		}
		if !retryable(err) {
			return nil, err
		}
	}
	ctx, cancel := context.WithDeadline(s.ctx, deadline)
	defer cancel()
	for {
		changed := s.node.LeaderChanged()
		replies, index, err := s.tryWrite(ctx, cmds, size)
		if err == nil {
			sess.minIndex = max(sess.minIndex, index)
			return replies, nil
		}
		if !retryable(err) {
			return nil, err
		}
		if !s.waitRetry(ctx, changed) {
			if s.ctx.Err() != nil {
				return nil, errShuttingDown
			}
			return nil, fmt.Errorf("%w (last attempt: %w)", errNoLeader, err)
		}
	}
}

// tryWrite makes one attempt: on this node if it leads, else on the leader
// it forwards to.
func (s *Server) tryWrite(ctx context.Context, cmds []fsm.Cmd, size int) ([]byte, uint64, error) {
	if s.node.IsLeader() {
		replies, at, err := s.submit(cmds, size)
		return replies, at.index, err
	}
	leaderAddr := s.leaderRedisAddr()
	if leaderAddr == "" {
		return nil, 0, errNoLeader
	}
	if s.cfg.FollowerWrites == FollowerWritesReject {
		return nil, 0, readOnlyError{leaderAddr}
	}
	at, replies, err := s.fwd.forward(ctx, leaderAddr, cmds)
	if err != nil {
		return nil, 0, err
	}
	// Read your writes: reply only once this node has applied the write,
	// at once from its own log if it holds the entry (raft would tell it of
	// the commit only with the next append), else once raft applies it. If
	// that takes too long the write still stands; the connection's next
	// read waits for it (session.minIndex).
	if at.term == 0 || s.node.CatchUp(ctx, at.index, at.term) != nil {
		_ = s.data.WaitApplied(ctx, at.index)
	}
	return replies, at.index, nil
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
	e := fsm.Entry{Type: typ, Time: s.now().UnixMilli(), Seed: rand.Uint64(), Cmds: cmds}
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
