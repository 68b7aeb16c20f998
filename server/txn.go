package server

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/tidwall/redcon"

	"github.com/raftis/raftis/fsm"
)

// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH, with Redis 7.0's
// replies and errors.
//
// Between MULTI and EXEC a connection's commands are queued on its
// session (copied: the connection's buffer is reused) and answered
// +QUEUED, except those Redis runs at once (EXEC, DISCARD, MULTI, WATCH,
// QUIT, RESET). A command refused while queueing (unknown, wrong arity,
// not allowed in a transaction, refused as Redis would refuse it: a
// write on a follower that rejects writes, a read on a stale node) makes
// EXEC answer -EXECABORT.
//
// EXEC sends the queued data commands as ONE command of a log entry, a
// transaction block (fsm.Block) carrying the connection's WATCH guards;
// every node applies it at once or not at all (the guards failed: the
// null array). Other clients' writes share the entry (group commit). A
// transaction without writes does not go through the log: it runs on
// this node under one read lock (fsm.ReadBlock), as a read at the
// connection's read level would. The server commands of the queue (PING,
// SELECT, CLIENT SETNAME, CONFIG ...) run on this node once the block is
// done, in their places in the reply: they do not touch the data set,
// except MEMORY USAGE and INFO, which see it as the whole transaction
// left it. SELECT inside MULTI changes the database of the commands
// queued after it, and the connection's once EXEC runs, as in Redis.

// txState is a connection's transaction: its queue and its WATCHed keys.
type txState struct {
	multi  bool
	dirty  bool // a command was refused while queueing: EXEC aborts
	queued []queuedCmd
	db     int // the database the next queued command runs in
	// guards are the WATCHed keys; EXEC, DISCARD, UNWATCH and RESET drop
	// them.
	guards []fsm.Guard
}

// queuedCmd is a command queued between MULTI and EXEC.
type queuedCmd struct {
	row  *command
	args [][]byte
	db   int
}

// Replies and errors of the transaction commands, as Redis words them.
const (
	replyQueued      = "QUEUED"
	errNestedMulti   = "ERR MULTI calls can not be nested"
	errExecNoMulti   = "ERR EXEC without MULTI"
	errDiscardNoMult = "ERR DISCARD without MULTI"
	errWatchInMulti  = "ERR WATCH inside MULTI is not allowed"
	errNotInMulti    = "ERR Command not allowed inside a transaction"
	errExecAbort     = "EXECABORT Transaction discarded because of previous errors."
	execAbortBecause = "EXECABORT Transaction discarded because of: "
)

// runsInMulti reports whether Redis runs c at once inside MULTI rather
// than queueing it.
func runsInMulti(c *command) bool {
	switch c.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return true
	}
	return false
}

// queue handles a command sent between MULTI and EXEC: it runs the ones
// Redis runs at once, queues the others, and refuses what Redis refuses
// (marking the transaction for EXECABORT). cmd and errReply are what
// table.resolve found.
func (b *batch) queue(args [][]byte, cmd *command, errReply string) {
	tx := &b.sess.tx
	if errReply != "" {
		tx.dirty = true
		b.conn.WriteError(errReply)
		return
	}
	if runsInMulti(cmd) {
		b.sess.lastCmd.Store(cmd)
		cmd.run(b.s, &call{conn: b.conn, sess: b.sess, args: args, batch: b})
		return
	}
	if refusal := b.s.refuseInMulti(cmd); refusal != "" {
		tx.dirty = true
		cmd.stats.rejected.Add(1)
		b.conn.WriteError(refusal)
		return
	}
	b.sess.lastCmd.Store(cmd)
	q := queuedCmd{row: cmd, args: copyArgs(args), db: tx.db}
	if cmd.Name == "select" {
		if n, ok := fsm.ParseInt(args[1]); ok && n >= 0 && n < fsm.NumDatabases {
			tx.db = int(n)
		}
	}
	tx.queued = append(tx.queued, q)
	b.conn.WriteString(replyQueued)
}

// refuseInMulti is the error Redis gives at once to a command queued in a
// transaction; "" if it is queued.
func (s *Server) refuseInMulti(cmd *command) string {
	switch {
	case cmd.Flags&fsm.FlagNoMulti != 0:
		return errNotInMulti
	case s.overMaxmemory():
		// Queueing may take any amount of memory: Redis refuses every
		// queued command while over maxmemory, this node's own.
		return replyOOM
	case cmd.data == nil:
		return ""
	case cmd.Flags&fsm.FlagWrite != 0 && s.cfg.FollowerWrites == FollowerWritesReject && !s.node.IsLeader():
		return readOnlyError{s.leaderRedisAddr()}.Error()
	case s.tooStale():
		return errStale
	}
	return ""
}

