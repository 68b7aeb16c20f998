package fsm

import (
	"iter"
	"slices"
	"sync/atomic"

	"github.com/raftis/raftis/fsm/rdb"
)

// listValue is a Redis list, kept as Redis 7.0 keeps every list: a
// quicklist, a sequence of chunks each holding up to a bounded number of
// elements or bytes (list-max-listpack-size, fixed when the list is
// created, as in Redis) packed into one buffer (listchunk.go).
//
// The chunk pointers sit in a deque: ring[lo:hi], with free slots at both
// ends, so a push at either end never shifts the array. Finding element i
// walks the chunk counts from the nearer end, then the entries of one
// chunk: O(chunks) + O(chunk).
//
// Chunks are shared copy-on-write between a list and its clones: each
// chunk records the id of the list that owns it, clone gives both lists
// new ids, and a list copies a chunk it does not own before changing it
// (writableChunk). So a snapshot or COPY costs a copy of the chunk
// pointers, and a later change copies only the chunks it touches.
//
// Invariants, restored by every change (checkInvariants in the tests):
//   - no chunk is empty, and count is the sum of the chunks' counts;
//   - every chunk fits the list's limit (fits), or holds one element;
//   - no two neighbouring chunks fit the limit together: they could not be
//     merged. So on average a chunk is more than half full, and a list
//     never degrades into many small chunks, whatever mix of pushes, pops,
//     inserts and removals built it. Redis merges only after LINSERT; here
//     every change that shrinks or splits a chunk merges it with a
//     neighbour when both fit in one.
type listValue struct {
	ring   []*chunk
	lo, hi int
	count  int
	mem    int // Σ chunk.mem() over the chunks
	owner  uint64
	fill   int32 // list-max-listpack-size when the list was created
}

// Limits on chunks, as Redis's quicklist applies them.
const (
	listFillMax    = 1<<15 - 1 // largest element count per chunk
	listSafetySize = 8192      // bytes a count-limited chunk may not pass
	listHeader     = 80        // the listValue itself
)

// listSizeLevels are the chunk byte limits of list-max-listpack-size -1
// to -5.
var listSizeLevels = [...]int{4096, 8192, 16384, 32768, 65536}

// listOwners hands out ownership ids (see listValue).
var listOwners atomic.Uint64

func newListOwner() uint64 { return listOwners.Add(1) }

// newList returns an empty list whose chunks follow fill, a
// list-max-listpack-size value (clamped as Redis clamps it).
func newList(fill int64) *listValue {
	fill = min(max(fill, -int64(len(listSizeLevels))), listFillMax)
	return &listValue{owner: newListOwner(), fill: int32(fill)}
}

func (*listValue) Type() string         { return "list" }
func (*listValue) Encoding() string     { return "quicklist" }
func (l *listValue) length() int        { return l.count }
func (l *listValue) nchunks() int       { return l.hi - l.lo }
func (l *listValue) chunk(i int) *chunk { return l.ring[l.lo+i] }

func (l *listValue) memSize() int { return listHeader + 8*cap(l.ring) + l.mem }

// clone shares the chunks: both lists get new owner ids, so each copies a
// chunk before it changes it.
func (l *listValue) clone() Value {
	c := &listValue{count: l.count, mem: l.mem, fill: l.fill, owner: newListOwner()}
	c.ring = slices.Clone(l.ring[l.lo:l.hi])
	c.lo, c.hi = 0, len(c.ring)
	l.owner = newListOwner()
	return c
}

func (l *listValue) writeRDB(w *rdb.Writer, key []byte, expireAtMs int64, _ bool) error {
	return w.WriteList(key, expireAtMs, l.count, l.elements())
}

// listFromRecord builds a list from the elements of an RDB record.
func listFromRecord(lim *Limits, elems [][]byte) *listValue {
	l := newList(lim.ListMaxListpackSize)
	for _, e := range elems {
		l.pushBack(e)
	}
	return l
}

