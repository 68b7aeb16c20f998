package fsm

import (
	"bytes"
	"math"
	"strings"
)

var expireCommands = []*Command{
	{Spec: Spec{Name: "expire", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Sets the expiration time of a key in seconds."}, Run: cmdExpire},
	{Spec: Spec{Name: "pexpire", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Sets the expiration time of a key in milliseconds."}, Run: cmdPExpire},
	{Spec: Spec{Name: "expireat", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Sets the expiration time of a key to a Unix timestamp."}, Run: cmdExpireAt},
	{Spec: Spec{Name: "pexpireat", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Sets the expiration time of a key to a Unix milliseconds timestamp."}, Run: cmdPExpireAt},
	{Spec: Spec{Name: "ttl", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Returns the expiration time in seconds of a key.", Tips: []string{"nondeterministic_output"}}, Run: cmdTTL},
	{Spec: Spec{Name: "pttl", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Returns the expiration time in milliseconds of a key.", Tips: []string{"nondeterministic_output"}}, Run: cmdPTTL},
	{Spec: Spec{Name: "expiretime", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Returns the expiration time of a key as a Unix timestamp."}, Run: cmdExpireTime},
	{Spec: Spec{Name: "pexpiretime", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Returns the expiration time of a key as a Unix milliseconds timestamp."}, Run: cmdPExpireTime},
	{Spec: Spec{Name: "persist", Arity: 2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Removes the expiration time of a key."}, Run: cmdPersist},
}

// EXPIRE key seconds [NX | XX | GT | LT]
func cmdExpire(c *Ctx, args [][]byte) { c.expire(args, "expire", c.now, expireUnitSeconds) }

// PEXPIRE key milliseconds [NX | XX | GT | LT]
func cmdPExpire(c *Ctx, args [][]byte) { c.expire(args, "pexpire", c.now, expireUnitMillis) }

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
func cmdExpireAt(c *Ctx, args [][]byte) { c.expire(args, "expireat", 0, expireUnitSeconds) }

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
func cmdPExpireAt(c *Ctx, args [][]byte) { c.expire(args, "pexpireat", 0, expireUnitMillis) }

// expire is Redis's expireGenericCommand: the deadline is base + n×unit
// ms. A deadline at or before now deletes the key (and still replies 1).
func (c *Ctx) expire(args [][]byte, name string, base, unit int64) {
	var nx, xx, gt, lt bool
	for _, opt := range args[3:] {
		switch {
		case equalFold(opt, "nx"):
			nx = true
		case equalFold(opt, "xx"):
			xx = true
		case equalFold(opt, "gt"):
			gt = true
		case equalFold(opt, "lt"):
			lt = true
		default:
			c.Error(errUnsupportedOption(opt))
			return
		}
	}
	if nx && (xx || gt || lt) {
		c.Error("ERR NX and XX, GT or LT options at the same time are not compatible")
		return
	}
	if gt && lt {
		c.Error("ERR GT and LT options at the same time are not compatible")
		return
	}
	when, ok := c.intArg(args[2])
	if !ok {
		return
	}
	// Negative values are allowed (they delete the key); only overflow
	// is an error.
	if unit != 1 {
		if when > math.MaxInt64/unit || when < math.MinInt64/unit {
			c.Error(ErrInvalidExpire(name))
			return
		}
		when *= unit
	}
	if when > math.MaxInt64-base {
		c.Error(ErrInvalidExpire(name))
		return
	}
	when += base

	it, found := c.lookup(args[1])
	if !found {
		c.Int(0)
		return
	}
	cur := it.expireAt // 0: no deadline, an infinite TTL for GT and LT
	if (nx && cur != 0) || (xx && cur == 0) || (gt && (cur == 0 || when <= cur)) || (lt && cur != 0 && when >= cur) {
		c.Int(0)
		return
	}
	// when ≤ 0 can only be in the past, and 0 would mean "no deadline".
	if when <= c.now || when <= 0 {
		c.db.delete(it.key)
		c.Int(1)
		return
	}
	it.expireAt = when
	c.put(c.db, it)
	c.Int(1)
}

// errUnsupportedOption formats Redis's reply to an unknown EXPIRE option:
// the option as a C string (cut at NUL), trailing CR/LF trimmed (the
// reply writer turns the other CR/LF into spaces).
func errUnsupportedOption(opt []byte) string {
	if i := bytes.IndexByte(opt, 0); i >= 0 {
		opt = opt[:i]
	}
	return strings.TrimRight("ERR Unsupported option "+string(opt), "\r\n")
}

// TTL key
func cmdTTL(c *Ctx, args [][]byte) { c.ttl(args[1], false, false) }

// PTTL key
func cmdPTTL(c *Ctx, args [][]byte) { c.ttl(args[1], true, false) }

// EXPIRETIME key
func cmdExpireTime(c *Ctx, args [][]byte) { c.ttl(args[1], false, true) }

// PEXPIRETIME key
func cmdPExpireTime(c *Ctx, args [][]byte) { c.ttl(args[1], true, true) }

// ttl is Redis's ttlGenericCommand: -2 for a missing key, -1 for a key
// without deadline, else the time left (or the deadline, abs) in ms or in
// seconds rounded to nearest, half up.
func (c *Ctx) ttl(key []byte, ms, abs bool) {
	it, found := c.lookup(key)
	switch {
	case !found:
		c.Int(-2)
		return
	case it.expireAt == 0:
		c.Int(-1)
		return
	}
	t := it.expireAt
	if !abs {
		t = max(t-c.now, 0)
	}
	if !ms {
		// (t+500)/1000 without overflowing near MaxInt64.
		t = t/1000 + (t%1000+500)/1000
	}
	c.Int(t)
}

// PERSIST key
func cmdPersist(c *Ctx, args [][]byte) {
	it, found := c.lookup(args[1])
	if !found || it.expireAt == 0 {
		c.Int(0)
		return
	}
	it.expireAt = 0
	c.put(c.db, it)
	c.Int(1)
}
