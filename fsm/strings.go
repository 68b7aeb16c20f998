package fsm

import (
	"bytes"
	"math"
)

var stringCommands = []*Command{
	{Spec: Spec{Name: "get", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Returns the string value of a key."}, Run: cmdGet},
	{Spec: Spec{Name: "set", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "string", Summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist."}, Run: cmdSet},
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

// setOptions are the parsed flags of SET (and of SETEX/PSETEX/SETNX/GETSET,
// which are SET with fixed options).
type setOptions struct {
	nx, xx, get, keepTTL bool
	expireAt             int64 // absolute ms; 0 = none
}

const (
	expireUnitSeconds = 1000
	expireUnitMillis  = 1
)

// parseSetOptions parses SET's optional arguments. name is the command
// name used in the invalid-expire error.
func (c *Ctx) parseSetOptions(opts [][]byte, name string) (setOptions, bool) {
	var o setOptions
	var expireSet bool
	for i := 0; i < len(opts); i++ {
		arg := opts[i]
		hasNext := i+1 < len(opts)
		switch {
		case equalFold(arg, "nx") && !o.xx:
			o.nx = true
		case equalFold(arg, "xx") && !o.nx:
			o.xx = true
		case equalFold(arg, "get"):
			o.get = true
		case equalFold(arg, "keepttl") && !expireSet:
			o.keepTTL = true
		case !o.keepTTL && !expireSet && hasNext && (equalFold(arg, "ex") || equalFold(arg, "px") || equalFold(arg, "exat") || equalFold(arg, "pxat")):
			i++
			n, ok := c.intArg(opts[i])
			if !ok {
				return o, false
			}
			unit := int64(expireUnitMillis)
			if equalFold(arg, "ex") || equalFold(arg, "exat") {
				unit = expireUnitSeconds
			}
			relative := equalFold(arg, "ex") || equalFold(arg, "px")
			at, ok := c.absoluteDeadline(n, unit, relative)
			if !ok {
				c.Error(ErrInvalidExpire(name))
				return o, false
			}
			o.expireAt = at
			expireSet = true
		default:
			c.Error(ErrSyntax)
			return o, false
		}
	}
	return o, true
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
	it := item{key: string(key), val: stringValue(bytes.Clone(val)), expireAt: o.expireAt}
	if o.keepTTL && found {
		it.expireAt = old.expireAt
	}
	c.db.set(it)
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
