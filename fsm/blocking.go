package fsm

import (
	"math"
	"math/big"
)

// Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP).
//
// The state machine never blocks: every node must apply an entry the same
// way, at once. The server does the waiting. It validates the command with
// BlockingTimeout, learns the keys with BlockingKeys, and proposes the
// command as an ordinary write; here it runs as Redis runs it inside
// MULTI or a script: it pops from the first key holding a list, or, when
// every key is empty, replies Redis's null for the command (see
// WouldBlock) and changes nothing. On that reply the server blocks the
// client until the ready hook (SetReadyHook) reports one of its keys, then
// proposes the same command again; when the timeout passes first it
// answers TimeoutReply.

// Error texts of blocking timeouts.
const (
	errTimeoutNotFloat = "ERR timeout is not a float or out of range"
	errTimeoutNegative = "ERR timeout is negative"
	errNotBlocking     = "ERR not a blocking command"
)

// TimeoutReply is what Redis answers a client whose blocking list command
// timed out: a null array, whatever the command (BLMOVE and BRPOPLPUSH
// included, although their nil reply inside MULTI is a null bulk string).
const TimeoutReply = "*-1\r\n"

// blockingCall is a parsed blocking command.
type blockingCall struct {
	keys      [][]byte // the keys it pops from, in order: what it waits on
	timeoutMs int64    // relative; 0 waits for ever
	left      bool     // pops from the head
	toLeft    bool     // BLMOVE: pushes onto the destination's head
	count     int64    // BLMPOP and LMPOP: elements to pop (≥ 1)
}

// BlockingTimeout checks the arguments of a blocking command in Redis's
// order and returns its timeout in milliseconds (0: wait for ever), or
// the error reply Redis gives for the first bad argument (the arity error
// for a wrong number of arguments). A command that does not block
// gives "ERR not a blocking command".
//
// The timeout is in seconds, a float, rounded up to a millisecond as
// Redis rounds it (ceil of the long double product); a negative or
// overflowing one is refused with Redis's texts. See BlockingDeadline for
// turning it into a deadline.
func BlockingTimeout(args [][]byte) (ms int64, errMsg string) {
	b, errMsg := parseBlocking(args)
	return b.timeoutMs, errMsg
}

// BlockingKeys returns the keys a blocking command waits on, in the order
// it tries them: every key of BLPOP, BRPOP and BLMPOP, the source of
// BLMOVE and BRPOPLPUSH. Nil for invalid arguments (see BlockingTimeout).
// The slices are args' own.
func BlockingKeys(args [][]byte) [][]byte {
	b, errMsg := parseBlocking(args)
	if errMsg != "" {
		return nil
	}
	return b.keys
}

// BlockingDeadline is the absolute deadline, in ms, of a blocking command
// issued at nowMs with a timeout from BlockingTimeout; 0 means none. Redis
// adds the two with wraparound, and a deadline that overflows never
// passes, so such a command waits for ever: BlockingDeadline returns 0
// for it too.
func BlockingDeadline(timeoutMs, nowMs int64) int64 {
	if timeoutMs <= 0 || timeoutMs > math.MaxInt64-nowMs {
		return 0
	}
	return nowMs + timeoutMs
}

// WouldBlock reports whether reply, the state machine's reply to a
// blocking command, means that every key was empty: a null array (BLPOP,
// BRPOP, BLMPOP) or a null bulk string (BLMOVE, BRPOPLPUSH). Nothing was
// changed; outside MULTI the client should block.
func WouldBlock(reply []byte) bool {
	s := string(reply)
	return s == "*-1\r\n" || s == "$-1\r\n"
}

// parseBlocking parses a blocking command with the parser of its table
// row.
func parseBlocking(args [][]byte) (blockingCall, string) {
	if len(args) == 0 {
		return blockingCall{}, errNotBlocking
	}
	cmd := Lookup(args[0])
	if cmd == nil || cmd.block == nil {
		return blockingCall{}, errNotBlocking
	}
	if !cmd.ArityOK(len(args)) {
		return blockingCall{}, ErrArity(cmd.Name)
	}
	return cmd.block(args)
}

