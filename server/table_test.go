package server

import (
	"strings"
	"testing"

	"github.com/raftis/raftis/fsm"
)

func args(words ...string) [][]byte {
	out := make([][]byte, len(words))
	for i, w := range words {
		out[i] = []byte(w)
	}
	return out
}

// TestTableInvariants checks what dispatch, routing, HELP, COMMAND and
// INFO commandstats rely on, for every command and subcommand.
func TestTableInvariants(t *testing.T) {
	tb := newTable(fsm.Commands())
	if len(tb.sorted) != len(tb.byName) {
		t.Fatalf("%d rows but %d names: duplicates", len(tb.sorted), len(tb.byName))
	}
	seen := map[string]bool{}
	tb.walk(func(c *command) {
		name := c.Name
		if seen[name] {
			t.Errorf("%s listed twice", name)
		}
		seen[name] = true
		if name != strings.ToLower(name) || name == "" {
			t.Errorf("%q: names are lowercase and non-empty", name)
		}
		if got := tb.byFullName([]byte(strings.ToUpper(name))); got != c {
			t.Errorf("%s: its full name does not find it", name)
		}
		checkRowKind(t, c)
		checkArityAndKeys(t, c)
		if c.Summary == "" || c.Group == "" {
			t.Errorf("%s: summary and group are needed by COMMAND DOCS", name)
		}
		checkContainer(t, c)
	})
	for _, want := range []string{"config|get", "config|set", "config|resetstat", "client|list", "command|info", "memory|usage", "raft|forward", "config|help"} {
		if !seen[want] {
			t.Errorf("%s is not a row", want)
		}
	}
}

func checkRowKind(t *testing.T, c *command) {
	t.Helper()
	runs := c.data != nil || c.fn != nil
	if c.data != nil && c.fn != nil {
		t.Errorf("%s: both a data command and a server function", c.Name)
	}
	if !runs && (!c.isContainer() || c.container != nil) {
		t.Errorf("%s: only a top-level container may have nothing to run", c.Name)
	}
	if c.data != nil && c.data.Run == nil {
		t.Errorf("%s: data command without a Run function", c.Name)
	}
	isWrite, isRead := c.Flags&fsm.FlagWrite != 0, c.Flags&fsm.FlagReadonly != 0
	if c.data != nil && isWrite == isRead {
		t.Errorf("%s: a data command is either write or readonly (write=%v readonly=%v)", c.Name, isWrite, isRead)
	}
	if c.data == nil && isWrite {
		t.Errorf("%s: server commands never go through the log, so never carry the write flag", c.Name)
	}
}

func checkArityAndKeys(t *testing.T, c *command) {
	t.Helper()
	minArgs := c.Arity
	if minArgs < 0 {
		minArgs = -minArgs
	}
	if c.Arity == 0 || (c.container != nil && minArgs < 2) {
		t.Errorf("%s: arity %d (a subcommand's counts the container's name and its own)", c.Name, c.Arity)
	}
	if c.FirstKey < 0 || c.KeyStep < 0 {
		t.Errorf("%s: negative key position", c.Name)
	}
	if c.FirstKey > 0 {
		if c.FirstKey >= minArgs {
			t.Errorf("%s: first key %d outside the minimal arity %d", c.Name, c.FirstKey, c.Arity)
		}
		if c.container != nil && c.FirstKey < 2 {
			t.Errorf("%s: a subcommand's keys come after its name", c.Name)
		}
		if c.LastKey > 0 && c.LastKey < c.FirstKey {
			t.Errorf("%s: last key %d before first key %d", c.Name, c.LastKey, c.FirstKey)
		}
		if c.KeyStep == 0 {
			t.Errorf("%s: key step 0 with keys", c.Name)
		}
	}
}

func checkContainer(t *testing.T, c *command) {
	t.Helper()
	if c.container != nil {
		if !strings.HasPrefix(c.Name, c.container.Name+"|") || strings.Count(c.Name, "|") != 1 {
			t.Errorf("%s: a subcommand is named <container>|<name>", c.Name)
		}
		if c.isContainer() {
			t.Errorf("%s: subcommands have no subcommands", c.Name)
		}
		if len(c.helpLines()) == 0 {
			t.Errorf("%s: no HELP lines", c.Name)
		}
		return
	}
	if strings.Contains(c.Name, "|") {
		t.Errorf("%s: a top-level command without its container", c.Name)
	}
	if !c.isContainer() {
		return
	}
	if c.Arity > -1 {
		t.Errorf("%s: a container takes its subcommand as an argument (arity %d)", c.Name, c.Arity)
	}
	if help := c.subByName["help"]; help == nil || help.Arity != 2 || c.subs[len(c.subs)-1] != help {
		t.Errorf("%s: a container ends with its HELP subcommand", c.Name)
	}
	for _, sub := range c.subs {
		if sub.container != c || c.sub([]byte(strings.ToUpper(strings.TrimPrefix(sub.Name, c.Name+"|")))) != sub {
			t.Errorf("%s: subcommand %s is not reachable", c.Name, sub.Name)
		}
	}
}

