package server

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"github.com/raftis/raftis/fsm"
)

// blockHarness runs a registry and its waker against a real state machine,
// applying each proposal as the next log entry, as a one-node cluster
// would.
type blockHarness struct {
	t       *testing.T
	f       *fsm.FSM
	r       *blockRegistry
	mu      sync.Mutex
	applyMu sync.Mutex // held while an entry is applied
	index   uint64
	gate    chan struct{} // if set, each proposal waits for a value
	cmds    [][]fsm.Cmd   // what the waker proposed, per entry
}

func newBlockHarness(t *testing.T) *blockHarness {
	h := &blockHarness{t: t, f: fsm.New()}
	h.r = newBlockRegistry(h.f, h.propose)
	h.f.SetReadyHook(h.r.ready)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.r.run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

// apply applies one entry. Entries are applied one at a time, as raft
// applies them: the test and the registry's waker both apply.
func (h *blockHarness) apply(cmds ...fsm.Cmd) *fsm.Result {
	h.applyMu.Lock()
	defer h.applyMu.Unlock()
	h.mu.Lock()
	h.index++
	index := h.index
	h.mu.Unlock()
	e := fsm.Entry{Type: fsm.EntryCommands, Time: time.Now().UnixMilli(), Seed: index, Cmds: cmds}
	return h.f.Apply(&raft.Log{Index: index, Type: raft.LogCommand, Data: e.Encode(nil)}).(*fsm.Result)
}

func (h *blockHarness) propose(cmds []fsm.Cmd) ([][]byte, uint64, string) {
	if h.gate != nil {
		<-h.gate
	}
	h.mu.Lock()
	h.cmds = append(h.cmds, cmds)
	h.mu.Unlock()
	res := h.apply(cmds...)
	out := make([][]byte, len(cmds))
	for i := range cmds {
		out[i] = res.Reply(i, i+1)
	}
	return out, h.f.AppliedIndex(), ""
}

// do applies one client command directly (a write from another client).
func (h *blockHarness) do(args ...string) string {
	return string(h.apply(cmdOf(args...)).Replies)
}

func cmdOf(args ...string) fsm.Cmd {
	c := fsm.Cmd{}
	for _, a := range args {
		c.Args = append(c.Args, []byte(a))
	}
	return c
}

// block registers a client running args (its keys are args[1:len-1]).
func (h *blockHarness) block(args ...string) *waiter {
	c := cmdOf(args...)
	return h.r.add(0, args[1:len(args)-1], "list", c.Args)
}

// result waits for w's outcome.
func (h *blockHarness) result(w *waiter) string {
	h.t.Helper()
	select {
	case res := <-w.result:
		if res.errReply != "" {
			return "-" + res.errReply
		}
		return string(res.reply)
	case <-time.After(10 * time.Second):
		h.t.Fatal("no result")
		return ""
	}
}

// pending reports whether w has no result yet, once the waker is idle.
func (h *blockHarness) pending(w *waiter) bool {
	h.t.Helper()
	h.idle()
	select {
	case res := <-w.result:
		h.t.Fatalf("unexpected result %q", res.reply)
	default:
	}
	return true
}

// idle waits until the waker has nothing queued (no ready key and no new
// waiter it has yet to look at) and no attempt in flight. The kick alone
// does not say so: the waker takes it before it claims under the lock.
func (h *blockHarness) idle() {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		h.r.mu.Lock()
		busy := len(h.r.pending) > 0 || len(h.r.fresh) > 0 || len(h.r.kick) > 0
		for _, ws := range h.r.keys {
			for _, w := range ws {
				busy = busy || w.state == trying
			}
		}
		h.r.mu.Unlock()
		if !busy {
			return
		}
		time.Sleep(time.Millisecond)
	}
	h.t.Fatal("waker never idle")
}

func bulkPair(key, elem string) string {
	return "*2\r\n$" + strconv.Itoa(len(key)) + "\r\n" + key + "\r\n$" + strconv.Itoa(len(elem)) + "\r\n" + elem + "\r\n"
}

func TestBlockedClientsAreServedInBlockOrder(t *testing.T) {
	h := newBlockHarness(t)
	w1 := h.block("blpop", "k", "0")
	w2 := h.block("blpop", "other", "k", "0")
	w3 := h.block("brpop", "k", "0")
	h.pending(w3)
	if n := h.r.blocked(); n != 3 {
		t.Fatalf("blocked = %d, want 3", n)
	}
	h.do("rpush", "k", "a", "b")
	if got := h.result(w1); got != bulkPair("k", "a") {
		t.Fatalf("first blocked got %q", got)
	}
	if got := h.result(w2); got != bulkPair("k", "b") {
		t.Fatalf("second blocked got %q", got)
	}
	h.pending(w3)
	h.do("lpush", "k", "c")
	if got := h.result(w3); got != bulkPair("k", "c") {
		t.Fatalf("third blocked got %q", got)
	}
	if n := h.r.blocked(); n != 0 {
		t.Fatalf("blocked = %d after all were served", n)
	}
	// Both pops of the first push were one entry, in block order.
	for _, cmds := range h.cmds {
		if len(cmds) == 2 && (string(cmds[0].Args[0]) != "blpop" || string(cmds[1].Args[1]) != "other") {
			t.Fatalf("entry of two pops out of order: %q %q", cmds[0].Args, cmds[1].Args)
		}
	}
}

