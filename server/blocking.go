package server

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/raftis/raftis/fsm"
)

// Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
// BZPOPMAX, BZMPOP) wait on the node their client is connected to, leader
// or follower, and the wait is the client's alone: nothing about it is in
// the log, so a timeout never holds up Apply. The pop itself is an
// ordinary replicated write: the node proposes the command as it was sent,
// the state machine runs it without blocking (as Redis runs it inside
// MULTI) and either pops — so exactly one client, on whichever node, gets
// each element — or finds the keys empty because a client elsewhere
// popped first, and the client goes on waiting.
//
// One goroutine per node, the waker, makes every attempt. A new blocking
// command is tried at once if any of its keys exists (it may pop, or
// answer WRONGTYPE as Redis does before blocking), and otherwise waits
// without a log entry. When an applied entry leaves a list or sorted set
// at a key (fsm.FSM.SetReadyHook), the waker takes the first clients
// waiting on that key for that type (a client blocked in BLPOP stays
// blocked when its key becomes a sorted set, as in Redis), as many as the
// key has elements, and proposes their commands in the order the clients
// blocked, as ONE entry: the state machine serves them in that order,
// first blocked first served, as Redis does. (Across nodes the order is
// the order in which their proposals reach the leader.) A client whose attempt is in flight when
// its timeout passes or it goes away waits for the outcome, so an element
// popped for it is still delivered (or, if the client is gone, lost with
// the connection, as any reply to a closed connection is).

// blockKey is a key in a database.
type blockKey struct {
	db  int
	key string
}

// waiterState is where a blocked client is in its wait.
type waiterState uint8

const (
	waiting  waiterState = iota // registered, no attempt in flight
	trying                      // the waker is proposing its command
	finished                    // result delivered, or left while waiting
)

// waiter is one blocked client. Its state and leaving are guarded by the
// registry's mutex.
type waiter struct {
	seq   uint64 // block order
	db    int
	keys  []string // distinct
	args  [][]byte // the command, proposed as sent
	typ   string   // the type it pops from: "list" or "zset"
	state waiterState
	// fresh: not looked at yet; the waker tries it if any key exists,
	// then closes looked. Only then may its timeout run: a blocking
	// command whose key holds something pops whatever its timeout.
	fresh  bool
	looked chan struct{}
	// leaving: the client timed out or went away during an attempt; the
	// waker delivers even an empty outcome, so that it can leave.
	leaving bool
	result  chan popResult // capacity 1; receives once
}

// popResult is the outcome of an attempt: the state machine's reply (a
// pop, an error, or fsm.WouldBlock's empty reply) and the log index it
// was applied at, or the error reply of a write that could not be made.
type popResult struct {
	reply    []byte
	index    uint64
	errReply string
}

// blockRegistry holds the clients blocked on this node and runs the
// waker.
type blockRegistry struct {
	data *fsm.FSM
	// propose applies cmds as one entry and returns each command's reply
	// and the entry's index, or an error reply.
	propose func(cmds []fsm.Cmd) (replies [][]byte, index uint64, errReply string)

	mu      sync.Mutex
	seq     uint64
	keys    map[blockKey][]*waiter // per key, in block order
	pending []fsm.ReadyKey         // ready keys the waker has yet to look at
	fresh   []*waiter              // new waiters the waker has yet to try
	kick    chan struct{}          // capacity 1: pending is not empty
	n       atomic.Int64           // registered waiters (INFO blocked_clients)
}

func newBlockRegistry(data *fsm.FSM, propose func([]fsm.Cmd) ([][]byte, uint64, string)) *blockRegistry {
	return &blockRegistry{data: data, propose: propose, keys: make(map[blockKey][]*waiter), kick: make(chan struct{}, 1)}
}

// add registers a client blocked on keys of database db with the command
// args, popping from values of type typ, and has the waker look at its
// keys at once: they may already hold something.
func (r *blockRegistry) add(db int, keys []string, typ string, args [][]byte) *waiter {
	distinct := slices.Compact(slices.Sorted(slices.Values(keys)))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	w := &waiter{seq: r.seq, db: db, keys: distinct, args: args, typ: typ, fresh: true, looked: make(chan struct{}), result: make(chan popResult, 1)}
	for _, k := range distinct {
		bk := blockKey{db, k}
		r.keys[bk] = append(r.keys[bk], w)
	}
	r.fresh = append(r.fresh, w)
	r.n.Add(1)
	r.signal()
	return w
}

