package server

import (
	"context"

	"github.com/raftis/raftis/fsm"
)

// The RAFT subcommands (rows in commands.go). JOIN, REMOVE and TRANSFER on
// a follower are passed to the leader.

// RAFT INFO
func cmdRaftInfo(s *Server, c *call) { c.conn.WriteBulkString(s.infoRaft()) }

// RAFT LEADER
func cmdRaftLeader(s *Server, c *call) {
	id, _ := s.node.Leader()
	if id == "" {
		c.conn.WriteNull()
		return
	}
	c.conn.WriteArray(2)
	c.conn.WriteBulkString(id)
	c.conn.WriteBulkString(s.data.NodeAddr(id))
}

// RAFT JOIN id raft-addr redis-addr
func cmdRaftJoin(s *Server, c *call) {
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ApplyTimeout)
	defer cancel()
	replyErr(c, s.join(ctx, string(c.args[2]), string(c.args[3]), string(c.args[4])))
}

// RAFT REMOVE id
func cmdRaftRemove(s *Server, c *call) {
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ApplyTimeout)
	defer cancel()
	replyErr(c, s.remove(ctx, string(c.args[2])))
}

// RAFT TRANSFER [id]
func cmdRaftTransfer(s *Server, c *call) {
	if len(c.args) > 3 {
		c.conn.WriteError(fsm.ErrSyntax)
		return
	}
	id := ""
	if len(c.args) == 3 {
		id = string(c.args[2])
	}
	if !s.node.IsLeader() {
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ApplyTimeout)
		defer cancel()
		replyErr(c, s.onLeader(ctx, "raft", "transfer", id))
		return
	}
	replyErr(c, s.node.Transfer(id))
}

// RAFT SNAPSHOT
func cmdRaftSnapshot(s *Server, c *call) { replyErr(c, s.node.Snapshot()) }

// RAFT FORWARD entry
func cmdRaftForward(s *Server, c *call) { s.forwarded(c) }

func replyErr(c *call, err error) {
	if err != nil {
		msg := err.Error()
		if isReplyError(err, "") {
			c.conn.WriteError(msg)
		} else {
			c.conn.WriteError("ERR " + msg)
		}
		return
	}
	c.conn.WriteString("OK")
}

// forwarded runs a follower's forwarded writes as one entry and answers
// [index, raw replies]. Only the leader accepts them: a follower answers
// NOTLEADER, so a write is never passed along twice.
func (s *Server) forwarded(c *call) {
	if !s.node.IsLeader() {
		c.conn.WriteError(errNotLeader)
		return
	}
	e, err := fsm.DecodeEntry(c.args[2])
	if err != nil || e.Type != fsm.EntryCommands || len(e.Cmds) == 0 {
		c.conn.WriteError("ERR invalid forwarded entry")
		return
	}
	for _, cmd := range e.Cmds {
		if len(cmd.Args) == 0 {
			c.conn.WriteError("ERR invalid forwarded entry")
			return
		}
		if dc := fsm.Lookup(cmd.Args[0]); dc == nil || dc.Flags&fsm.FlagWrite == 0 {
			c.conn.WriteError("ERR forwarded command is not a write")
			return
		}
	}
	replies, index, errReply, retry := s.applyAsLeader(e.Cmds)
	switch {
	case retry:
		c.conn.WriteError(errNotLeader)
	case errReply != "":
		c.conn.WriteError(errReply)
	default:
		// The follower waits to apply the write before it replies: tell it
		// the commit now rather than with the next append.
		s.node.AnnounceCommit()
		c.conn.WriteArray(2)
		c.conn.WriteInt64(int64(index))
		c.conn.WriteBulk(replies)
	}
}