// chunkBytes is the most bytes a chunk of several elements may hold.
func (l *listValue) chunkBytes() int {
	if l.fill < 0 {
		return listSizeLevels[-l.fill-1]
	}
	return listSafetySize
}

// fits reports whether a chunk of n elements and size bytes is within the
// list's limit. A single element always fits.
func (l *listValue) fits(n, size int) bool {
	if n <= 1 {
		return true
	}
	if l.fill < 0 {
		return size <= l.chunkBytes()
	}
	return n <= int(l.fill) && size <= listSafetySize
}

// growth is the extra room to give a chunk of size bytes that needs need
// more: about its size (so repeated pushes are amortized O(1)), at least
// a few bytes, and never past the chunk limit.
func (l *listValue) growth(size, need int) int {
	return max(0, min(max(size, 16), l.chunkBytes()-size-need))
}

// writableChunk returns chunk i, owned by l, with at least front bytes of
// room before its entries and back bytes after them. A chunk l does not
// own is copied; a chunk without the room is moved to a bigger buffer,
// with extra room on the side that lacked it when grow is set.
func (l *listValue) writableChunk(i, front, back int, grow bool) *chunk {
	ch := l.chunk(i)
	owned := ch.owner == l.owner
	curFront, curBack := int(ch.off), cap(ch.buf)-len(ch.buf)
	if owned && curFront >= front && curBack >= back {
		return ch
	}
	size := ch.size()
	f, b := front, back
	if owned {
		f, b = max(f, curFront), max(b, curBack)
	}
	if grow && curFront < front {
		f += l.growth(size, front)
	}
	if grow && curBack < back {
		b += l.growth(size, back)
	}
	// Size classes round the allocation up: the spare bytes go to the
	// front unless the back is what grows.
	nb := slices.Grow([]byte(nil), f+size+b)
	if grow && curBack < back {
		nb = nb[:f+size]
	} else {
		nb = nb[:cap(nb)-b]
	}
	copy(nb[len(nb)-size:], ch.data())
	nc := ch
	if !owned {
		nc = &chunk{n: ch.n, owner: l.owner}
		l.ring[l.lo+i] = nc
	}
	l.mem += cap(nb) - cap(ch.buf)
	nc.buf, nc.off = nb, int32(len(nb)-size)
	return nc
}

// newChunk returns an owned chunk holding e, with room for more on the
// front or the back.
func (l *listValue) newChunk(e []byte, front bool) *chunk {
	s := entrySize(len(e))
	room := l.growth(0, s)
	nb := slices.Grow([]byte(nil), s+room)
	ch := &chunk{n: 1, owner: l.owner}
	if front {
		nb = nb[:cap(nb)]
		ch.off = int32(len(nb) - s)
	} else {
		nb = nb[:s]
	}
	putEntry(nb[ch.off:], e)
	ch.buf = nb
	return ch
}

// seal trims the spare room of chunk i once the list has grown past it,
// so that full chunks do not keep the room their growth left.
func (l *listValue) seal(i int) {
	ch := l.chunk(i)
	if ch.owner != l.owner || cap(ch.buf)-ch.size() <= ch.size()/8+16 {
		return
	}
	nb := slices.Clone(ch.data())
	l.mem += cap(nb) - cap(ch.buf)
	ch.buf, ch.off = nb, 0
}

// insertChunk puts ch at position i of the deque. At either end it uses
// the free slots there; in the middle it shifts the shorter side that has
// room; when there is none the array is reallocated with room at both
// ends, so pushes stay amortized O(1).
func (l *listValue) insertChunk(i int, ch *chunk) {
	n := l.nchunks()
	front, back := l.lo > 0, l.hi < len(l.ring)
	switch {
	case i == 0 && front:
		l.lo--
	case i == n && back:
		l.hi++
	case i > 0 && i < n && back && (i >= n/2 || !front):
		copy(l.ring[l.lo+i+1:l.hi+1], l.ring[l.lo+i:l.hi])
		l.hi++
	case i > 0 && i < n && front:
		copy(l.ring[l.lo-1:], l.ring[l.lo:l.lo+i])
		l.lo--
	default:
		l.resizeRing(n + 1)
		l.insertChunk(i, ch)
		return
	}
	l.ring[l.lo+i] = ch
	l.mem += ch.mem()
}

