package fsm

import (
	"fmt"
	"strings"
	"testing"
)

const (
	errBitOffsetR = "ERR bit offset is not an integer or out of range"
	errBitValueR  = "ERR bit is not an integer or out of range"
	errFieldTypeR = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
)

func TestBitmapSpecs(t *testing.T) {
	// From COMMAND INFO on redis-server 7.0.15.
	want := []struct {
		name              string
		arity             int
		flags             Flag
		first, last, step int
	}{
		{"setbit", 4, FlagWrite | FlagDenyOOM, 1, 1, 1},
		{"getbit", 3, FlagReadonly | FlagFast, 1, 1, 1},
		{"bitcount", -2, FlagReadonly, 1, 1, 1},
		{"bitpos", -3, FlagReadonly, 1, 1, 1},
		{"bitop", -4, FlagWrite | FlagDenyOOM, 2, -1, 1},
		{"bitfield", -2, FlagWrite | FlagDenyOOM, 1, 1, 1},
		{"bitfield_ro", -2, FlagReadonly | FlagFast, 1, 1, 1},
		{"pfadd", -2, FlagWrite | FlagDenyOOM | FlagFast, 1, 1, 1},
		{"pfcount", -2, FlagReadonly, 1, -1, 1},
		{"pfmerge", -2, FlagWrite | FlagDenyOOM, 1, -1, 1},
	}
	if n := len(bitmapCommands) + len(hyperLogLogCommands); n != len(want) {
		t.Errorf("%d bitmap and HyperLogLog commands, want %d", n, len(want))
	}
	for _, w := range want {
		cmd := Lookup([]byte(strings.ToUpper(w.name)))
		if cmd == nil {
			t.Errorf("%s: missing", w.name)
			continue
		}
		got := fmt.Sprint([]int{cmd.Arity, int(cmd.Flags), cmd.FirstKey, cmd.LastKey, cmd.KeyStep})
		if exp := fmt.Sprint([]int{w.arity, int(w.flags), w.first, w.last, w.step}); got != exp {
			t.Errorf("%s: arity/flags/keys %v, want %v (flags %v, want %v)", w.name, got, exp, cmd.Flags.Names(), w.flags.Names())
		}
		group := "bitmap"
		if strings.HasPrefix(w.name, "pf") {
			group = "hyperloglog"
		}
		if cmd.Name != w.name || cmd.Group != group || !strings.HasSuffix(cmd.Summary, ".") {
			t.Errorf("%s: name %q group %q summary %q", w.name, cmd.Name, cmd.Group, cmd.Summary)
		}
	}
}

