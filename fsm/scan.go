package fsm

import (
	"math"
	"strconv"
	"strings"
)

// The SCAN cursor. The keyspace is ordered by (hash, key), the same on
// every node and across restarts, so the cursor is simply the hash to
// resume from, in decimal: a page returns the live keys whose hash lies in
// [cursor, next cursor), and "0" starts and ends the iteration. A page
// never splits a run of keys with equal hashes, so a key present for the
// whole iteration is returned exactly once, however the keyspace changes
// between calls. COUNT bounds the keys a page examines (expired and
// filtered ones included), as it bounds the work in Redis.

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
func cmdScan(c *Ctx, args [][]byte) {
	cursor, ok := parseScanCursor(args[1])
	if !ok {
		c.Error("ERR invalid cursor")
		return
	}
	count := int64(10)
	var pattern, typeName []byte
	usePattern, useType := false, false
	for i := 2; i < len(args); i += 2 {
		hasValue := i+1 < len(args)
		switch {
		case equalFold(args[i], "count") && hasValue:
			n, ok := c.intArg(args[i+1])
			if !ok {
				return
			}
			if n < 1 {
				c.Error(ErrSyntax)
				return
			}
			count = n
		case equalFold(args[i], "match") && hasValue:
			pattern = args[i+1]
			// "*" is a no-op (and would not match the empty key).
			usePattern = !(len(pattern) == 1 && pattern[0] == '*')
		case equalFold(args[i], "type") && hasValue:
			typeName, useType = args[i+1], true
		default:
			c.Error(ErrSyntax)
			return
		}
	}

	var keys []string
	var next, lastHash uint64
	var examined int64
	c.db.keys.Ascend(item{hash: cursor}, func(it item) bool {
		if examined >= count && it.hash != lastHash {
			next = it.hash // never 0: a smaller hash was examined before it
			return false
		}
		examined++
		lastHash = it.hash
		switch {
		case it.expired(c.now):
		case usePattern && !stringMatch(pattern, it.key, false):
		case useType && !strings.EqualFold(string(typeName), it.val.Type()):
		default:
			keys = append(keys, it.key)
		}
		return true
	})
	c.Array(2)
	c.BulkString(strconv.FormatUint(next, 10))
	c.Array(len(keys))
	for _, k := range keys {
		c.BulkString(k)
	}
}

// parseScanCursor parses a cursor as Redis does (strtoul in base 10,
// rejecting leading space and trailing garbage): an optional sign ("-n"
// wraps around), decimal digits, no overflow. Like strtoul, it takes a
// string without digits (only "") as 0, and stops at a NUL byte.
func parseScanCursor(b []byte) (uint64, bool) {
	// C's isspace in the "C" locale.
	if len(b) > 0 && (b[0] == ' ' || ('\t' <= b[0] && b[0] <= '\r')) {
		return 0, false
	}
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i++
	}
	digits := i
	var n uint64
	for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		d := uint64(b[i] - '0')
		if n > (math.MaxUint64-d)/10 {
			return 0, false // ERANGE
		}
		n = n*10 + d
	}
	if i == digits {
		// No digits: strtoul parses nothing, sign included.
		i, n = 0, 0
	}
	if i < len(b) && b[i] != 0 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}
