package diff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/raftis/raftis/internal/resp"
)

// The HyperLogLog family.
//
// raftis's PFCOUNT is a read: unlike Redis's, it does not store the
// cardinality it computed in the value's 8 cache bytes (docs/DESIGN.md).
// So after a single-key PFCOUNT the two servers' values differ in those
// bytes, which GET and GETRANGE of the value show (hllValueCompare and
// hllRangeCompare tolerate exactly that), and which a later change of the
// raw bytes (SETBIT, SETRANGE, ...) could turn into different replies.
// That is why the family keeps its own keys, hllKeys, which no other
// family touches, and runs a single-key PFCOUNT only there: on the shared
// key space it only adds (PFADD, PFMERGE), merges and counts unions
// (PFCOUNT of several keys), none of which writes the cache in Redis.
func init() {
	register("hll",
		cmdGen{name: "pfadd", weight: 6, gen: genPFAdd},
		cmdGen{name: "pfcount", weight: 5, gen: genPFCount},
		cmdGen{name: "pfmerge", weight: 3, gen: genPFMerge},
		// Raw access to the HLL keys: their values, valid or corrupt.
		cmdGen{name: "set", weight: 2, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"SET", randKey(r, hllKeys), randHLLPayload(r)}
		}},
		cmdGen{name: "get", weight: 2, cmp: hllValueCompare, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"GET", randKey(r, hllKeys)}
		}},
		cmdGen{name: "getrange", weight: 1, cmp: hllRangeCompare, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"GETRANGE", randKey(r, hllKeys), strconv.Itoa(r.IntN(40) - 20), strconv.Itoa(r.IntN(40) - 4)}
		}},
		cmdGen{name: "strlen", weight: 1, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"STRLEN", randKey(r, hllKeys)}
		}},
		cmdGen{name: "del", weight: 1, gen: func(r *rand.Rand, _ []string) []string {
			return append([]string{"DEL"}, randKeys(r, hllKeys, 1, 2)...)
		}},
	)
}

// hllKeys are the HyperLogLog family's own keys.
var hllKeys = []string{"hll:a", "hll:b", "hll:c"}

// hllOrSharedKey is mostly one of hllKeys, sometimes one of the shared key
// space (whose strings are not HLLs: WRONGTYPE).
func hllOrSharedKey(r *rand.Rand, keys []string) string {
	if chance(r, 1, 10) {
		return randKey(r, keys)
	}
	return randKey(r, hllKeys)
}

// PFADD key [element ...]: a few elements, or a batch large enough to
// push a sparse HLL towards dense.
func genPFAdd(r *rand.Rand, keys []string) []string {
	cmd := []string{"PFADD", hllOrSharedKey(r, keys)}
	n := r.IntN(6)
	if chance(r, 1, 8) {
		n = 50 + r.IntN(400)
	}
	for range n {
		if chance(r, 1, 10) {
			cmd = append(cmd, randBinary(r, r.IntN(12)))
		} else {
			cmd = append(cmd, "e"+strconv.Itoa(r.IntN(200000)))
		}
	}
	return cmd
}

// PFCOUNT key [key ...]: one of the family's keys, or a union. The first
// key is always one of the family's: the arity mutation may drop the
// others.
func genPFCount(r *rand.Rand, keys []string) []string {
	cmd := []string{"PFCOUNT", randKey(r, hllKeys)}
	if chance(r, 1, 2) {
		for range 1 + r.IntN(3) {
			cmd = append(cmd, hllOrSharedKey(r, keys))
		}
	}
	return cmd
}

// PFMERGE destkey [sourcekey ...].
func genPFMerge(r *rand.Rand, keys []string) []string {
	cmd := []string{"PFMERGE", hllOrSharedKey(r, keys)}
	for range r.IntN(4) {
		cmd = append(cmd, hllOrSharedKey(r, keys))
	}
	return cmd
}

// HLL layout, as Redis writes it (see fsm/hll.go).
const (
	hllHdrSize   = 16
	hllRegisters = 16384
	hllDenseSize = hllHdrSize + hllRegisters*6/8
)

