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
		c.Error(errInvalidCursor)
		return
	}
	opts, ok := c.parseScanOptions(args[2:], true)
	if !ok {
		return
	}
	var keys []string
	next := scanPage(opts.count, func(yield func(uint64) bool) {
		c.db.keys.ascend(cursor, func(hash uint64, it *item) bool {
			if !yield(hash) {
				return false
			}
			switch {
			case it.expired(c.now):
			case !opts.match(it.key):
			case opts.useType && !strings.EqualFold(string(opts.typeName), it.val.Type()):
			default:
				keys = append(keys, it.key)
			}
			return true
		})
	})
	c.Array(2)
	c.BulkString(strconv.FormatUint(next, 10))
	c.Array(len(keys))
	for _, k := range keys {
		c.BulkString(k)
	}
}

const errInvalidCursor = "ERR invalid cursor"

// scanOptions are the options of SCAN and of HSCAN, SSCAN and ZSCAN.
type scanOptions struct {
	count      int64
	pattern    []byte
	usePattern bool
	typeName   []byte
	useType    bool
}

// match reports whether name passes the MATCH pattern, if any.
func (o *scanOptions) match(name string) bool {
	return !o.usePattern || stringMatch(o.pattern, name, false)
}

// parseScanOptions parses [MATCH pattern] [COUNT count], and [TYPE type]
// when keys is set (SCAN of the keyspace), as Redis does.
func (c *Ctx) parseScanOptions(args [][]byte, keys bool) (scanOptions, bool) {
	opts := scanOptions{count: 10}
	for i := 0; i < len(args); i += 2 {
		hasValue := i+1 < len(args)
		switch {
		case equalFold(args[i], "count") && hasValue:
			n, ok := c.intArg(args[i+1])
			if !ok {
				return opts, false
			}
			if n < 1 {
				c.Error(ErrSyntax)
				return opts, false
			}
			opts.count = n
		case equalFold(args[i], "match") && hasValue:
			opts.pattern = args[i+1]
			// "*" is a no-op (and would not match the empty key).
			opts.usePattern = !(len(opts.pattern) == 1 && opts.pattern[0] == '*')
		case keys && equalFold(args[i], "type") && hasValue:
			opts.typeName, opts.useType = args[i+1], true
		default:
			c.Error(ErrSyntax)
			return opts, false
		}
	}
	return opts, true
}

// scanPage runs one page of an iteration over elements ordered by a
// stable 64-bit hash. walk visits the elements from the cursor on, calling
// yield with each one's hash before handling it, and stops when yield
// returns false. The page ends once count elements were examined, but
// never inside a run of equal hashes, so an element present for the whole
// iteration is returned exactly once. It returns the next cursor, 0 at the
// end.
func scanPage(count int64, walk func(yield func(hash uint64) bool)) (next uint64) {
	var examined int64
	var lastHash uint64
	walk(func(h uint64) bool {
		if examined >= count && h != lastHash {
			next = h // never 0: a smaller hash was examined before it
			return false
		}
		examined++
		lastHash = h
		return true
	})
	return next
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