func TestSetBitGetBit(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("setbit", "k", "7", "1"), intR(0)},
		{cmd("get", "k"), bulkR("\x01")},
		{cmd("setbit", "k", "7", "1"), intR(1)},
		{cmd("setbit", "k", "0", "1"), intR(0)},
		{cmd("get", "k"), bulkR("\x81")},
		{cmd("setbit", "k", "7", "0"), intR(1)},
		{cmd("setbit", "k", "7", "0"), intR(0)},
		{cmd("get", "k"), bulkR("\x80")},
		{cmd("setbit", "k", "23", "1"), intR(0)}, // grows, zero padded
		{cmd("get", "k"), bulkR("\x80\x00\x01")},
		{cmd("setbit", "k", "100", "0"), intR(0)}, // growing is a change even for a 0
		{cmd("strlen", "k"), intR(13)},
		{cmd("getbit", "k", "0"), intR(1)},
		{cmd("getbit", "k", "1"), intR(0)},
		{cmd("getbit", "k", "23"), intR(1)},
		{cmd("getbit", "k", "104"), intR(0)},
		{cmd("getbit", "k", "4294967295"), intR(0)},
		{cmd("getbit", "missing", "0"), intR(0)},
		{cmd("exists", "missing"), intR(0)},
		// Bits of a string written by SET, numbers included.
		{cmd("set", "n", "12"), okR()},
		{cmd("getbit", "n", "2"), intR(1)},
		{cmd("getbit", "n", "7"), intR(1)},
		{cmd("setbit", "n", "0", "1"), intR(0)},
		{cmd("get", "n"), bulkR("\xb12")},
		// The value must be 0 or 1, as an integer.
		{cmd("setbit", "k", "0", "2"), errR(errBitValueR)},
		{cmd("setbit", "k", "0", "-1"), errR(errBitValueR)},
		{cmd("setbit", "k", "0", "abc"), errR(errBitValueR)},
		{cmd("setbit", "k", "0", ""), errR(errBitValueR)},
		{cmd("setbit", "k", "0", "01"), errR(errBitValueR)},
		{cmd("setbit", "k", "0", "1.0"), errR(errBitValueR)},
		// Offsets: non-negative, below 2^32 (512 MiB of bits).
		{cmd("setbit", "k", "-1", "1"), errR(errBitOffsetR)},
		{cmd("setbit", "k", "4294967296", "1"), errR(errBitOffsetR)},
		{cmd("setbit", "k", "9223372036854775807", "1"), errR(errBitOffsetR)},
		{cmd("setbit", "k", "abc", "1"), errR(errBitOffsetR)},
		{cmd("setbit", "k", "+1", "1"), errR(errBitOffsetR)},
		{cmd("getbit", "k", "4294967296"), errR(errBitOffsetR)},
		{cmd("getbit", "k", "-1"), errR(errBitOffsetR)},
		{cmd("getbit", "k", "1.5"), errR(errBitOffsetR)},
		{cmd("getbit", "k", ""), errR(errBitOffsetR)},
		{cmd("exists", "k2"), intR(0)},
		// Offset, then value, then type.
		{cmd("setbit", "l", "0", "1"), errR(strWrongType)},
		{cmd("setbit", "l", "-1", "1"), errR(errBitOffsetR)},
		{cmd("setbit", "l", "0", "2"), errR(errBitValueR)},
		{cmd("getbit", "l", "0"), errR(strWrongType)},
		{cmd("getbit", "l", "-1"), errR(errBitOffsetR)},
		{cmd("setbit", "k", "0"), arityR("setbit")},
		{cmd("setbit", "k", "0", "1", "1"), arityR("setbit")},
		{cmd("getbit", "k"), arityR("getbit")},
		{cmd("getbit", "k", "0", "1"), arityR("getbit")},
	})
}

