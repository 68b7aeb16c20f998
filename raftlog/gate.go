package raftlog

import (
	"errors"
	"io"
	"sync"

	"github.com/hashicorp/raft"
)

// fsmGate is the FSM raft drives; it stands in front of the state machine
// and passes on each entry once, whole:
//   - it skips an entry at or below the state machine's applied index, or
//     the last entry it handled: applied by the start-up replay (replay.go),
//     or inside the snapshot data the state machine restored;
//   - it collects chunk entries and passes on the data they carry as one
//     entry, at the index of the last chunk (chunk.go).
//
// raft calls it from one goroutine at a time (the replay's, then raft's
// FSM goroutine); Node.CatchUp may apply entries from another, so a mutex
// serializes them.
type fsmGate struct {
	mu      sync.Mutex
	fsm     FSM
	batch   raft.BatchingFSM // fsm, if it applies batches
	seen    uint64           // the last entry handled
	pending *pendingSet      // the chunked entry being collected
}

var _ raft.BatchingFSM = (*fsmGate)(nil)

// errChunkLost is the response to the last chunk of a set whose earlier
// chunks were dropped: the entry was not applied.
var errChunkLost = errors.New("chunked entry lost its earlier chunks")

func newFSMGate(fsm FSM) *fsmGate {
	g := &fsmGate{fsm: fsm}
	g.batch, _ = fsm.(raft.BatchingFSM)
	return g
}

// Apply implements raft.FSM.
func (g *fsmGate) Apply(l *raft.Log) interface{} {
	return g.ApplyBatch([]*raft.Log{l})[0]
}

// ApplyBatch implements raft.BatchingFSM.
func (g *fsmGate) ApplyBatch(logs []*raft.Log) []interface{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.applyBatch(logs)
}

func (g *fsmGate) applyBatch(logs []*raft.Log) []interface{} {
	if len(logs) == 0 {
		return nil
	}
	if g.plain(logs) {
		g.seen = logs[len(logs)-1].Index
		return g.applyToFSM(logs)
	}
	out := make([]interface{}, len(logs))
	pass := make([]*raft.Log, 0, len(logs))
	at := make([]int, 0, len(logs)) // where each of pass goes in out
	done := max(g.seen, g.fsm.AppliedIndex())
	for i, l := range logs {
		if l.Index <= done {
			continue
		}
		g.seen = l.Index
		g.expire(l)
		h, part, isChunk := parseChunk(l)
		if !isChunk {
			pass, at = append(pass, l), append(at, i)
			continue
		}
		data, whole := g.collect(l, h, part)
		switch {
		case whole:
			pass, at = append(pass, &raft.Log{Index: l.Index, Term: l.Term, Type: raft.LogCommand, Data: data, AppendedAt: l.AppendedAt}), append(at, i)
		case h.seq+1 == h.count:
			out[i] = errChunkLost
		}
	}
	if len(pass) > 0 {
		for j, res := range g.applyToFSM(pass) {
			out[at[j]] = res
		}
	}
	return out
}

// plain reports whether logs can go to the state machine as they are:
// none handled before, no chunk among them, none pending.
func (g *fsmGate) plain(logs []*raft.Log) bool {
	if g.pending != nil || logs[0].Index <= max(g.seen, g.fsm.AppliedIndex()) {
		return false
	}
	for _, l := range logs {
		if l.Type == raft.LogCommand && len(l.Data) > 0 && l.Data[0] == chunkMarker {
			return false
		}
	}
	return true
}

// applyToFSM hands logs to the state machine: as a batch if it takes
// batches, else the commands one by one (all raft.FSM.Apply takes).
func (g *fsmGate) applyToFSM(logs []*raft.Log) []interface{} {
	if g.batch != nil {
		return g.batch.ApplyBatch(logs)
	}
	out := make([]interface{}, len(logs))
	for i, l := range logs {
		if l.Type == raft.LogCommand {
			out[i] = g.fsm.Apply(l)
		}
	}
	return out
}

// Snapshot implements raft.FSM. A half-collected chunked entry is not in
// the state machine, so a snapshot now would lose it for whoever restores
// it: there is none until the entry is complete or dropped.
func (g *fsmGate) Snapshot() (raft.FSMSnapshot, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pending != nil {
		return nil, ErrChunkPending
	}
	return g.fsm.Snapshot()
}

// Restore implements raft.FSM. What was collected belongs to the replaced
// state.
func (g *fsmGate) Restore(rc io.ReadCloser) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seen, g.pending = 0, nil
	return g.fsm.Restore(rc)
}

// AppliedIndex is the state machine's.
func (g *fsmGate) AppliedIndex() uint64 { return g.fsm.AppliedIndex() }

// skipTo marks the entries up to index handled: they are in the snapshot
// the state machine restored on start.
func (g *fsmGate) skipTo(index uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seen = max(g.seen, index)
}

// handled reports whether the entry at index has been handled.
func (g *fsmGate) handled(index uint64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return index <= max(g.seen, g.fsm.AppliedIndex())
}

// catchUp applies the entries of logs after those handled, up to to, in
// batches of batch entries.
func (g *fsmGate) catchUp(logs raft.LogStore, to uint64, batch int) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for from := max(g.seen, g.fsm.AppliedIndex()) + 1; from <= to; {
		var chunk []*raft.Log
		for ; from <= to && len(chunk) < batch; from++ {
			l := new(raft.Log)
			if err := logs.GetLog(from, l); err != nil {
				return err
			}
			if l.Type == raft.LogCommand || l.Type == raft.LogConfiguration {
				chunk = append(chunk, l)
			}
		}
		if len(chunk) > 0 {
			g.applyBatch(chunk)
		}
		g.seen = max(g.seen, from-1)
	}
	return nil
}
