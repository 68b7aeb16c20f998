package server

import (
	"time"

	"github.com/tidwall/redcon"

	"github.com/raftis/raftis/fsm"
)

// block runs a blocking command (see blocking.go) for one client: the
// waker pops for it at once if it can, else when one of its keys becomes
// ready; the client meanwhile waits for that, its timeout, going away, or
// the server stopping. It runs on the connection's goroutine, so commands
// the client pipelines behind it run after it, as in Redis.
func (s *Server) block(conn redcon.Conn, sess *session, args [][]byte) {
	timeoutMs, errMsg := fsm.BlockingTimeout(args)
	if errMsg != "" {
		conn.WriteError(errMsg)
		return
	}
	// Let the local copy catch up with this connection's own writes
	// first, so that a push it just made is seen.
	if errReply := s.readAllowed(sess); errReply != "" {
		conn.WriteError(errReply)
		return
	}
	keys := fsm.BlockingKeys(args)
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = string(k)
	}
	typ := "list"
	if len(args[0]) > 1 && (args[0][1] == 'z' || args[0][1] == 'Z') {
		typ = "zset" // BZPOPMIN, BZPOPMAX, BZMPOP
	}
	w := s.blocked.add(sess.db, names, typ, args)

	closed, stopWatch := watchClose(conn.NetConn())
	defer stopWatch()
	// The timeout starts once the waker has looked at the keys: if one
	// holds something, the command pops however short its timeout.
	var deadline <-chan time.Time
	select {
	case <-w.looked:
		if timeoutMs > 0 {
			t := time.NewTimer(time.Duration(timeoutMs) * time.Millisecond)
			defer t.Stop()
			deadline = t.C
		}
	case <-closed:
	case <-s.ctx.Done():
	}

	reply := func(res popResult) {
		switch {
		case res.errReply != "":
			conn.WriteError(res.errReply)
		case fsm.WouldBlock(res.reply):
			conn.WriteRaw([]byte(fsm.TimeoutReply))
		default:
			sess.minIndex = max(sess.minIndex, res.index)
			conn.WriteRaw(res.reply)
		}
	}
	timedOut := false
	select {
	case res := <-w.result:
		reply(res)
		return
	case <-deadline:
		timedOut = true
	case <-closed:
	case <-s.ctx.Done():
	}
	// Leaving. If an attempt is in flight, its outcome decides: an
	// element popped for this client is delivered, late rather than lost.
	if !s.blocked.leave(w) {
		select {
		case res := <-w.result:
			reply(res)
			return
		case <-s.ctx.Done():
		}
	}
	switch {
	case s.ctx.Err() != nil:
		conn.WriteError(writeErrorReply(errShuttingDown))
	case timedOut:
		conn.WriteRaw([]byte(fsm.TimeoutReply))
	}
}

// proposePops is the waker's way to propose: cmds as one entry, each
// command's reply split out.
func (s *Server) proposePops(cmds []fsm.Cmd) ([][]byte, uint64, string) {
	var sess session // the index of the entry lands in sess.minIndex
	size := 0
	for _, c := range cmds {
		size += cmdSize(c)
	}
	replies, err := s.write(&sess, cmds, size)
	if err != nil {
		return nil, 0, writeErrorReply(err)
	}
	out := make([][]byte, len(cmds))
	for i := range out {
		n := replyLen(replies)
		if n == 0 {
			return nil, 0, "ERR internal error: malformed reply from the state machine"
		}
		out[i], replies = replies[:n], replies[n:]
	}
	return out, sess.minIndex, ""
}