func TestBitCount(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("set", "k", "foobar"), okR()},
		{cmd("bitcount", "k"), intR(26)},
		{cmd("bitcount", "k", "0", "0"), intR(4)},
		{cmd("bitcount", "k", "1", "1"), intR(6)},
		{cmd("bitcount", "k", "1", "1", "BYTE"), intR(6)},
		{cmd("bitcount", "k", "1", "1", "byte"), intR(6)},
		{cmd("bitcount", "k", "5", "30", "BIT"), intR(17)},
		{cmd("bitcount", "k", "5", "30", "bit"), intR(17)},
		{cmd("bitcount", "k", "0", "-1", "BIT"), intR(26)},
		// BIT ranges inside one byte and across bytes ('f' 01100110, 'o' 01101111).
		{cmd("bitcount", "k", "7", "7", "BIT"), intR(0)},
		{cmd("bitcount", "k", "1", "2", "BIT"), intR(2)},
		{cmd("bitcount", "k", "7", "8", "BIT"), intR(0)},
		{cmd("bitcount", "k", "6", "9", "BIT"), intR(2)},
		{cmd("bitcount", "k", "-8", "-1", "BIT"), intR(4)},
		{cmd("bitcount", "k", "-9", "-1", "BIT"), intR(5)},
		{cmd("bitcount", "k", "47", "100", "BIT"), intR(0)},
		{cmd("bitcount", "k", "48", "100", "BIT"), intR(0)},
		// Negative ranges count from the end; out of range ends clamp.
		{cmd("bitcount", "k", "-1", "-1"), intR(4)},
		{cmd("bitcount", "k", "-2", "-1"), intR(7)},
		{cmd("bitcount", "k", "-1", "-2"), intR(0)},
		{cmd("bitcount", "k", "-100", "100"), intR(26)},
		{cmd("bitcount", "k", "100", "200"), intR(0)},
		{cmd("bitcount", "k", "3", "1"), intR(0)},
		{cmd("bitcount", "k", "0", "-100"), intR(4)}, // end clamps to 0
		{cmd("bitcount", "k", "0", "9223372036854775807"), intR(26)},
		{cmd("bitcount", "k", "-9223372036854775808", "-1"), intR(26)},
		{cmd("bitcount", "k", "0", "9223372036854775807", "BIT"), intR(26)},
		{cmd("bitcount", "k", "-9223372036854775808", "-1", "BIT"), intR(26)},
		// Syntax: start and end come together; the word is checked after
		// them, and not at all for a negative range that is empty.
		{cmd("bitcount", "k", "0"), errR(strSyntaxErr)},
		{cmd("bitcount", "k", "0", "1", "BIT", "x"), errR(strSyntaxErr)},
		{cmd("bitcount", "k", "0", "1", "BITS"), errR(strSyntaxErr)},
		{cmd("bitcount", "k", "0", "1", ""), errR(strSyntaxErr)},
		{cmd("bitcount", "k", "0", "1", "BIT\x00x"), intR(1)}, // Redis compares up to the NUL
		{cmd("bitcount", "k", "-1", "-5", "FOO"), intR(0)},
		{cmd("bitcount", "k", "0", "-5", "FOO"), errR(strSyntaxErr)},
		{cmd("bitcount", "k", "a", "1"), errR(strNotInt)},
		{cmd("bitcount", "k", "1", "b"), errR(strNotInt)},
		{cmd("bitcount", "k", "a", "b", "FOO"), errR(strNotInt)},
		{cmd("bitcount", "k", "1.5", "2"), errR(strNotInt)},
		// The key is looked up first: a missing key counts 0 whatever
		// the arguments, a wrong type fails whatever the arguments.
		{cmd("bitcount", "missing"), intR(0)},
		{cmd("bitcount", "missing", "0"), intR(0)},
		{cmd("bitcount", "missing", "a", "b", "c", "d"), intR(0)},
		{cmd("bitcount", "l"), errR(strWrongType)},
		{cmd("bitcount", "l", "a"), errR(strWrongType)},
		{cmd("set", "e", ""), okR()},
		{cmd("bitcount", "e"), intR(0)},
		{cmd("bitcount", "e", "0", "-1"), intR(0)},
		{cmd("bitcount", "e", "0", "0", "BIT"), intR(0)},
		{cmd("set", "n", "12345"), okR()},
		{cmd("bitcount", "n"), intR(17)},
		{cmd("bitcount"), arityR("bitcount")},
	})
}

