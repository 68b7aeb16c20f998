package fsm

import (
	"bytes"
	"math"
)

// Error texts used only by BITFIELD and BITFIELD_RO.
const (
	errBitFieldType     = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	errBitFieldOverflow = "ERR Invalid OVERFLOW type specified"
	errBitFieldRO       = "ERR BITFIELD_RO only supports the GET subcommand"
)

// What BITFIELD does when a SET or INCRBY goes past the type's range.
const (
	overflowWrap = iota // wrap around (two's complement for signed types)
	overflowSat         // stop at the minimum or maximum
	overflowFail        // write nothing, reply nil
)

// Sub-commands of BITFIELD.
const (
	fieldGet = iota
	fieldSet
	fieldIncrBy
)

// fieldOp is one parsed GET, SET or INCRBY of BITFIELD.
type fieldOp struct {
	op       int
	offset   uint64
	value    int64 // SET's value or INCRBY's increment
	overflow int   // the OVERFLOW in force when the op was parsed
	bits     uint  // 1..64 signed, 1..63 unsigned
	signed   bool
}

// BITFIELD key [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL]
// SET encoding offset value | INCRBY encoding offset increment ...]
func cmdBitField(c *Ctx, args [][]byte) { c.bitField(args, false) }

// BITFIELD_RO key [GET encoding offset ...]
func cmdBitFieldRO(c *Ctx, args [][]byte) { c.bitField(args, true) }

// bitField runs BITFIELD (or BITFIELD_RO): it parses every operation
// first, so a bad one leaves the key untouched, then grows the string to
// the farthest bit written and runs the operations in order.
func (c *Ctx) bitField(args [][]byte, readOnly bool) {
	ops, ok := c.parseFieldOps(args[2:])
	if !ok {
		return
	}
	var highest uint64 // farthest bit written
	writes := false
	for _, o := range ops {
		if o.op != fieldGet {
			writes = true
			highest = max(highest, o.offset+uint64(o.bits)-1)
		}
	}
	if !writes {
		val, _, ok := c.lookupString(args[1])
		if !ok {
			return
		}
		c.Array(len(ops))
		for _, o := range ops {
			c.Int(o.get(val))
		}
		return
	}
	if readOnly {
		c.Error(errBitFieldRO)
		return
	}
	it, cur, found, ok := c.stringForUpdate(args[1])
	if !ok {
		return
	}
	// Like Redis, the key is created (or grown) even if every write then
	// fails with OVERFLOW FAIL.
	val := c.privateString(it, int(highest>>3)+1)
	changed := !found || len(val) > len(cur)
	c.Array(len(ops))
	for _, o := range ops {
		if o.op == fieldGet {
			c.Int(o.get(val))
			continue
		}
		reply, ok, set := o.apply(val)
		changed = changed || set
		if ok {
			c.Int(reply)
		} else {
			c.Null()
		}
	}
	if changed {
		c.storeString(it, val)
	} // else no byte changed: as in Redis 7.0, no write a WATCH sees
}

// parseFieldOps parses BITFIELD's operations, replying the error of the
// first bad one.
func (c *Ctx) parseFieldOps(args [][]byte) ([]fieldOp, bool) {
	var ops []fieldOp
	overflow := overflowWrap
	for j := 0; j < len(args); j++ {
		name, rest := args[j], len(args)-j-1
		var o fieldOp
		switch {
		case cKeyword(name, "get") && rest >= 2:
			o.op = fieldGet
		case cKeyword(name, "set") && rest >= 3:
			o.op = fieldSet
		case cKeyword(name, "incrby") && rest >= 3:
			o.op = fieldIncrBy
		case cKeyword(name, "overflow") && rest >= 1:
			j++
			switch kind := args[j]; {
			case cKeyword(kind, "wrap"):
				overflow = overflowWrap
			case cKeyword(kind, "sat"):
				overflow = overflowSat
			case cKeyword(kind, "fail"):
				overflow = overflowFail
			default:
				c.Error(errBitFieldOverflow)
				return nil, false
			}
			continue
		default:
			c.Error(ErrSyntax)
			return nil, false
		}
		var ok bool
		if o.signed, o.bits, ok = fieldType(args[j+1]); !ok {
			c.Error(errBitFieldType)
			return nil, false
		}
		if o.offset, ok = c.bitOffsetArg(args[j+2], int(o.bits)); !ok {
			return nil, false
		}
		if o.op != fieldGet {
			if o.value, ok = c.intArg(args[j+3]); !ok {
				return nil, false
			}
			j++
		}
		o.overflow = overflow
		ops = append(ops, o)
		j += 2
	}
	return ops, true
}

// fieldType parses an encoding: i1..i64 or u1..u63 (a u64 could not be
// replied as a RESP integer). Like Redis, it reads the width only up to
// a NUL byte.
func fieldType(arg []byte) (signed bool, width uint, ok bool) {
	if len(arg) == 0 || (arg[0] != 'i' && arg[0] != 'u') {
		return false, 0, false
	}
	signed = arg[0] == 'i'
	digits := arg[1:]
	if i := bytes.IndexByte(digits, 0); i >= 0 {
		digits = digits[:i]
	}
	n, ok := parseInt(digits)
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		return false, 0, false
	}
	return signed, uint(n), true
}

