package fsm

import (
	"strings"
	"testing"
)

const (
	errNotHLLR  = "WRONGTYPE Key is not a valid HyperLogLog string value."
	errCorruptR = "INVALIDOBJ Corrupted HLL object detected"
)

// hllHeader is an HLL header: encoding, then the cache bytes (the last
// one's top bit set: not valid).
func hllHeader(enc byte, cache string) string {
	return "HYLL" + string(enc) + "\x00\x00\x00" + cache
}

const staleCache = "\x00\x00\x00\x00\x00\x00\x00\x80"

func TestPFAdd(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		// A new HLL is sparse: one XZERO over the 16384 registers.
		{cmd("pfadd", "h"), intR(1)},
		{cmd("get", "h"), bulkR(hllHeader(1, staleCache) + "\x7f\xff")},
		{cmd("pfadd", "h"), intR(0)},
		{cmd("pfcount", "h"), intR(0)},
		// "foo" sets register 7348 to 5: XZERO 7348, VAL 5, XZERO 9035.
		{cmd("pfadd", "h", "foo"), intR(1)},
		{cmd("get", "h"), bulkR(hllHeader(1, staleCache) + "\x5c\xb3\x90\x63\x4a")},
		{cmd("pfadd", "h", "foo"), intR(0)},
		{cmd("pfadd", "h", "foo", "foo", "foo"), intR(0)},
		{cmd("pfcount", "h"), intR(1)},
		{cmd("pfadd", "h2", "a", "b", "c", "d", "e", "f", "g"), intR(1)},
		{cmd("get", "h2"), bulkR(hllHeader(1, staleCache) + "\x46\x6d\x80\x56\x0c\x80\x44\x3c\x84\x38\x80\x50\xb1\x84\x49\x8c\x80\x42\x6d\x80\x42\x5a")},
		{cmd("pfcount", "h2"), intR(7)},
		{cmd("pfadd", "h2", "a", "b", "x"), intR(1)},
		{cmd("pfcount", "h2"), intR(8)},
		// Elements are binary safe; the empty element counts.
		{cmd("pfadd", "h3", "", "\x00", "\x00\x00", "a\r\nb"), intR(1)},
		{cmd("pfcount", "h3"), intR(4)},
		// Not an HLL: other types, and strings that are not HLLs.
		{cmd("pfadd", "l", "a"), errR(strWrongType)},
		{cmd("pfadd", "l"), errR(strWrongType)},
		{cmd("set", "s", "abc"), okR()},
		{cmd("pfadd", "s", "a"), errR(errNotHLLR)},
		{cmd("pfadd", "s"), errR(errNotHLLR)},
		{cmd("get", "s"), bulkR("abc")},
		{cmd("set", "s", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), okR()}, // 15 bytes
		{cmd("pfadd", "s", "a"), errR(errNotHLLR)},
		{cmd("pfadd"), arityR("pfadd")},
	})
}

func TestPFCount(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("pfcount", "missing"), intR(0)},
		{cmd("pfcount", "missing", "missing2"), intR(0)},
		{cmd("pfadd", "a", "1", "2", "3"), intR(1)},
		{cmd("pfadd", "b", "3", "4", "5", "6"), intR(1)},
		{cmd("pfcount", "a"), intR(3)},
		{cmd("pfcount", "b"), intR(4)},
		{cmd("pfcount", "a", "b"), intR(6)},
		{cmd("pfcount", "a", "b", "missing", "a"), intR(6)},
		// A valid cached cardinality is trusted as is.
		{cmd("set", "c", hllHeader(1, "\x2a\x00\x00\x00\x00\x00\x00\x00")+"\x7f\xff"), okR()},
		{cmd("pfcount", "c"), intR(42)},
		{cmd("pfcount", "c", "missing"), intR(0)},
		{cmd("set", "c", hllHeader(1, "\xff\xff\xff\xff\xff\xff\xff\x7f")+"\x7f\xff"), okR()},
		{cmd("pfcount", "c"), intR(9223372036854775807)},
		// Errors: each key in turn.
		{cmd("pfcount", "l"), errR(strWrongType)},
		{cmd("set", "s", "abc"), okR()},
		{cmd("pfcount", "s"), errR(errNotHLLR)},
		{cmd("pfcount", "a", "s"), errR(errNotHLLR)},
		{cmd("pfcount", "a", "l", "s"), errR(strWrongType)},
		{cmd("pfcount", "missing", "s", "l"), errR(errNotHLLR)},
		{cmd("pfcount"), arityR("pfcount")},
	})
}