func TestBitPos(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		// The examples of the documentation.
		{cmd("set", "k", "\xff\xf0\x00"), okR()},
		{cmd("bitpos", "k", "0"), intR(12)},
		{cmd("set", "k", "\x00\xff\xf0"), okR()},
		{cmd("bitpos", "k", "1", "0"), intR(8)},
		{cmd("bitpos", "k", "1", "2"), intR(16)},
		{cmd("bitpos", "k", "1", "2", "-1", "BYTE"), intR(16)},
		{cmd("bitpos", "k", "1", "7", "15", "BIT"), intR(8)},
		{cmd("bitpos", "k", "1", "7", "-3", "BIT"), intR(8)},
		{cmd("bitpos", "k", "0", "8", "-1", "bit"), intR(20)},
		{cmd("bitpos", "k", "0", "1", "2"), intR(20)},
		// All ones: the clear bit past the end counts unless an end is
		// given.
		{cmd("set", "o", "\xff\xff\xff"), okR()},
		{cmd("bitpos", "o", "0"), intR(24)},
		{cmd("bitpos", "o", "0", "0"), intR(24)},
		{cmd("bitpos", "o", "0", "1"), intR(24)},
		{cmd("bitpos", "o", "0", "-1"), intR(24)},
		{cmd("bitpos", "o", "0", "0", "-1"), intR(-1)},
		{cmd("bitpos", "o", "0", "0", "2"), intR(-1)},
		{cmd("bitpos", "o", "0", "0", "100"), intR(-1)},
		{cmd("bitpos", "o", "0", "3"), intR(-1)}, // start past the end
		{cmd("bitpos", "o", "0", "0", "-1", "BIT"), intR(-1)},
		{cmd("bitpos", "o", "0", "3", "20", "BIT"), intR(-1)},
		{cmd("bitpos", "o", "0", "5", "BIT"), errR(strNotInt)}, // the 4th argument is the end
		{cmd("bitpos", "o", "1"), intR(0)},
		{cmd("bitpos", "o", "1", "1"), intR(8)},
		{cmd("bitpos", "o", "1", "-1"), intR(16)},
		{cmd("set", "o40", strings.Repeat("\xff", 40)), okR()},
		{cmd("bitpos", "o40", "0"), intR(320)},
		{cmd("bitpos", "o40", "0", "3", "-2"), intR(-1)},
		{cmd("bitpos", "o40", "0", "11", "317", "BIT"), intR(-1)},
		// All zeros.
		{cmd("set", "z", "\x00\x00\x00"), okR()},
		{cmd("bitpos", "z", "0"), intR(0)},
		{cmd("bitpos", "z", "1"), intR(-1)},
		{cmd("bitpos", "z", "1", "0", "-1"), intR(-1)},
		{cmd("bitpos", "z", "0", "5", "10", "BIT"), intR(5)},
		{cmd("bitpos", "z", "0", "1"), intR(8)},
		{cmd("bitpos", "z", "0", "-1", "-1"), intR(16)},
		{cmd("set", "z40", strings.Repeat("\x00", 39)+"\x01"), okR()},
		{cmd("bitpos", "z40", "1"), intR(319)},
		{cmd("bitpos", "z40", "1", "0", "318", "BIT"), intR(-1)},
		{cmd("bitpos", "z40", "1", "0", "319", "BIT"), intR(319)},
		// BIT ranges with partial first and last bytes (00001111 11110000).
		{cmd("set", "x", "\x0f\xf0"), okR()},
		{cmd("bitpos", "x", "1", "0", "-1", "BIT"), intR(4)},
		{cmd("bitpos", "x", "0", "4", "-1", "BIT"), intR(12)},
		{cmd("bitpos", "x", "1", "5", "10", "BIT"), intR(5)},
		{cmd("bitpos", "x", "0", "4", "11", "BIT"), intR(-1)},
		{cmd("bitpos", "x", "1", "2", "2", "BIT"), intR(-1)},
		{cmd("bitpos", "x", "0", "2", "2", "BIT"), intR(2)},
		{cmd("bitpos", "x", "1", "-4", "-1", "BIT"), intR(-1)},
		{cmd("bitpos", "x", "0", "-4", "-1", "BIT"), intR(12)},
		{cmd("bitpos", "x", "0", "5", "BIT"), errR(strNotInt)},
		{cmd("bitpos", "x", "0", "9", "100", "BIT"), intR(12)},
		{cmd("bitpos", "x", "1", "12", "100", "BIT"), intR(-1)},
		{cmd("bitpos", "x", "0", "4", "14", "BIT"), intR(12)},
		{cmd("bitpos", "x", "1", "3", "3", "BIT"), intR(-1)},
		{cmd("bitpos", "x", "1", "4", "4", "BIT"), intR(4)},
		{cmd("bitpos", "x", "0", "-9223372036854775808", "9223372036854775807", "BIT"), intR(0)},
		// Empty strings and ranges.
		{cmd("set", "e", ""), okR()},
		{cmd("bitpos", "e", "0"), intR(-1)},
		{cmd("bitpos", "e", "1"), intR(-1)},
		{cmd("bitpos", "e", "0", "0"), intR(-1)},
		{cmd("bitpos", "x", "1", "1", "0"), intR(-1)},
		{cmd("bitpos", "x", "0", "-1", "-2"), intR(-1)},
		// A missing key is all zeros, whatever the range.
		{cmd("bitpos", "missing", "0"), intR(0)},
		{cmd("bitpos", "missing", "1"), intR(-1)},
		{cmd("bitpos", "missing", "0", "abc"), intR(0)},
		{cmd("bitpos", "missing", "1", "1", "2", "3", "4"), intR(-1)},
		// Errors: the bit first, then the type, then the range.
		{cmd("bitpos", "missing", "2"), errR("ERR The bit argument must be 1 or 0.")},
		{cmd("bitpos", "missing", "-1"), errR("ERR The bit argument must be 1 or 0.")},
		{cmd("bitpos", "missing", "abc"), errR(strNotInt)},
		{cmd("bitpos", "l", "2"), errR("ERR The bit argument must be 1 or 0.")},
		{cmd("bitpos", "l", "1"), errR(strWrongType)},
		{cmd("bitpos", "l", "1", "abc"), errR(strWrongType)},
		{cmd("bitpos", "x", "1", "a"), errR(strNotInt)},
		{cmd("bitpos", "x", "1", "0", "a"), errR(strNotInt)},
		{cmd("bitpos", "x", "1", "a", "0", "FOO"), errR(strNotInt)},
		{cmd("bitpos", "x", "1", "0", "a", "FOO"), errR(strSyntaxErr)},
		{cmd("bitpos", "x", "1", "0", "1", "FOO"), errR(strSyntaxErr)},
		{cmd("bitpos", "x", "1", "0", "1", "BIT", "x"), errR(strSyntaxErr)},
		{cmd("bitpos", "x"), arityR("bitpos")},
	})
}

