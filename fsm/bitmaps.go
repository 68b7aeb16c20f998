package fsm

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Error texts used only by the bitmap commands.
const (
	errBitOffset = "ERR bit offset is not an integer or out of range"
	errBitValue  = "ERR bit is not an integer or out of range"
	errBitArg    = "ERR The bit argument must be 1 or 0."
	errBitOpNot  = "ERR BITOP NOT must be called with a single source key."
)

var bitmapCommands = []*Command{
	{Spec: Spec{Name: "setbit", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "bitmap", Summary: "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist."}, Run: cmdSetBit},
	{Spec: Spec{Name: "getbit", Arity: 3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "bitmap", Summary: "Returns a bit value by offset."}, Run: cmdGetBit},
	{Spec: Spec{Name: "bitcount", Arity: -2, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "bitmap", Summary: "Counts the number of set bits (population counting) in a string."}, Run: cmdBitCount},
	{Spec: Spec{Name: "bitpos", Arity: -3, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "bitmap", Summary: "Finds the first set (1) or clear (0) bit in a string."}, Run: cmdBitPos},
	{Spec: Spec{Name: "bitop", Arity: -4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 2, LastKey: -1, KeyStep: 1, Group: "bitmap", Summary: "Performs bitwise operations on multiple strings, and stores the result."}, Run: cmdBitOp},
	{Spec: Spec{Name: "bitfield", Arity: -2, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "bitmap", Summary: "Performs arbitrary bitfield integer operations on strings."}, Run: cmdBitField},
	{Spec: Spec{Name: "bitfield_ro", Arity: -2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "bitmap", Summary: "Performs arbitrary read-only bitfield integer operations on strings."}, Run: cmdBitFieldRO},
}

// maxBitOffset is the first bit offset refused: a bitmap may not reach
// proto-max-bulk-len bytes (Redis's default, 512 MiB, on every node).
const maxBitOffset = maxStringSize * 8

// SETBIT key offset value
func cmdSetBit(c *Ctx, args [][]byte) {
	offset, ok := c.bitOffsetArg(args[2], 0)
	if !ok {
		return
	}
	on, ok := parseInt(args[3])
	if !ok || on&^1 != 0 {
		c.Error(errBitValue)
		return
	}
	it, cur, found, ok := c.stringForUpdate(args[1])
	if !ok {
		return
	}
	idx, shift := offset>>3, 7-offset&7
	if found && idx < uint64(len(cur)) && int64(cur[idx]>>shift&1) == on {
		// Nothing changes: no private copy of a shared bitmap, and, as
		// in Redis 7.0, no change a WATCH sees. Redis makes the string
		// raw even so: one that is not yet is copied, its mod kept.
		if stringValue(cur).Encoding() != "raw" {
			it.val, it.gen, it.lru = rawString(c.privateString(it, len(cur))), c.fsm.gen, c.lru()
			c.db.put(it)
		}
		c.Int(on)
		return
	}
	val := c.privateString(it, int(idx)+1)
	old := val[idx] >> shift & 1
	val[idx] = val[idx]&^(1<<shift) | byte(on)<<shift
	c.storeString(it, val)
	c.Int(int64(old))
}

// GETBIT key offset
func cmdGetBit(c *Ctx, args [][]byte) {
	offset, ok := c.bitOffsetArg(args[2], 0)
	if !ok {
		return
	}
	val, _, ok := c.lookupString(args[1])
	if !ok {
		return
	}
	if idx := offset >> 3; idx < uint64(len(val)) {
		c.Int(int64(val[idx] >> (7 - offset&7) & 1))
		return
	}
	c.Int(0)
}

// bitOffsetArg parses a bit offset as Redis does: a non-negative integer
// whose byte stays below proto-max-bulk-len. With bits > 0 (BITFIELD),
// "#n" means the n-th field of that width: n×bits, a product that wraps
// around on overflow exactly as Redis's does.
func (c *Ctx) bitOffsetArg(arg []byte, bits int) (uint64, bool) {
	hash := bits > 0 && len(arg) > 0 && arg[0] == '#'
	if hash {
		arg = arg[1:]
	}
	n, ok := parseInt(arg)
	if hash {
		n *= int64(bits)
	}
	if !ok || n < 0 || n >= maxBitOffset {
		c.Error(errBitOffset)
		return 0, false
	}
	return uint64(n), true
}

// bitRange is a range of a bitmap in bytes, start to end inclusive, and
// the bits to leave out of its first and last bytes (masks of the bits
// before the first and after the last bit of a BIT range).
type bitRange struct {
	start, end          int64
	firstMask, lastMask byte
}

