package raftlog

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

// recordFSM records what reaches the state machine.
type recordFSM struct {
	applied []raft.Log
	index   uint64
}

func (f *recordFSM) Apply(l *raft.Log) interface{} {
	f.applied = append(f.applied, *l)
	f.index = l.Index
	return len(l.Data)
}
func (f *recordFSM) AppliedIndex() uint64                { return f.index }
func (f *recordFSM) Snapshot() (raft.FSMSnapshot, error) { return countSnap{}, nil }
func (f *recordFSM) Restore(io.ReadCloser) error         { f.applied, f.index = nil, 0; return nil }

// chunkLogs makes the log entries for the chunks of data, from index on.
func chunkLogs(set uint64, data []byte, index, term uint64) []*raft.Log {
	var out []*raft.Log
	for _, c := range splitChunks(set, data) {
		out = append(out, &raft.Log{Index: index, Term: term, Type: raft.LogCommand, Data: c})
		index++
	}
	return out
}

func bigData(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestSplitChunks(t *testing.T) {
	for _, size := range []int{maxChunk + 1, 2 * maxChunk, 3*maxChunk - 5} {
		data := bigData(size)
		chunks := splitChunks(42, data)
		if want := (size + maxChunk - 1) / maxChunk; len(chunks) != want {
			t.Fatalf("%d bytes: %d chunks, want %d", size, len(chunks), want)
		}
		var joined []byte
		for i, c := range chunks {
			h, part, ok := parseChunk(&raft.Log{Type: raft.LogCommand, Data: c})
			if !ok || h.set != 42 || h.seq != uint64(i) || h.count != uint64(len(chunks)) || len(part) > maxChunk {
				t.Fatalf("chunk %d: header %+v, %d bytes, ok %v", i, h, len(part), ok)
			}
			joined = append(joined, part...)
		}
		if !bytes.Equal(joined, data) {
			t.Fatalf("%d bytes: chunks do not join back into the data", size)
		}
	}
	if _, _, ok := parseChunk(&raft.Log{Type: raft.LogCommand, Data: []byte{1, 2, 3}}); ok {
		t.Fatal("an ordinary entry parsed as a chunk")
	}
}

func TestGateAppliesAChunkedEntryOnceWhole(t *testing.T) {
	fsm := &recordFSM{}
	g := newFSMGate(fsm)
	data := bigData(2*maxChunk + 10)
	chunks := chunkLogs(7, data, 10, 1) // 10, 11, 12
	// An ordinary entry proposed meanwhile lands between two chunks.
	logs := []*raft.Log{
		{Index: 9, Term: 1, Type: raft.LogCommand, Data: []byte("before")},
		chunks[0],
		{Index: 11, Term: 1, Type: raft.LogCommand, Data: []byte("between")},
	}
	chunks[1].Index, chunks[2].Index = 12, 13
	res := g.ApplyBatch(logs)
	if len(res) != 3 || res[0] != 6 || res[1] != nil || res[2] != 7 {
		t.Fatalf("first batch results %v, want [6 nil 7]", res)
	}
	if _, err := g.Snapshot(); !errors.Is(err, ErrChunkPending) {
		t.Fatalf("snapshot with a chunked entry half applied: %v, want ErrChunkPending", err)
	}
	res = g.ApplyBatch(chunks[1:])
	if len(res) != 2 || res[0] != nil || res[1] != len(data) {
		t.Fatalf("second batch results %v, want [nil %d]", res, len(data))
	}
	if n := len(fsm.applied); n != 3 {
		t.Fatalf("the state machine saw %d entries, want 3", n)
	}
	if last := fsm.applied[2]; last.Index != 13 || !bytes.Equal(last.Data, data) {
		t.Fatalf("whole entry applied at %d with %d bytes, want index 13 and the data", last.Index, len(last.Data))
	}
	if _, err := g.Snapshot(); err != nil {
		t.Fatalf("snapshot once complete: %v", err)
	}
	// Handed again (raft does after a start-up replay): nothing happens.
	if res := g.ApplyBatch(append([]*raft.Log{logs[1], logs[2]}, chunks[1:]...)); res[3] != nil || len(fsm.applied) != 3 {
		t.Fatalf("entries handled before were applied again: %v, %d applied", res, len(fsm.applied))
	}
}

func TestGateDropsASetThatCannotComplete(t *testing.T) {
	data := bigData(2*maxChunk + 1) // three chunks
	cases := map[string]func(c []*raft.Log) []*raft.Log{
		// A new leader's entries come before the set's last chunk.
		"later term": func(c []*raft.Log) []*raft.Log {
			noop := &raft.Log{Index: c[1].Index, Term: 2, Type: raft.LogNoop}
			c[1].Index++
			c[2].Index++
			return []*raft.Log{c[0], noop, c[1], c[2]}
		},
		// A chunk goes missing.
		"out of sequence": func(c []*raft.Log) []*raft.Log {
			c[2].Index--
			return []*raft.Log{c[0], c[2]}
		},
		// Another set starts before this one ends.
		"new set": func(c []*raft.Log) []*raft.Log {
			other := chunkLogs(99, data, c[1].Index, 1)
			c[1].Index, c[2].Index = other[2].Index+1, other[2].Index+2
			return append(append([]*raft.Log{c[0]}, other...), c[1], c[2])
		},
		// The log runs far past where the set should have ended.
		"slack": func(c []*raft.Log) []*raft.Log {
			c[1].Index += chunkSlack + 10
			c[2].Index += chunkSlack + 10
			return c
		},
	}
	for name, shape := range cases {
		t.Run(name, func(t *testing.T) {
			fsm := &recordFSM{}
			g := newFSMGate(fsm)
			logs := shape(chunkLogs(5, data, 1, 1))
			res := g.ApplyBatch(logs)
			for _, a := range fsm.applied {
				if bytes.Equal(a.Data, data) && a.Index == logs[len(logs)-1].Index {
					t.Fatalf("the broken set was applied at %d", a.Index)
				}
			}
			if h, _, ok := parseChunk(logs[len(logs)-1]); ok && h.set == 5 && res[len(res)-1] != errChunkLost {
				t.Fatalf("last chunk of a dropped set answered %v, want errChunkLost", res[len(res)-1])
			}
			if g.pending != nil {
				t.Fatalf("a set is still pending: %+v", g.pending.header)
			}
			if _, err := g.Snapshot(); err != nil {
				t.Fatalf("snapshot after the set was dropped: %v", err)
			}
		})
	}
}

// A write over the chunk size, on a real member: one command for the
// state machine, and the same after a restart's replay.
func TestApplyChunksABigEntry(t *testing.T) {
	forEachStore(t, func(t *testing.T, store StoreKind) {
		dir := t.TempDir()
		n := startOne(t, testConfig(store, dir, true))
		applyN(t, n, 2)
		res, err := n.Apply(bigData(3*maxChunk+100), 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Response.(int); got != 3 {
			t.Fatalf("big entry is the FSM's command %d, want 3", got)
		}
		if last := n.Status().LastIndex; last < res.Index || res.Index < 3+4 {
			t.Fatalf("big entry applied at %d (last index %d), want after its 4 chunks", res.Index, last)
		}
		applyN(t, n, 1)
		_, fsm := reopenIsolated(t, n, isolated(store, dir))
		if got := fsm.count(); got != 4 {
			t.Fatalf("%d commands after the replay, want 4 (the chunks count as one)", got)
		}
	})
}