func TestBitOp(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		lpushCase("l2"),
		{cmd("mset", "a", "foobar", "b", "abcdef", "s", "\xff"), okR()},
		{cmd("bitop", "AND", "d", "a", "b"), intR(6)},
		{cmd("get", "d"), bulkR("`bc`ab")},
		{cmd("bitop", "or", "d", "a", "b"), intR(6)},
		{cmd("get", "d"), bulkR("goofev")},
		{cmd("bitop", "Xor", "d", "a", "b"), intR(6)},
		{cmd("get", "d"), bulkR("\x07\x0d\x0c\x06\x04\x14")},
		{cmd("bitop", "NOT", "d", "a"), intR(6)},
		{cmd("get", "d"), bulkR("\x99\x90\x90\x9d\x9e\x8d")},
		// Shorter sources are zero padded.
		{cmd("bitop", "and", "d", "s", "a"), intR(6)},
		{cmd("get", "d"), bulkR("f\x00\x00\x00\x00\x00")},
		{cmd("bitop", "and", "d", "a", "s"), intR(6)},
		{cmd("get", "d"), bulkR("f\x00\x00\x00\x00\x00")},
		{cmd("bitop", "or", "d", "s", "a"), intR(6)},
		{cmd("get", "d"), bulkR("\xffoobar")},
		{cmd("bitop", "xor", "d", "s", "a", "b", "missing"), intR(6)},
		{cmd("get", "d"), bulkR("\xf8\x0d\x0c\x06\x04\x14")},
		{cmd("bitop", "and", "d", "a", "missing"), intR(6)},
		{cmd("get", "d"), bulkR("\x00\x00\x00\x00\x00\x00")},
		{cmd("bitop", "or", "d", "missing", "a"), intR(6)},
		{cmd("get", "d"), bulkR("foobar")},
		// A source may be the destination.
		{cmd("bitop", "xor", "a2", "a"), intR(6)},
		{cmd("bitop", "xor", "a2", "a2", "a2"), intR(6)},
		{cmd("get", "a2"), bulkR("\x00\x00\x00\x00\x00\x00")},
		// An empty result deletes the destination, whatever it held.
		{cmd("set", "d", "x"), okR()},
		{cmd("bitop", "and", "d", "missing", "missing2"), intR(0)},
		{cmd("exists", "d"), intR(0)},
		{cmd("bitop", "not", "l2", "missing"), intR(0)},
		{cmd("exists", "l2"), intR(0)},
		{cmd("set", "e", ""), okR()},
		{cmd("set", "d", "x"), okR()},
		{cmd("bitop", "not", "d", "e"), intR(0)},
		{cmd("exists", "d"), intR(0)},
		// The result replaces any value and has no deadline.
		{cmd("set", "d", "x", "EX", "1000"), okR()},
		{cmd("bitop", "or", "d", "a"), intR(6)},
		{cmd("pttl", "d"), intR(-1)},
		{cmd("lpush", "l3", "x"), intR(1)},
		{cmd("bitop", "or", "l3", "a"), intR(6)},
		{cmd("get", "l3"), bulkR("foobar")},
		// Errors: the operation, then NOT's arity, then the types.
		{cmd("bitop", "nand", "d", "a"), errR(strSyntaxErr)},
		{cmd("bitop", "", "d", "a"), errR(strSyntaxErr)},
		{cmd("bitop", "nand", "d", "l"), errR(strSyntaxErr)},
		{cmd("bitop", "andx", "d", "a"), errR(strSyntaxErr)},
		{cmd("bitop", "and\x00x", "d", "a"), intR(6)}, // Redis compares up to the NUL
		{cmd("bitop", "not", "d", "a", "b"), errR("ERR BITOP NOT must be called with a single source key.")},
		{cmd("bitop", "not", "d", "l", "b"), errR("ERR BITOP NOT must be called with a single source key.")},
		{cmd("bitop", "not", "d", "l"), errR(strWrongType)},
		{cmd("bitop", "and", "d", "a", "l"), errR(strWrongType)},
		{cmd("bitop", "and", "d", "missing", "l"), errR(strWrongType)},
		{cmd("get", "d"), bulkR("foobar")},
		{cmd("bitop", "and", "d"), arityR("bitop")},
	})
}

