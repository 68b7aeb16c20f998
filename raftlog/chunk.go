package raftlog

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/hashicorp/raft"
)

// Big entries travel in chunks.
//
// A Redis value may be 512 MiB; a Raft log entry should not be. raft-wal
// refuses to read back a record over 64 MiB (it writes one, then cannot
// reopen its segment), and hashicorp/raft's transport decodes an entry's
// data by growing a buffer 256 KiB at a time, copying it each time: about
// size²/512 KiB bytes moved on every follower, 7 GiB for a 60 MiB entry,
// enough to starve heartbeats and cost a leader its lease on a small
// machine. So Apply splits data over maxChunk bytes into chunk entries of
// at most maxChunk bytes, proposed back to back, and the FSM in front of
// the state machine (fsmGate) collects them and applies the whole data as
// one entry, at the index of the last chunk, on every member alike. The
// state machine never sees a chunk.
//
// A chunk's data is chunkMarker, a set id, its sequence number and the
// set's chunk count (uvarints), then its part of the data. An FSM's own
// entries must never start with chunkMarker.
//
// A set that will never be completed must not stay pending: it would hold
// back snapshots (see fsmGate.Snapshot). Every member drops a pending set,
// at the same log position, when
//   - an entry of a later term comes first (a new leader never finishes
//     the sets of the one before), or
//   - a chunk of another set, or out of sequence, comes, or
//   - the log passes the set's first chunk by chunkSlack entries more
//     than the set has chunks (the leader proposes a set's chunks back to
//     back, from one goroutine: only the few entries other goroutines
//     propose meanwhile can come in between).
const (
	chunkMarker = 0xFF
	maxChunk    = 1 << 20
	chunkSlack  = 16384
)

// ErrChunkPending: a snapshot was asked for while a chunked entry was half
// applied. It cannot be in the snapshot, so there is none until it is
// complete (or dropped).
var ErrChunkPending = errors.New("a chunked entry is half applied; snapshot later")

type chunkHeader struct {
	set        uint64
	seq, count uint64
}

// splitChunks cuts data into chunk entries of set.
func splitChunks(set uint64, data []byte) [][]byte {
	count := uint64((len(data) + maxChunk - 1) / maxChunk)
	out := make([][]byte, 0, count)
	for seq := uint64(0); seq < count; seq++ {
		part := data[seq*maxChunk : min(uint64(len(data)), (seq+1)*maxChunk)]
		b := make([]byte, 0, 1+3*binary.MaxVarintLen64+len(part))
		b = append(b, chunkMarker)
		b = binary.AppendUvarint(b, set)
		b = binary.AppendUvarint(b, seq)
		b = binary.AppendUvarint(b, count)
		out = append(out, append(b, part...))
	}
	return out
}

// parseChunk reads a chunk entry; ok is false for any other entry.
func parseChunk(l *raft.Log) (h chunkHeader, part []byte, ok bool) {
	if l.Type != raft.LogCommand || len(l.Data) == 0 || l.Data[0] != chunkMarker {
		return h, nil, false
	}
	b := l.Data[1:]
	for _, dst := range []*uint64{&h.set, &h.seq, &h.count} {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return h, nil, false
		}
		*dst, b = v, b[n:]
	}
	if h.count == 0 || h.seq >= h.count {
		return h, nil, false
	}
	return h, b, true
}

// applyChunked proposes data as a set of chunks, back to back, and waits
// for the last, whose response is the FSM's for the whole data. If the
// last chunk is not appended, or its set was dropped, nothing is applied.
func (n *Node) applyChunked(data []byte, timeout time.Duration) (Applied, error) {
	deadline := time.Now().Add(timeout)
	var last raft.ApplyFuture
	for _, c := range splitChunks(rand.Uint64(), data) {
		left := time.Until(deadline)
		if left <= 0 { // raft.Apply would wait without a bound
			return Applied{}, ErrNotLeader
		}
		last = n.raft.Apply(c, left)
	}
	res, err := n.wait(last, deadline)
	if err == nil && res.Response == errChunkLost {
		return Applied{}, ErrNotLeader
	}
	return res, err
}

// pendingSet is a chunked entry being collected.
type pendingSet struct {
	header chunkHeader
	term   uint64
	first  uint64 // index of its first chunk
	data   []byte
}

// collect takes chunk entry l (of header h and part) and returns the whole
// data once l completes its set.
func (g *fsmGate) collect(l *raft.Log, h chunkHeader, part []byte) ([]byte, bool) {
	p := g.pending
	switch {
	case h.seq == 0:
		p = &pendingSet{header: h, term: l.Term, first: l.Index, data: make([]byte, 0, h.count*maxChunk)}
		g.pending = p
	case p == nil || p.header.set != h.set || p.header.count != h.count || p.header.seq+1 != h.seq:
		g.pending = nil // out of sequence: this set is lost (see above)
		return nil, false
	}
	p.header.seq = h.seq
	p.data = append(p.data, part...)
	if h.seq+1 < h.count {
		return nil, false
	}
	g.pending = nil
	return p.data, true
}

// expire drops a pending set that l shows will never be completed.
func (g *fsmGate) expire(l *raft.Log) {
	if p := g.pending; p != nil && (l.Term > p.term || l.Index > p.first+p.header.count+chunkSlack) {
		g.pending = nil
	}
}
