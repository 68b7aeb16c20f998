package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/raftis/raftis/internal/resp"
)

// The key set: small, so that clients collide on every key.
var (
	registerKeys = []string{"r0", "r1", "r2"} // SET, GET
	counterKeys  = []string{"c0", "c1"}       // INCR, GET
	appendKeys   = []string{"a0", "a1"}       // APPEND, GET
	setKey       = "s0"                       // SADD; SMEMBERS at the end
	listKey      = "l0"                       // LPUSH; LRANGE at the end
	accountKeys  = []string{"b0", "b1", "b2"} // MULTI/EXEC transfers and reads
)

// stringKeys are the keys GET reads and porcupine checks one by one.
func stringKeys() []string {
	return append(append(append([]string(nil), registerKeys...), counterKeys...), appendKeys...)
}

// The read levels of RAFT CONSISTENCY.
const (
	levelStale        = "stale"
	levelLeader       = "leader"
	levelLinearizable = "linearizable"
)

// fresh reports whether reads at level are linearizable by promise.
func fresh(level string) bool { return level == levelLeader || level == levelLinearizable }

// Client timeouts: a reply longer than this is an unknown outcome. Well
// above the nodes' --apply-timeout, so that most failures come back as
// error replies.
const (
	dialTimeout  = 500 * time.Millisecond
	replyTimeout = 5 * time.Second
)

// workload runs the clients of a round.
type workload struct {
	c       *cluster
	h       *history
	levels  []string // read levels the server offers; none: its default only
	txn     bool     // the server has MULTI/EXEC
	connSeq atomic.Int64
	token   atomic.Int64
}

// run starts n clients and returns when ctx ends and they have stopped.
func (w *workload) run(ctx context.Context, n int, seed uint64) {
	var wg sync.WaitGroup
	for i := range n {
		cl := &client{w: w, rng: rand.New(rand.NewPCG(seed, uint64(i)+1))}
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl.loop(ctx)
		}()
	}
	wg.Wait()
}

// client is one goroutine with one connection at a time, to a random node.
type client struct {
	w     *workload
	rng   *rand.Rand
	conn  *resp.Conn
	id    int // connection id in the history
	node  *node
	level string
}