// leave unregisters w. If an attempt is in flight, or its outcome was just
// delivered, it returns false: the caller must then take w.result, which
// the waker delivers whatever the outcome.
func (r *blockRegistry) leave(w *waiter) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch w.state {
	case trying:
		w.leaving = true
		return false
	case finished:
		return false // the outcome is already in w.result
	}
	r.unregister(w)
	return true
}

// unregister removes w from its keys. The caller holds r.mu.
func (r *blockRegistry) unregister(w *waiter) {
	if w.state == finished {
		return
	}
	w.state = finished
	for _, k := range w.keys {
		bk := blockKey{w.db, k}
		ws := slices.DeleteFunc(r.keys[bk], func(x *waiter) bool { return x == w })
		if len(ws) == 0 {
			delete(r.keys, bk)
		} else {
			r.keys[bk] = ws
		}
	}
	r.n.Add(-1)
}

// blocked is the number of clients blocked on this node.
func (r *blockRegistry) blocked() int64 { return r.n.Load() }

// ready is the state machine's ready hook. It runs on the goroutine that
// applies entries, so it only queues the keys for the waker.
func (r *blockRegistry) ready(keys []fsm.ReadyKey) {
	if r.n.Load() == 0 {
		return
	}
	r.mu.Lock()
	r.pending = append(r.pending, keys...)
	r.signal()
	r.mu.Unlock()
}

func (r *blockRegistry) signal() {
	select {
	case r.kick <- struct{}{}:
	default: // already kicked
	}
}

// run is the waker. It returns when ctx ends.
func (r *blockRegistry) run(ctx context.Context) {
	for {
		select {
		case <-r.kick:
		case <-ctx.Done():
			return
		}
		r.mu.Lock()
		batch := r.claim()
		r.mu.Unlock()
		if len(batch) > 0 {
			r.attempt(batch)
		}
	}
}

// claim returns the waiters to try, in block order, marked trying: new
// waiters with a key that exists, and for each ready key its first
// waiters for the key's type not already in an attempt, as many as the
// key holds elements (every waiter of the database for a whole-database
// signal). The caller holds r.mu.
func (r *blockRegistry) claim() []*waiter {
	pending, fresh := r.pending, r.fresh
	r.pending, r.fresh = nil, nil
	if r.n.Load() == 0 {
		return nil
	}
	now := time.Now().UnixMilli()
	var batch []*waiter
	take := func(w *waiter) {
		if w.state == waiting {
			w.state = trying
			batch = append(batch, w)
		}
	}
	for _, w := range fresh {
		if w.state != waiting || !w.fresh {
			continue
		}
		w.fresh = false
		close(w.looked)
		for _, k := range w.keys {
			if typ, _ := r.data.Peek(w.db, k, now); typ != "" {
				take(w)
				break
			}
		}
	}
	for _, rk := range pending {
		if rk.Key == "" {
			for bk, ws := range r.keys {
				if bk.db == rk.DB {
					for _, w := range ws {
						take(w)
					}
				}
			}
			continue
		}
		ws := r.keys[blockKey{rk.DB, rk.Key}]
		if len(ws) == 0 {
			continue
		}
		typ, n := r.data.Peek(rk.DB, rk.Key, now)
		for _, w := range ws {
			if n == 0 {
				break
			}
			if w.state == waiting && w.typ == typ {
				take(w)
				n--
			}
		}
	}
	slices.SortFunc(batch, func(a, b *waiter) int { return cmp.Compare(a.seq, b.seq) })
	return batch
}

// attempt proposes the batch's commands as one entry and hands out the
// outcomes: a waiter whose keys were empty again waits on, unless it is
// leaving.
func (r *blockRegistry) attempt(batch []*waiter) {
	cmds := make([]fsm.Cmd, len(batch))
	for i, w := range batch {
		cmds[i] = fsm.Cmd{DB: w.db, Args: w.args}
	}
	replies, index, errReply := r.propose(cmds)
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, w := range batch {
		res := popResult{index: index, errReply: errReply}
		if errReply == "" {
			res.reply = replies[i]
			if fsm.WouldBlock(res.reply) && !w.leaving {
				w.state = waiting
				continue
			}
		}
		r.unregister(w)
		w.result <- res
	}
}
