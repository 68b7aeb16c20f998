package fsm

import (
	"bytes"
	"encoding/binary"
	"iter"
	"math"
)

// The packed encoding of a sorted set: a listpack of member and score
// elements, ordered by (score, member). A score is its 8-byte IEEE 754
// representation, little-endian, so reading one costs no parsing. Every
// operation scans the listpack; the limits keep it short.

// scoreElemLen is the length of a score element: a 1-byte length and 8
// bytes.
const scoreElemLen = 9

// appendZEntry returns lp with member and score appended.
func (lp listpack) appendZEntry(member []byte, score float64) listpack {
	var s [8]byte
	binary.LittleEndian.PutUint64(s[:], math.Float64bits(score))
	return lp.appendElems(member, s[:])
}

// zentry returns the member and score of the entry at off, and the offset
// of the next entry.
func (lp listpack) zentry(off int) (member []byte, score float64, next int) {
	member, sOff := lp.next(off)
	next = sOff + scoreElemLen
	return member, math.Float64frombits(binary.LittleEndian.Uint64(lp[sOff+1 : next])), next
}

// lpFind returns where member's entry starts and ends, and its score.
func (z *zsetValue) lpFind(member []byte) (start int, score float64, end int, ok bool) {
	for off := 0; off < len(z.lp); {
		m, s, next := z.lp.zentry(off)
		if bytes.Equal(m, member) {
			return off, s, next, true
		}
		off = next
	}
	return 0, 0, 0, false
}

// lpInsert inserts member, which is absent, at its place in the order.
func (z *zsetValue) lpInsert(member []byte, score float64) {
	off := 0
	for off < len(z.lp) {
		m, s, next := z.lp.zentry(off)
		if s > score || (s == score && bytes.Compare(m, member) > 0) {
			break
		}
		off = next
	}
	var s [8]byte
	binary.LittleEndian.PutUint64(s[:], math.Float64bits(score))
	z.lp = z.lp.replaceRange(off, off, member, s[:])
}

// lpOffset returns the offset of the entry of rank i; the end of the
// listpack for i = n.
func (z *zsetValue) lpOffset(i int) int {
	off := 0
	for ; i > 0; i-- {
		_, _, off = z.lp.zentry(off)
	}
	return off
}

// lpAll yields the members in order.
func (z *zsetValue) lpAll() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for m := range z.lpAscend(0) {
			if !yield(m) {
				return
			}
		}
	}
}

// lpAscend yields the entries from rank i up.
func (z *zsetValue) lpAscend(i int) iter.Seq2[[]byte, float64] {
	return func(yield func([]byte, float64) bool) {
		if i >= z.n {
			return
		}
		for off := z.lpOffset(max(i, 0)); off < len(z.lp); {
			m, s, next := z.lp.zentry(off)
			if !yield(m, s) {
				return
			}
			off = next
		}
	}
}

// lpDescend yields the entries from rank i down. Entries can only be
// read forwards, so it notes their offsets first.
func (z *zsetValue) lpDescend(i int) iter.Seq2[[]byte, float64] {
	return func(yield func([]byte, float64) bool) {
		if i < 0 || z.n == 0 {
			return
		}
		i = min(i, z.n-1)
		var buf [128]int
		offs := buf[:0]
		for off := 0; len(offs) <= i; {
			offs = append(offs, off)
			_, _, off = z.lp.zentry(off)
		}
		for j := i; j >= 0; j-- {
			m, s, _ := z.lp.zentry(offs[j])
			if !yield(m, s) {
				return
			}
		}
	}
}
