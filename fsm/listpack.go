package fsm

import "encoding/binary"

// listpack is a compact sequence of byte strings in one allocation: each
// element is its length as a uvarint followed by its bytes. Small
// collections keep their elements in one, as Redis keeps them in its own
// listpack: a few bytes of overhead per element and no pointer per element
// for the garbage collector to follow. Lookups scan it, so it is only used
// for collections bounded by the encoding limits (see limits.go), or as
// the bounded chunks of a long list.
//
// A listpack is addressed by byte offsets. The functions below never keep
// a reference to the bytes they are given: callers may pass arguments of a
// log entry.
type listpack []byte

// next returns the element at off and the offset of the one after it.
// off must be the offset of an element.
func (lp listpack) next(off int) (elem []byte, after int) {
	n, w := binary.Uvarint(lp[off:])
	start := off + w
	end := start + int(n)
	return lp[start:end:end], end
}

// elemSize is the number of bytes an element of n bytes takes.
func elemSize(n int) int { return uvarintLen(uint64(n)) + n }

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// appendElems returns lp with elems appended.
func (lp listpack) appendElems(elems ...[]byte) listpack {
	for _, e := range elems {
		lp = binary.AppendUvarint(lp, uint64(len(e)))
		lp = append(lp, e...)
	}
	return lp
}

// replaceRange returns lp with the bytes [from, to) replaced by elems.
func (lp listpack) replaceRange(from, to int, elems ...[]byte) listpack {
	size := 0
	for _, e := range elems {
		size += elemSize(len(e))
	}
	delta := size - (to - from)
	if delta > 0 {
		lp = growListpack(lp, delta)
	}
	oldLen := len(lp)
	if delta > 0 {
		lp = lp[:oldLen+delta]
	}
	copy(lp[to+delta:], lp[to:oldLen])
	if delta < 0 {
		lp = lp[:oldLen+delta]
	}
	w := from
	for _, e := range elems {
		w += binary.PutUvarint(lp[w:], uint64(len(e)))
		w += copy(lp[w:], e)
	}
	return lp
}

// removeRange returns lp without the bytes [from, to).
func (lp listpack) removeRange(from, to int) listpack {
	return append(lp[:from], lp[to:]...)
}

// growListpack makes room for n more bytes, growing by about a quarter
// beyond need so that repeated small inserts stay amortized while the
// slack stays small (memory per element matters more here than in a
// general-purpose buffer).
func growListpack(lp listpack, n int) listpack {
	if cap(lp)-len(lp) >= n {
		return lp
	}
	grown := make(listpack, len(lp), len(lp)+n+len(lp)/4+8)
	copy(grown, lp)
	return grown
}