// resizeRing moves the chunk pointers to a new array with room for need
// of them and free slots at both ends.
func (l *listValue) resizeRing(need int) {
	n := l.nchunks()
	size := max(2*need, 4)
	if n == 0 && need == 1 {
		size = 1 // most lists are one chunk
	}
	ring := make([]*chunk, size)
	lo := (size - n) / 2
	copy(ring[lo:], l.ring[l.lo:l.hi])
	l.ring, l.lo, l.hi = ring, lo, lo+n
}

// dropChunks removes chunks [i, j) from the deque.
func (l *listValue) dropChunks(i, j int) {
	n, k := l.nchunks(), j-i
	if k <= 0 {
		return
	}
	for _, ch := range l.ring[l.lo+i : l.lo+j] {
		l.mem -= ch.mem()
	}
	switch {
	case i == 0:
	case j == n:
		clear(l.ring[l.lo+i : l.hi])
		l.hi -= k
		l.shrinkRing()
		return
	case i < n-j:
		copy(l.ring[l.lo+k:l.lo+j], l.ring[l.lo:l.lo+i])
	default:
		copy(l.ring[l.lo+i:], l.ring[l.lo+j:l.hi])
		clear(l.ring[l.hi-k : l.hi])
		l.hi -= k
		l.shrinkRing()
		return
	}
	clear(l.ring[l.lo : l.lo+k])
	l.lo += k
	l.shrinkRing()
}

// shrinkRing gives back a chunk array much larger than the list needs.
func (l *listValue) shrinkRing() {
	if n := l.nchunks(); len(l.ring) > 16 && len(l.ring) > 4*n {
		l.resizeRing(n)
	}
}

// pushFront adds e before the first element.
func (l *listValue) pushFront(e []byte) {
	s := entrySize(len(e))
	if l.nchunks() > 0 {
		if h := l.chunk(0); l.fits(int(h.n)+1, h.size()+s) {
			h = l.writableChunk(0, s, 0, true)
			h.off -= int32(s)
			putEntry(h.data(), e)
			h.n++
			l.count++
			return
		}
		l.seal(0)
	}
	l.insertChunk(0, l.newChunk(e, true))
	l.count++
}

// pushBack adds e after the last element.
func (l *listValue) pushBack(e []byte) {
	s := entrySize(len(e))
	if n := l.nchunks(); n > 0 {
		if t := l.chunk(n - 1); l.fits(int(t.n)+1, t.size()+s) {
			t = l.writableChunk(n-1, 0, s, true)
			end := len(t.buf)
			t.buf = t.buf[:end+s]
			putEntry(t.buf[end:], e)
			t.n++
			l.count++
			return
		}
		l.seal(n - 1)
	}
	l.insertChunk(l.nchunks(), l.newChunk(e, false))
	l.count++
}

// push adds e at the head (left) or the tail.
func (l *listValue) push(e []byte, left bool) {
	if left {
		l.pushFront(e)
	} else {
		l.pushBack(e)
	}
}

// end returns the first (left) or last element of a non-empty list.
func (l *listValue) end(left bool) []byte {
	idx := int64(-1)
	if left {
		idx = 0
	}
	e, _, _ := l.get(idx)
	return e
}

// popN removes n elements from the head (left) or the tail.
func (l *listValue) popN(left bool, n int) {
	if left {
		l.deleteRange(0, n)
	} else {
		l.deleteRange(l.count-n, n)
	}
}

