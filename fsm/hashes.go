package fsm

import (
	"bytes"
	"math"
	"math/big"
	"strconv"
)

// Error texts used only by the hash commands.
const (
	errHashNotInteger = "ERR hash value is not an integer"
	errHashNotFloat   = "ERR hash value is not a float"
	errNaNOrInfArg    = "ERR value is NaN or Infinity"
)

var hashCommands = []*Command{
	{Spec: Spec{Name: "hset", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Creates or modifies the value of a field in a hash."}, Run: cmdHSet},
	{Spec: Spec{Name: "hsetnx", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Sets the value of a field in a hash only when the field doesn't exist."}, Run: cmdHSetNX},
	{Spec: Spec{Name: "hmset", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Sets the values of multiple fields."}, Run: cmdHMSet},
	{Spec: Spec{Name: "hget", Arity: 3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Returns the value of a field in a hash."}, Run: cmdHGet},
	{Spec: Spec{Name: "hmget", Arity: -3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Returns the values of all fields in a hash."}, Run: cmdHMGet},
	{Spec: Spec{Name: "hdel", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain."}, Run: cmdHDel},
	{Spec: Spec{Name: "hlen", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Returns the number of fields in a hash."}, Run: cmdHLen},
	{Spec: Spec{Name: "hstrlen", Arity: 3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Returns the length of the value of a field."}, Run: cmdHStrlen},
	{Spec: Spec{Name: "hexists", Arity: 3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Determines whether a field exists in a hash."}, Run: cmdHExists},
	{Spec: Spec{Name: "hkeys", Arity: 2, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Returns all fields in a hash."}, Run: cmdHKeys},
	{Spec: Spec{Name: "hvals", Arity: 2, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Returns all values in a hash."}, Run: cmdHVals},
	{Spec: Spec{Name: "hgetall", Arity: 2, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Returns all fields and values in a hash."}, Run: cmdHGetAll},
	{Spec: Spec{Name: "hincrby", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist."}, Run: cmdHIncrBy},
	{Spec: Spec{Name: "hincrbyfloat", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist."}, Run: cmdHIncrByFloat},
	{Spec: Spec{Name: "hrandfield", Arity: -2, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Returns one or more random fields from a hash."}, Run: cmdHRandField},
	{Spec: Spec{Name: "hscan", Arity: -3, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hash", Summary: "Iterates over fields and values of a hash."}, Run: cmdHScan},
}

// HSET key field value [field value ...]
func cmdHSet(c *Ctx, args [][]byte) {
	if n, ok := c.hsetPairs(args); ok {
		c.Int(n)
	}
}

// HMSET key field value [field value ...]
func cmdHMSet(c *Ctx, args [][]byte) {
	if _, ok := c.hsetPairs(args); ok {
		c.OK()
	}
}

// hsetPairs stores the field/value pairs of HSET and HMSET and returns the
// number of new fields.
func (c *Ctx) hsetPairs(args [][]byte) (int64, bool) {
	if len(args)%2 == 1 {
		c.Error(ErrArity(string(bytes.ToLower(args[0]))))
		return 0, false
	}
	h, _, ok := writable(c, args[1], newHash)
	if !ok {
		return 0, false
	}
	var created int64
	for i := 2; i < len(args); i += 2 {
		if h.set(c.lim, args[i], args[i+1]) {
			created++
		}
	}
	return created, true
}

// HSETNX key field value
func cmdHSetNX(c *Ctx, args [][]byte) {
	h, _, ok := writable(c, args[1], newHash)
	if !ok {
		return
	}
	if _, exists := h.get(args[2]); exists {
		c.unchanged(h) // as in Redis, an existing field is no write
		c.Int(0)
		return
	}
	h.set(c.lim, args[2], args[3])
	c.Int(1)
}

// HGET key field
func cmdHGet(c *Ctx, args [][]byte) {
	h, found, ok := lookupAs[*hashValue](c, args[1])
	if !ok {
		return
	}
	if found {
		if v, exists := h.get(args[2]); exists {
			c.Bulk(v)
			return
		}
	}
	c.Null()
}

// HMGET key field [field ...]
func cmdHMGet(c *Ctx, args [][]byte) {
	h, found, ok := lookupAs[*hashValue](c, args[1])
	if !ok {
		return
	}
	c.Array(len(args) - 2)
	for _, field := range args[2:] {
		if found {
			if v, exists := h.get(field); exists {
				c.Bulk(v)
				continue
			}
		}
		c.Null()
	}
}

// HDEL key field [field ...]
func cmdHDel(c *Ctx, args [][]byte) {
	h, found, ok := writable[*hashValue](c, args[1], nil)
	if !ok {
		return
	}
	var n int64
	if found {
		for _, field := range args[2:] {
			if h.del(field) {
				n++
				if h.n == 0 {
					break
				}
			}
		}
		if n == 0 {
			c.unchanged(h)
		}
	}
	c.Int(n)
}

// HLEN key
func cmdHLen(c *Ctx, args [][]byte) {
	if h, found, ok := lookupAs[*hashValue](c, args[1]); ok {
		c.Int(int64(lengthOr0(h, found)))
	}
}

// lengthOr0 is a collection's length, or 0 for a missing key.
func lengthOr0(v collection, found bool) int {
	if !found {
		return 0
	}
	return v.length()
}

// HSTRLEN key field
func cmdHStrlen(c *Ctx, args [][]byte) {
	h, found, ok := lookupAs[*hashValue](c, args[1])
	if !ok {
		return
	}
	var n int
	if found {
		v, _ := h.get(args[2])
		n = len(v)
	}
	c.Int(int64(n))
}

// HEXISTS key field
func cmdHExists(c *Ctx, args [][]byte) {
	h, found, ok := lookupAs[*hashValue](c, args[1])
	if !ok {
		return
	}
	exists := false
	if found {
		_, exists = h.get(args[2])
	}
	c.Bool(exists)
}

// HKEYS key
func cmdHKeys(c *Ctx, args [][]byte) { c.hashAll(args[1], true, false) }

// HVALS key
func cmdHVals(c *Ctx, args [][]byte) { c.hashAll(args[1], false, true) }

// HGETALL key
func cmdHGetAll(c *Ctx, args [][]byte) { c.hashAll(args[1], true, true) }

func (c *Ctx) hashAll(key []byte, fields, values bool) {
	h, found, ok := lookupAs[*hashValue](c, key)
	if !ok {
		return
	}
	if !found {
		c.Array(0)
		return
	}
	n := h.n
	if fields && values {
		n *= 2
	}
	c.Array(n)
	for f, v := range h.all() {
		if fields {
			c.Bulk(f)
		}
		if values {
			c.Bulk(v)
		}
	}
}

// HINCRBY key field increment
func cmdHIncrBy(c *Ctx, args [][]byte) {
	incr, ok := c.intArg(args[3])
	if !ok {
		return
	}
	h, _, ok := writable(c, args[1], newHash)
	if !ok {
		return
	}
	var cur int64
	if v, exists := h.get(args[2]); exists {
		if cur, ok = parseInt(v); !ok {
			c.Error(errHashNotInteger)
			return
		}
	}
	if (incr < 0 && cur < 0 && incr < math.MinInt64-cur) || (incr > 0 && cur > 0 && incr > math.MaxInt64-cur) {
		c.Error(ErrOverflow)
		return
	}
	cur += incr
	h.set(c.lim, args[2], strconv.AppendInt(nil, cur, 10))
	c.Int(cur)
}

// HINCRBYFLOAT key field increment
func cmdHIncrByFloat(c *Ctx, args [][]byte) {
	incr, ok := parseLongDouble(args[3])
	if !ok {
		c.Error(ErrNotFloat)
		return
	}
	if incr.IsInf() {
		c.Error(errNaNOrInfArg)
		return
	}
	h, _, ok := writable(c, args[1], newHash)
	if !ok {
		return
	}
	cur := new(big.Float)
	if v, exists := h.get(args[2]); exists {
		if cur, ok = parseLongDouble(v); !ok {
			c.Error(errHashNotFloat)
			return
		}
	}
	sum, ok := addLongDouble(cur, incr)
	if !ok {
		c.Error(ErrNaNOrInf)
		return
	}
	s := formatLongDouble(sum)
	h.set(c.lim, args[2], []byte(s))
	c.BulkString(s)
}

// HRANDFIELD key [count [WITHVALUES]]
func cmdHRandField(c *Ctx, args [][]byte) {
	if len(args) == 2 {
		h, found, ok := lookupAs[*hashValue](c, args[1])
		switch {
		case !ok:
		case !found:
			c.Null()
		default:
			f, _ := h.at(c.randN(h.n))
			c.Bulk(f)
		}
		return
	}
	count, withValues, ok := c.randPickArgs(args, "withvalues")
	if !ok {
		return
	}
	h, found, ok := lookupAs[*hashValue](c, args[1])
	if !ok {
		return
	}
	if !found {
		c.Array(0)
		return
	}
	reply := func(i int) {
		f, v := h.at(i)
		c.Bulk(f)
		if withValues {
			c.Bulk(v)
		}
	}
	per := 1
	if withValues {
		per = 2
	}
	c.randomPicks(h.n, count, per, reply)
}

// HSCAN key cursor [MATCH pattern] [COUNT count]
func cmdHScan(c *Ctx, args [][]byte) {
	h, cursor, opts, ok := collectionScan[*hashValue](c, args)
	if !ok {
		return
	}
	var out [][]byte
	var next uint64
	if h.big == nil {
		// A packed hash is small: all of it in one call, as Redis does.
		for f, v := range h.all() {
			if opts.match(stringView(f)) {
				out = append(out, f, v)
			}
		}
	} else {
		next = scanPage(opts.count, func(yield func(uint64) bool) {
			h.big.Ascend(hashEntry{hash: cursor}, func(e hashEntry) bool {
				if !yield(e.hash) {
					return false
				}
				if opts.match(e.field) {
					out = append(out, bytesView(e.field), bytesView(e.value))
				}
				return true
			})
		})
	}
	c.scanReply(next, out)
}
