package fsm

import (
	"math"
	"math/big"
)

// Error texts used only by the string commands.
const (
	errLCSWrongType = "ERR The specified keys must contain string values"
	errLCSLenAndIdx = "ERR If you want both the length and indexes, please just use IDX."
	errLCSTooBig    = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
)

// maxStringSize is Redis's default proto-max-bulk-len (512 MiB), the largest
// string APPEND and SETRANGE may build.
const maxStringSize = 512 << 20

var stringCommands = []*Command{
	{Spec: Spec{Name: "get", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Returns the string value of a key."}, Run: cmdGet},
	{Spec: Spec{Name: "set", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist."}, Run: cmdSet},
	{Spec: Spec{Name: "setnx", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Set the string value of a key only when the key doesn't exist."}, Run: cmdSetNX},
	{Spec: Spec{Name: "setex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Sets the string value and expiration time of a key. Creates the key if it doesn't exist."}, Run: cmdSetEX},
	{Spec: Spec{Name: "psetex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist."}, Run: cmdPSetEX},
	{Spec: Spec{Name: "getset", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Returns the previous string value of a key after setting it to a new value."}, Run: cmdGetSet},
	{Spec: Spec{Name: "getdel", Arity: 2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Returns the string value of a key after deleting the key."}, Run: cmdGetDel},
	{Spec: Spec{Name: "getex", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Returns the string value of a key after setting its expiration time."}, Run: cmdGetEX},
	{Spec: Spec{Name: "mget", Arity: -2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "string", Summary: "Atomically returns the string values of one or more keys."}, Run: cmdMGet},
	{Spec: Spec{Name: "mset", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, KeyStep: 2, Group: "string", Summary: "Atomically creates or modifies the string values of one or more keys."}, Run: cmdMSet},
	{Spec: Spec{Name: "msetnx", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, KeyStep: 2, Group: "string", Summary: "Atomically modifies the string values of one or more keys only when all keys don't exist."}, Run: cmdMSetNX},
	{Spec: Spec{Name: "incr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."}, Run: cmdIncr},
	{Spec: Spec{Name: "decr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."}, Run: cmdDecr},
	{Spec: Spec{Name: "incrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist."}, Run: cmdIncrBy},
	{Spec: Spec{Name: "decrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist."}, Run: cmdDecrBy},
	{Spec: Spec{Name: "incrbyfloat", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist."}, Run: cmdIncrByFloat},
	{Spec: Spec{Name: "append", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Appends a string to the value of a key. Creates the key if it doesn't exist."}, Run: cmdAppend},
	{Spec: Spec{Name: "strlen", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Returns the length of a string value."}, Run: cmdStrlen},
	{Spec: Spec{Name: "getrange", Arity: 4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Returns a substring of the string stored at a key."}, Run: cmdGetRange},
	{Spec: Spec{Name: "setrange", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist."}, Run: cmdSetRange},
	{Spec: Spec{Name: "substr", Arity: 4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Returns a substring from a string value."}, Run: cmdGetRange},
	{Spec: Spec{Name: "lcs", Arity: -3, Flags: FlagReadonly, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "string", Summary: "Finds the longest common substring."}, Run: cmdLCS},
}

// GET key
func cmdGet(c *Ctx, args [][]byte) {
	val, found, ok := c.lookupString(args[1])
	switch {
	case !ok:
	case !found:
		c.Null()
	default:
		c.Bulk(val)
	}
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
// EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
func cmdSet(c *Ctx, args [][]byte) {
	opts, ok := c.parseSetOptions(args[3:], "set")
	if !ok {
		return
	}
	c.setString(args[1], args[2], opts)
}

// SETNX key value
func cmdSetNX(c *Ctx, args [][]byte) {
	if _, found := c.lookup(args[1]); found {
		c.Int(0)
		return
	}
	c.put(c.db, item{key: string(args[1]), val: newString(args[2])})
	c.Int(1)
}

// SETEX key seconds value
func cmdSetEX(c *Ctx, args [][]byte) { c.setWithExpire(args, expireUnitSeconds, "setex") }

// PSETEX key milliseconds value
func cmdPSetEX(c *Ctx, args [][]byte) { c.setWithExpire(args, expireUnitMillis, "psetex") }

func (c *Ctx) setWithExpire(args [][]byte, unit int64, name string) {
	n, ok := c.intArg(args[2])
	if !ok {
		return
	}
	at, ok := c.absoluteDeadline(n, unit, true)
	if !ok {
		c.Error(ErrInvalidExpire(name))
		return
	}
	c.setString(args[1], args[3], setOptions{expireAt: at})
}

// GETSET key value
func cmdGetSet(c *Ctx, args [][]byte) {
	c.setString(args[1], args[2], setOptions{get: true})
}

// GETDEL key
func cmdGetDel(c *Ctx, args [][]byte) {
	val, found, ok := c.lookupString(args[1])
	switch {
	case !ok:
	case !found:
		c.Null()
	default:
		c.Bulk(val)
		c.db.delete(string(args[1]))
	}
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
// PXAT unix-time-milliseconds | PERSIST]
func cmdGetEX(c *Ctx, args [][]byte) {
	flags, expire, ok := c.parseStringFlags(args[2:], false)
	if !ok {
		return
	}
	it, found := c.lookup(args[1])
	if !found {
		c.Null()
		return
	}
	val, isString := it.val.(stringValue)
	if !isString {
		c.Error(ErrWrongType)
		return
	}
	var at int64
	if expire != nil {
		if at, ok = c.expireDeadline(flags, expire, "getex"); !ok {
			return
		}
	}
	c.Bulk(val)
	switch {
	case expire != nil && flags&(optEXAT|optPXAT) != 0 && at <= c.now:
		// An absolute deadline already past deletes the key, as in Redis.
		c.db.delete(it.key)
	case expire != nil:
		it.expireAt = at
		c.put(c.db, it)
	case flags&optPersist != 0 && it.expireAt != 0:
		it.expireAt = 0
		c.put(c.db, it)
	}
}

// MGET key [key ...]
func cmdMGet(c *Ctx, args [][]byte) {
	c.Array(len(args) - 1)
	for _, key := range args[1:] {
		it, found := c.lookup(key)
		if s, isString := it.val.(stringValue); found && isString {
			c.Bulk(s)
		} else {
			c.Null()
		}
	}
}

// MSET key value [key value ...]
func cmdMSet(c *Ctx, args [][]byte) {
	if len(args)%2 == 0 {
		c.Error(ErrArity("mset"))
		return
	}
	c.setPairs(args[1:])
	c.OK()
}

// MSETNX key value [key value ...]
func cmdMSetNX(c *Ctx, args [][]byte) {
	if len(args)%2 == 0 {
		c.Error(ErrArity("msetnx"))
		return
	}
	for i := 1; i < len(args); i += 2 {
		if _, found := c.lookup(args[i]); found {
			c.Int(0)
			return
		}
	}
	c.setPairs(args[1:])
	c.Int(1)
}

// setPairs stores key/value pairs as plain strings without a TTL, in order
// (a repeated key ends with its last value).
func (c *Ctx) setPairs(kv [][]byte) {
	for i := 0; i+1 < len(kv); i += 2 {
		c.put(c.db, item{key: string(kv[i]), val: newString(kv[i+1])})
	}
}

// INCR key
func cmdIncr(c *Ctx, args [][]byte) { c.incrBy(args[1], 1) }

// DECR key
func cmdDecr(c *Ctx, args [][]byte) { c.incrBy(args[1], -1) }

// INCRBY key increment
func cmdIncrBy(c *Ctx, args [][]byte) {
	n, ok := c.intArg(args[2])
	if !ok {
		return
	}
	c.incrBy(args[1], n)
}

// DECRBY key decrement
func cmdDecrBy(c *Ctx, args [][]byte) {
	n, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if n == math.MinInt64 {
		c.Error(ErrDecrOverflow)
		return
	}
	c.incrBy(args[1], -n)
}

// stringForUpdate returns the item to store a key's new string in (the
// existing one, keeping its TTL, or a fresh one) and the current string. ok
// is false after it replied WRONGTYPE.
func (c *Ctx) stringForUpdate(key []byte) (it item, cur []byte, found, ok bool) {
	it, found = c.lookup(key)
	if !found {
		return item{key: string(key)}, nil, false, true
	}
	s, isString := it.val.(stringValue)
	if !isString {
		c.Error(ErrWrongType)
		return it, nil, true, false
	}
	return it, s, true, true
}

// incrBy adds incr to the integer at key (0 if absent), keeping its TTL.
func (c *Ctx) incrBy(key []byte, incr int64) {
	it, raw, found, ok := c.stringForUpdate(key)
	if !ok {
		return
	}
	var cur int64
	if found {
		if cur, ok = parseInt(raw); !ok {
			c.Error(ErrNotInteger)
			return
		}
	}
	if (incr < 0 && cur < 0 && incr < math.MinInt64-cur) ||
		(incr > 0 && cur > 0 && incr > math.MaxInt64-cur) {
		c.Error(ErrOverflow)
		return
	}
	cur += incr
	it.val = intString(cur)
	c.put(c.db, it)
	c.Int(cur)
}

// INCRBYFLOAT key increment
func cmdIncrByFloat(c *Ctx, args [][]byte) {
	it, raw, found, ok := c.stringForUpdate(args[1])
	if !ok {
		return
	}
	cur := new(big.Float)
	if found {
		if cur, ok = parseLongDouble(raw); !ok {
			c.Error(ErrNotFloat)
			return
		}
	}
	incr, ok := parseLongDouble(args[2])
	if !ok {
		c.Error(ErrNotFloat)
		return
	}
	sum, ok := addLongDouble(cur, incr)
	if !ok {
		c.Error(ErrNaNOrInf)
		return
	}
	s := formatLongDouble(sum)
	it.val = floatString([]byte(s))
	c.put(c.db, it)
	c.BulkString(s)
}

// APPEND key value
func cmdAppend(c *Ctx, args [][]byte) {
	it, cur, found, ok := c.stringForUpdate(args[1])
	if !ok {
		return
	}
	if !found {
		// A new key holds the value as SET would store it.
		c.put(c.db, item{key: it.key, val: newString(args[2])})
		c.Int(int64(len(args[2])))
		return
	}
	if int64(len(cur))+int64(len(args[2])) > maxStringSize {
		c.Error(ErrStringTooBig)
		return
	}
	// An existing string becomes raw, even when nothing is appended.
	if len(args[2]) > 0 || stringValue(cur).Encoding() != "raw" {
		// In place, with room to spare: a loop of APPENDs is linear.
		val := c.privateString(it, len(cur)+len(args[2]))
		copy(val[len(cur):], args[2])
		c.storeString(it, val)
		cur = val
	} else {
		c.put(c.db, it) // appending nothing still counts as a write in Redis (WATCH, idle time)
	}
	c.Int(int64(len(cur)))
}

// STRLEN key
func cmdStrlen(c *Ctx, args [][]byte) {
	val, _, ok := c.lookupString(args[1])
	if ok {
		c.Int(int64(len(val)))
	}
}

// GETRANGE key start end (and SUBSTR key start end)
func cmdGetRange(c *Ctx, args [][]byte) {
	start, ok := c.intArg(args[2])
	if !ok {
		return
	}
	end, ok := c.intArg(args[3])
	if !ok {
		return
	}
	val, _, ok := c.lookupString(args[1])
	if !ok {
		return
	}
	n := int64(len(val))
	if start < 0 && end < 0 && start > end {
		c.Bulk(nil)
		return
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		c.Bulk(nil)
		return
	}
	c.Bulk(val[start : end+1])
}

// SETRANGE key offset value
func cmdSetRange(c *Ctx, args [][]byte) {
	offset, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if offset < 0 {
		c.Error(ErrOffsetRange)
		return
	}
	patch := args[3]
	it, cur, _, ok := c.stringForUpdate(args[1])
	if !ok {
		return
	}
	if len(patch) == 0 {
		// Nothing to write: report the current length, create nothing.
		c.Int(int64(len(cur)))
		return
	}
	if offset > maxStringSize-int64(len(patch)) {
		c.Error(ErrStringTooBig)
		return
	}
	val := c.privateString(it, int(offset)+len(patch))
	copy(val[offset:], patch)
	c.storeString(it, val)
	c.Int(int64(len(val)))
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
func cmdLCS(c *Ctx, args [][]byte) {
	var a, b stringValue
	for i, dst := range []*stringValue{&a, &b} {
		it, found := c.lookup(args[1+i])
		if !found {
			continue
		}
		s, isString := it.val.(stringValue)
		if !isString {
			c.Error(errLCSWrongType)
			return
		}
		*dst = s
	}
	var getLen, getIdx, withMatchLen bool
	var minMatchLen int64
	for j := 3; j < len(args); j++ {
		switch opt := args[j]; {
		case equalFold(opt, "idx"):
			getIdx = true
		case equalFold(opt, "len"):
			getLen = true
		case equalFold(opt, "withmatchlen"):
			withMatchLen = true
		case equalFold(opt, "minmatchlen") && j+1 < len(args):
			n, ok := c.intArg(args[j+1])
			if !ok {
				return
			}
			minMatchLen = max(n, 0)
			j++
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if getIdx && getLen {
		c.Error(errLCSLenAndIdx)
		return
	}
	alen, blen := len(a), len(b)
	if uint64(alen+1)*uint64(blen+1)*4 > maxStringSize {
		c.Error(errLCSTooBig)
		return
	}
	// lcs[j+(blen+1)*i] is the LCS length of a[:i] and b[:j].
	w := blen + 1
	lcs := make([]uint32, (alen+1)*w)
	for i := 1; i <= alen; i++ {
		for j := 1; j <= blen; j++ {
			if a[i-1] == b[j-1] {
				lcs[j+w*i] = lcs[j-1+w*(i-1)] + 1
			} else {
				lcs[j+w*i] = max(lcs[j+w*(i-1)], lcs[j-1+w*i])
			}
		}
	}
	total := lcs[blen+w*alen]
	if getLen {
		c.Int(int64(total))
		return
	}
	// Walk back from the end, building the LCS and its matching ranges
	// exactly as Redis does (ranges are emitted last to first).
	type match struct{ aStart, aEnd, bStart, bEnd int }
	result := make([]byte, total)
	var matches []match
	idx := int(total)
	arStart, arEnd, brStart, brEnd := alen, 0, 0, 0 // arStart == alen: no range open
	i, j := alen, blen
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			result[idx-1] = a[i-1]
			if arStart == alen {
				arStart, arEnd = i-1, i-1
				brStart, brEnd = j-1, j-1
			} else if arStart == i && brStart == j {
				arStart--
				brStart--
			} else {
				emit = true
			}
			if arStart == 0 || brStart == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if lcs[j+w*(i-1)] > lcs[j-1+w*i] {
				i--
			} else {
				j--
			}
			if arStart != alen {
				emit = true
			}
		}
		if emit {
			if minMatchLen == 0 || int64(arEnd-arStart+1) >= minMatchLen {
				matches = append(matches, match{arStart, arEnd, brStart, brEnd})
			}
			arStart = alen
		}
	}
	if !getIdx {
		c.Bulk(result)
		return
	}
	c.Array(4)
	c.BulkString("matches")
	c.Array(len(matches))
	for _, m := range matches {
		if withMatchLen {
			c.Array(3)
		} else {
			c.Array(2)
		}
		c.Array(2)
		c.Int(int64(m.aStart))
		c.Int(int64(m.aEnd))
		c.Array(2)
		c.Int(int64(m.bStart))
		c.Int(int64(m.bEnd))
		if withMatchLen {
			c.Int(int64(m.aEnd - m.aStart + 1))
		}
	}
	c.BulkString("len")
	c.Int(int64(total))
}

// setOptions are the parsed flags of SET (and of SETEX/PSETEX/GETSET, which
// are SET with fixed options).
type setOptions struct {
	nx, xx, get, keepTTL bool
	expireAt             int64 // absolute ms; 0 = none
}

const (
	expireUnitSeconds = 1000
	expireUnitMillis  = 1
)

// Option flags shared by SET and GETEX.
const (
	optNX = 1 << iota
	optXX
	optGet
	optKeepTTL
	optPersist
	optEX
	optPX
	optEXAT
	optPXAT

	optExpire = optEX | optPX | optEXAT | optPXAT
)

// parseSetOptions parses SET's optional arguments. name is the command
// name used in the invalid-expire error.
func (c *Ctx) parseSetOptions(opts [][]byte, name string) (setOptions, bool) {
	var o setOptions
	flags, expire, ok := c.parseStringFlags(opts, true)
	if !ok {
		return o, false
	}
	o.nx, o.xx = flags&optNX != 0, flags&optXX != 0
	o.get, o.keepTTL = flags&optGet != 0, flags&optKeepTTL != 0
	if expire != nil {
		if o.expireAt, ok = c.expireDeadline(flags, expire, name); !ok {
			return o, false
		}
	}
	return o, true
}

// parseStringFlags parses the options of SET (set) or GETEX (!set) as
// Redis's parseExtendedStringArgumentsOrReply does: an option may repeat
// (the last expire value wins) but not meet a conflicting one. It returns
// the expire argument unparsed: Redis checks it only after the syntax, and
// GETEX only after finding the key.
func (c *Ctx) parseStringFlags(opts [][]byte, set bool) (flags int, expire []byte, ok bool) {
	for i := 0; i < len(opts); i++ {
		arg := opts[i]
		var exp int
		switch {
		case equalFold(arg, "ex"):
			exp = optEX
		case equalFold(arg, "px"):
			exp = optPX
		case equalFold(arg, "exat"):
			exp = optEXAT
		case equalFold(arg, "pxat"):
			exp = optPXAT
		}
		switch {
		case set && equalFold(arg, "nx") && flags&optXX == 0:
			flags |= optNX
		case set && equalFold(arg, "xx") && flags&optNX == 0:
			flags |= optXX
		case set && equalFold(arg, "get"):
			flags |= optGet
		case set && equalFold(arg, "keepttl") && flags&optExpire == 0:
			flags |= optKeepTTL
		case !set && equalFold(arg, "persist") && flags&optExpire == 0:
			flags |= optPersist
		case exp != 0 && flags&(optKeepTTL|optPersist|optExpire&^exp) == 0 && i+1 < len(opts):
			flags |= exp
			i++
			expire = opts[i]
		default:
			c.Error(ErrSyntax)
			return 0, nil, false
		}
	}
	return flags, expire, true
}

// expireDeadline turns the expire argument of SET or GETEX into an absolute
// deadline in ms, replying the error if it is not a valid expire time.
func (c *Ctx) expireDeadline(flags int, expire []byte, name string) (int64, bool) {
	n, ok := c.intArg(expire)
	if !ok {
		return 0, false
	}
	unit := int64(expireUnitMillis)
	if flags&(optEX|optEXAT) != 0 {
		unit = expireUnitSeconds
	}
	at, ok := c.absoluteDeadline(n, unit, flags&(optEX|optPX) != 0)
	if !ok {
		c.Error(ErrInvalidExpire(name))
		return 0, false
	}
	return at, true
}

// absoluteDeadline turns an expire argument into an absolute deadline in ms.
// It fails, as Redis does, for n ≤ 0 and for values that overflow.
func (c *Ctx) absoluteDeadline(n, unit int64, relative bool) (int64, bool) {
	if n <= 0 || n > math.MaxInt64/unit {
		return 0, false
	}
	ms := n * unit
	if relative {
		if ms > math.MaxInt64-c.now {
			return 0, false
		}
		ms += c.now
	}
	return ms, true
}

// setString stores val at key under SET's options and writes SET's reply.
func (c *Ctx) setString(key, val []byte, o setOptions) {
	old, found := c.lookup(key)
	if o.get && found {
		if _, isString := old.val.(stringValue); !isString {
			c.Error(ErrWrongType)
			return
		}
	}
	if (o.nx && found) || (o.xx && !found) {
		if o.get {
			c.replyOld(old, found)
		} else {
			c.Null()
		}
		return
	}
	// Copy the value: args alias the Raft log entry, which the data set
	// must neither keep alive nor share.
	it := item{key: string(key), val: newString(val), expireAt: o.expireAt}
	if o.keepTTL && found {
		it.expireAt = old.expireAt
	}
	c.put(c.db, it)
	if o.get {
		c.replyOld(old, found)
	} else {
		c.OK()
	}
}

func (c *Ctx) replyOld(old item, found bool) {
	if !found {
		c.Null()
		return
	}
	c.Bulk(old.val.(stringValue))
}
