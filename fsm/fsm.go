package fsm

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/raft"
)

// FSM is the replicated data set. It implements raft.BatchingFSM.
type FSM struct {
	mu    sync.RWMutex
	dbs   [NumDatabases]*DB
	nodes map[string]string // member id → client (RESP) address
	// clock is the latest entry time applied. An entry's time is raised to
	// it, so time never runs backwards when a leader with a slower clock
	// takes over.
	clock int64
	// gen is the snapshot generation. Values stored in an older generation
	// may be shared with a snapshot being persisted. 32 bits are plenty:
	// a value left untouched for exactly 2^32 snapshots would be taken for
	// private, and at one snapshot a second that is 136 years.
	gen uint32
	// limits are the node-local encoding thresholds (see Limits).
	limits atomic.Pointer[Limits]
	// readyHook and ready: keys made ready for blocked clients (ready.go).
	// ready is only touched on the goroutine that applies entries.
	readyHook atomic.Pointer[func([]ReadyKey)]
	ready     []ReadyKey

	// index is the index of the entry being applied, then of the last
	// one applied (under mu): changes are stamped with it (item.mod) and
	// WATCH reads it. txnEpoch is the index of the first entry that
	// carried a transaction; guards from before it never hold (watch.go).
	index    uint64
	txnEpoch uint64

	applied   atomic.Uint64
	appliedMu sync.Mutex
	appliedCh chan struct{} // closed and replaced whenever applied advances
}

// Result is what Apply returns for an EntryCommands entry: the RESP replies
// of its commands, concatenated in order. Ends[i] is the offset in Replies
// where command i's reply ends, so an entry that carries the commands of
// several clients can be split back into their replies.
type Result struct {
	Replies []byte
	Count   int
	Ends    []int
}

// Reply returns the concatenated replies of commands [from, to).
func (r *Result) Reply(from, to int) []byte {
	start := 0
	if from > 0 {
		start = r.Ends[from-1]
	}
	return r.Replies[start:r.Ends[to-1]]
}

var _ raft.BatchingFSM = (*FSM)(nil)

// New returns an empty data set.
func New() *FSM {
	f := &FSM{nodes: make(map[string]string), appliedCh: make(chan struct{})}
	f.SetLimits(DefaultLimits)
	for i := range f.dbs {
		f.dbs[i] = newDB(&f.index, &f.gen)
	}
	return f
}

// Apply applies one committed log entry.
func (f *FSM) Apply(l *raft.Log) interface{} {
	return f.ApplyBatch([]*raft.Log{l})[0]
}

// ApplyBatch applies committed log entries in order, under one lock.
func (f *FSM) ApplyBatch(logs []*raft.Log) []interface{} {
	results := make([]interface{}, len(logs))
	if len(logs) == 0 {
		return results
	}
	f.mu.Lock()
	for i, l := range logs {
		if l.Type == raft.LogCommand {
			f.index = l.Index
			results[i] = f.applyEntry(l.Data)
		}
	}
	f.mu.Unlock()
	f.setApplied(logs[len(logs)-1].Index)
	f.deliverReady()
	return results
}

// applyEntry decodes and applies one entry. The caller holds f.mu.
func (f *FSM) applyEntry(data []byte) interface{} {
	e, err := DecodeEntry(data)
	if err != nil {
		// Crash rather than diverge: every peer decodes the same bytes.
		panic(fmt.Sprintf("fsm: %v", err))
	}
	f.clock = max(f.clock, e.Time)
	if e.Flags&FlagAtomic != 0 && f.txnEpoch == 0 {
		f.txnEpoch = f.index
	}
	switch e.Type {
	case EntryCommands:
		return f.applyCommands(e)
	case EntryExpire:
		f.applyExpire(e)
	case EntryNode:
		f.applyNode(e)
	}
	return nil
}

func (f *FSM) applyCommands(e *Entry) *Result {
	c := &Ctx{fsm: f, now: f.clock, write: true, rng: e.Seed, lim: f.limits.Load()}
	ends := make([]int, len(e.Cmds))
	if len(e.Cmds) > 1 || len(e.Cmds) == 1 && len(e.Cmds[0].Args) > 2 { // more than one key, maybe
		c.warmEntry(e.Cmds)
	}
	for i, cmd := range e.Cmds {
		if cmd.Block != nil {
			c.execBlock(cmd.Block)
		} else {
			c.selectDB(cmd.DB)
			c.exec(cmd.Args)
		}
		ends[i] = len(c.out)
	}
	return &Result{Replies: c.out, Count: len(e.Cmds), Ends: ends}
}