// randHLLPayload is a value for SET: a valid sparse or dense HLL, with a
// stale or a valid cache, or one broken in the ways Redis must detect.
func randHLLPayload(r *rand.Rand) string {
	var b []byte
	switch r.IntN(14) {
	case 0, 1, 2, 3, 10, 11, 12, 13:
		b = append(hllHeader(r, 1), randSparseBody(r, hllRegisters)...)
	case 4, 5:
		b = hllHeader(r, 0)
		for range hllDenseSize - hllHdrSize {
			b = append(b, byte(pickOne(r, 0, 0, 0, r.IntN(256))))
		}
	case 6: // opcodes covering too few or too many registers
		b = append(hllHeader(r, 1), randSparseBody(r, hllRegisters+pickOne(r, -1, 1, -100, 5000))...)
	case 7: // dense of the wrong size
		b = append(hllHeader(r, 0), make([]byte, hllDenseSize-hllHdrSize+pickOne(r, -1, 1))...)
	case 8: // bad magic or encoding, or too short
		b = append(hllHeader(r, 1), 0x7f, 0xff)
		switch r.IntN(3) {
		case 0:
			b[r.IntN(4)] ^= 0x20
		case 1:
			b[4] = byte(pickOne(r, 2, 3, 255))
		default:
			b = b[:r.IntN(hllHdrSize)]
		}
	default: // a valid sparse HLL with bytes appended
		b = append(hllHeader(r, 1), randSparseBody(r, hllRegisters)...)
		b = append(b, randBinary(r, 1+r.IntN(4))...)
	}
	return string(completeLastXZero(b))
}

// hllHeader is "HYLL", the encoding, and a cache that is stale or holds
// some count.
func hllHeader(r *rand.Rand, encoding byte) []byte {
	h := []byte{'H', 'Y', 'L', 'L', encoding, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80}
	if chance(r, 1, 4) {
		h[8], h[9], h[15] = byte(r.IntN(256)), byte(r.IntN(4)), 0
	}
	return h
}

// randSparseBody is sparse opcodes covering exactly n registers: runs of
// zeros (ZERO, XZERO) and of values (VAL).
func randSparseBody(r *rand.Rand, n int) []byte {
	var b []byte
	for n > 0 {
		switch r.IntN(3) {
		case 0: // ZERO: 1..64
			l := min(n, 1+r.IntN(64))
			b = append(b, byte(l-1))
			n -= l
		case 1: // XZERO: 1..16384
			l := min(n, 1+r.IntN(pickOne(r, 100, 3000, 16384)))
			b = append(b, 0x40|byte((l-1)>>8), byte(l-1))
			n -= l
		default: // VAL: 1..4 registers at 1..32
			l := min(n, 1+r.IntN(4))
			b = append(b, 0x80|byte(r.IntN(32))<<2|byte(l-1))
			n -= l
		}
	}
	return b
}

// completeLastXZero gives a sparse body that ends in the first byte of an
// XZERO opcode its second byte. On such a value Redis reads, and a split
// of that opcode writes, the byte after the end of its string, which then
// depends on the string's allocation history; raftis reads zero there
// (docs/DESIGN.md). The sequences stay clear of it.
func completeLastXZero(b []byte) []byte {
	if len(b) <= hllHdrSize || string(b[:4]) != "HYLL" || b[4] != 1 {
		return b
	}
	p := hllHdrSize
	for p < len(b)-1 {
		if b[p]&0xc0 == 0x40 {
			p += 2
		} else {
			p++
		}
	}
	if p == len(b)-1 && b[p]&0xc0 == 0x40 {
		return append(b, 0)
	}
	return b
}

// onlyCacheDiffers reports whether a and b are HLL values that differ in
// nothing but the 8 cache bytes of the header.
func onlyCacheDiffers(a, b []byte) bool {
	return len(a) == len(b) && len(a) >= hllHdrSize && bytes.HasPrefix(a, []byte("HYLL")) &&
		bytes.Equal(a[:8], b[:8]) && bytes.Equal(a[16:], b[16:])
}

// bulkValue returns the bytes of a bulk string reply.
func bulkValue(raw []byte) ([]byte, bool) {
	v, err := resp.Parse(raw)
	if err != nil || v.Kind != resp.BulkString || v.Null {
		return nil, false
	}
	return []byte(v.Str), true
}

// hllValueCompare is for GET of an HLL key: the two values may differ in
// their cache bytes (Redis's PFCOUNT writes them, raftis's does not), and
// only there.
func hllValueCompare(_ *pair, _ []string, want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	w, okw := bulkValue(want)
	g, okg := bulkValue(got)
	if okw && okg && onlyCacheDiffers(w, g) {
		return ""
	}
	return "replies differ"
}