// resolve turns a [start, end] range in bytes, or in bits (isBit), of a
// string of n bytes into a bitRange: negative indexes count from the end,
// and both ends are clamped to the string. An empty range has start > end.
func (r *bitRange) resolve(n int64, isBit bool) {
	total := n
	if isBit {
		total <<= 3
	}
	if r.start < 0 {
		r.start += total
	}
	if r.end < 0 {
		r.end += total
	}
	r.start, r.end = max(r.start, 0), max(r.end, 0)
	if r.end >= total {
		r.end = total - 1
	}
	if isBit && r.start <= r.end {
		r.firstMask = ^byte(1<<(8-r.start&7) - 1)
		r.lastMask = byte(1<<(7-r.end&7) - 1)
		r.start >>= 3
		r.end >>= 3
	}
}

// bitUnitArg parses the BYTE | BIT word of BITCOUNT and BITPOS.
func (c *Ctx) bitUnitArg(arg []byte) (isBit, ok bool) {
	switch {
	case cKeyword(arg, "bit"):
		return true, true
	case cKeyword(arg, "byte"):
		return false, true
	}
	c.Error(ErrSyntax)
	return false, false
}

// cKeyword compares an argument with a lowercase keyword the way Redis's
// strcasecmp does: the argument ends at its first NUL byte.
func cKeyword(arg []byte, keyword string) bool {
	if i := bytes.IndexByte(arg, 0); i >= 0 {
		arg = arg[:i]
	}
	return equalFold(arg, keyword)
}

// BITCOUNT key [start end [BYTE | BIT]]
func cmdBitCount(c *Ctx, args [][]byte) {
	// Redis looks the key up before it parses the range: a missing key
	// counts 0 whatever the arguments.
	val, found, ok := c.lookupString(args[1])
	if !ok {
		return
	}
	if !found {
		c.Int(0)
		return
	}
	r := bitRange{start: 0, end: int64(len(val)) - 1}
	switch len(args) {
	case 2:
	case 4, 5:
		if r.start, ok = c.intArg(args[2]); !ok {
			return
		}
		if r.end, ok = c.intArg(args[3]); !ok {
			return
		}
		if r.start < 0 && r.end < 0 && r.start > r.end {
			c.Int(0)
			return
		}
		isBit := false
		if len(args) == 5 {
			if isBit, ok = c.bitUnitArg(args[4]); !ok {
				return
			}
		}
		r.resolve(int64(len(val)), isBit)
	default:
		c.Error(ErrSyntax)
		return
	}
	if r.start > r.end {
		c.Int(0)
		return
	}
	count := popcount(val[r.start : r.end+1])
	count -= int64(bits.OnesCount8(val[r.start]&r.firstMask) + bits.OnesCount8(val[r.end]&r.lastMask))
	c.Int(count)
}

// popcount is the number of bits set in b.
func popcount(b []byte) int64 {
	var n int
	for len(b) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	for _, x := range b {
		n += bits.OnesCount8(x)
	}
	return int64(n)
}

// BITPOS key bit [start [end [BYTE | BIT]]]
func cmdBitPos(c *Ctx, args [][]byte) {
	bit, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if bit != 0 && bit != 1 {
		c.Error(errBitArg)
		return
	}
	// A missing key is an endless run of zeros, whatever the range.
	val, found, ok := c.lookupString(args[1])
	if !ok {
		return
	}
	if !found {
		c.Int(-bit)
		return
	}
	r := bitRange{start: 0, end: int64(len(val)) - 1}
	endGiven := false
	switch len(args) {
	case 3:
	case 4, 5, 6:
		if r.start, ok = c.intArg(args[3]); !ok {
			return
		}
		isBit := false
		if len(args) == 6 {
			if isBit, ok = c.bitUnitArg(args[5]); !ok {
				return
			}
		}
		if len(args) >= 5 {
			if r.end, ok = c.intArg(args[4]); !ok {
				return
			}
			endGiven = true
		} else {
			r.end = int64(len(val)) - 1
			if isBit {
				r.end = int64(len(val))<<3 + 7
			}
		}
		r.resolve(int64(len(val)), isBit)
	default:
		c.Error(ErrSyntax)
		return
	}
	c.Int(bitPosIn(val, byte(bit), r, endGiven))
}