// locate returns the chunk holding element idx (0 <= idx < count) and
// the element's index in it, counting from the nearer end of the list.
func (l *listValue) locate(idx int) (ci, k int) {
	if idx < l.count/2 {
		for ci = 0; ; ci++ {
			n := int(l.chunk(ci).n)
			if idx < n {
				return ci, idx
			}
			idx -= n
		}
	}
	rem := l.count - idx // 1 for the last element
	for ci = l.nchunks() - 1; ; ci-- {
		n := int(l.chunk(ci).n)
		if rem <= n {
			return ci, n - rem
		}
		rem -= n
	}
}

// listPos is where an element's entry is: chunk ci, at byte off.
type listPos struct{ ci, off int }

// get returns element idx; ok is false when idx is out of range. A
// negative idx counts from the tail (-1 is the last element).
func (l *listValue) get(idx int64) (elem []byte, pos listPos, ok bool) {
	if idx < 0 {
		idx += int64(l.count)
	}
	if idx < 0 || idx >= int64(l.count) {
		return nil, listPos{}, false
	}
	ci, k := l.locate(int(idx))
	ch := l.chunk(ci)
	off := ch.offsetOf(k)
	elem, _ = entryAt(ch.data(), off)
	return elem, listPos{ci, off}, true
}

// ascend iterates from element from towards the tail, with each
// element's position. The list must not change during the iteration.
func (l *listValue) ascend(from int) iter.Seq2[listPos, []byte] {
	return func(yield func(listPos, []byte) bool) {
		if from >= l.count {
			return
		}
		ci, k := l.locate(from)
		off := l.chunk(ci).offsetOf(k)
		for ; ci < l.nchunks(); ci, off = ci+1, 0 {
			data := l.chunk(ci).data()
			for off < len(data) {
				e, next := entryAt(data, off)
				if !yield(listPos{ci, off}, e) {
					return
				}
				off = next
			}
		}
	}
}

// descend iterates from element from towards the head, with each
// element's position. The list must not change during the iteration.
func (l *listValue) descend(from int) iter.Seq2[listPos, []byte] {
	return func(yield func(listPos, []byte) bool) {
		if from < 0 || from >= l.count {
			return
		}
		ci, k := l.locate(from)
		end := l.chunk(ci).offsetOf(k + 1)
		for ; ci >= 0; ci-- {
			data := l.chunk(ci).data()
			if end < 0 {
				end = len(data)
			}
			for end > 0 {
				e, start := entryBefore(data, end)
				if !yield(listPos{ci, start}, e) {
					return
				}
				end = start
			}
			end = -1
		}
	}
}

// elements iterates over every element, head to tail.
func (l *listValue) elements() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for _, e := range l.ascend(0) {
			if !yield(e) {
				return
			}
		}
	}
}

// deleteRange removes count elements from index start on. The range must
// be within the list.
func (l *listValue) deleteRange(start, count int) {
	if count <= 0 {
		return
	}
	ci, k := l.locate(start)
	l.count -= count
	first := ci
	if ch := l.chunk(ci); k > 0 || count < int(ch.n) {
		del := min(count, int(ch.n)-k)
		l.deleteInChunk(ci, k, del)
		count -= del
		ci++
	}
	j := ci
	for count > 0 && j < l.nchunks() && int(l.chunk(j).n) <= count {
		count -= int(l.chunk(j).n)
		j++
	}
	l.dropChunks(ci, j)
	if count > 0 {
		l.deleteInChunk(ci, 0, count)
	}
	l.mergePass(first-1, first+2)
}

// deleteInChunk removes del entries from entry k of chunk ci, leaving at
// least one.
func (l *listValue) deleteInChunk(ci, k, del int) {
	ch := l.chunk(ci)
	from := ch.offsetOf(k)
	to := from
	data := ch.data()
	for range del {
		_, to = entryAt(data, to)
	}
	ch = l.writableChunk(ci, 0, 0, false)
	ch.removeBytes(from, to)
	ch.n -= int32(del)
}