func TestBlockedClientPopsAtOnceWhenTheKeyHoldsSomething(t *testing.T) {
	h := newBlockHarness(t)
	h.do("rpush", "k", "x")
	if got := h.result(h.block("blpop", "k", "0")); got != bulkPair("k", "x") {
		t.Fatalf("got %q", got)
	}
	h.do("set", "s", "v")
	if got := h.result(h.block("blpop", "s", "0")); got != "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n" {
		t.Fatalf("blpop on a string: %q", got)
	}
}

func TestLeavingDuringAnAttemptGetsItsOutcome(t *testing.T) {
	h := newBlockHarness(t)
	w := h.block("blpop", "k", "0")
	h.pending(w)
	h.gate = make(chan struct{})
	h.do("rpush", "k", "x")
	// The waker is now held inside propose, with w marked trying.
	deadline := time.Now().Add(10 * time.Second)
	for !func() bool { h.r.mu.Lock(); defer h.r.mu.Unlock(); return w.state == trying }() {
		if time.Now().After(deadline) {
			t.Fatal("waker never tried")
		}
		time.Sleep(time.Millisecond)
	}
	if h.r.leave(w) {
		t.Fatal("leave succeeded during an attempt")
	}
	h.gate <- struct{}{}
	if got := h.result(w); got != bulkPair("k", "x") {
		t.Fatalf("outcome %q, want the element popped for the leaving client", got)
	}
	// A client leaving while no attempt runs leaves at once.
	h.gate = nil
	w2 := h.block("blpop", "k", "0")
	h.pending(w2)
	if !h.r.leave(w2) || h.r.blocked() != 0 {
		t.Fatalf("leave while waiting failed; blocked = %d", h.r.blocked())
	}
	// An element pushed afterwards is not popped for it.
	h.do("rpush", "k", "y")
	h.idle()
	if got := h.do("llen", "k"); got != ":1\r\n" {
		t.Fatalf("llen k = %q after the client left", got)
	}
}

func TestWaitingCostsNoEntryAndIgnoresOtherTypes(t *testing.T) {
	h := newBlockHarness(t)
	w := h.block("blpop", "k", "0")
	h.pending(w)
	// A sorted set at the key does not serve a list client: it stays
	// blocked, as in Redis.
	h.do("zadd", "k", "1", "m")
	h.pending(w)
	h.do("del", "k")
	h.do("rpush", "k", "x")
	if got := h.result(w); got != bulkPair("k", "x") {
		t.Fatalf("got %q", got)
	}
	if len(h.cmds) != 1 {
		t.Fatalf("the waker proposed %d entries, want 1 (the pop)", len(h.cmds))
	}
}

func TestSwapDBWakesTheDatabase(t *testing.T) {
	h := newBlockHarness(t)
	h.apply(fsm.Cmd{DB: 1, Args: cmdOf("rpush", "k", "x").Args})
	w := h.block("blpop", "k", "0")
	h.pending(w)
	h.do("swapdb", "0", "1")
	if got := h.result(w); got != bulkPair("k", "x") {
		t.Fatalf("got %q after SWAPDB", got)
	}
}

func TestReadyWithoutWaitersIsCheap(t *testing.T) {
	h := newBlockHarness(t)
	keys := make([]fsm.ReadyKey, 100)
	for i := range keys {
		keys[i] = fsm.ReadyKey{Key: strconv.Itoa(i)}
	}
	if n := testing.AllocsPerRun(100, func() { h.r.ready(keys) }); n != 0 {
		t.Fatalf("ready with no waiters allocates %v times", n)
	}
}

// blockZSet registers a client running a sorted-set pop on keys.
func (h *blockHarness) blockZSet(keys []string, args ...string) *waiter {
	return h.r.add(0, keys, "zset", cmdOf(args...).Args)
}

// TestBlockedSortedSetPops checks the sorted-set pops: woken by ZADD and
// by a store into the key, served in block order, not by a list.
func TestBlockedSortedSetPops(t *testing.T) {
	h := newBlockHarness(t)
	w1 := h.blockZSet([]string{"z"}, "bzpopmin", "z", "0")
	w2 := h.blockZSet([]string{"other", "z"}, "bzmpop", "0", "2", "other", "z", "MAX", "COUNT", "5")
	h.pending(w2)
	h.do("rpush", "z2", "x")
	h.do("rename", "z2", "z") // a list at the key serves no one
	h.pending(w2)
	h.do("del", "z")
	h.do("zadd", "z", "1", "a", "2", "b", "3", "c")
	if got := h.result(w1); got != "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n" {
		t.Fatalf("bzpopmin got %q", got)
	}
	if got := h.result(w2); got != "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n" {
		t.Fatalf("bzmpop got %q", got)
	}
	// A store into a waited-on key wakes its clients too.
	w3 := h.blockZSet([]string{"dst"}, "bzpopmax", "dst", "0")
	h.pending(w3)
	h.do("zadd", "src", "5", "m", "7", "n")
	h.do("zunionstore", "dst", "1", "src", "weights", "2")
	if got := h.result(w3); got != "*3\r\n$3\r\ndst\r\n$1\r\nn\r\n$2\r\n14\r\n" {
		t.Fatalf("bzpopmax after a store got %q", got)
	}
	if got := h.do("zrange", "dst", "0", "-1", "withscores"); got != "*2\r\n$1\r\nm\r\n$2\r\n10\r\n" {
		t.Fatalf("dst holds %q", got)
	}
}
