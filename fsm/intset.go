package fsm

import (
	"encoding/binary"
	"math"
)

// intset is a sorted set of integers in one allocation, as Redis's intset:
// the first byte is the width of every value (2, 4 or 8 bytes, the
// smallest that holds them all), then the values in ascending order,
// little-endian. A set of small integers thus costs 2 bytes per member
// instead of 8; adding a wider value rewrites the set at the new width
// (never back, as in Redis). An empty intset is nil.
//
// Lookups are binary searches and changes move the tail, so an intset is
// only used for sets bounded by set-max-intset-entries.
type intset []byte

// intsetWidth is the width needed to store v.
func intsetWidth(v int64) int {
	switch {
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return 2
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 4
	}
	return 8
}

func (s intset) width() int {
	if len(s) == 0 {
		return 0
	}
	return int(s[0])
}

func (s intset) len() int {
	if len(s) == 0 {
		return 0
	}
	return (len(s) - 1) / int(s[0])
}

// at returns the i-th smallest value.
func (s intset) at(i int) int64 {
	w := int(s[0])
	p := s[1+i*w:]
	switch w {
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(p)))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(p)))
	}
	return int64(binary.LittleEndian.Uint64(p))
}

func (s intset) put(i int, v int64) {
	w := int(s[0])
	p := s[1+i*w:]
	switch w {
	case 2:
		binary.LittleEndian.PutUint16(p, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(p, uint32(v))
	default:
		binary.LittleEndian.PutUint64(p, uint64(v))
	}
}

// search returns v's position, or where it would be inserted.
func (s intset) search(v int64) (int, bool) {
	if len(s) == 0 || intsetWidth(v) > s.width() {
		// Wider than every value: before them all or after.
		if v < 0 {
			return 0, false
		}
		return s.len(), false
	}
	lo, hi := 0, s.len()
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch x := s.at(mid); {
		case x == v:
			return mid, true
		case x < v:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return lo, false
}

func (s intset) has(v int64) bool {
	_, ok := s.search(v)
	return ok
}

// insert returns s with v added, and whether it was not there before.
func (s intset) insert(v int64) (intset, bool) {
	i, found := s.search(v)
	if found {
		return s, false
	}
	if w := intsetWidth(v); w > s.width() {
		s = s.widen(w)
	}
	w, n := s.width(), s.len()
	s = growIntset(s, w)
	copy(s[1+(i+1)*w:], s[1+i*w:1+n*w])
	s.put(i, v)
	return s, true
}

// widen rewrites s at width w, with room for one more value.
func (s intset) widen(w int) intset {
	n := s.len()
	out := make(intset, 1+n*w, 1+(n+1)*w+(n*w)/4)
	out[0] = byte(w)
	for i := range n {
		out.put(i, s.at(i))
	}
	return out
}

// growIntset extends s by one value of width w, with about a quarter of
// slack so that repeated inserts stay amortized.
func growIntset(s intset, w int) intset {
	if cap(s)-len(s) >= w {
		return s[:len(s)+w]
	}
	grown := make(intset, len(s)+w, len(s)+w+len(s)/4+2*w)
	copy(grown, s)
	return grown
}

// remove returns s without v, and whether v was there.
func (s intset) remove(v int64) (intset, bool) {
	i, found := s.search(v)
	if !found {
		return s, false
	}
	if s.len() == 1 {
		return nil, true
	}
	w := s.width()
	s = append(s[:1+i*w], s[1+(i+1)*w:]...)
	return s, true
}
