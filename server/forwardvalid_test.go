package server

import (
	"testing"

	"github.com/raftis/raftis/fsm"
)

// TestForwardedCmdsValid: a follower forwards writes and transaction
// blocks of data commands, subcommand reads such as OBJECT FREQ included.
func TestForwardedCmdsValid(t *testing.T) {
	block := func(cmds ...[][]byte) fsm.Cmd {
		b := &fsm.Block{}
		for _, c := range cmds {
			b.Cmds = append(b.Cmds, fsm.Cmd{Args: c})
		}
		return fsm.Cmd{Block: b}
	}
	for _, tc := range []struct {
		name string
		cmds []fsm.Cmd
		want string
	}{
		{"write", []fsm.Cmd{{Args: args("SET", "k", "v")}}, ""},
		{"read", []fsm.Cmd{{Args: args("GET", "k")}}, "ERR forwarded command is not a write"},
		{"unknown", []fsm.Cmd{{Args: args("NOPE")}}, "ERR forwarded command is not a write"},
		{"empty", []fsm.Cmd{{}}, "ERR invalid forwarded entry"},
		{"block of reads and writes", []fsm.Cmd{block(args("SET", "k", "v"), args("OBJECT", "FREQ", "k"), args("object", "encoding", "k"), args("GET", "k"))}, ""},
		{"block with an unknown subcommand", []fsm.Cmd{block(args("OBJECT", "NOPE", "k"))}, "ERR invalid forwarded entry"},
		{"block with an unknown command", []fsm.Cmd{block(args("NOPE"))}, "ERR invalid forwarded entry"},
	} {
		if got := forwardedCmdsValid(tc.cmds); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