// insert puts e before (or, with after, behind) the element at p and
// returns nothing; the list's invariants hold afterwards.
func (l *listValue) insert(p listPos, after bool, e []byte) {
	ch := l.chunk(p.ci)
	off := p.off
	if after {
		_, off = entryAt(ch.data(), off)
	}
	s, size := entrySize(len(e)), ch.size()
	l.count++
	if !l.fits(int(ch.n)+1, size+s) {
		// A full chunk: at its edge, a neighbour with room takes e.
		if off == 0 && p.ci > 0 {
			if prev := l.chunk(p.ci - 1); l.fits(int(prev.n)+1, prev.size()+s) {
				l.appendEntry(p.ci-1, e, s)
				return
			}
		}
		if off == size && p.ci+1 < l.nchunks() {
			if next := l.chunk(p.ci + 1); l.fits(int(next.n)+1, next.size()+s) {
				l.prependEntry(p.ci+1, e, s)
				return
			}
		}
	}
	switch off {
	case 0:
		l.prependEntry(p.ci, e, s)
	case size:
		l.appendEntry(p.ci, e, s)
	default:
		ch = l.writableChunk(p.ci, 0, s, true)
		end := len(ch.buf)
		ch.buf = ch.buf[:end+s]
		data := ch.data()
		copy(data[off+s:], data[off:size])
		putEntry(data[off:], e)
		ch.n++
	}
	pieces := l.split(p.ci)
	l.mergePass(p.ci-1, p.ci+pieces)
}

func (l *listValue) prependEntry(ci int, e []byte, s int) {
	ch := l.writableChunk(ci, s, 0, true)
	ch.off -= int32(s)
	putEntry(ch.data(), e)
	ch.n++
}

func (l *listValue) appendEntry(ci int, e []byte, s int) {
	ch := l.writableChunk(ci, 0, s, true)
	end := len(ch.buf)
	ch.buf = ch.buf[:end+s]
	putEntry(ch.buf[end:], e)
	ch.n++
}

// replace sets the element at p to e.
func (l *listValue) replace(p listPos, e []byte) {
	_, end := entryAt(l.chunk(p.ci).data(), p.off)
	s := entrySize(len(e))
	delta := s - (end - p.off)
	ch := l.writableChunk(p.ci, 0, max(delta, 0), delta > 0)
	size := ch.size()
	if delta > 0 {
		ch.buf = ch.buf[:len(ch.buf)+delta]
	}
	data := ch.data()
	copy(data[end+delta:], data[end:size])
	if delta < 0 {
		ch.buf = ch.buf[:len(ch.buf)+delta]
	}
	putEntry(data[p.off:], e)
	pieces := l.split(p.ci)
	l.mergePass(p.ci-1, p.ci+pieces)
}

// removeMatches removes the elements equal to e, at most limit of them
// (0: all), from the head or, with fromTail, from the tail, and returns
// how many it removed (LREM).
func (l *listValue) removeMatches(e []byte, limit int, fromTail bool) int {
	removed := 0
	var spans []int // start and end offsets of the entries to remove
	touchedLo, touchedHi := l.nchunks(), -1
	for step := range l.nchunks() {
		ci := step
		if fromTail {
			ci = l.nchunks() - 1 - step
		}
		spans = spans[:0]
		data := l.chunk(ci).data()
		for off := 0; off < len(data); {
			elem, next := entryAt(data, off)
			if string(elem) == string(e) {
				spans = append(spans, off, next)
			}
			off = next
		}
		k := len(spans) / 2
		if limit > 0 {
			k = min(k, limit-removed)
		}
		if k == 0 {
			continue
		}
		if fromTail {
			spans = spans[len(spans)-2*k:]
		} else {
			spans = spans[:2*k]
		}
		l.removeSpans(ci, spans)
		removed += k
		touchedLo, touchedHi = min(touchedLo, ci), max(touchedHi, ci)
		if limit > 0 && removed == limit {
			break
		}
	}
	if removed > 0 {
		l.count -= removed
		kept := l.dropEmpty(touchedLo, touchedHi+1)
		l.mergePass(touchedLo-1, touchedLo+kept)
	}
	return removed
}

