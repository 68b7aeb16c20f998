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
// the rest run here.
type command struct {
	fsm.Spec
	data *fsm.Command
	run  func(s *Server, c *call)
}

// call is one invocation of a server-side command.
type call struct {
	conn  redcon.Conn
	sess  *session
	args  [][]byte
	batch *batch
}

// table is the single source of truth for commands.
type table struct {
	byName map[string]*command
	sorted []*command
}

// serverCommands are the commands this package implements.
var serverCommands = []*command{
	{Spec: spec("ping", -1, fsm.FlagFast|fsm.FlagStale, "connection", "Returns the server's liveliness response."), run: cmdPing},
	{Spec: spec("echo", 2, fsm.FlagFast|fsm.FlagStale, "connection", "Returns the given string."), run: cmdEcho},
	{Spec: spec("quit", -1, fsm.FlagFast|fsm.FlagStale|fsm.FlagNoAuth, "connection", "Closes the connection."), run: cmdQuit},
	{Spec: spec("select", 2, fsm.FlagFast|fsm.FlagStale|fsm.FlagLoading, "connection", "Changes the selected database."), run: cmdSelect},
	{Spec: spec("hello", -1, fsm.FlagFast|fsm.FlagStale|fsm.FlagNoAuth|fsm.FlagNoScript, "connection", "Handshakes with the Redis server."), run: cmdHello},
	{Spec: spec("auth", -2, fsm.FlagFast|fsm.FlagStale|fsm.FlagNoAuth|fsm.FlagNoScript, "connection", "Authenticates the connection."), run: cmdAuth},
	{Spec: spec("client", -2, fsm.FlagStale, "connection", "A container for client connection commands."), run: cmdClient},
	{Spec: spec("readonly", 1, fsm.FlagFast|fsm.FlagStale|fsm.FlagLoading, "cluster", "Enables read-only queries for a connection to a Redis Cluster replica node."), run: cmdOK},
	{Spec: spec("readwrite", 1, fsm.FlagFast|fsm.FlagStale|fsm.FlagLoading, "cluster", "Enables read-write queries for a connection to a Reids Cluster replica node."), run: cmdOK},
	{Spec: spec("command", -1, fsm.FlagStale|fsm.FlagLoading, "server", "Returns detailed information about all commands."), run: cmdCommand},
	{Spec: spec("config", -2, fsm.FlagAdmin|fsm.FlagStale|fsm.FlagNoScript, "server", "A container for server configuration commands."), run: cmdConfig},
	{Spec: spec("info", -1, fsm.FlagStale|fsm.FlagLoading, "server", "Returns information and statistics about the server."), run: cmdInfo},
	{Spec: spec("role", 1, fsm.FlagFast|fsm.FlagStale|fsm.FlagLoading|fsm.FlagNoScript, "server", "Returns the replication role."), run: cmdRole},
	{Spec: spec("time", 1, fsm.FlagFast|fsm.FlagStale|fsm.FlagLoading, "server", "Returns the server time."), run: cmdTime},
	{Spec: spec("lastsave", 1, fsm.FlagFast|fsm.FlagStale|fsm.FlagLoading, "server", "Returns the Unix timestamp of the last successful save to disk."), run: cmdLastSave},
	{Spec: spec("raft", -2, fsm.FlagAdmin|fsm.FlagStale|fsm.FlagNoScript, "raft", "Raft cluster administration: INFO, LEADER, JOIN, REMOVE, TRANSFER, SNAPSHOT."), run: cmdRaft},
}

func spec(name string, arity int, flags fsm.Flag, group, summary string) fsm.Spec {
	return fsm.Spec{Name: name, Arity: arity, Flags: flags, Group: group, Summary: summary}
}

func newTable() *table {
	t := &table{byName: make(map[string]*command)}
	add := func(c *command) {
		if t.byName[c.Name] != nil {
			panic("server: duplicate command " + c.Name)
		}
		t.byName[c.Name] = c
		t.sorted = append(t.sorted, c)
	}
	for _, dc := range fsm.Commands() {
		add(&command{Spec: dc.Spec, data: dc})
	}
	for _, sc := range serverCommands {
		add(sc)
	}
	sort.Slice(t.sorted, func(i, j int) bool { return t.sorted[i].Name < t.sorted[j].Name })
	return t
}

func (t *table) lookup(name []byte) *command {
	return t.byName[strings.ToLower(string(name))]
}

// resolve finds args' command and checks its arity. It returns the error
// reply when the command is unknown or called with the wrong arity.
func (t *table) resolve(args [][]byte) (*command, string) {
	cmd := t.lookup(args[0])
	if cmd == nil {
		return nil, unknownCommand(args)
	}
	if !cmd.ArityOK(len(args)) {
		return nil, fsm.ErrArity(cmd.Name)
	}
	return cmd, ""
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

// unknownSubcommand is Redis's reply to an unknown subcommand of a container.
func unknownSubcommand(sub []byte, container string) string {
	return "ERR unknown subcommand '" + truncate(sub, 128) + "'. Try " + strings.ToUpper(container) + " HELP."
}
