package server

import (
	"bytes"
	"sort"
	"strings"

	"github.com/tidwall/redcon"

	"github.com/raftis/raftis/fsm"
)

// command is one row of the command table: a Spec and how it runs. Data
// commands (fsm) run against the FSM, through the log when they write;
// server commands run here.
//
// A container (CONFIG, CLIENT, COMMAND, MEMORY, RAFT, and OBJECT once fsm
// has it) has its subcommands as rows of their own, named as Redis names
// them ("config|get"), each with its arity, flags, summary, HELP lines,
// function and statistics. Dispatch resolves "CONFIG GET x" to the
// config|get row, so arity errors, unknown-subcommand errors, routing,
// COMMAND's output and INFO commandstats all come from the rows. A
// subcommand may be a data command: an fsm command named "object|encoding"
// becomes a subcommand of OBJECT and is routed like any read or write.
type command struct {
	fsm.Spec
	data *fsm.Command             // a data command; nil for server commands
	fn   func(s *Server, c *call) // a server command (or a container run without subcommand, as COMMAND)
	acl  []string                 // ACL categories beyond those the flags imply (Redis's explicit ones)
	tips []string                 // COMMAND INFO's tips
	// help are the row's lines in its container's HELP: its syntax, then
	// what it does. A container's own lines come first (COMMAND's
	// "(no subcommand)").
	help []string

	container *command            // set on a subcommand
	subs      []*command          // a container's subcommands, in HELP order
	subByName map[string]*command // by the part after '|'

	stats commandStats
}

// call is one invocation of a server-side command.
type call struct {
	conn  redcon.Conn
	sess  *session
	args  [][]byte
	batch *batch
	cmd   *command
	// watch sits between the command and conn while it runs, noting its
	// error replies (commandstats' failed_calls); rejected marks a call
	// refused before it ran.
	watch    errorWatch
	rejected bool
	// inExec: the command runs inside EXEC, where nothing blocks.
	inExec bool
}

// table is the single source of truth for commands and their subcommands.
// Each Server has its own (its rows hold that node's statistics).
type table struct {
	byName map[string]*command // top-level commands
	sorted []*command          // top-level commands by name
	maxLen int                 // longest top-level name
}

func newTable(data []*fsm.Command) *table {
	t := &table{byName: make(map[string]*command)}
	for _, sc := range serverCommands() {
		t.add(sc)
	}
	for _, dc := range data {
		row := &command{Spec: dc.Spec, data: dc, help: dc.Help, tips: dc.Tips}
		if parent, _, ok := strings.Cut(dc.Name, "|"); ok {
			t.container(parent, dc.Group).addSub(row)
			continue
		}
		t.add(row)
	}
	for _, c := range t.byName {
		c.addHelpRow()
		t.sorted = append(t.sorted, c)
		t.maxLen = max(t.maxLen, len(c.Name))
	}
	sort.Slice(t.sorted, func(i, j int) bool { return t.sorted[i].Name < t.sorted[j].Name })
	return t
}

func (t *table) add(c *command) {
	if t.byName[c.Name] != nil {
		panic("server: duplicate command " + c.Name)
	}
	t.byName[c.Name] = c
	for _, sub := range c.subs {
		c.index(sub)
	}
}

// container returns the container row called name, making one for data
// subcommands whose container the server does not declare.
func (t *table) container(name, group string) *command {
	if c := t.byName[name]; c != nil {
		return c
	}
	c := &command{Spec: spec(name, -2, 0, group, "A container for "+strings.ToUpper(name)+" commands")}
	t.add(c)
	return c
}

// addSub adds row, named "<c>|<sub>", as a subcommand of c, before its
// HELP subcommand (which HELP lists last).
func (c *command) addSub(row *command) {
	c.index(row)
	if n := len(c.subs); n > 0 && c.subs[n-1].Name == c.Name+"|help" {
		c.subs = append(c.subs[:n-1], row, c.subs[n-1])
		return
	}
	c.subs = append(c.subs, row)
}

func (c *command) index(sub *command) {
	if c.subByName == nil {
		c.subByName = make(map[string]*command)
	}
	name := strings.TrimPrefix(sub.Name, c.Name+"|")
	if name == sub.Name || c.subByName[name] != nil {
		panic("server: bad or duplicate subcommand " + sub.Name)
	}
	sub.container = c
	c.subByName[name] = sub
}