// bitPosIn is BITPOS over a resolved range, as Redis computes it: first
// the partial first byte of a BIT range, then the whole bytes, then the
// partial last byte. Looking for a 0 in a range whose end was not given,
// the bits past the string count as zeros, so a string of ones answers
// its length in bits; with an explicit end it answers -1.
func bitPosIn(val []byte, bit byte, r bitRange, endGiven bool) int64 {
	if r.start > r.end {
		return -1
	}
	start, n := r.start, r.end-r.start+1
	var pos int64
	// masked is a byte with the bits outside the range made not to match.
	masked := func(b, mask byte) byte {
		if bit == 1 {
			return b &^ mask
		}
		return b | mask
	}
	done := false
	if r.firstMask != 0 {
		b := masked(val[start], r.firstMask)
		if r.lastMask != 0 && n == 1 {
			b = masked(b, r.lastMask)
		}
		pos = firstBit([]byte{b}, bit)
		if n == 1 || (pos != -1 && pos != 8) {
			done = true
		} else {
			start++
			n--
		}
	}
	if !done {
		whole := n
		if r.lastMask != 0 {
			whole--
		}
		if whole > 0 {
			pos = firstBit(val[start:start+whole], bit)
			if n == whole || (pos != -1 && pos != whole<<3) {
				done = true
			} else {
				start += whole
				n -= whole
			}
		}
	}
	if !done {
		pos = firstBit([]byte{masked(val[r.end], r.lastMask)}, bit)
	}
	if endGiven && bit == 0 && pos == n<<3 {
		return -1
	}
	if pos != -1 {
		pos += start << 3
	}
	return pos
}

// firstBit is the position of the first bit equal to bit in b. No 1 bit:
// -1; no 0 bit: the bit just past b (the string is zero padded).
func firstBit(b []byte, bit byte) int64 {
	skip := byte(0)
	if bit == 0 {
		skip = 0xff
	}
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:]) != uint64(skip)*0x0101010101010101 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] != skip {
			x := b[i]
			if bit == 0 {
				x = ^x
			}
			return int64(i)*8 + int64(bits.LeadingZeros8(x))
		}
	}
	if bit == 1 {
		return -1
	}
	return int64(len(b)) * 8
}

// BITOP AND | OR | XOR | NOT destkey key [key ...]
func cmdBitOp(c *Ctx, args [][]byte) {
	var op byte
	switch name := args[1]; {
	case cKeyword(name, "and"), cKeyword(name, "or"), cKeyword(name, "xor"), cKeyword(name, "not"):
		op = name[0] | 0x20
	default:
		c.Error(ErrSyntax)
		return
	}
	if op == 'n' && len(args) != 4 {
		c.Error(errBitOpNot)
		return
	}
	srcs := make([][]byte, 0, len(args)-3)
	maxLen := 0
	for _, key := range args[3:] {
		val, _, ok := c.lookupString(key)
		if !ok {
			return
		}
		srcs = append(srcs, val)
		maxLen = max(maxLen, len(val))
	}
	dest := string(args[2])
	if maxLen == 0 {
		// An empty result deletes the destination.
		c.db.delete(dest)
		c.Int(0)
		return
	}
	res := make([]byte, maxLen)
	copy(res, srcs[0])
	switch op {
	case 'n':
		combine(res, res, func(a, _ uint64) uint64 { return ^a })
	case 'a':
		for _, src := range srcs[1:] {
			combine(res, src, func(a, b uint64) uint64 { return a & b })
			clear(res[len(src):]) // a shorter source is zero padded
		}
	case 'o':
		for _, src := range srcs[1:] {
			combine(res, src, func(a, b uint64) uint64 { return a | b })
		}
	case 'x':
		for _, src := range srcs[1:] {
			combine(res, src, func(a, b uint64) uint64 { return a ^ b })
		}
	}
	// A new value without a deadline, as Redis's setKey leaves it.
	c.put(c.db, item{key: dest, val: rawString(res), gen: c.fsm.gen})
	c.Int(int64(maxLen))
}

// combine sets dst[i] = f(dst[i], src[i]) for the bytes src has, eight
// at a time.
func combine(dst, src []byte, f func(a, b uint64) uint64) {
	i := 0
	for ; i+8 <= len(src); i += 8 {
		a, b := binary.LittleEndian.Uint64(dst[i:]), binary.LittleEndian.Uint64(src[i:])
		binary.LittleEndian.PutUint64(dst[i:], f(a, b))
	}
	for ; i < len(src); i++ {
		dst[i] = byte(f(uint64(dst[i]), uint64(src[i])))
	}
}
