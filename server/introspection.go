package server

import (
	"strings"

	"github.com/raftis/raftis/fsm"
)

// COMMAND: every top-level command, each container with its subcommands.
func cmdCommand(s *Server, c *call) {
	c.conn.WriteArray(len(s.table.sorted))
	for _, cmd := range s.table.sorted {
		writeCommandInfo(c, cmd)
	}
}

// COMMAND COUNT: the top-level commands.
func cmdCommandCount(s *Server, c *call) { c.conn.WriteInt(len(s.table.sorted)) }

// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]:
// every command and subcommand by full name.
func cmdCommandList(s *Server, c *call) {
	keep := func(*command) bool { return true }
	if len(c.args) > 2 {
		if len(c.args) != 5 || !strings.EqualFold(string(c.args[2]), "filterby") {
			c.conn.WriteError(fsm.ErrSyntax)
			return
		}
		arg := c.args[4]
		switch strings.ToLower(string(c.args[3])) {
		case "module":
			keep = func(*command) bool { return false } // raftis has no modules
		case "aclcat":
			keep = func(cmd *command) bool { return hasCategory(cmd, strings.ToLower(string(arg))) }
		case "pattern":
			keep = func(cmd *command) bool { return fsm.MatchPattern(arg, []byte(cmd.Name), true) }
		default:
			c.conn.WriteError(fsm.ErrSyntax)
			return
		}
	}
	var names []string
	s.table.walk(func(cmd *command) {
		if keep(cmd) {
			names = append(names, cmd.Name)
		}
	})
	c.conn.WriteArray(len(names))
	for _, name := range names {
		c.conn.WriteBulkString(name)
	}
}

// COMMAND INFO [command-name ...]: null for an unknown name.
func cmdCommandInfo(s *Server, c *call) {
	if len(c.args) == 2 {
		cmdCommand(s, c)
		return
	}
	c.conn.WriteArray(len(c.args) - 2)
	for _, name := range c.args[2:] {
		if cmd := s.table.byFullName(name); cmd != nil {
			writeCommandInfo(c, cmd)
		} else {
			c.conn.WriteNull()
		}
	}
}

// COMMAND DOCS [command-name ...]: unknown names are left out.
func cmdCommandDocs(s *Server, c *call) {
	cmds := s.table.sorted
	if len(c.args) > 2 {
		cmds = nil
		for _, name := range c.args[2:] {
			if cmd := s.table.byFullName(name); cmd != nil {
				cmds = append(cmds, cmd)
			}
		}
	}
	c.conn.WriteArray(2 * len(cmds))
	for _, cmd := range cmds {
		c.conn.WriteBulkString(cmd.Name)
		writeCommandDocs(c, cmd)
	}
}

// COMMAND GETKEYS command [arg ...]
func cmdCommandGetKeys(s *Server, c *call) {
	args := c.args[2:]
	cmd, errReply := s.table.find(args)
	switch {
	case errReply != "":
		c.conn.WriteError("ERR Invalid command specified")
		return
	case cmd.FirstKey == 0 && cmd.NumKeysAt == 0:
		c.conn.WriteError("ERR The command has no key arguments")
		return
	case !cmd.ArityOK(len(args)):
		c.conn.WriteError("ERR Invalid number of arguments specified for command")
		return
	}
	keys := cmd.Keys(args)
	if len(keys) == 0 {
		c.conn.WriteError("ERR Invalid arguments specified for command")
		return
	}
	c.conn.WriteArray(len(keys))
	for _, k := range keys {
		c.conn.WriteBulk(k)
	}
}

// writeCommandInfo writes one COMMAND INFO entry in Redis 7's 10-field
// shape; a container's last field holds its subcommands' entries.
func writeCommandInfo(c *call, cmd *command) {
	c.conn.WriteArray(10)
	c.conn.WriteBulkString(cmd.Name)
	c.conn.WriteInt(cmd.Arity)
	writeStatuses(c, cmd.Flags.Names())
	c.conn.WriteInt(cmd.FirstKey)
	c.conn.WriteInt(cmd.LastKey)
	c.conn.WriteInt(cmd.KeyStep)
	writeStatuses(c, aclCategories(cmd))
	c.conn.WriteArray(len(cmd.tips))
	for _, tip := range cmd.tips {
		c.conn.WriteBulkString(tip)
	}
	c.conn.WriteArray(0) // key specs
	c.conn.WriteArray(len(cmd.subs))
	for _, sub := range cmd.subs {
		writeCommandInfo(c, sub)
	}
}

func writeStatuses(c *call, list []string) {
	c.conn.WriteArray(len(list))
	for _, s := range list {
		c.conn.WriteString(s)
	}
}

// writeCommandDocs writes one COMMAND DOCS entry: a map of summary, since
// and group (no argument specs, which redis-cli does not need), and a
// container's subcommands.
func writeCommandDocs(c *call, cmd *command) {
	n := 6
	if cmd.isContainer() {
		n += 2
	}
	c.conn.WriteArray(n)
	c.conn.WriteBulkString("summary")
	c.conn.WriteBulkString(cmd.Summary)
	c.conn.WriteBulkString("since")
	c.conn.WriteBulkString("1.0.0")
	c.conn.WriteBulkString("group")
	c.conn.WriteBulkString(cmd.Group)
	if cmd.isContainer() {
		c.conn.WriteBulkString("subcommands")
		c.conn.WriteArray(2 * len(cmd.subs))
		for _, sub := range cmd.subs {
			c.conn.WriteBulkString(sub.Name)
			writeCommandDocs(c, sub)
		}
	}
}

// aclOrder is Redis's order of ACL categories in COMMAND INFO.
var aclOrder = []string{
	"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog",
	"geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection",
	"transaction", "scripting",
}

// aclCategories are the row's ACL categories in Redis's order: those its
// flags imply (write, read, admin and dangerous, fast or else slow,
// blocking, pubsub), its group's for a data command, and its own.
func aclCategories(cmd *command) []string {
	var out []string
	for _, cat := range aclOrder {
		if hasCategory(cmd, cat) {
			out = append(out, "@"+cat)
		}
	}
	return out
}

func hasCategory(cmd *command, cat string) bool {
	f := cmd.Flags
	switch {
	case cat == "write" && f&fsm.FlagWrite != 0,
		cat == "read" && f&fsm.FlagReadonly != 0,
		(cat == "admin" || cat == "dangerous") && f&fsm.FlagAdmin != 0,
		cat == "fast" && f&fsm.FlagFast != 0,
		cat == "slow" && f&fsm.FlagFast == 0,
		cat == "blocking" && f&fsm.FlagBlocking != 0,
		cat == "pubsub" && f&fsm.FlagPubsub != 0:
		return true
	}
	if cmd.data != nil {
		// A data command's own categories, else its group's.
		cats := cmd.ACL
		if cats == nil {
			cats = groupACL(cmd.Group)
		}
		for _, g := range cats {
			if g == cat {
				return true
			}
		}
	}
	for _, a := range cmd.acl {
		if a == cat {
			return true
		}
	}
	return false
}

// groupACL is the category Redis gives the data commands of a group.
func groupACL(group string) []string {
	switch group {
	case "generic":
		return []string{"keyspace"}
	case "sorted-set": // as COMMAND DOCS names the group
		return []string{"sortedset"}
	case "transactions":
		return []string{"transaction"}
	case "string", "hash", "list", "set", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "scripting", "connection":
		return []string{group}
	}
	return nil
}