// copyArgs copies args into one allocation.
func copyArgs(args [][]byte) [][]byte {
	n := 0
	for _, a := range args {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	out := make([][]byte, len(args))
	for i, a := range args {
		buf = append(buf, a...)
		out[i] = buf[len(buf)-len(a) : len(buf) : len(buf)]
	}
	return out
}

// transaction handles a command while the connection is in MULTI, and
// EXEC with the wrong number of arguments, which Redis answers with
// -EXECABORT (discarding the transaction and the WATCHed keys) in MULTI
// or not.
func (b *batch) transaction(args [][]byte, cmd *command, errReply string) {
	if errReply != "" && isExec(args[0]) {
		b.sess.tx = txState{}
		b.conn.WriteError(execAbortBecause + strings.TrimPrefix(errReply, "ERR "))
		return
	}
	b.queue(args, cmd, errReply)
}

// isExec reports whether name is EXEC, in any case.
func isExec(name []byte) bool { return strings.EqualFold(string(name), "exec") }

// MULTI
func cmdMulti(_ *Server, c *call) {
	tx := &c.sess.tx
	if tx.multi {
		c.conn.WriteError(errNestedMulti)
		return
	}
	tx.multi, tx.dirty, tx.queued, tx.db = true, false, nil, c.sess.db
	c.conn.WriteString("OK")
}

// DISCARD
func cmdDiscard(_ *Server, c *call) {
	if !c.sess.tx.multi {
		c.conn.WriteError(errDiscardNoMult)
		return
	}
	c.sess.tx = txState{}
	c.conn.WriteString("OK")
}

// UNWATCH
func cmdUnwatch(_ *Server, c *call) {
	c.sess.tx.guards = nil
	c.conn.WriteString("OK")
}

// RESET
func cmdReset(_ *Server, c *call) {
	c.sess.tx = txState{}
	c.sess.set(func(sess *session) { sess.db, sess.name = 0, "" })
	c.conn.WriteString("RESET")
}

// WATCH key [key ...]
//
// The guards are taken from this node's data set once it has applied the
// connection's own writes (so that they do not fail the transaction).
func cmdWatch(s *Server, c *call) {
	tx := &c.sess.tx
	if tx.multi {
		c.conn.WriteError(errWatchInMulti)
		return
	}
	if errReply := s.ownWritesApplied(c.sess); errReply != "" {
		c.reject(errReply)
		return
	}
	db := c.sess.db
	var keys [][]byte
	for _, key := range c.args[1:] {
		if !watching(tx.guards, db, key) && !containsKey(keys, key) {
			keys = append(keys, key)
		}
	}
	guards, ok := s.data.Watch(db, s.now().UnixMilli(), keys...)
	if !ok {
		// No transaction was ever applied: no guard can hold yet (see
		// fsm/watch.go). Apply an empty one, then watch.
		if _, err := s.write(c.sess, []fsm.Cmd{{Block: &fsm.Block{}}}, 64); err != nil {
			c.conn.WriteError(writeErrorReply(err))
			return
		}
		guards, _ = s.data.Watch(db, s.now().UnixMilli(), keys...)
	}
	tx.guards = append(tx.guards, guards...)
	c.conn.WriteString("OK")
}

func watching(guards []fsm.Guard, db int, key []byte) bool {
	for _, g := range guards {
		if g.DB == db && string(g.Key) == string(key) {
			return true
		}
	}
	return false
}

func containsKey(keys [][]byte, key []byte) bool {
	for _, k := range keys {
		if string(k) == string(key) {
			return true
		}
	}
	return false
}

// EXEC
func cmdExec(s *Server, c *call) {
	tx := c.sess.tx
	switch {
	case !tx.multi:
		c.conn.WriteError(errExecNoMulti)
		return
	case tx.dirty:
		c.sess.tx = txState{}
		c.conn.WriteError(errExecAbort)
		return
	}
	c.sess.tx = txState{}
	s.exec(c, tx.queued, tx.guards)
}

// exec runs a transaction's queue and writes EXEC's reply.
func (s *Server) exec(c *call, queued []queuedCmd, guards []fsm.Guard) {
	block := &fsm.Block{Guards: guards}
	writes := false
	for _, q := range queued {
		if q.row.data != nil {
			block.Cmds = append(block.Cmds, fsm.Cmd{DB: q.db, Args: q.args})
			writes = writes || q.row.Flags&fsm.FlagWrite != 0
		}
	}
	start := time.Now()
	var reply []byte
	switch {
	case writes:
		cmd := fsm.Cmd{DB: c.sess.db, Block: block}
		replies, err := s.write(c.sess, []fsm.Cmd{cmd}, cmdSize(cmd))
		if err != nil {
			if msg := writeErrorReply(err); refusedWrite(msg) {
				c.reject(msg)
			} else {
				c.conn.WriteError(msg)
			}
			return
		}
		reply = replies
	case len(block.Cmds) > 0 || len(guards) > 0:
		floor, errReply := s.readGate(c.sess)
		if errReply != "" {
			c.reject(errReply)
			return
		}
		now := max(s.now().UnixMilli(), floor)
		reply = s.data.ReadBlock(nil, now, rand.Uint64(), block)
	default:
		reply = []byte("*0\r\n")
	}
	s.finishExec(c, queued, reply, time.Since(start))
}

// finishExec writes EXEC's reply: the null array if the block's guards
// failed, else one reply per queued command, the data commands' from the
// block's reply and the server commands' from running them now. It
// counts every command that ran in its statistics, as Redis does.
func (s *Server) finishExec(c *call, queued []queuedCmd, blockReply []byte, took time.Duration) {
	if !bytes.HasPrefix(blockReply, []byte("*")) || bytes.HasPrefix(blockReply, []byte("*-1\r\n")) {
		c.conn.WriteRaw(blockReply) // *-1: a guard failed, nothing ran
		return
	}
	rest := innerReplies(blockReply)
	ndata := 0
	for _, q := range queued {
		if q.row.data != nil {
			ndata++
		}
	}
	per := took
	if ndata > 0 {
		per = took / time.Duration(ndata)
	}
	out := redcon.AppendArray(make([]byte, 0, len(blockReply)+16), len(queued))
	for _, q := range queued {
		var part []byte
		if q.row.data != nil {
			n := replyLen(rest)
			if n == 0 {
				c.conn.WriteError("ERR internal error: malformed reply from the state machine")
				return
			}
			part, rest = rest[:n], rest[n:]
			failed := int64(0)
			if part[0] == '-' {
				failed = 1
			}
			q.row.stats.record(1, per, failed)
		} else {
			buf := &bufConn{Conn: rawConn(c.conn)}
			q.row.run(s, &call{conn: buf, sess: c.sess, args: q.args, batch: c.batch, inExec: true})
			part = buf.out
		}
		if len(part) > 0 && part[0] == '-' {
			s.stats.countErrorReply(part)
		}
		out = append(out, part...)
	}
	c.conn.WriteRaw(out)
}

// innerReplies returns what follows the array header of reply.
func innerReplies(reply []byte) []byte {
	for i := 0; i+1 < len(reply); i++ {
		if reply[i] == '\r' && reply[i+1] == '\n' {
			return reply[i+2:]
		}
	}
	return nil
}

// ownWritesApplied waits until this node has applied the connection's
// last write (read your writes), without the staleness check of reads:
// WATCH, like Redis's, is allowed on a stale node.
func (s *Server) ownWritesApplied(sess *session) string {
	if sess.minIndex <= s.data.AppliedIndex() {
		return ""
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ApplyTimeout)
	defer cancel()
	if s.data.WaitApplied(ctx, sess.minIndex) != nil {
		return errBehind
	}
	return ""
}

// bufConn is a connection that keeps what a server command writes, for
// EXEC to place in its reply.
type bufConn struct {
	redcon.Conn
	out []byte
}

func (b *bufConn) WriteError(msg string)       { b.out = redcon.AppendError(b.out, msg) }
func (b *bufConn) WriteString(str string)      { b.out = redcon.AppendString(b.out, str) }
func (b *bufConn) WriteBulk(bulk []byte)       { b.out = redcon.AppendBulk(b.out, bulk) }
func (b *bufConn) WriteBulkString(bulk string) { b.out = redcon.AppendBulkString(b.out, bulk) }
func (b *bufConn) WriteInt(num int)            { b.out = redcon.AppendInt(b.out, int64(num)) }
func (b *bufConn) WriteInt64(num int64)        { b.out = redcon.AppendInt(b.out, num) }
func (b *bufConn) WriteUint64(num uint64)      { b.out = redcon.AppendUint(b.out, num) }
func (b *bufConn) WriteArray(count int)        { b.out = redcon.AppendArray(b.out, count) }
func (b *bufConn) WriteNull()                  { b.out = redcon.AppendNull(b.out) }
func (b *bufConn) WriteRaw(data []byte)        { b.out = append(b.out, data...) }
func (b *bufConn) WriteAny(v interface{})      { b.out = redcon.AppendAny(b.out, v) }
