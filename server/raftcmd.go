package server

import (
	"context"
	"errors"
	"strings"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
)

// RAFT INFO | LEADER | JOIN id raft-addr redis-addr | REMOVE id |
// TRANSFER [id] | SNAPSHOT | FORWARD entry | HELP
func cmdRaft(s *Server, c *call) {
	sub := strings.ToLower(string(c.args[1]))
	arity := map[string]int{"info": 2, "leader": 2, "join": 5, "remove": 3, "transfer": -2, "snapshot": 2, "forward": 3, "help": 2}
	want, known := arity[sub]
	switch {
	case !known:
		c.conn.WriteError(unknownSubcommand(c.args[1], "raft"))
		return
	case (want > 0 && len(c.args) != want) || (want < 0 && len(c.args) > 3):
		c.conn.WriteError(fsm.ErrArity("raft|" + sub))
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ApplyTimeout)
	defer cancel()
	switch sub {
	case "info":
		c.conn.WriteBulkString(s.infoRaft())
	case "leader":
		id, _ := s.node.Leader()
		if id == "" {
			c.conn.WriteNull()
			return
		}
		c.conn.WriteArray(2)
		c.conn.WriteBulkString(id)
		c.conn.WriteBulkString(s.data.NodeAddr(id))
	case "join":
		replyErr(c, s.join(ctx, string(c.args[2]), string(c.args[3]), string(c.args[4])))
	case "remove":
		replyErr(c, s.remove(ctx, string(c.args[2])))
	case "transfer":
		id := ""
		if len(c.args) == 3 {
			id = string(c.args[2])
		}
		if !s.node.IsLeader() {
			replyErr(c, s.onLeader(ctx, "raft", "transfer", id))
			return
		}
		replyErr(c, s.node.Transfer(id))
	case "snapshot":
		replyErr(c, s.node.Snapshot())
	case "forward":
		s.forwarded(c)
	case "help":
		writeHelp(c, "RAFT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
			"INFO", "    Return Raft state and members.",
			"LEADER", "    Return the leader's id and client address.",
			"JOIN <id> <raft-addr> <redis-addr>", "    Add a member (asks the leader).",
			"REMOVE <id>", "    Remove a member (asks the leader).",
			"TRANSFER [<id>]", "    Hand leadership to <id>, or to the most up-to-date follower.",
			"SNAPSHOT", "    Take a snapshot of the data set now.")
	}
}

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
	replies, at, err := s.proposer.submit(e.Cmds, len(blob))
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
