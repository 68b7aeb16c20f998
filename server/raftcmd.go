package server

import (
	"context"
	"errors"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
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
	var re replyError
	switch {
	case err == nil:
		c.conn.WriteString("OK")
	case errors.As(err, &re):
		c.conn.WriteError(string(re))
	default:
		c.conn.WriteError("ERR " + err.Error())
	}
}

// forwarded runs a follower's forwarded writes as one entry and answers
// [index, raw replies, term]. Only the leader accepts them: a follower
// answers NOTLEADER, so a write is never passed along twice.
func (s *Server) forwarded(c *call) {
	if !s.node.IsLeader() {
		c.conn.WriteError(replyNotLeader)
		return
	}
	blob := c.args[2]
	e, err := fsm.DecodeEntry(blob)
	if err != nil || e.Type != fsm.EntryCommands || len(e.Cmds) == 0 {
		c.conn.WriteError("ERR invalid forwarded entry")
		return
	}
	if errReply := forwardedCmdsValid(e.Cmds); errReply != "" {
		c.conn.WriteError(errReply)
		return
	}
	replies, at, err := s.submit(e.Cmds, len(blob))
	switch {
	case errors.Is(err, raftlog.ErrNotLeader):
		c.conn.WriteError(replyNotLeader) // nothing written: the follower retries
	case err != nil:
		c.conn.WriteError(writeErrorReply(err))
	default:
		c.conn.WriteArray(3)
		c.conn.WriteInt64(int64(at.index))
		c.conn.WriteBulk(replies)
		c.conn.WriteInt64(int64(at.term))
	}
}

// forwardedCmdsValid checks what a follower forwarded: writes, and
// transaction blocks of data commands (reads included, which run in the
// block on every node).
func forwardedCmdsValid(cmds []fsm.Cmd) string {
	for _, cmd := range cmds {
		if cmd.Block != nil {
			for _, inner := range cmd.Block.Cmds {
				if len(inner.Args) == 0 || fsm.LookupArgs(inner.Args) == nil {
					return "ERR invalid forwarded entry"
				}
			}
			continue
		}
		if len(cmd.Args) == 0 {
			return "ERR invalid forwarded entry"
		}
		if dc := fsm.LookupArgs(cmd.Args); dc == nil || dc.Flags&fsm.FlagWrite == 0 {
			return "ERR forwarded command is not a write"
		}
	}
	return ""
}
