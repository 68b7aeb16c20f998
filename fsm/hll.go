package fsm

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// HyperLogLog values in Redis's own encoding, so that a value moves between
// raftis and redis-server with GET and SET, or in an RDB file, and counts
// the same on both.
//
// A value is a string: a 16-byte header, "HYLL", the encoding (0 dense, 1
// sparse), three zero bytes and the cached cardinality (8 bytes, little
// endian; the top bit of the last byte set means "not valid"), then the
// 16384 6-bit registers. Dense: the registers packed, least significant
// bits first, 12288 bytes. Sparse: run-length opcodes,
//
//	00xxxxxx          ZERO: xxxxxx+1 registers at 0 (1..64)
//	01xxxxxx yyyyyyyy XZERO: xxxxxxyyyyyyyy+1 registers at 0 (1..16384)
//	1vvvvvxx          VAL: xx+1 registers at vvvvv+1 (1..4 registers, 1..32)
//
// A new HLL is sparse. It turns dense for good when a register needs a
// value above 32, or when an update would take the sparse form past
// hll-sparse-max-bytes (3000, Redis's default).
const (
	hllP              = 14                                  // register index bits
	hllQ              = 64 - hllP                           // hash bits for the run of zeros
	hllRegisters      = 1 << hllP                           // 16384
	hllBits           = 6                                   // bits per register
	hllRegisterMax    = 1<<hllBits - 1                      // 63
	hllHdrSize        = 16                                  // "HYLL", encoding, 3 unused, 8 cache
	hllDenseSize      = hllHdrSize + hllRegisters*hllBits/8 // 12304
	hllDense          = 0
	hllSparse         = 1
	hllSparseMaxBytes = 3000
	hllSeed           = 0xadc83b19

	hllSparseValMax  = 32 // largest value a VAL opcode holds
	hllSparseValLen  = 4  // most registers one VAL opcode covers
	hllSparseZeroMax = 64 // most registers one ZERO opcode covers

	hllCacheInvalid = 0x80 // in the last byte of the cached cardinality
	hllAlphaInf     = 0.721347520444481703680
)

// isHLL reports whether s looks like an HLL to Redis: magic, a known
// encoding, and the exact size if dense. A sparse body is checked only
// when it is read.
func isHLL(s []byte) bool {
	return len(s) >= hllHdrSize && string(s[:4]) == "HYLL" && s[4] <= hllSparse &&
		(s[4] != hllDense || len(s) == hllDenseSize)
}

// newHLL returns an empty HLL: sparse, one XZERO over every register, a
// valid cached cardinality of 0.
func newHLL() []byte {
	s := make([]byte, hllHdrSize+2, 64)
	copy(s, "HYLL")
	s[4] = hllSparse
	s[hllHdrSize] = 0x40 | (hllRegisters-1)>>8
	s[hllHdrSize+1] = (hllRegisters - 1) & 0xff
	return s
}

// hllCachedCard returns the cached cardinality, if valid.
func hllCachedCard(s []byte) (uint64, bool) {
	return binary.LittleEndian.Uint64(s[8:16]), s[15]&hllCacheInvalid == 0
}

func hllInvalidateCache(s []byte) { s[15] |= hllCacheInvalid }

