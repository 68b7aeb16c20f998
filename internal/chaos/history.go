package chaos

import (
	"encoding/json"
	"math"
	"os"
	"sync"
	"time"
)

// Outcome is what a client knows about an operation once it returned.
type Outcome string

const (
	// OK: the server answered with a result.
	OK Outcome = "ok"
	// Failed: an error reply that proves nothing was written (no leader,
	// read-only replica, a refused read, an aborted transaction).
	Failed Outcome = "failed"
	// Unknown: a timeout, a lost connection, -UNCERTAIN: a write may or
	// may not have been applied.
	Unknown Outcome = "unknown"
)

// The operations the clients run.
const (
	opSet      = "set"      // SET key value
	opGet      = "get"      // GET key
	opIncr     = "incr"     // INCR key
	opAppend   = "append"   // APPEND key token
	opSAdd     = "sadd"     // SADD key element
	opLPush    = "lpush"    // LPUSH key element
	opTransfer = "transfer" // MULTI DECRBY from n INCRBY to n EXEC
	opBalances = "balances" // MULTI GET b0 GET b1 GET b2 EXEC
)

// Op is one operation in the history: what was asked, when, of which node
// on which connection, and what came back. Times are nanoseconds since the
// round started; an unknown outcome keeps the time the client gave up.
type Op struct {
	ID      int      `json:"id"`
	Conn    int      `json:"conn"`
	Node    string   `json:"node"`
	Level   string   `json:"level,omitempty"` // the connection's read level
	Kind    string   `json:"kind"`
	Key     string   `json:"key,omitempty"`
	Arg     string   `json:"arg,omitempty"`
	Keys    []string `json:"keys,omitempty"` // transfer: from, to; balances: the accounts
	Amount  int64    `json:"amount,omitempty"`
	Final   bool     `json:"final,omitempty"` // a read of the healed cluster after the run
	Invoke  int64    `json:"invoke"`
	Return  int64    `json:"return"`
	Outcome Outcome  `json:"outcome"`
	// Results: Str (Null for a null bulk) for GET, Int for integer
	// replies, Ints for a transfer's two new balances or the balances read
	// (null = 0), Strs for a final SMEMBERS or LRANGE.
	Str  string   `json:"str,omitempty"`
	Null bool     `json:"null,omitempty"`
	Int  int64    `json:"int,omitempty"`
	Ints []int64  `json:"ints,omitempty"`
	Strs []string `json:"strs,omitempty"`
	Err  string   `json:"err,omitempty"`
}

// returnTime is when the op took effect at the latest: never, for an
// unknown outcome (it may still be applied after everything else).
func (o *Op) returnTime() int64 {
	if o.Outcome == Unknown {
		return math.MaxInt64
	}
	return o.Return
}

// history records operations from many goroutines.
type history struct {
	start time.Time
	mu    sync.Mutex
	ops   []*Op
}

func newHistory() *history { return &history{start: time.Now()} }

func (h *history) now() int64 { return int64(time.Since(h.start)) }

// invoke records an operation as started and returns it; the caller fills
// in its result and calls complete.
func (h *history) invoke(op Op) *Op {
	h.mu.Lock()
	defer h.mu.Unlock()
	op.ID = len(h.ops)
	o := &op
	h.ops = append(h.ops, o)
	o.Invoke = h.now()
	return o
}

// complete stamps op's return time and outcome.
func (h *history) complete(o *Op, outcome Outcome) {
	t := h.now()
	h.mu.Lock()
	o.Return, o.Outcome = t, outcome
	h.mu.Unlock()
}

// snapshot returns the operations recorded so far.
func (h *history) snapshot() []*Op {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*Op(nil), h.ops...)
}

// writeJSONL writes one operation per line to path.
func writeJSONL(path string, ops []*Op) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, o := range ops {
		if err := enc.Encode(o); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
