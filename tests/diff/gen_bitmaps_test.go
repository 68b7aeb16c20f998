package diff

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// The bitmap family. It works on the shared key space, so the strings
// family's writes shape its bitmaps and its writes feed the string reads.
func init() {
	register("bitmaps",
		cmdGen{name: "setbit", weight: 4, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"SETBIT", randKey(r, keys), randBitOffset(r), randBitValue(r)}
		}},
		cmdGen{name: "getbit", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"GETBIT", randKey(r, keys), randBitOffset(r)}
		}},
		cmdGen{name: "bitcount", weight: 3, gen: genBitCount},
		cmdGen{name: "bitpos", weight: 3, gen: genBitPos},
		cmdGen{name: "bitop", weight: 3, gen: genBitOp},
		cmdGen{name: "bitfield", weight: 4, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"BITFIELD", randKey(r, keys)}, randFieldOps(r, false)...)
		}},
		cmdGen{name: "bitfield_ro", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"BITFIELD_RO", randKey(r, keys)}, randFieldOps(r, !chance(r, 1, 5))...)
		}},
	)
}

// randBitOffset is a bit offset: mostly within a few hundred bytes, now
// and then invalid or past the limit. Valid ones stay below 100000: one
// near the limit would make SETBIT allocate 512 MiB on both sides.
func randBitOffset(r *rand.Rand) string {
	switch {
	case chance(r, 3, 4):
		return strconv.Itoa(pickOne(r, r.IntN(64), r.IntN(300), r.IntN(5000)))
	case chance(r, 1, 2):
		return pickOne(r, "-1", "abc", "", "1.5", "+1", "01", " 1", "4294967296", "4294967297",
			"9223372036854775807", "-9223372036854775808", "18446744073709551616")
	default:
		return strconv.Itoa(r.IntN(100000))
	}
}

// randBitValue is SETBIT's value: 0 or 1, sometimes not.
func randBitValue(r *rand.Rand) string {
	if chance(r, 7, 8) {
		return pickOne(r, "0", "1")
	}
	return pickOne(r, "2", "-1", "abc", "", "01", "1.0", "10")
}

// randBitUnit is the BYTE | BIT word of BITCOUNT and BITPOS.
func randBitUnit(r *rand.Rand) string {
	if chance(r, 6, 7) {
		return kw(r, pickOne(r, "BIT", "BYTE"))
	}
	return pickOne(r, "BITS", "", "bytes", "B", "BIT\x00x")
}

// randBitIndex is a BITCOUNT / BITPOS range end, in bytes or bits.
func randBitIndex(r *rand.Rand) string {
	if chance(r, 7, 8) {
		return strconv.Itoa(pickOne(r, r.IntN(41)-20, r.IntN(401)-200, r.IntN(20001)-10000))
	}
	return pickOne(r, "abc", "", "1.5", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-0", "+1")
}

// BITCOUNT key [start end [BYTE | BIT]], and the wrong shapes.
func genBitCount(r *rand.Rand, keys []string) []string {
	cmd := []string{"BITCOUNT", randKey(r, keys)}
	switch r.IntN(8) {
	case 0, 1:
	case 2, 3:
		cmd = append(cmd, randBitIndex(r), randBitIndex(r))
	case 4, 5, 6:
		cmd = append(cmd, randBitIndex(r), randBitIndex(r), randBitUnit(r))
	default:
		cmd = append(cmd, randBitIndex(r))
	}
	return cmd
}

// BITPOS key bit [start [end [BYTE | BIT]]].
func genBitPos(r *rand.Rand, keys []string) []string {
	bit := pickOne(r, "0", "1")
	if chance(r, 1, 12) {
		bit = pickOne(r, "2", "-1", "abc", "")
	}
	cmd := []string{"BITPOS", randKey(r, keys), bit}
	switch r.IntN(8) {
	case 0, 1:
	case 2:
		cmd = append(cmd, randBitIndex(r))
	case 3, 4:
		cmd = append(cmd, randBitIndex(r), randBitIndex(r))
	default:
		cmd = append(cmd, randBitIndex(r), randBitIndex(r), randBitUnit(r))
	}
	return cmd
}

// BITOP AND | OR | XOR | NOT destkey key [key ...]; NOT mostly with one
// source.
func genBitOp(r *rand.Rand, keys []string) []string {
	op := pickOne(r, "AND", "OR", "XOR", "NOT")
	if chance(r, 1, 15) {
		op = pickOne(r, "NAND", "", "ANDX", "and\x00x")
	}
	n := 1 + r.IntN(4)
	if op == "NOT" && chance(r, 5, 6) {
		n = 1
	}
	return append([]string{"BITOP", kw(r, op), randKey(r, keys)}, randKeys(r, keys, n, n)...)
}

// randFieldType is a BITFIELD encoding: i1..i64, u1..u63, sometimes
// neither.
func randFieldType(r *rand.Rand) string {
	if chance(r, 1, 15) {
		return pickOne(r, "u64", "i65", "i0", "u0", "x8", "", "i", "U8", "u08", "i-1", "i8\x00z")
	}
	sign := pickOne(r, "i", "u")
	width := pickOne(r, 1+r.IntN(16), 1+r.IntN(64))
	if sign == "u" && width == 64 {
		width = 63
	}
	return sign + strconv.Itoa(width)
}

// randFieldOffset is a BITFIELD offset, plain or #n.
func randFieldOffset(r *rand.Rand) string {
	if chance(r, 1, 5) {
		if chance(r, 1, 10) {
			return pickOne(r, "#", "#-1", "#abc", "#4294967296", "#288230376151711744")
		}
		return "#" + strconv.Itoa(r.IntN(40))
	}
	return randBitOffset(r)
}

// randFieldValue is a SET value or INCRBY increment: around the limits of
// the widths, or any.
func randFieldValue(r *rand.Rand) string {
	if chance(r, 1, 2) {
		return strconv.Itoa(r.IntN(2001) - 1000)
	}
	return pickOne(r, "0", "1", "-1", "127", "128", "-128", "-129", "255", "256", "32767", "-32768", "65535", "65536",
		"2147483647", "-2147483648", "4294967295", "4294967296", "9223372036854775807", "-9223372036854775808",
		"9223372036854775806", "4611686018427387904", "-4611686018427387905", "abc", "1.5", "", "9223372036854775808")
}

// randFieldOps is a run of BITFIELD operations (readOnly: GETs and
// OVERFLOWs), now and then a broken one.
func randFieldOps(r *rand.Rand, readOnly bool) []string {
	var ops []string
	for range r.IntN(5) {
		switch n := r.IntN(20); {
		case n < 7 || (readOnly && n < 17):
			ops = append(ops, kw(r, "GET"), randFieldType(r), randFieldOffset(r))
		case n < 17 && n%2 == 0:
			ops = append(ops, kw(r, "SET"), randFieldType(r), randFieldOffset(r), randFieldValue(r))
		case n < 17:
			ops = append(ops, kw(r, "INCRBY"), randFieldType(r), randFieldOffset(r), randFieldValue(r))
		case n < 19:
			kind := kw(r, pickOne(r, "WRAP", "SAT", "FAIL"))
			if chance(r, 1, 10) {
				kind = pickOne(r, "BOGUS", "", "SATURATE")
			}
			ops = append(ops, kw(r, "OVERFLOW"), kind)
		default:
			// A sub-command cut short, or an unknown one.
			ops = append(ops, pickOne(r, "GET", "SET", "INCRBY", "OVERFLOW", "FOO", strings.ToLower("get")))
		}
	}
	return ops
}
