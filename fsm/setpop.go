package fsm

import (
	"bytes"
	"cmp"
	"iter"
	"slices"
	"strconv"
)

// The canonical order of a set's members is (hash of the member, member):
// the tree's own order, the same on every node. SPOP picks by position in
// it, so that nodes holding a set in different representations (their
// limits differ) pop the same members; FSM.Digest writes sets in it. For
// the flat representations, bounded by the limits, it is computed when
// needed.

// canonOrder is the members of a flat set with their hashes. The members'
// bytes are in text: the packed set's own listpack, or the intset's
// members formatted once.
type canonOrder struct {
	text    []byte
	entries []canonEntry
}

type canonEntry struct {
	hash       uint64
	start, end int32 // the member is text[start:end]
}

// canonEntries returns the members of a flat set, not yet in order.
func (s *setValue) canonEntries() canonOrder {
	o := canonOrder{entries: make([]canonEntry, 0, s.n)}
	if s.enc == setPacked {
		o.text = s.flat
		lp := s.lp()
		for off := 0; off < len(lp); {
			m, next := lp.next(off)
			start := next - len(m)
			o.entries = append(o.entries, canonEntry{hash: keyHash(stringView(m)), start: int32(start), end: int32(next)})
			off = next
		}
		return o
	}
	o.text = make([]byte, 0, s.n*8)
	for i := range s.n {
		start := len(o.text)
		o.text = strconv.AppendInt(o.text, s.ints().at(i), 10)
		o.entries = append(o.entries, canonEntry{hash: keyHash(stringView(o.text[start:])), start: int32(start), end: int32(len(o.text))})
	}
	return o
}

func (o *canonOrder) member(e canonEntry) []byte { return o.text[e.start:e.end] }

func (o *canonOrder) cmp(a, b canonEntry) int {
	if a.hash != b.hash {
		return cmp.Compare(a.hash, b.hash)
	}
	return bytes.Compare(o.member(a), o.member(b))
}

func (o *canonOrder) sort() { slices.SortFunc(o.entries, o.cmp) }

// nth returns the i-th entry in canonical order, in O(n) (a quickselect;
// it reorders the entries).
func (o *canonOrder) nth(i int) canonEntry {
	es := o.entries
	for len(es) > 1 {
		// Median of three as the pivot: deterministic, and good on the
		// hash order, which is already random.
		a, b, c := es[0], es[len(es)/2], es[len(es)-1]
		pivot := b
		if (o.cmp(a, b) < 0) != (o.cmp(a, c) < 0) {
			pivot = a
		} else if (o.cmp(c, a) < 0) != (o.cmp(c, b) < 0) {
			pivot = c
		}
		// Three-way partition: less, equal, greater.
		lt, gt := 0, len(es)
		for j := 0; j < gt; {
			switch d := o.cmp(es[j], pivot); {
			case d < 0:
				es[lt], es[j] = es[j], es[lt]
				lt++
				j++
			case d > 0:
				gt--
				es[gt], es[j] = es[j], es[gt]
			default:
				j++
			}
		}
		switch {
		case i < lt:
			es = es[:lt]
		case i >= gt:
			es, i = es[gt:], i-gt
		default:
			return pivot
		}
	}
	return es[0]
}

// ordered iterates in canonical order, whatever the representation.
func (s *setValue) ordered() iter.Seq[[]byte] {
	if s.big != nil {
		return s.all()
	}
	o := s.canonEntries()
	o.sort()
	return func(yield func([]byte) bool) {
		for _, e := range o.entries {
			if !yield(o.member(e)) {
				return
			}
		}
	}
}

// pop removes count members (count < s.n), each the pick(n)-th of the n
// members left, in canonical order, and hands each to emit before the
// next. The bytes emit gets are only valid during the call.
func (s *setValue) pop(count int, pick func(n int) int, emit func(m []byte)) {
	if s.big != nil {
		for range count {
			e, _ := s.big.DeleteAt(pick(s.n))
			s.n--
			s.data -= len(e.member)
			emit(bytesView(e.member))
		}
		return
	}
	o := s.canonEntries()
	popped := make([]canonEntry, 0, count)
	if count == 1 {
		popped = append(popped, o.nth(pick(s.n)))
	} else {
		o.sort()
		left := o.entries
		for range count {
			i := pick(len(left))
			popped = append(popped, left[i])
			left = slices.Delete(left, i, i+1)
		}
	}
	for _, e := range popped {
		emit(o.member(e))
	}
	s.removePopped(&o, popped)
}

// removePopped removes members of a flat set that pop picked, in one pass.
func (s *setValue) removePopped(o *canonOrder, popped []canonEntry) {
	s.n -= len(popped)
	if s.n == 0 {
		s.flat = nil
		return
	}
	slices.SortFunc(popped, func(a, b canonEntry) int { return cmp.Compare(a.start, b.start) })
	if s.enc == setPacked {
		// The entries point into the listpack: keep what lies between
		// the popped elements.
		lp := make(listpack, 0, len(s.flat))
		from := 0
		for _, e := range popped {
			elemStart := int(e.start) - uvarintLen(uint64(e.end-e.start))
			lp = append(lp, s.flat[from:elemStart]...)
			from = int(e.end)
		}
		s.flat = slices.Clip(append(lp, s.flat[from:]...))
		return
	}
	// The entries follow the intset's order, so the popped values come
	// in ascending order too: one merge pass skips them.
	vals := make([]int64, len(popped))
	for i, e := range popped {
		vals[i], _ = parseInt(o.member(e))
	}
	ints, kept, next := s.ints(), 0, 0
	for i := range ints.len() {
		v := ints.at(i)
		if next < len(vals) && vals[next] == v {
			next++
			continue
		}
		ints.put(kept, v)
		kept++
	}
	s.flat = ints[:1+kept*ints.width()]
}