func (f *FSM) applyExpire(e *Entry) {
	for _, cmd := range e.Cmds {
		if len(cmd.Args) == 0 {
			continue
		}
		db := f.dbs[cmd.DB]
		key := string(cmd.Args[0])
		if it, ok := db.get(key); ok && it.expired(f.clock) {
			db.delete(key)
		}
	}
}

func (f *FSM) applyNode(e *Entry) {
	for _, cmd := range e.Cmds {
		switch {
		case len(cmd.Args) == 3 && string(cmd.Args[0]) == "set":
			f.nodes[string(cmd.Args[1])] = string(cmd.Args[2])
		case len(cmd.Args) == 2 && string(cmd.Args[0]) == "del":
			delete(f.nodes, string(cmd.Args[1]))
		}
	}
}

// Read runs read-only commands, in order and under one read lock, against
// the local data set and appends their replies to dst. now is the caller's
// clock, raised to the data set's clock (the latest entry time applied):
// keys whose deadline has passed by either are absent, so a key hidden
// once on a node with a fast clock is not shown again by a node with a
// slower one that has applied the same entries. seed feeds commands that
// pick at random.
func (f *FSM) Read(dst []byte, db int, now int64, seed uint64, cmds ...[][]byte) []byte {
	f.mu.RLock()
	c := f.readCtx(dst, now, seed)
	c.selectDB(db)
	if len(cmds) > 1 || len(cmds) == 1 && len(cmds[0]) > 2 { // more than one key, maybe
		c.warm(cmds)
	}
	for _, args := range cmds {
		c.exec(args)
	}
	f.mu.RUnlock()
	return c.out
}

// readCtx is the context of a read: the caller's clock raised to the data
// set's (see Read). The caller holds f.mu for reading.
func (f *FSM) readCtx(dst []byte, now int64, seed uint64) Ctx {
	return Ctx{fsm: f, now: max(now, f.clock), rng: seed, out: dst, lim: f.limits.Load()}
}

// AppliedIndex is the index of the last log entry applied.
func (f *FSM) AppliedIndex() uint64 { return f.applied.Load() }

func (f *FSM) setApplied(index uint64) {
	f.appliedMu.Lock()
	f.applied.Store(index)
	close(f.appliedCh)
	f.appliedCh = make(chan struct{})
	f.appliedMu.Unlock()
}

// WaitApplied blocks until the entry at index has been applied or ctx ends.
func (f *FSM) WaitApplied(ctx context.Context, index uint64) error {
	for {
		f.appliedMu.Lock()
		ch := f.appliedCh
		done := f.applied.Load() >= index
		f.appliedMu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Nodes returns a copy of the member id → client address map.
func (f *FSM) Nodes() map[string]string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return maps.Clone(f.nodes)
}

// NodeAddr is the client address member id announced; empty if none.
func (f *FSM) NodeAddr(id string) string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.nodes[id]
}

// Clock is the latest entry time applied, in ms.
func (f *FSM) Clock() int64 {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.clock
}

// KeyspaceStats reports, per database, the number of keys and of keys with
// a deadline (INFO keyspace). Databases without keys are omitted.
func (f *FSM) KeyspaceStats() map[int][2]int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	stats := make(map[int][2]int)
	for i, db := range f.dbs {
		if n := db.Len(); n > 0 {
			stats[i] = [2]int{n, len(db.volatile)}
		}
	}
	return stats
}

// UsedMemory is the estimated size of the data set in bytes: keys, values
// and their share of the keyspace's structures (INFO used_memory).
func (f *FSM) UsedMemory() int64 {
	f.mu.RLock()
	defer f.mu.RUnlock()
	var n int64
	for _, db := range f.dbs {
		n += db.used
	}
	return n
}

// ExpiredKeys lists up to limit keys whose deadline is at or before now, as
// the commands of an EntryExpire. Like Redis's active expiry it samples:
// it looks at no more than 4×limit volatile keys per database, starting at
// a random place (map iteration order), so the read lock is held briefly
// however many keys have a deadline. The choice of keys need not be
// deterministic: it is the leader's proposal, and Apply re-checks each key.
func (f *FSM) ExpiredKeys(now int64, limit int) []Cmd {
	f.mu.RLock()
	defer f.mu.RUnlock()
	var cmds []Cmd
	for i, db := range f.dbs {
		examined := 0
		for key, deadline := range db.volatile {
			if len(cmds) >= limit || examined >= 4*limit {
				break
			}
			examined++
			if deadline <= now {
				cmds = append(cmds, Cmd{DB: i, Args: [][]byte{[]byte(key)}})
			}
		}
	}
	return cmds
}