func (cl *client) loop(ctx context.Context) {
	defer cl.disconnect()
	for ctx.Err() == nil {
		if cl.conn == nil && !cl.connect() {
			sleep(ctx, 100*time.Millisecond)
			continue
		}
		cl.step()
		sleep(ctx, time.Duration(cl.rng.IntN(5))*time.Millisecond)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// connect dials a random node and sets a random read level.
func (cl *client) connect() bool {
	n := cl.w.c.nodes[cl.rng.IntN(len(cl.w.c.nodes))]
	conn, err := resp.DialTimeout(n.redisAddr, dialTimeout, resp.WithTimeout(replyTimeout))
	if err != nil {
		return false
	}
	level := ""
	if len(cl.w.levels) > 0 {
		level = cl.w.levels[cl.rng.IntN(len(cl.w.levels))]
		raw, err := conn.Do("RAFT", "CONSISTENCY", level)
		if err != nil || string(raw) != "+OK\r\n" {
			conn.Close()
			return false
		}
	}
	cl.conn, cl.node, cl.level = conn, n, level
	cl.id = int(cl.w.connSeq.Add(1))
	return true
}

func (cl *client) disconnect() {
	if cl.conn != nil {
		cl.conn.Close()
		cl.conn = nil
	}
}

// step runs one random operation.
func (cl *client) step() {
	r := cl.rng.IntN(100)
	switch {
	case r < 15:
		cl.set()
	case r < 40:
		cl.get()
	case r < 52:
		cl.incr()
	case r < 62:
		cl.append()
	case r < 70:
		cl.push(opSAdd, "SADD", setKey)
	case r < 78:
		cl.push(opLPush, "LPUSH", listKey)
	case r < 90 && cl.w.txn:
		cl.transfer()
	case cl.w.txn:
		cl.balances()
	default:
		cl.get()
	}
}

func (cl *client) pick(keys []string) string { return keys[cl.rng.IntN(len(keys))] }

func (cl *client) newToken(prefix string) string {
	return prefix + strconv.FormatInt(cl.w.token.Add(1), 10)
}

// begin records an operation on this connection as invoked.
func (cl *client) begin(op Op) *Op {
	op.Conn, op.Node, op.Level = cl.id, cl.node.id, cl.level
	return cl.w.h.invoke(op)
}

// exchange sends cmds as one pipeline and reads their replies. A transport
// failure ends the operation as unknown and drops the connection.
func (cl *client) exchange(o *Op, cmds ...[]string) ([]resp.Value, bool) {
	for _, c := range cmds {
		cl.conn.Send(c...)
	}
	vals := make([]resp.Value, 0, len(cmds))
	for range cmds {
		raw, err := cl.conn.Receive()
		if err == nil {
			var v resp.Value
			if v, err = resp.Parse(raw); err == nil {
				vals = append(vals, v)
				continue
			}
		}
		o.Err = err.Error()
		cl.w.h.complete(o, Unknown)
		cl.disconnect()
		return nil, false
	}
	return vals, true
}

// finish ends o with the outcome an error reply v proves, or ok when v is
// not an error; an unknown outcome drops the connection, so that every
// connection in the history has one operation in flight at a time.
func (cl *client) finish(o *Op, v resp.Value) bool {
	if v.Kind != resp.Error {
		cl.w.h.complete(o, OK)
		return true
	}
	o.Err = v.Str
	outcome := errorOutcome(v.Str)
	cl.w.h.complete(o, outcome)
	if outcome == Unknown {
		cl.disconnect()
	}
	return false
}

// unexpected ends o as unknown when a reply has the wrong shape.
func (cl *client) unexpected(o *Op, v resp.Value) {
	o.Err = fmt.Sprintf("unexpected reply %+v", v)
	cl.w.h.complete(o, Unknown)
	cl.disconnect()
}

// errorOutcome says what an error reply proves. Only replies that raftis
// gives for writes it never handed to Raft (or reads it refused) count as
// failed; anything else (UNCERTAIN, a shutdown, an unexpected error) may
// hide an applied write.
func errorOutcome(msg string) Outcome {
	code, _, _ := strings.Cut(msg, " ")
	switch code {
	case "CLUSTERDOWN", "READONLY", "NOTLEADER", "MASTERDOWN", "TRYAGAIN", "EXECABORT", "LOADING":
		return Failed
	}
	return Unknown
}

func (cl *client) set() {
	o := cl.begin(Op{Kind: opSet, Key: cl.pick(registerKeys), Arg: cl.newToken("v")})
	if vals, ok := cl.exchange(o, []string{"SET", o.Key, o.Arg}); ok {
		if v := vals[0]; v.Kind == resp.SimpleString && v.Str == "OK" || v.Kind == resp.Error {
			cl.finish(o, v)
		} else {
			cl.unexpected(o, v)
		}
	}
}

func (cl *client) get() {
	o := cl.begin(Op{Kind: opGet, Key: cl.pick(stringKeys())})
	cl.single(o, []string{"GET", o.Key}, resp.BulkString)
}

func (cl *client) incr() {
	o := cl.begin(Op{Kind: opIncr, Key: cl.pick(counterKeys)})
	cl.single(o, []string{"INCR", o.Key}, resp.Integer)
}

func (cl *client) append() {
	o := cl.begin(Op{Kind: opAppend, Key: cl.pick(appendKeys), Arg: cl.newToken("t") + ","})
	cl.single(o, []string{"APPEND", o.Key, o.Arg}, resp.Integer)
}

func (cl *client) push(kind, cmd, key string) {
	o := cl.begin(Op{Kind: kind, Key: key, Arg: cl.newToken("e")})
	cl.single(o, []string{cmd, key, o.Arg}, resp.Integer)
}

// single runs a command whose reply is of kind want (or an error) and
// records the value in o.
func (cl *client) single(o *Op, cmd []string, want resp.Kind) {
	vals, ok := cl.exchange(o, cmd)
	if !ok {
		return
	}
	switch v := vals[0]; v.Kind {
	case want:
		o.Str, o.Null, o.Int = v.Str, v.Null, v.Int
		cl.finish(o, v)
	case resp.Error:
		cl.finish(o, v)
	default:
		cl.unexpected(o, v)
	}
}

// transfer moves 1 to 5 units between two accounts in one transaction.
func (cl *client) transfer() {
	i := cl.rng.IntN(len(accountKeys))
	j := (i + 1 + cl.rng.IntN(len(accountKeys)-1)) % len(accountKeys)
	amount := int64(1 + cl.rng.IntN(5))
	n := strconv.FormatInt(amount, 10)
	o := cl.begin(Op{Kind: opTransfer, Keys: []string{accountKeys[i], accountKeys[j]}, Amount: amount})
	cl.exec(o, []string{"DECRBY", accountKeys[i], n}, []string{"INCRBY", accountKeys[j], n})
}

// balances reads every account in one transaction.
func (cl *client) balances() {
	o := cl.begin(Op{Kind: opBalances, Keys: accountKeys})
	var cmds [][]string
	for _, k := range accountKeys {
		cmds = append(cmds, []string{"GET", k})
	}
	cl.exec(o, cmds...)
}

// exec runs cmds in MULTI/EXEC and records EXEC's results as integers
// (a null GET is 0).
func (cl *client) exec(o *Op, cmds ...[]string) {
	all := append(append([][]string{{"MULTI"}}, cmds...), []string{"EXEC"})
	vals, ok := cl.exchange(o, all...)
	if !ok {
		return
	}
	for _, v := range vals[:len(vals)-1] {
		if v.Kind == resp.Error {
			// A refused MULTI or queued command: EXEC aborts or errs too.
			o.Err = v.Str
		}
	}
	exec := vals[len(vals)-1]
	if exec.Kind == resp.Error {
		cl.finish(o, exec)
		return
	}
	if exec.Kind != resp.Array || exec.Null || len(exec.Elems) != len(cmds) {
		cl.unexpected(o, exec)
		return
	}
	for _, e := range exec.Elems {
		switch {
		case e.Kind == resp.Integer:
			o.Ints = append(o.Ints, e.Int)
		case e.Kind == resp.BulkString && e.Null:
			o.Ints = append(o.Ints, 0)
		case e.Kind == resp.BulkString:
			n, err := strconv.ParseInt(e.Str, 10, 64)
			if err != nil {
				cl.unexpected(o, exec)
				return
			}
			o.Ints = append(o.Ints, n)
		default:
			cl.unexpected(o, exec)
			return
		}
	}
	o.Err = ""
	cl.finish(o, exec)
}