func TestPFMerge(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("pfadd", "a", "1", "2", "3"), intR(1)},
		{cmd("pfadd", "b", "3", "4", "5", "6"), intR(1)},
		{cmd("pfmerge", "d", "a", "b"), okR()},
		{cmd("pfcount", "d"), intR(6)},
		{cmd("pfmerge", "d", "missing"), okR()}, // the destination is a source too
		{cmd("pfcount", "d"), intR(6)},
		{cmd("pfmerge", "a", "b"), okR()},
		{cmd("pfcount", "a"), intR(6)},
		// No source at all: an empty HLL, or the destination unchanged.
		{cmd("pfmerge", "e"), okR()},
		{cmd("get", "e"), bulkR(hllHeader(1, staleCache) + "\x7f\xff")},
		{cmd("pfmerge", "e2", "missing", "missing2"), okR()},
		{cmd("pfcount", "e2"), intR(0)},
		{cmd("pfmerge", "b"), okR()},
		{cmd("pfcount", "b"), intR(4)},
		// The merged value keeps its deadline.
		{cmd("pfadd", "t", "x"), intR(1)},
		{cmd("expire", "t", "1000"), intR(1)},
		{cmd("pfmerge", "t", "a"), okR()},
		{cmd("ttl", "t"), intR(1000)},
		// Errors: any key that is not an HLL, nothing written.
		{cmd("set", "s", "abc"), okR()},
		{cmd("pfmerge", "d2", "a", "s"), errR(errNotHLLR)},
		{cmd("pfmerge", "d2", "l"), errR(strWrongType)},
		{cmd("exists", "d2"), intR(0)},
		{cmd("pfmerge", "s", "a"), errR(errNotHLLR)},
		{cmd("pfmerge", "l", "a"), errR(strWrongType)},
		{cmd("get", "s"), bulkR("abc")},
		{cmd("pfmerge"), arityR("pfmerge")},
	})
}