// murmurHash64A is MurmurHash2, 64-bit version, reading 8-byte blocks as
// little endian on every platform, as Redis's does.
func murmurHash64A(key []byte, seed uint32) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := uint64(seed) ^ uint64(len(key))*m
	for len(key) >= 8 {
		k := binary.LittleEndian.Uint64(key)
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
		key = key[8:]
	}
	if len(key) > 0 {
		for i := len(key) - 1; i >= 0; i-- {
			h ^= uint64(key[i]) << (8 * i)
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// hllPatLen hashes an element to its register and the length of the run
// of zeros (plus one) that follows the register bits.
func hllPatLen(ele []byte) (index int, count uint8) {
	hash := murmurHash64A(ele, hllSeed)
	index = int(hash & (hllRegisters - 1))
	hash >>= hllP
	hash |= 1 << hllQ // the run ends within Q+1
	return index, uint8(bits.TrailingZeros64(hash) + 1)
}

// Dense registers. regs is the body after the header; the last register
// ends inside the last byte, and a byte past the end reads as zero (Redis
// reads its string's NUL terminator there).

func hllDenseGet(regs []byte, i int) uint8 {
	b, fb := i*hllBits/8, uint(i*hllBits&7)
	b0 := uint(regs[b])
	var b1 uint
	if b+1 < len(regs) {
		b1 = uint(regs[b+1])
	}
	return uint8((b0>>fb | b1<<(8-fb)) & hllRegisterMax)
}

func hllDenseSet(regs []byte, i int, v uint8) {
	b, fb := i*hllBits/8, uint(i*hllBits&7)
	regs[b] &^= byte(hllRegisterMax << fb)
	regs[b] |= v << fb
	if b+1 < len(regs) {
		regs[b+1] &^= byte(hllRegisterMax >> (8 - fb))
		regs[b+1] |= v >> (8 - fb)
	}
}

// hllDenseRaise sets register i to count if that is higher, and reports
// whether it did.
func hllDenseRaise(regs []byte, i int, count uint8) bool {
	if count > hllDenseGet(regs, i) {
		hllDenseSet(regs, i, count)
		return true
	}
	return false
}

// Sparse opcodes.

func hllIsZero(op byte) bool  { return op&0xc0 == 0 }
func hllIsXZero(op byte) bool { return op&0xc0 == 0x40 }
func hllIsVal(op byte) bool   { return op&0x80 != 0 }

func hllValValue(op byte) uint8 { return (op>>2)&0x1f + 1 }
func hllValLen(op byte) int     { return int(op&3) + 1 }
func hllZeroLen(op byte) int    { return int(op&0x3f) + 1 }

// hllXZeroLen reads an XZERO at s[p]; a second byte past the end reads as
// zero, as in Redis.
func hllXZeroLen(s []byte, p int) int {
	var lo byte
	if p+1 < len(s) {
		lo = s[p+1]
	}
	return (int(s[p]&0x3f)<<8 | int(lo)) + 1
}

func hllVal(v uint8, n int) byte { return (v-1)<<2 | byte(n-1) | 0x80 }

// hllZeros appends the shortest opcode for n zero registers.
func hllZeros(seq []byte, n int) []byte {
	if n > hllSparseZeroMax {
		return append(seq, 0x40|byte((n-1)>>8), byte(n-1))
	}
	return append(seq, byte(n-1))
}

// hllSparseToDense returns the dense form of the sparse HLL s (the header,
// cached cardinality included, is kept), or false if its opcodes do not
// cover exactly the 16384 registers. A dense s is returned as is.
func hllSparseToDense(s []byte) ([]byte, bool) {
	if s[4] == hllDense {
		return s, true
	}
	dense := make([]byte, hllDenseSize)
	copy(dense, s[:hllHdrSize])
	dense[4] = hllDense
	regs := dense[hllHdrSize:]
	idx := 0
	for p := hllHdrSize; p < len(s); {
		op := s[p]
		if hllIsVal(op) {
			n, v := hllValLen(op), hllValValue(op)
			if idx+n > hllRegisters {
				return s, false
			}
			for range n {
				hllDenseSet(regs, idx, v)
				idx++
			}
			p++
			continue
		}
		n, oplen := hllZeroRun(s, p)
		idx += n
		p += oplen
	}
	if idx != hllRegisters {
		return s, false
	}
	return dense, true
}

// hllZeroRun reads the ZERO or XZERO opcode at s[p]: the registers it
// covers and its length in bytes.
func hllZeroRun(s []byte, p int) (n, oplen int) {
	if hllIsXZero(s[p]) {
		return hllXZeroLen(s, p), 2
	}
	return hllZeroLen(s[p]), 1
}

// hllSparseSet raises register index of the sparse HLL s to count, as
// Redis's hllSparseSet does, opcode for opcode: the result is byte for
// byte what Redis would hold. It returns the HLL (grown, moved, or
// promoted to dense) and 1 if a register changed, 0 if not, -1 if s is
// corrupt (then s is unchanged).
func hllSparseSet(s []byte, index int, count uint8) ([]byte, int) {
	if count > hllSparseValMax {
		return hllPromote(s, index, count)
	}
	// Find the opcode that covers the register.
	p, end := hllHdrSize, len(s)
	first, span, prev := 0, 0, -1
	for p < end {
		oplen := 1
		switch op := s[p]; {
		case hllIsZero(op):
			span = hllZeroLen(op)
		case hllIsVal(op):
			span = hllValLen(op)
		default:
			span = hllXZeroLen(s, p)
			oplen = 2
		}
		if index <= first+span-1 {
			break
		}
		prev = p
		p += oplen
		first += span
	}
	if span == 0 || p >= end {
		return s, -1
	}
	op := s[p]
	oldLen := 1
	if hllIsXZero(op) {
		oldLen = 2
	}
	next := p + oldLen
	if next >= end {
		next = -1
	}
	switch {
	case hllIsVal(op) && hllValValue(op) >= count:
		return s, 0
	case hllIsVal(op) && span == 1, hllIsZero(op) && span == 1:
		s[p] = hllVal(count, 1)
	default:
		// Split the opcode into up to three: before, the register, after.
		var buf [5]byte
		seq := buf[:0]
		last := first + span - 1
		if hllIsVal(op) {
			v := hllValValue(op)
			if index != first {
				seq = append(seq, hllVal(v, index-first))
			}
			seq = append(seq, hllVal(count, 1))
			if index != last {
				seq = append(seq, hllVal(v, last-index))
			}
		} else {
			if index != first {
				seq = hllZeros(seq, index-first)
			}
			seq = append(seq, hllVal(count, 1))
			if index != last {
				seq = hllZeros(seq, last-index)
			}
		}
		delta := len(seq) - oldLen
		if delta > 0 && len(s)+delta > hllSparseMaxBytes {
			return hllPromote(s, index, count)
		}
		if delta > 0 {
			s = append(s, make([]byte, delta)...)
		}
		if delta != 0 && next >= 0 {
			copy(s[next+delta:], s[next:end])
		}
		end += delta
		s = s[:end]
		copy(s[p:], seq)
	}
	s = hllMergeVals(s, max(prev, hllHdrSize))
	hllInvalidateCache(s)
	return s, 1
}

// hllMergeVals merges adjacent VAL opcodes of the same value, scanning at
// most 5 opcodes from p, as Redis does after an update.
func hllMergeVals(s []byte, p int) []byte {
	for scan := 5; p < len(s) && scan > 0; scan-- {
		switch op := s[p]; {
		case hllIsXZero(op):
			p += 2
			continue
		case hllIsZero(op):
			p++
			continue
		}
		if p+1 < len(s) && hllIsVal(s[p+1]) {
			v := hllValValue(s[p])
			if n := hllValLen(s[p]) + hllValLen(s[p+1]); v == hllValValue(s[p+1]) && n <= hllSparseValLen {
				s[p+1] = hllVal(v, n)
				copy(s[p:], s[p+1:])
				s = s[:len(s)-1]
				// Try the merged opcode with the next one.
				continue
			}
		}
		p++
	}
	return s
}

// hllPromote turns s dense and raises the register there.
func hllPromote(s []byte, index int, count uint8) ([]byte, int) {
	dense, ok := hllSparseToDense(s)
	if !ok {
		return s, -1
	}
	hllDenseRaise(dense[hllHdrSize:], index, count)
	return dense, 1
}

// hllAdd adds an element to the HLL s (dense or sparse) and returns it
// with 1 if a register changed, 0 if not, -1 if s is corrupt.
func hllAdd(s []byte, ele []byte) ([]byte, int) {
	index, count := hllPatLen(ele)
	switch s[4] {
	case hllDense:
		if hllDenseRaise(s[hllHdrSize:], index, count) {
			return s, 1
		}
		return s, 0
	case hllSparse:
		return hllSparseSet(s, index, count)
	}
	return s, -1
}

// hllMerge raises each of regs (one byte per register) to the HLL's
// register, false if s is a corrupt sparse HLL.
func hllMerge(regs *[hllRegisters]uint8, s []byte) bool {
	if s[4] == hllDense {
		// 16 registers (12 bytes) at a time.
		body := s[hllHdrSize:]
		for i := 0; i < hllRegisters; i += 16 {
			r := body[i*hllBits/8:][:12:12]
			m := regs[i : i+16 : i+16]
			m[0] = max(m[0], r[0]&63)
			m[1] = max(m[1], (r[0]>>6|r[1]<<2)&63)
			m[2] = max(m[2], (r[1]>>4|r[2]<<4)&63)
			m[3] = max(m[3], r[2]>>2&63)
			m[4] = max(m[4], r[3]&63)
			m[5] = max(m[5], (r[3]>>6|r[4]<<2)&63)
			m[6] = max(m[6], (r[4]>>4|r[5]<<4)&63)
			m[7] = max(m[7], r[5]>>2&63)
			m[8] = max(m[8], r[6]&63)
			m[9] = max(m[9], (r[6]>>6|r[7]<<2)&63)
			m[10] = max(m[10], (r[7]>>4|r[8]<<4)&63)
			m[11] = max(m[11], r[8]>>2&63)
			m[12] = max(m[12], r[9]&63)
			m[13] = max(m[13], (r[9]>>6|r[10]<<2)&63)
			m[14] = max(m[14], (r[10]>>4|r[11]<<4)&63)
			m[15] = max(m[15], r[11]>>2&63)
		}
		return true
	}
	i := 0
	for p := hllHdrSize; p < len(s); {
		op := s[p]
		if hllIsVal(op) {
			n, v := hllValLen(op), hllValValue(op)
			if i+n > hllRegisters {
				return false
			}
			for range n {
				regs[i] = max(regs[i], v)
				i++
			}
			p++
			continue
		}
		n, oplen := hllZeroRun(s, p)
		i += n
		p += oplen
	}
	return i == hllRegisters
}

// hllHisto is how many registers hold each value.
type hllHisto [64]int

// hllCount estimates the cardinality of the HLL s; false if it is a
// corrupt sparse HLL.
func hllCount(s []byte) (uint64, bool) {
	var h hllHisto
	if s[4] == hllDense {
		h.addDense(s[hllHdrSize:])
		return h.estimate(), true
	}
	idx := 0
	for p := hllHdrSize; p < len(s); {
		op := s[p]
		if hllIsVal(op) {
			n := hllValLen(op)
			idx += n
			h[hllValValue(op)] += n
			p++
			continue
		}
		n, oplen := hllZeroRun(s, p)
		idx += n
		h[0] += n
		p += oplen
	}
	return h.estimate(), idx == hllRegisters
}

// addDense counts the registers of a dense body, 16 registers (12 bytes)
// at a time.
func (h *hllHisto) addDense(regs []byte) {
	for len(regs) >= 12 {
		r := regs[:12:12]
		h[r[0]&63]++
		h[(r[0]>>6|r[1]<<2)&63]++
		h[(r[1]>>4|r[2]<<4)&63]++
		h[(r[2]>>2)&63]++
		h[r[3]&63]++
		h[(r[3]>>6|r[4]<<2)&63]++
		h[(r[4]>>4|r[5]<<4)&63]++
		h[(r[5]>>2)&63]++
		h[r[6]&63]++
		h[(r[6]>>6|r[7]<<2)&63]++
		h[(r[7]>>4|r[8]<<4)&63]++
		h[(r[8]>>2)&63]++
		h[r[9]&63]++
		h[(r[9]>>6|r[10]<<2)&63]++
		h[(r[10]>>4|r[11]<<4)&63]++
		h[(r[11]>>2)&63]++
		regs = regs[12:]
	}
}

// addRaw counts registers held one per byte.
func (h *hllHisto) addRaw(regs *[hllRegisters]uint8) {
	for _, v := range regs {
		h[v&63]++
	}
}

// estimate is the cardinality estimate of Otmar Ertl's "New cardinality
// estimation algorithms for HyperLogLog sketches" (arXiv:1702.01284), in
// the same double-precision steps as Redis, so the results are equal.
func (h *hllHisto) estimate() uint64 {
	const m = float64(hllRegisters)
	z := m * hllTau((m-float64(h[hllQ+1]))/m)
	for j := hllQ; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += m * hllSigma(float64(h[0])/m)
	e := math.Round(hllAlphaInf * m * m / z)
	if !(e < 1<<63) {
		// Registers no real hash sets (all above 50) give an estimate too
		// large for llroundl, which then answers LLONG_MIN on x86-64; Redis
		// replies it as -2^63. Go's own conversion would depend on the
		// platform.
		return 1 << 63
	}
	return uint64(e)
}

func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += float64(x * y)
		y += y
		if prev == z {
			return z
		}
	}
}

func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		d := 1 - x
		z -= float64(d*d) * y
		if prev == z {
			return z / 3
		}
	}
}