// parseTimeout parses a timeout in seconds as Redis's
// getTimeoutFromObjectOrReply does: a long double, times 1000, rounded up
// and converted to a long long. On x86-64 a conversion out of range (or
// from ±Inf) gives LLONG_MIN, which then fails as negative.
func parseTimeout(b []byte) (int64, string) {
	secs, ok := parseLongDouble(b)
	if !ok {
		return 0, errTimeoutNotFloat
	}
	if secs.IsInf() {
		return 0, errTimeoutNegative
	}
	ms := new(big.Float).SetPrec(ldMantBits).Mul(secs, big.NewFloat(1000))
	whole, acc := ms.Int(nil)
	if acc == big.Below && ms.Sign() > 0 {
		whole.Add(whole, big.NewInt(1))
	}
	if !whole.IsInt64() || whole.Sign() < 0 {
		return 0, errTimeoutNegative
	}
	return whole.Int64(), ""
}

// BLPOP key [key ...] timeout and BRPOP key [key ...] timeout.
func parseBPop(args [][]byte) (blockingCall, string) {
	ms, errMsg := parseTimeout(args[len(args)-1])
	if errMsg != "" {
		return blockingCall{}, errMsg
	}
	left := equalFold(args[0], "blpop")
	return blockingCall{keys: args[1 : len(args)-1], timeoutMs: ms, left: left}, ""
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout: the directions
// are checked before the timeout.
func parseBLMove(args [][]byte) (blockingCall, string) {
	from, ok := parseDirection(args[3])
	if !ok {
		return blockingCall{}, ErrSyntax
	}
	to, ok := parseDirection(args[4])
	if !ok {
		return blockingCall{}, ErrSyntax
	}
	ms, errMsg := parseTimeout(args[5])
	if errMsg != "" {
		return blockingCall{}, errMsg
	}
	return blockingCall{keys: args[1:2], timeoutMs: ms, left: from, toLeft: to}, ""
}

// BRPOPLPUSH source destination timeout
func parseBRPopLPush(args [][]byte) (blockingCall, string) {
	ms, errMsg := parseTimeout(args[3])
	if errMsg != "" {
		return blockingCall{}, errMsg
	}
	return blockingCall{keys: args[1:2], timeoutMs: ms, left: false, toLeft: true}, ""
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: numkeys,
// the direction and COUNT are checked before the timeout.
func parseBLMPop(args [][]byte) (blockingCall, string) {
	b, errMsg := parseMPop(args, 2)
	if errMsg != "" {
		return blockingCall{}, errMsg
	}
	if b.timeoutMs, errMsg = parseTimeout(args[1]); errMsg != "" {
		return blockingCall{}, errMsg
	}
	return b, ""
}

// blockingArgs parses a blocking command run by the state machine,
// replying the error if its arguments are bad.
func (c *Ctx) blockingArgs(args [][]byte) (blockingCall, bool) {
	b, errMsg := parseBlocking(args)
	if errMsg != "" {
		c.Error(errMsg)
		return b, false
	}
	return b, true
}

// BLPOP and BRPOP, without blocking: pop from the first key that holds a
// list and reply [key, element], or a null array.
func cmdBPop(c *Ctx, args [][]byte) {
	b, ok := c.blockingArgs(args)
	if !ok {
		return
	}
	for _, key := range b.keys {
		l, found, ok := writable[*listValue](c, key, nil)
		if !ok {
			return
		}
		if !found {
			continue
		}
		c.Array(2)
		c.Bulk(key)
		c.Bulk(l.end(b.left))
		l.popN(b.left, 1)
		return
	}
	c.NullArray()
}

// BLMOVE and BRPOPLPUSH, without blocking: LMOVE, or a null bulk string
// when the source is missing (the destination is then not looked at).
func cmdBLMove(c *Ctx, args [][]byte) {
	b, ok := c.blockingArgs(args)
	if !ok {
		return
	}
	c.move(args[1], args[2], b.left, b.toLeft)
}

// BLMPOP, without blocking: LMPOP.
func cmdBLMPop(c *Ctx, args [][]byte) {
	if b, ok := c.blockingArgs(args); ok {
		c.mpop(b)
	}
}