// removeSpans deletes the entries at the given (start, end) offsets,
// ascending, from chunk ci, which may be left empty.
func (l *listValue) removeSpans(ci int, spans []int) {
	ch := l.writableChunk(ci, 0, 0, false)
	data := ch.data()
	w := spans[0]
	for i := 0; i < len(spans); i += 2 {
		keepTo := len(data)
		if i+2 < len(spans) {
			keepTo = spans[i+2]
		}
		w += copy(data[w:], data[spans[i+1]:keepTo])
	}
	ch.buf = ch.buf[:int(ch.off)+w]
	ch.n -= int32(len(spans) / 2)
}

// dropEmpty removes the empty chunks among [i, j) and returns how many
// of them are left.
func (l *listValue) dropEmpty(i, j int) int {
	w := i
	for r := i; r < j; r++ {
		ch := l.chunk(r)
		if ch.n == 0 {
			l.mem -= ch.mem()
			continue
		}
		l.ring[l.lo+w] = ch
		w++
	}
	if w < j {
		// Slots [w, j) now hold stale pointers: close the gap.
		k := j - w
		copy(l.ring[l.lo+w:], l.ring[l.lo+j:l.hi])
		clear(l.ring[l.hi-k : l.hi])
		l.hi -= k
		l.shrinkRing()
	}
	return w - i
}

// split cuts chunk ci, which must be owned, into chunks that fit the
// limit (or hold one element) and returns how many it became.
func (l *listValue) split(ci int) int {
	ch := l.chunk(ci)
	if l.fits(int(ch.n), ch.size()) {
		return 1
	}
	data := ch.data()
	off, k := 0, 0
	for off < len(data)/2 {
		_, off = entryAt(data, off)
		k++
	}
	if k == int(ch.n) {
		_, off = entryBefore(data, len(data))
		k--
	}
	right := &chunk{buf: slices.Clone(data[off:]), n: ch.n - int32(k), owner: l.owner}
	ch.buf = ch.buf[:int(ch.off)+off]
	ch.n = int32(k)
	l.seal(ci)
	l.insertChunk(ci+1, right)
	a := l.split(ci)
	return a + l.split(ci+a)
}

// mergeable reports whether chunks i and i+1 fit in one.
func (l *listValue) mergeable(i int) bool {
	a, b := l.chunk(i), l.chunk(i+1)
	return l.fits(int(a.n+b.n), a.size()+b.size())
}

// merge joins chunk i+1 into chunk i, copying the smaller into the larger.
func (l *listValue) merge(i int) {
	a, b := l.chunk(i), l.chunk(i+1)
	as, bs := a.size(), b.size()
	if as >= bs {
		a = l.writableChunk(i, 0, bs, false)
		a.buf = append(a.buf, b.data()...)
		a.n += b.n
		l.dropChunks(i+1, i+2)
		return
	}
	b = l.writableChunk(i+1, as, 0, false)
	b.off -= int32(as)
	copy(b.data(), a.data())
	b.n += a.n
	l.dropChunks(i, i+1)
}

// mergePass merges neighbouring chunks that fit in one, for the pairs
// whose left chunk is in [lo, hi): the pairs a change may have made
// mergeable. Chunks only grow by merging, so one pass leaves no pair
// mergeable.
func (l *listValue) mergePass(lo, hi int) {
	for k := max(lo, 0); k < hi && k+1 < l.nchunks(); {
		if l.mergeable(k) {
			l.merge(k)
			hi--
		} else {
			k++
		}
	}
}