// A data subcommand from fsm (OBJECT ENCODING) becomes a row of its
// container, and dispatch routes it like any data read.
func TestDataSubcommandsJoinTheirContainer(t *testing.T) {
	encoding := fsm.LookupArgs(args("object", "ENCODING", "k"))
	if encoding == nil || encoding.Name != "object|encoding" {
		t.Fatalf("fsm.LookupArgs(object ENCODING k) = %v", encoding)
	}
	tb := newTable(fsm.Commands())
	row, errReply := tb.resolve(args("OBJECT", "Encoding", "k"))
	if errReply != "" || row == nil || row.data != encoding {
		t.Fatalf("OBJECT ENCODING k resolved to %v, %q; want the fsm row", row, errReply)
	}
	object := tb.byName["object"]
	if object == nil || object.Arity != -2 || object.subByName["help"] == nil {
		t.Fatalf("no OBJECT container with a HELP subcommand: %+v", object)
	}
	if got := aclCategories(object.subByName["help"]); strings.Join(got, " ") != "@keyspace @slow" {
		t.Errorf("OBJECT HELP categories %v, want Redis's @keyspace @slow", got)
	}
	if got := aclCategories(row); strings.Join(got, " ") != "@keyspace @read @slow" {
		t.Errorf("OBJECT ENCODING categories %v, want @keyspace @read @slow", got)
	}
	if got := row.helpLines(); strings.Join(got, "|") != "ENCODING <key>|"+
		"    Return the kind of internal representation used in order to store the value|    associated with a <key>." {
		t.Errorf("HELP lines %q", got)
	}
	// A data subcommand of a container the server declares goes before
	// its HELP.
	doctor := &fsm.Command{Spec: fsm.Spec{Name: "memory|doctor", Arity: 2, Flags: fsm.FlagReadonly, Group: "server", Summary: "Outputs memory problems report"},
		Run: func(*fsm.Ctx, [][]byte) {}}
	memory := newTable(append(fsm.Commands()[:len(fsm.Commands()):len(fsm.Commands())], doctor)).byName["memory"]
	if n := len(memory.subs); memory.subs[n-2] != memory.subByName["doctor"] || memory.subs[n-1] != memory.subByName["help"] {
		t.Errorf("memory's subcommands end with %s, %s; want memory|doctor, memory|help", memory.subs[n-2].Name, memory.subs[n-1].Name)
	}
	if _, errReply := tb.resolve(args("object", "nope", "k")); errReply != "ERR unknown subcommand 'nope'. Try OBJECT HELP." {
		t.Errorf("unknown subcommand: %q", errReply)
	}
	if _, errReply := tb.resolve(args("object", "encoding")); errReply != "ERR wrong number of arguments for 'object|encoding' command" {
		t.Errorf("arity: %q", errReply)
	}
	if row.stats.rejected.Load() != 1 {
		t.Errorf("rejected_calls of object|encoding = %d after one arity error, want 1", row.stats.rejected.Load())
	}
}

func TestResolve(t *testing.T) {
	tb := newTable(fsm.Commands())
	cases := []struct {
		args      []string
		row, fail string
	}{
		{[]string{"CONFIG", "GET", "x"}, "config|get", ""},
		{[]string{"config", "Set", "a", "b"}, "config|set", ""},
		{[]string{"COMMAND"}, "command", ""},
		{[]string{"command", "count"}, "command|count", ""},
		{[]string{"get", "k"}, "get", ""},
		{[]string{"CONFIG"}, "", "ERR wrong number of arguments for 'config' command"},
		{[]string{"config", "get"}, "", "ERR wrong number of arguments for 'config|get' command"},
		{[]string{"Config", "nope"}, "", "ERR unknown subcommand 'nope'. Try CONFIG HELP."},
		{[]string{"client", "help", "x"}, "", "ERR wrong number of arguments for 'client|help' command"},
		{[]string{"nope", "a"}, "", "ERR unknown command 'nope', with args beginning with: 'a' "},
	}
	for _, tt := range cases {
		row, errReply := tb.resolve(args(tt.args...))
		name := ""
		if row != nil {
			name = row.Name
		}
		if name != tt.row || errReply != tt.fail {
			t.Errorf("%q: row %q, error %q; want %q, %q", tt.args, name, errReply, tt.row, tt.fail)
		}
	}
	if got := tb.byName["config"].stats.rejected.Load(); got != 1 {
		t.Errorf("config rejected_calls = %d, want 1 (CONFIG alone)", got)
	}
	if got := tb.byName["config"].subByName["get"].stats.rejected.Load(); got != 1 {
		t.Errorf("config|get rejected_calls = %d, want 1", got)
	}
}

func TestUnknownCommandText(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"FOOBAR"}, "ERR unknown command 'FOOBAR', with args beginning with: "},
		{[]string{"FOOBAR", "a", "b c"}, "ERR unknown command 'FOOBAR', with args beginning with: 'a' 'b c' "},
		// Checked against redis-server 7.0.15: each argument is cut to
		// what is left of 128 bytes of quoted text.
		{[]string{"x", strings.Repeat("a", 200), "b"}, "ERR unknown command 'x', with args beginning with: '" + strings.Repeat("a", 128) + "' "},
		{[]string{"x", strings.Repeat("a", 100), strings.Repeat("b", 100), "c"}, "ERR unknown command 'x', with args beginning with: '" + strings.Repeat("a", 100) + "' '" + strings.Repeat("b", 25) + "' "},
	}
	for _, c := range cases {
		if got := unknownCommand(args(c.args...)); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.args, got, c.want)
		}
	}
}