// get reads the field from val (zero padded past its end).
func (o *fieldOp) get(val []byte) int64 {
	u := getBits(val, o.offset, o.bits)
	if o.signed {
		return signExtend(u, o.bits)
	}
	return int64(u)
}

// apply runs a SET or INCRBY on val, which is long enough. It returns the
// reply (SET: the old value; INCRBY: the new one) and false, writing
// nothing, when the value overflows under OVERFLOW FAIL; and whether the
// field's bits changed.
func (o *fieldOp) apply(val []byte) (int64, bool, bool) {
	old := getBits(val, o.offset, o.bits)
	var next, reply uint64
	var overflowed bool
	if o.signed {
		oldVal := signExtend(old, o.bits)
		var limit int64
		if o.op == fieldIncrBy {
			overflowed, limit = signedOverflow(oldVal, o.value, o.bits, o.overflow)
			n := oldVal + o.value
			if overflowed {
				n = limit
			}
			next, reply = uint64(n), uint64(n)
		} else {
			n := o.value
			if overflowed, limit = signedOverflow(n, 0, o.bits, o.overflow); overflowed {
				n = limit
			}
			next, reply = uint64(n), uint64(oldVal)
		}
	} else {
		var limit uint64
		if o.op == fieldIncrBy {
			next = old + uint64(o.value)
			if overflowed, limit = unsignedOverflow(old, o.value, o.bits, o.overflow); overflowed {
				next = limit
			}
			reply = next
		} else {
			next = uint64(o.value)
			if overflowed, limit = unsignedOverflow(next, 0, o.bits, o.overflow); overflowed {
				next = limit
			}
			reply = old
		}
	}
	if overflowed && o.overflow == overflowFail {
		return 0, false, false
	}
	setBits(val, o.offset, o.bits, next)
	return int64(reply), true, getBits(val, o.offset, o.bits) != old
}

// getBits reads width bits at offset, the first bit the most significant;
// bits past the end of p are zeros.
func getBits(p []byte, offset uint64, width uint) uint64 {
	var v uint64
	for range width {
		var b byte
		if i := offset >> 3; i < uint64(len(p)) {
			b = p[i]
		}
		v = v<<1 | uint64(b>>(7-offset&7)&1)
		offset++
	}
	return v
}

// setBits writes the low width bits of v at offset, the most significant
// first. p must hold them.
func setBits(p []byte, offset uint64, width uint, v uint64) {
	for j := range width {
		bit := byte(v>>(width-1-j)) & 1
		shift := 7 - offset&7
		p[offset>>3] = p[offset>>3]&^(1<<shift) | bit<<shift
		offset++
	}
}

// signExtend reads the low width bits of u as a two's complement number.
func signExtend(u uint64, width uint) int64 {
	if width < 64 {
		high := uint64(math.MaxUint64) << width
		u &^= high
		if u&(1<<(width-1)) != 0 {
			u |= high
		}
	}
	return int64(u)
}

// unsignedOverflow reports whether value+incr leaves the range of a
// width-bit unsigned field, and the value to store instead under wrap and
// sat, exactly as Redis's checkUnsignedBitfieldOverflow computes them
// (a SET passes the value with incr 0: a negative one, read as a huge
// unsigned, overflows upwards).
func unsignedOverflow(value uint64, incr int64, width uint, mode int) (bool, uint64) {
	maxVal := uint64(1)<<width - 1
	maxIncr := int64(maxVal - value)
	minIncr := -int64(value)
	wrap := (value + uint64(incr)) &^ (uint64(math.MaxUint64) << width)
	switch {
	case value > maxVal || (incr > 0 && incr > maxIncr):
		if mode == overflowSat {
			return true, maxVal
		}
		return true, wrap
	case incr < 0 && incr < minIncr:
		if mode == overflowSat {
			return true, 0
		}
		return true, wrap
	}
	return false, 0
}

// signedOverflow is unsignedOverflow for a width-bit signed field, as
// Redis's checkSignedBitfieldOverflow: wrap keeps the low width bits of the
// sum and sign-extends them.
func signedOverflow(value, incr int64, width uint, mode int) (bool, int64) {
	maxVal := int64(math.MaxInt64)
	if width < 64 {
		maxVal = 1<<(width-1) - 1
	}
	minVal := -maxVal - 1
	// These may wrap around; they are used only where they do not.
	maxIncr := int64(uint64(maxVal) - uint64(value))
	minIncr := minVal - value
	wrap := signExtend(uint64(value)+uint64(incr), width)
	switch {
	case value > maxVal || (width != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr):
		if mode == overflowSat {
			return true, maxVal
		}
		return true, wrap
	case value < minVal || (width != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr):
		if mode == overflowSat {
			return true, minVal
		}
		return true, wrap
	}
	return false, 0
}