// hllRangeCompare is for GETRANGE of an HLL key. If the replies differ, it
// reads both whole values: they must differ only in the cache bytes, and
// each reply must be the same range of its own value.
func hllRangeCompare(p *pair, cmd []string, want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	w, okw := bulkValue(want)
	g, okg := bulkValue(got)
	if !okw || !okg || len(cmd) != 4 {
		return "replies differ"
	}
	var values [2][]byte
	for i, s := range []*side{p.redis, p.raftis} {
		raw, err := s.do("GET", cmd[1])
		if err != nil {
			return err.Error()
		}
		values[i], _ = bulkValue(raw)
	}
	if !onlyCacheDiffers(values[0], values[1]) {
		return "replies differ, and so do the values beyond their cache bytes"
	}
	start, err1 := strconv.ParseInt(cmd[2], 10, 64)
	end, err2 := strconv.ParseInt(cmd[3], 10, 64)
	if err1 != nil || err2 != nil {
		return "replies differ"
	}
	from, to := getRange(int64(len(values[0])), start, end)
	if !bytes.Equal(w, values[0][from:to]) || !bytes.Equal(g, values[1][from:to]) {
		return fmt.Sprintf("replies differ, and are not both bytes [%d, %d) of values that differ only in their cache bytes", from, to)
	}
	return ""
}

// getRange is GETRANGE's range of a string of n bytes, as [from, to).
func getRange(n, start, end int64) (from, to int64) {
	if start < 0 && end < 0 && start > end {
		return 0, 0
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	end = min(end, n-1)
	if start > end || n == 0 {
		return 0, 0
	}
	return start, end + 1
}

// TestHarnessHLLKeysStayApart checks what hllValueCompare relies on: only
// the HyperLogLog family touches hllKeys, and a single-key PFCOUNT (the
// one that writes Redis's cache) runs on nothing else, even after the
// arity mutation.
func TestHarnessHLLKeysStayApart(t *testing.T) {
	r := newRand(3)
	pk := newPicker(registry)
	for range 100000 {
		g, cmd := nextCommand(r, pk, keySpace)
		if g.family != "hll" && slices.ContainsFunc(cmd[1:], func(a string) bool { return slices.Contains(hllKeys, a) }) {
			t.Fatalf("%s (family %s) touches the HLL family's keys", quoteCmd(cmd, 40), g.family)
		}
		if strings.EqualFold(cmd[0], "PFCOUNT") && len(cmd) == 2 && !slices.Contains(hllKeys, cmd[1]) {
			t.Fatalf("%s: a single-key PFCOUNT outside the HLL family's keys", quoteCmd(cmd, 40))
		}
	}
}

func TestHLLValueCompare(t *testing.T) {
	hll := "HYLL\x01\x00\x00\x00" + "\x00\x00\x00\x00\x00\x00\x00\x80" + "\x7f\xff"
	counted := "HYLL\x01\x00\x00\x00" + "\x05\x00\x00\x00\x00\x00\x00\x00" + "\x7f\xff"
	bulk := func(s string) []byte { return []byte(fmt.Sprintf("$%d\r\n%s\r\n", len(s), s)) }
	for _, c := range []struct {
		want, got string
		ok        bool
	}{
		{hll, hll, true},
		{counted, hll, true},
		{hll, counted, true},
		{counted, hll[:16] + "\x7f\xfe", false},         // a register differs
		{counted, "HYLL\x00" + hll[5:], false},          // the encoding differs
		{"XYLL" + counted[4:], "XYLL" + hll[4:], false}, // not HLLs
		{counted, hll + "\x00", false},
	} {
		why := hllValueCompare(nil, []string{"GET", "k"}, bulk(c.want), bulk(c.got))
		if (why == "") != c.ok {
			t.Errorf("want %q got %q: %q, want ok=%v", c.want, c.got, why, c.ok)
		}
	}
	for _, c := range []struct{ n, start, end, from, to int64 }{
		{18, 0, -1, 0, 18}, {18, 8, 15, 8, 16}, {18, -3, -1, 15, 18}, {18, -1, -3, 0, 0}, {18, 5, 100, 5, 18}, {18, 20, 30, 0, 0}, {0, 0, -1, 0, 0},
	} {
		if from, to := getRange(c.n, c.start, c.end); from != c.from || to != c.to {
			t.Errorf("getRange(%d, %d, %d) = [%d, %d), want [%d, %d)", c.n, c.start, c.end, from, to, c.from, c.to)
		}
	}
}