func TestBitField(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("bitfield", "k", "SET", "i8", "0", "100", "GET", "i8", "0"), arrR(intR(0), intR(100))},
		{cmd("get", "k"), bulkR("d")},
		// The examples of the documentation.
		{cmd("del", "k"), intR(1)},
		{cmd("bitfield", "k", "INCRBY", "i5", "100", "1", "GET", "u4", "0"), arrR(intR(1), intR(0))},
		{cmd("del", "k"), intR(1)},
		{cmd("bitfield", "k", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"), arrR(intR(1), intR(1))},
		{cmd("bitfield", "k", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"), arrR(intR(2), intR(2))},
		{cmd("bitfield", "k", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"), arrR(intR(3), intR(3))},
		{cmd("bitfield", "k", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"), arrR(intR(0), intR(3))},
		{cmd("bitfield", "k", "OVERFLOW", "FAIL", "incrby", "u2", "102", "1"), arrR(nullR())},
		{cmd("strlen", "k"), intR(13)},
		// #n offsets are n × the width.
		{cmd("bitfield", "k", "SET", "u8", "#1", "255", "GET", "u8", "8", "GET", "u4", "#3"), arrR(intR(0), intR(255), intR(15))},
		{cmd("bitfield", "k", "GET", "u8", "#0", "GET", "i16", "#0"), arrR(intR(0), intR(255))},
		// Unaligned fields, most significant bit first.
		{cmd("set", "f", "\xaa\x55"), okR()},
		{cmd("bitfield", "f", "GET", "u3", "1", "GET", "i3", "1", "GET", "u9", "4", "GET", "i9", "4", "GET", "u1", "15", "GET", "i1", "15"),
			arrR(intR(2), intR(2), intR(330), intR(-182), intR(1), intR(-1))},
		{cmd("bitfield", "f", "SET", "u5", "6", "31", "GET", "u16", "0"), arrR(intR(18), intR(44021))},
		{cmd("bitfield", "f", "GET", "u63", "0", "GET", "i64", "0", "GET", "u8", "12"), arrR(intR(6195404974889893888), intR(-6055934123929763840), intR(80))},
		// The limits of i64 and u63 under each overflow mode.
		{cmd("bitfield", "w", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1"), arrR(intR(0), intR(-9223372036854775808))},
		{cmd("bitfield", "w", "INCRBY", "i64", "0", "-1"), arrR(intR(9223372036854775807))},
		{cmd("bitfield", "w", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "1"), arrR(intR(9223372036854775807))},
		{cmd("bitfield", "w", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-9223372036854775808"), arrR(intR(-1), intR(-9223372036854775808))},
		{cmd("bitfield", "w", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-1", "INCRBY", "i64", "0", "1"), arrR(nullR(), intR(-9223372036854775807))},
		{cmd("bitfield", "w", "OVERFLOW", "WRAP", "SET", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-9223372036854775808"), arrR(intR(-9223372036854775807), intR(0))},
		{cmd("bitfield", "u", "SET", "u63", "0", "9223372036854775807", "INCRBY", "u63", "0", "1"), arrR(intR(0), intR(0))},
		{cmd("bitfield", "u", "INCRBY", "u63", "0", "-1"), arrR(intR(9223372036854775807))},
		{cmd("bitfield", "u", "OVERFLOW", "SAT", "INCRBY", "u63", "0", "1", "INCRBY", "u63", "0", "-9223372036854775808", "INCRBY", "u63", "0", "-1"), arrR(intR(9223372036854775807), intR(0), intR(0))},
		{cmd("bitfield", "u", "OVERFLOW", "FAIL", "INCRBY", "u63", "0", "-1", "SET", "u63", "0", "-1"), arrR(nullR(), nullR())},
		{cmd("bitfield", "u", "SET", "u63", "0", "-1"), arrR(intR(0))},                                      // a negative SET wraps around
		{cmd("bitfield", "u", "OVERFLOW", "SAT", "SET", "u63", "0", "-1"), arrR(intR(9223372036854775807))}, // and saturates upwards
		{cmd("bitfield", "u", "GET", "u63", "0"), arrR(intR(9223372036854775807))},
		// Small widths.
		{cmd("bitfield", "s", "SET", "i8", "0", "200", "OVERFLOW", "SAT", "SET", "i8", "8", "200", "SET", "i8", "16", "-200", "OVERFLOW", "FAIL", "SET", "i8", "24", "128"),
			arrR(intR(0), intR(0), intR(0), nullR())},
		{cmd("bitfield", "s", "GET", "i8", "0", "GET", "i8", "8", "GET", "i8", "16", "GET", "i8", "24"), arrR(intR(-56), intR(127), intR(-128), intR(0))},
		{cmd("bitfield", "s", "SET", "u1", "0", "2", "OVERFLOW", "SAT", "SET", "u1", "1", "2", "SET", "i1", "2", "1", "INCRBY", "i1", "2", "-5", "OVERFLOW", "WRAP", "SET", "i1", "3", "1"),
			arrR(intR(1), intR(1), intR(0), intR(-1), intR(0))},
		{cmd("bitfield", "s", "GET", "u4", "0"), arrR(intR(7))},
		{cmd("bitfield", "s", "OVERFLOW", "SAT", "INCRBY", "u8", "32", "-1", "INCRBY", "i8", "32", "-129", "INCRBY", "u8", "32", "300"), arrR(intR(0), intR(-128), intR(255))},
		{cmd("bitfield", "s", "OVERFLOW", "WRAP", "INCRBY", "u8", "32", "2", "INCRBY", "i8", "32", "-130"), arrR(intR(1), intR(127))},
		// An OVERFLOW applies to the operations after it.
		{cmd("bitfield", "v", "INCRBY", "u2", "0", "5", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "5", "OVERFLOW", "fail", "OVERFLOW", "wrap", "INCRBY", "u2", "0", "5"),
			arrR(intR(1), nullR(), intR(3), intR(0))},
		// Reads of a missing key create nothing; writes create it, even
		// when they fail with OVERFLOW FAIL.
		{cmd("bitfield", "missing", "GET", "u8", "0", "GET", "i64", "4294967295"), arrR(intR(0), intR(0))},
		{cmd("exists", "missing"), intR(0)},
		{cmd("bitfield", "m", "OVERFLOW", "FAIL", "SET", "u8", "8", "256"), arrR(nullR())},
		{cmd("get", "m"), bulkR("\x00\x00")},
		{cmd("bitfield", "k"), "*0\r\n"},
		{cmd("bitfield", "k", "OVERFLOW", "SAT"), "*0\r\n"},
		{cmd("bitfield", "missing", "OVERFLOW", "SAT"), "*0\r\n"},
		// Errors, all found before anything runs.
		{cmd("bitfield", "k", "GET", "u64", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "i65", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "i0", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "u0", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "x8", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "U8", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "i", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "u08", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "i-8", "0"), errR(errFieldTypeR)},
		{cmd("bitfield", "k", "GET", "i8\x00x", "0"), arrR(intR(0))}, // read up to the NUL
		{cmd("bitfield", "k", "GET", "u8", "-1"), errR(errBitOffsetR)},
		{cmd("bitfield", "k", "GET", "u8", "4294967296"), errR(errBitOffsetR)},
		{cmd("bitfield", "k", "GET", "u8", "#-1"), errR(errBitOffsetR)},
		{cmd("bitfield", "k", "GET", "u8", "#"), errR(errBitOffsetR)},
		{cmd("bitfield", "k", "GET", "u8", "#536870912"), errR(errBitOffsetR)},
		{cmd("bitfield", "k", "GET", "u8", "#536870911"), arrR(intR(0))},
		{cmd("bitfield", "k", "GET", "i64", "#288230376151711744"), arrR(intR(71776119061217280))}, // 2^58 × 64 wraps to 0
		{cmd("bitfield", "k", "GET", "i64", "#144115188075855872"), errR(errBitOffsetR)},
		{cmd("bitfield", "k", "GET", "u8", "1.5"), errR(errBitOffsetR)},
		{cmd("bitfield", "k", "SET", "u8", "0", "abc"), errR(strNotInt)},
		{cmd("bitfield", "k", "INCRBY", "u8", "0", "1.5"), errR(strNotInt)},
		{cmd("bitfield", "k", "SET", "u8", "0", "9223372036854775808"), errR(strNotInt)},
		{cmd("bitfield", "k", "GET", "u8"), errR(strSyntaxErr)},
		{cmd("bitfield", "k", "SET", "u8", "0"), errR(strSyntaxErr)},
		{cmd("bitfield", "k", "INCRBY", "u8", "0"), errR(strSyntaxErr)},
		{cmd("bitfield", "k", "FOO"), errR(strSyntaxErr)},
		{cmd("bitfield", "k", "OVERFLOW"), errR(strSyntaxErr)},
		{cmd("bitfield", "k", "OVERFLOW", "BOGUS"), errR("ERR Invalid OVERFLOW type specified")},
		{cmd("bitfield", "k", "SET", "u8", "0", "1", "GET", "u64", "0"), errR(errFieldTypeR)},
		{cmd("get", "k"), bulkR("\x00\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03")},
		{cmd("bitfield", "l", "GET", "u8", "0"), errR(strWrongType)},
		{cmd("bitfield", "l", "SET", "u8", "0", "1"), errR(strWrongType)},
		{cmd("bitfield", "l"), errR(strWrongType)},
		{cmd("bitfield", "l", "GET", "u64", "0"), errR(errFieldTypeR)},
		{cmd("bitfield"), arityR("bitfield")},
	})
}

func TestBitFieldRO(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("set", "k", "\x01\x02"), okR()},
		{cmd("bitfield_ro", "k", "GET", "u8", "0", "get", "i16", "0", "GET", "u4", "#3"), arrR(intR(1), intR(258), intR(2))},
		{cmd("bitfield_ro", "k"), "*0\r\n"},
		{cmd("bitfield_ro", "k", "OVERFLOW", "SAT", "GET", "u8", "8"), arrR(intR(2))},
		{cmd("bitfield_ro", "missing", "GET", "u8", "0"), arrR(intR(0))},
		{cmd("bitfield_ro", "k", "SET", "u8", "0", "1"), errR("ERR BITFIELD_RO only supports the GET subcommand")},
		{cmd("bitfield_ro", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1"), errR("ERR BITFIELD_RO only supports the GET subcommand")},
		{cmd("bitfield_ro", "l", "SET", "u8", "0", "1"), errR("ERR BITFIELD_RO only supports the GET subcommand")},
		{cmd("bitfield_ro", "k", "SET", "u8", "0", "abc"), errR(strNotInt)},
		{cmd("bitfield_ro", "k", "GET", "u64", "0"), errR(errFieldTypeR)},
		{cmd("bitfield_ro", "l", "GET", "u8", "0"), errR(strWrongType)},
		{cmd("get", "k"), bulkR("\x01\x02")},
		{cmd("bitfield_ro"), arityR("bitfield_ro")},
	})
}
