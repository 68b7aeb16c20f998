package server

import (
	"fmt"
	"slices"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
)

// maxmemory with Redis's noeviction policy: while the data set (the
// FSM's estimate, INFO's used_memory) is over the limit, the leader
// refuses every command flagged denyoom and proposes the others. The
// check runs on the leader before an entry is proposed, never in the
// FSM, so a committed entry is applied everywhere and the limit (a
// node-local setting, as in Redis) is the leader's. A follower's writes
// are checked when the leader runs them (RAFT FORWARD).

// replyOOM is Redis's refusal of a denyoom command over maxmemory.
const replyOOM = "OOM command not allowed when used memory > 'maxmemory'."

// overMaxmemory reports whether the data set is over maxmemory (0: none).
func (s *Server) overMaxmemory() bool {
	limit := s.params.maxMemory.Load()
	return limit != 0 && uint64(max(s.data.UsedMemory(), 0)) > limit
}

// deniedOOM reports whether cmd may grow the data set (Redis's denyoom):
// a transaction block does if one of its commands does, as Redis refuses
// EXEC then.
func deniedOOM(cmd fsm.Cmd) bool {
	if cmd.Block != nil {
		return slices.ContainsFunc(cmd.Block.Cmds, deniedOOM)
	}
	dc := fsm.LookupArgs(cmd.Args)
	return dc != nil && dc.Flags&fsm.FlagDenyOOM != 0
}

// oomReply is the refusal of a denied command: a transaction is discarded
// with the reason, as Redis's EXEC says it.
func oomReply(cmd fsm.Cmd) string {
	if cmd.Block != nil {
		return "-" + execAbortBecause + replyOOM + "\r\n"
	}
	return "-" + replyOOM + "\r\n"
}

// submit proposes cmds (size bytes of entry) on this leader, refusing the
// denyoom ones while the data set is over maxmemory.
func (s *Server) submit(cmds []fsm.Cmd, size int) ([]byte, position, error) {
	if !s.overMaxmemory() {
		return s.proposer.submit(cmds, size)
	}
	return s.submitOverMaxmemory(cmds)
}

// submitOverMaxmemory answers OOM to each denyoom command and proposes each
// run of the others between them as an entry of its own, in order. When
// every command is refused nothing is proposed and the error is the OOM
// reply. Once a run has committed, a later failure is an unknown outcome:
// the caller must not retry the commands, as some were applied.
func (s *Server) submitOverMaxmemory(cmds []fsm.Cmd) ([]byte, position, error) {
	if len(cmds) == 1 && deniedOOM(cmds[0]) {
		reply := oomReply(cmds[0])
		return nil, position{}, replyError(reply[1 : len(reply)-2])
	}
	var out []byte
	var at position
	committed := false
	for len(cmds) > 0 {
		if deniedOOM(cmds[0]) {
			out = append(out, oomReply(cmds[0])...)
			cmds = cmds[1:]
			continue
		}
		n, size := 0, 0
		for n < len(cmds) && !deniedOOM(cmds[n]) {
			size += cmdSize(cmds[n])
			n++
		}
		replies, pos, err := s.proposer.submit(cmds[:n], size)
		if err != nil {
			if committed {
				return nil, at, fmt.Errorf("%w after a part was applied: %v", raftlog.ErrUnknownOutcome, err)
			}
			return nil, at, err
		}
		out, at, committed = append(out, replies...), pos, true
		cmds = cmds[n:]
	}
	if !committed {
		return nil, at, replyError(replyOOM)
	}
	return out, at, nil
}