// TestHLLCorrupt checks the replies to strings that pass for HLLs but are
// not valid ones, as Redis 7.0.15 gives them (with the fix for
// CVE-2025-32023: a sparse value whose opcodes cover more than the 16384
// registers is corrupt).
func TestHLLCorrupt(t *testing.T) {
	sparse := func(body string) string { return hllHeader(1, staleCache) + body }
	dense := hllHeader(0, staleCache) + strings.Repeat("\x00", hllDenseSize-hllHdrSize)
	// allAt is a dense value with every register at v.
	allAt := func(v uint8) string {
		regs := make([]byte, hllDenseSize-hllHdrSize)
		for i := range hllRegisters {
			hllDenseSet(regs, i, v)
		}
		return hllHeader(0, staleCache) + string(regs)
	}
	checkLikeRedis(t, []replyCase{
		// Checked when the key is read: magic, encoding, dense size.
		{cmd("set", "h", "HYLM\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff"), okR()},
		{cmd("pfcount", "h"), errR(errNotHLLR)},
		{cmd("set", "h", hllHeader(2, staleCache)+"\x7f\xff"), okR()},
		{cmd("pfadd", "h", "a"), errR(errNotHLLR)},
		{cmd("set", "h", dense[:len(dense)-1]), okR()},
		{cmd("pfcount", "h"), errR(errNotHLLR)},
		{cmd("set", "h", dense+"\x00"), okR()},
		{cmd("pfmerge", "d", "h"), errR(errNotHLLR)},
		{cmd("set", "h", dense), okR()},
		{cmd("pfcount", "h"), intR(0)},
		{cmd("set", "h", hllHeader(1, staleCache)), okR()}, // a sparse header with no opcodes
		{cmd("pfcount", "h"), errR(errCorruptR)},
		{cmd("pfadd", "h", "a"), errR(errCorruptR)},
		// Opcodes covering fewer or more registers than 16384.
		{cmd("set", "h", sparse("\x7f\xfe")), okR()},
		{cmd("pfcount", "h"), errR(errCorruptR)},
		{cmd("pfcount", "h", "missing"), errR(errCorruptR)},
		{cmd("pfmerge", "d", "h"), errR(errCorruptR)},
		{cmd("exists", "d"), intR(0)},
		{cmd("set", "h", sparse("\x7f\xff\x80")), okR()},
		{cmd("pfcount", "h"), errR(errCorruptR)},
		{cmd("pfcount", "h", "missing"), errR(errCorruptR)},
		{cmd("set", "h", sparse("\x7f\xff\x00")), okR()},
		{cmd("pfmerge", "d", "h"), errR(errCorruptR)},
		{cmd("set", "h", sparse("\x7f\xfe\x83")), okR()},
		{cmd("pfcount", "h"), errR(errCorruptR)},
		// A valid cache hides a corrupt body from a single-key PFCOUNT.
		{cmd("set", "h", hllHeader(1, "\x05\x00\x00\x00\x00\x00\x00\x00")+"\x7f\xfe"), okR()},
		{cmd("pfcount", "h"), intR(5)},
		{cmd("pfcount", "h", "h"), errR(errCorruptR)},
		// PFADD fails on a register past the last opcode, keeping, as
		// Redis does, what the elements before it changed.
		{cmd("set", "h", sparse("\x7f\xfe")), okR()},
		{cmd("pfadd", "h", "foo"), intR(1)},
		{cmd("get", "h"), bulkR(sparse("\x5c\xb3\x90\x63\x49"))},
		{cmd("set", "h", hllHeader(1, "\x00\x00\x00\x00\x00\x00\x00\x00")+"\x5c\xb3"), okR()},
		{cmd("pfadd", "h", "f", "d", "a", "foo"), errR(errCorruptR)}, // registers 1646, 7292, 12711
		{cmd("get", "h"), bulkR(sparse("\x46\x6d\x80\x56\x0c\x80\x36"))},
		// An XZERO cut short at the end: its second byte reads as zero,
		// and splitting it leaves the last byte of the new opcodes past
		// the end of the value (see docs/DESIGN.md).
		{cmd("set", "h", sparse("\x5c\xb3\x90\x63")), okR()},
		{cmd("pfadd", "h", "foo"), intR(0)},
		{cmd("set", "h", sparse("\x63")), okR()},
		{cmd("pfadd", "h", "foo"), intR(1)},
		{cmd("get", "h"), bulkR(sparse("\x5c\xb3\x90\x46"))},
		// A dense value has no structure to break: any bytes count.
		{cmd("set", "h", hllHeader(0, staleCache)+strings.Repeat("\xff", hllDenseSize-hllHdrSize)), okR()},
		{cmd("pfcount", "h"), intR(-9223372036854775808)}, // an infinite estimate, as Redis on x86-64 replies it
		{cmd("pfadd", "h", "a"), intR(0)},
		{cmd("set", "h", allAt(50)), okR()},
		{cmd("pfcount", "h"), intR(-9223372036854775808)}, // past 2^63
		{cmd("set", "h", allAt(45)), okR()},
		{cmd("pfcount", "h"), intR(415828534307635072)},
		{cmd("set", "h", allAt(1)), okR()},
		{cmd("pfcount", "h"), intR(23637)},
	})
}

// TestPFCountIsARead checks the decision recorded in docs/DESIGN.md:
// PFCOUNT runs as a read and leaves the value, cache bytes included, as
// it was (Redis would store the cardinality in the cache).
func TestPFCountIsARead(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("pfadd", "h", "a", "b", "c")
	before := tf.read("get", "h")
	tf.check([]replyCase{
		{cmd("pfcount", "h"), intR(3)},
		{cmd("pfcount", "h"), intR(3)},
		{cmd("get", "h"), before},
	})
	if cmd := Lookup([]byte("pfcount")); cmd.Flags&FlagWrite != 0 {
		t.Error("pfcount is flagged as a write")
	}
}

// TestHLLHash pins the hash: MurmurHash64A with Redis's seed gives these
// registers and runs (read from redis-server 7.0.15's values).
func TestHLLHash(t *testing.T) {
	for _, c := range []struct {
		ele   string
		index int
		count uint8
	}{
		{"foo", 7348, 5},
	} {
		if index, count := hllPatLen([]byte(c.ele)); index != c.index || count != c.count {
			t.Errorf("%q: register %d run %d, want %d, %d", c.ele, index, count, c.index, c.count)
		}
	}
	if h := murmurHash64A(nil, 0); h != 0 {
		t.Errorf("hash of nothing with seed 0 = %#x, want 0", h)
	}
}
