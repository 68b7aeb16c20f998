package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/raftis/raftis/fsm"
)

// TIME
func cmdTime(_ *Server, c *call) {
	now := time.Now()
	c.conn.WriteArray(2)
	c.conn.WriteBulkString(strconv.FormatInt(now.Unix(), 10))
	c.conn.WriteBulkString(strconv.FormatInt(int64(now.Nanosecond()/1000), 10))
}

// LASTSAVE: when this node last wrote a snapshot (its start time if none).
func cmdLastSave(s *Server, c *call) {
	c.conn.WriteInt64(s.lastSave().Unix())
}

// ROLE: the leader answers as a master listing its followers, a follower as
// a replica of the leader, in Redis's reply shapes.
func cmdRole(s *Server, c *call) {
	st := s.node.Status()
	if s.node.IsLeader() {
		followers := s.connectedFollowers()
		c.conn.WriteArray(3)
		c.conn.WriteBulkString("master")
		c.conn.WriteInt64(int64(st.AppliedIndex))
		c.conn.WriteArray(len(followers))
		for _, f := range followers {
			host, port := splitHostPort(f.RedisAddr)
			c.conn.WriteArray(3)
			c.conn.WriteBulkString(host)
			c.conn.WriteBulkString(port)
			c.conn.WriteBulkString(strconv.FormatUint(st.AppliedIndex, 10))
		}
		return
	}
	host, port := splitHostPort(s.leaderRedisAddr())
	portN, _ := strconv.Atoi(port)
	state, offset := "connected", int64(s.data.AppliedIndex())
	if host == "" {
		state, offset = "connect", -1
	}
	c.conn.WriteArray(5)
	c.conn.WriteBulkString("slave")
	c.conn.WriteBulkString(host)
	c.conn.WriteInt(portN)
	c.conn.WriteBulkString(state)
	c.conn.WriteInt64(offset)
}

// CONFIG GET parameter [parameter ...] | SET | RESETSTAT | HELP
//
// CONFIG GET answers for the parameters tools ask about (redis-benchmark
// asks for save and appendonly); CONFIG SET changes nothing yet.
func cmdConfig(s *Server, c *call) {
	sub := strings.ToLower(string(c.args[1]))
	switch sub {
	case "get":
		if len(c.args) < 3 {
			c.conn.WriteError(fsm.ErrArity("config|get"))
			return
		}
		params := s.configParams()
		var names []string
		for _, name := range configOrder {
			for _, pat := range c.args[2:] {
				if fsm.MatchPattern(pat, []byte(name), true) {
					names = append(names, name)
					break
				}
			}
		}
		c.conn.WriteArray(2 * len(names))
		for _, name := range names {
			c.conn.WriteBulkString(name)
			c.conn.WriteBulkString(params[name])
		}
	case "set":
		if len(c.args) < 4 || len(c.args)%2 != 0 {
			c.conn.WriteError(fsm.ErrArity("config|set"))
			return
		}
		c.conn.WriteError("ERR CONFIG SET is not supported by raftis; use command-line flags")
	case "resetstat":
		c.conn.WriteString("OK")
	case "help":
		writeHelp(c, "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
			"GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
			"RESETSTAT", "    Reset statistics reported by the INFO command.")
	default:
		c.conn.WriteError(unknownSubcommand(c.args[1], "config"))
	}
}

var configOrder = []string{
	"appendonly", "bind", "databases", "maxclients", "maxmemory", "port",
	"proto-max-bulk-len", "replica-read-only", "replica-serve-stale-data", "save",
}

func (s *Server) configParams() map[string]string {
	host, port := splitHostPort(s.cfg.RedisAddr)
	staleData := "yes"
	if s.cfg.MaxStaleness > 0 {
		staleData = "no"
	}
	readOnly := "no"
	if s.cfg.FollowerWrites == FollowerWritesReject {
		readOnly = "yes"
	}
	return map[string]string{
		// Every write is in the Raft log on a quorum before it is
		// acknowledged, which is what appendfsync always promises.
		"appendonly":               "yes",
		"bind":                     host,
		"databases":                strconv.Itoa(fsm.NumDatabases),
		"maxclients":               "10000",
		"maxmemory":                "0",
		"port":                     port,
		"proto-max-bulk-len":       strconv.FormatInt(s.cfg.ProtoMaxBulkLen, 10),
		"replica-read-only":        readOnly,
		"replica-serve-stale-data": staleData,
		"save":                     "",
	}
}

