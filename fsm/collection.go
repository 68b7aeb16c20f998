package fsm

import (
	"math"
	"strconv"
)

// Helpers the collection families share.

// Bool writes 1 or 0, Redis's integer reply for yes and no.
func (c *Ctx) Bool(b bool) {
	if b {
		c.Int(1)
	} else {
		c.Int(0)
	}
}

// randN returns a pseudo-random index in [0, n). n must be positive.
func (c *Ctx) randN(n int) int { return int(c.rand() % uint64(n)) }

// randCountArg parses the count of HRANDFIELD, SRANDMEMBER and
// ZRANDMEMBER: a long in [-LONG_MAX, LONG_MAX].
func (c *Ctx) randCountArg(b []byte) (int64, bool) {
	n, ok := c.intArg(b)
	if !ok {
		return 0, false
	}
	if n == math.MinInt64 {
		c.Error("ERR value is out of range, value must between -" + strconv.FormatInt(math.MaxInt64, 10) + " and " + strconv.FormatInt(math.MaxInt64, 10))
		return 0, false
	}
	return n, true
}

// randPickArgs parses the count [flag] of HRANDFIELD key count
// [WITHVALUES] and ZRANDMEMBER key count [WITHSCORES] (args[2:]): with the
// flag, whose replies are twice as long, the count must stay within half
// of int64's range. On error it has replied.
func (c *Ctx) randPickArgs(args [][]byte, flag string) (count int64, with, ok bool) {
	count, ok = c.randCountArg(args[2])
	if !ok {
		return 0, false, false
	}
	if len(args) > 4 || (len(args) == 4 && !equalFold(args[3], flag)) {
		c.Error(ErrSyntax)
		return 0, false, false
	}
	if len(args) == 4 {
		if count < -math.MaxInt64/2 || count > math.MaxInt64/2 {
			c.Error(ErrOutOfRange)
			return 0, false, false
		}
		return count, true, true
	}
	return count, false, true
}

// randomPicks replies to HRANDFIELD, SRANDMEMBER and ZRANDMEMBER with a
// count, for a collection of size elements (size > 0) addressed by index:
// a negative count picks -count elements that may repeat; a count at
// least size returns every element; otherwise count distinct elements.
// reply writes element i, as per RESP items.
func (c *Ctx) randomPicks(size int, count int64, per int, reply func(i int)) {
	switch {
	case count == 0:
		c.Array(0)
	case count < 0:
		n := -count
		c.Array(int(n) * per)
		for range n {
			reply(c.randN(size))
		}
	case count >= int64(size):
		c.Array(size * per)
		for i := range size {
			reply(i)
		}
	default:
		// A partial Fisher-Yates shuffle over the indexes, with the
		// swapped ones in a map: O(count) time and space.
		n := int(count)
		swapped := make(map[int]int, n)
		c.Array(n * per)
		for i := range n {
			j := i + c.randN(size-i)
			vi, ok := swapped[i]
			if !ok {
				vi = i
			}
			vj, ok := swapped[j]
			if !ok {
				vj = j
			}
			swapped[j] = vi
			reply(vj)
		}
	}
}

// emptyScan is the reply to a SCAN of a missing key.
func (c *Ctx) emptyScan() { c.scanReply(0, nil) }

// collectionScan reads HSCAN, SSCAN and ZSCAN's key cursor [options]
// against a collection of type V, in Redis's order of checks: the cursor,
// the key's type, then (for an existing key) the options. ok is false
// when it has replied: an error, or the empty reply of a missing key.
func collectionScan[V Value](c *Ctx, args [][]byte) (v V, cursor uint64, opts scanOptions, ok bool) {
	cursor, ok = parseScanCursor(args[2])
	if !ok {
		c.Error(errInvalidCursor)
		return v, 0, opts, false
	}
	v, found, ok := lookupAs[V](c, args[1])
	if !ok {
		return v, 0, opts, false
	}
	if !found {
		c.emptyScan()
		return v, 0, opts, false
	}
	opts, ok = c.parseScanOptions(args[3:], false)
	return v, cursor, opts, ok
}

// scanReply writes a SCAN-family reply: the next cursor and the items.
func (c *Ctx) scanReply(next uint64, items [][]byte) {
	c.Array(2)
	c.BulkString(strconv.FormatUint(next, 10))
	c.Array(len(items))
	for _, it := range items {
		c.Bulk(it)
	}
}
