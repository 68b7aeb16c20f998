package server

import (
	"strings"
	"testing"

	"github.com/raftis/raftis/fsm"
)

// TestTableInvariants checks what dispatch, routing and COMMAND rely on.
func TestTableInvariants(t *testing.T) {
	tb := newTable()
	if len(tb.sorted) != len(tb.byName) {
		t.Fatalf("%d rows but %d names: duplicates", len(tb.sorted), len(tb.byName))
	}
	for _, c := range tb.sorted {
		name := c.Name
		if name != strings.ToLower(name) || name == "" {
			t.Errorf("%q: names are lowercase and non-empty", name)
		}
		if (c.data == nil) == (c.run == nil) {
			t.Errorf("%s: exactly one of data (fsm) and run (server) must be set", name)
		}
		if c.data != nil && c.data.Run == nil {
			t.Errorf("%s: data command without a Run function", name)
		}
		isWrite, isRead := c.Flags&fsm.FlagWrite != 0, c.Flags&fsm.FlagReadonly != 0
		if c.data != nil && isWrite == isRead {
			t.Errorf("%s: a data command is either write or readonly (write=%v readonly=%v)", name, isWrite, isRead)
		}
		if c.data == nil && isWrite {
			t.Errorf("%s: server commands never go through the log, so never carry the write flag", name)
		}
		if c.Arity == 0 {
			t.Errorf("%s: arity 0", name)
		}
		if c.FirstKey < 0 || c.KeyStep < 0 {
			t.Errorf("%s: negative key position", name)
		}
		if c.FirstKey > 0 {
			minArgs := c.Arity
			if minArgs < 0 {
				minArgs = -minArgs
			}
			if c.FirstKey >= minArgs {
				t.Errorf("%s: first key %d outside the minimal arity %d", name, c.FirstKey, c.Arity)
			}
			if c.LastKey > 0 && c.LastKey < c.FirstKey {
				t.Errorf("%s: last key %d before first key %d", name, c.LastKey, c.FirstKey)
			}
			if c.KeyStep == 0 {
				t.Errorf("%s: key step 0 with keys", name)
			}
		}
		if c.Summary == "" || c.Group == "" {
			t.Errorf("%s: summary and group are needed by COMMAND DOCS", name)
		}
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
		args := make([][]byte, len(c.args))
		for i, a := range c.args {
			args[i] = []byte(a)
		}
		if got := unknownCommand(args); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.args, got, c.want)
		}
	}
}