// addHelpRow gives a container of data subcommands its HELP subcommand,
// as every Redis container has (the server's containers declare theirs).
func (c *command) addHelpRow() {
	if len(c.subs) == 0 || c.subByName["help"] != nil {
		return
	}
	c.addSub(helpRow(c.Name, c.Group, groupACL(c.Group)))
}

// isContainer reports whether c has subcommands.
func (c *command) isContainer() bool { return len(c.subs) > 0 }

// lookup finds a top-level command by name, case-insensitively, without
// allocating.
func (t *table) lookup(name []byte) *command {
	if len(name) > t.maxLen {
		return nil
	}
	var buf [32]byte
	return t.byName[string(lowerInto(buf[:0], name))]
}

// sub finds a subcommand of c by name, case-insensitively.
func (c *command) sub(name []byte) *command {
	if len(name) > 32 {
		return nil
	}
	var buf [32]byte
	return c.subByName[string(lowerInto(buf[:0], name))]
}

func lowerInto(dst, name []byte) []byte {
	dst = append(dst, name...)
	for i, ch := range dst {
		if 'A' <= ch && ch <= 'Z' {
			dst[i] = ch + 'a' - 'A'
		}
	}
	return dst
}

// byFullName finds a command or subcommand by its full name
// ("config|get"), as COMMAND INFO and DOCS take them.
func (t *table) byFullName(name []byte) *command {
	parent, sub, isSub := bytes.Cut(name, []byte("|"))
	c := t.lookup(parent)
	if c == nil || !isSub {
		return c
	}
	return c.sub(sub)
}

// find returns the row args call: the command, or its subcommand when it
// is a container called with arguments (as Redis, CONFIG alone is the
// container, which then fails its arity). It returns the error reply for
// an unknown command or subcommand.
func (t *table) find(args [][]byte) (*command, string) {
	c := t.lookup(args[0])
	switch {
	case c == nil:
		return nil, unknownCommand(args)
	case len(args) == 1 || !c.isContainer():
		return c, ""
	}
	if sub := c.sub(args[1]); sub != nil {
		return sub, ""
	}
	return nil, unknownSubcommand(args[1], args[0])
}

// resolve is dispatch's lookup: it finds args' row and checks its arity.
// It returns the error reply when the command is refused, and counts a
// refusal for a known command in its rejected_calls, as Redis does.
func (t *table) resolve(args [][]byte) (*command, string) {
	c, errReply := t.find(args)
	if errReply != "" {
		return nil, errReply
	}
	if !c.ArityOK(len(args)) {
		c.stats.rejected.Add(1)
		return nil, fsm.ErrArity(c.Name)
	}
	return c, ""
}

// walk calls fn for every row, each container followed by its
// subcommands, containers in name order.
func (t *table) walk(fn func(*command)) {
	for _, c := range t.sorted {
		fn(c)
		for _, sub := range c.subs {
			fn(sub)
		}
	}
}

// unknownCommand builds Redis's reply to an unknown command, which quotes
// the name and the first arguments (cut at 128 bytes).
func unknownCommand(args [][]byte) string {
	var quoted strings.Builder
	for _, a := range args[1:] {
		if quoted.Len() >= 128 {
			break
		}
		n := 128 - quoted.Len()
		quoted.WriteString("'")
		quoted.WriteString(truncate(a, n))
		quoted.WriteString("' ")
	}
	return "ERR unknown command '" + truncate(args[0], 128) + "', with args beginning with: " + quoted.String()
}

// truncate cuts b at n bytes and, as Redis's %s formatting of C strings
// does, at the first NUL byte.
func truncate(b []byte, n int) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}

// unknownSubcommand is Redis's reply to an unknown subcommand of a
// container, named as the client typed it.
func unknownSubcommand(sub, container []byte) string {
	return "ERR unknown subcommand '" + truncate(sub, 128) + "'. Try " + strings.ToUpper(truncate(container, 128)) + " HELP."
}

func spec(name string, arity int, flags fsm.Flag, group, summary string) fsm.Spec {
	return fsm.Spec{Name: name, Arity: arity, Flags: flags, Group: group, Summary: summary}
}