// COMMAND | COMMAND COUNT | COMMAND LIST | COMMAND INFO name... | COMMAND DOCS [name...]
func cmdCommand(s *Server, c *call) {
	if len(c.args) == 1 {
		c.conn.WriteArray(len(s.table.sorted))
		for _, cmd := range s.table.sorted {
			writeCommandInfo(c, cmd)
		}
		return
	}
	sub := strings.ToLower(string(c.args[1]))
	switch sub {
	case "count":
		c.conn.WriteInt(len(s.table.sorted))
	case "list":
		c.conn.WriteArray(len(s.table.sorted))
		for _, cmd := range s.table.sorted {
			c.conn.WriteBulkString(cmd.Name)
		}
	case "info":
		cmds := s.requested(c.args[2:])
		c.conn.WriteArray(len(cmds))
		for _, cmd := range cmds {
			if cmd == nil {
				c.conn.WriteNull()
			} else {
				writeCommandInfo(c, cmd)
			}
		}
	case "docs":
		cmds := s.requested(c.args[2:])
		n := 0
		for _, cmd := range cmds {
			if cmd != nil {
				n++
			}
		}
		c.conn.WriteArray(2 * n)
		for _, cmd := range cmds {
			if cmd != nil {
				writeCommandDocs(c, cmd)
			}
		}
	case "getkeys":
		if len(c.args) < 3 {
			c.conn.WriteError(fsm.ErrArity("command|getkeys"))
			return
		}
		cmd, errReply := s.table.resolve(c.args[2:])
		if errReply != "" {
			c.conn.WriteError("ERR Invalid command specified")
			return
		}
		keys := cmd.Keys(c.args[2:])
		if len(keys) == 0 {
			c.conn.WriteError("ERR The command has no key arguments")
			return
		}
		c.conn.WriteArray(len(keys))
		for _, k := range keys {
			c.conn.WriteBulk(k)
		}
	case "help":
		writeHelp(c, "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
			"(no subcommand)", "    Return details about all Redis commands.",
			"COUNT", "    Return the total number of commands in this Redis server.",
			"LIST", "    Return a list of all commands in this Redis server.",
			"INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
			"DOCS [<command-name> ...]", "    Return documentation details about multiple Redis commands.",
			"GETKEYS <full-command>", "    Return the keys from a full Redis command.")
	default:
		c.conn.WriteError(unknownSubcommand(c.args[1], "command"))
	}
}

// requested maps names to commands (nil for unknown ones); no names means all.
func (s *Server) requested(names [][]byte) []*command {
	if len(names) == 0 {
		return s.table.sorted
	}
	cmds := make([]*command, len(names))
	for i, name := range names {
		cmds[i] = s.table.lookup(name)
	}
	return cmds
}

// writeCommandInfo writes one COMMAND INFO entry in Redis 7's 10-field shape.
func writeCommandInfo(c *call, cmd *command) {
	c.conn.WriteArray(10)
	c.conn.WriteBulkString(cmd.Name)
	c.conn.WriteInt(cmd.Arity)
	flags := cmd.Flags.Names()
	c.conn.WriteArray(len(flags))
	for _, f := range flags {
		c.conn.WriteString(f)
	}
	c.conn.WriteInt(cmd.FirstKey)
	c.conn.WriteInt(cmd.LastKey)
	c.conn.WriteInt(cmd.KeyStep)
	acl := aclCategories(cmd)
	c.conn.WriteArray(len(acl))
	for _, a := range acl {
		c.conn.WriteString(a)
	}
	c.conn.WriteArray(0) // tips
	c.conn.WriteArray(0) // key specs
	c.conn.WriteArray(0) // subcommands
}

func aclCategories(cmd *command) []string {
	var acl []string
	switch {
	case cmd.Flags&fsm.FlagWrite != 0:
		acl = append(acl, "@write")
	case cmd.Flags&fsm.FlagReadonly != 0:
		acl = append(acl, "@read")
	}
	if cmd.Group != "" {
		// The ACL category drops the dash of the group: "sorted-set"
		// commands are "@sortedset".
		acl = append(acl, "@"+strings.ReplaceAll(cmd.Group, "-", ""))
	}
	if cmd.Flags&fsm.FlagFast != 0 {
		acl = append(acl, "@fast")
	} else {
		acl = append(acl, "@slow")
	}
	if cmd.Flags&fsm.FlagAdmin != 0 {
		acl = append(acl, "@admin", "@dangerous")
	}
	return acl
}

// writeCommandDocs writes one COMMAND DOCS entry: the name, then a map of
// summary, since and group (no argument specs, which redis-cli does not need).
func writeCommandDocs(c *call, cmd *command) {
	c.conn.WriteBulkString(cmd.Name)
	c.conn.WriteArray(6)
	c.conn.WriteBulkString("summary")
	c.conn.WriteBulkString(cmd.Summary)
	c.conn.WriteBulkString("since")
	c.conn.WriteBulkString("1.0.0")
	c.conn.WriteBulkString("group")
	c.conn.WriteBulkString(cmd.Group)
}

func splitHostPort(addr string) (host, port string) {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return addr, ""
	}
	return addr[:i], addr[i+1:]
}
