package fsm

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestListEntryEncoding(t *testing.T) {
	var data []byte
	var elems [][]byte
	for _, n := range []int{0, 1, 10, 124, 125, 126, 127, 128, 129, 16380, 16381, 16382, 16383, 16384, 70000} {
		e := bytes.Repeat([]byte{byte(n)}, n)
		s := entrySize(n)
		at := len(data)
		data = append(data, make([]byte, s)...)
		if w := putEntry(data[at:], e); w != s {
			t.Fatalf("element of %d bytes: putEntry wrote %d, entrySize says %d", n, w, s)
		}
		elems = append(elems, e)
	}
	if got := entrySize(10); got != 12 {
		t.Errorf("a 10-byte element takes %d bytes, want 12 as in Redis", got)
	}
	off := 0
	for i, e := range elems {
		got, next := entryAt(data, off)
		if !bytes.Equal(got, e) {
			t.Fatalf("forward #%d: %d bytes, want %d", i, len(got), len(e))
		}
		off = next
	}
	if off != len(data) {
		t.Fatalf("forward walk ends at %d of %d", off, len(data))
	}
	end := len(data)
	for i := len(elems) - 1; i >= 0; i-- {
		got, start := entryBefore(data, end)
		if !bytes.Equal(got, elems[i]) {
			t.Fatalf("backward #%d: %d bytes, want %d", i, len(got), len(elems[i]))
		}
		end = start
	}
	if end != 0 {
		t.Fatalf("backward walk ends at %d", end)
	}
}

// checkList verifies the list's invariants (see listValue) and that it
// holds exactly want.
func checkList(t *testing.T, l *listValue, want [][]byte, after string) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("after %s: %s\n%s", after, fmt.Sprintf(format, args...), l.describe())
	}
	if l.lo < 0 || l.hi < l.lo || l.hi > len(l.ring) {
		fail("ring bounds lo %d hi %d len %d", l.lo, l.hi, len(l.ring))
	}
	for i, ch := range l.ring {
		if (i < l.lo || i >= l.hi) && ch != nil {
			fail("ring slot %d outside [%d, %d) still holds a chunk", i, l.lo, l.hi)
		}
	}
	total, mem := 0, 0
	var got [][]byte
	for i := range l.nchunks() {
		ch := l.chunk(i)
		if ch.n == 0 {
			fail("chunk %d is empty", i)
		}
		n, data := 0, ch.data()
		for off := 0; off < len(data); n++ {
			var e []byte
			e, off = entryAt(data, off)
			got = append(got, e)
		}
		if n != int(ch.n) {
			fail("chunk %d holds %d entries, says %d", i, n, ch.n)
		}
		if !l.fits(int(ch.n), ch.size()) {
			fail("chunk %d (%d elements, %d bytes) is over the limit", i, ch.n, ch.size())
		}
		if i > 0 && l.mergeable(i-1) {
			fail("chunks %d and %d could be merged", i-1, i)
		}
		total += int(ch.n)
		mem += ch.mem()
	}
	if total != l.count {
		fail("count %d, chunks hold %d", l.count, total)
	}
	if mem != l.mem {
		fail("mem %d, chunks add up to %d", l.mem, mem)
	}
	if len(got) != len(want) {
		fail("%d elements, want %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			fail("element %d is %q, want %q", i, got[i], want[i])
		}
	}
}

// describe renders the chunk layout, for failure messages.
func (l *listValue) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "fill %d, %d elements in %d chunks:", l.fill, l.count, l.nchunks())
	for i := range l.nchunks() {
		ch := l.chunk(i)
		fmt.Fprintf(&b, " [%d el %d B]", ch.n, ch.size())
	}
	return b.String()
}

// listModel is a list as a plain slice, the reference for the random tests.
type listModel [][]byte

func (m listModel) clone() listModel { return slices.Clone(m) }

// randomListOp applies one random operation to l and to the model m and
// returns the new model and a description.
//
// In a growing phase, removals are rare, so that lists reach many chunks.
func randomListOp(r *rand.Rand, l *listValue, m listModel, elem func() []byte, growing bool) (listModel, string) {
	op := r.IntN(12)
	if growing && (op == 4 || op == 5 || op == 9) && r.IntN(4) != 0 {
		op = 3
	}
	switch op {
	case 0, 1:
		e := elem()
		l.pushFront(e)
		return append(listModel{e}, m...), "pushFront"
	case 2, 3:
		e := elem()
		l.pushBack(e)
		return append(m, e), "pushBack"
	case 4:
		if len(m) == 0 {
			return m, "noop"
		}
		n := 1 + r.IntN(min(len(m), 5))
		left := r.IntN(2) == 0
		l.popN(left, n)
		if left {
			return m[n:], "popFront " + strconv.Itoa(n)
		}
		return m[:len(m)-n], "popBack " + strconv.Itoa(n)
	case 5:
		if len(m) == 0 {
			return m, "noop"
		}
		start := r.IntN(len(m))
		n := r.IntN(len(m) - start + 1)
		if r.IntN(4) != 0 {
			n = min(n, 1+r.IntN(30)) // mostly short ranges, so lists grow
		}
		l.deleteRange(start, n)
		return slices.Delete(m, start, start+n), fmt.Sprintf("deleteRange %d %d", start, n)
	case 6, 7:
		if len(m) == 0 {
			return m, "noop"
		}
		i := r.IntN(len(m))
		after := r.IntN(2) == 0
		_, pos, ok := l.get(int64(i))
		if !ok {
			panic("get failed")
		}
		e := elem()
		l.insert(pos, after, e)
		if after {
			i++
		}
		return slices.Insert(m, i, e), fmt.Sprintf("insert at %d", i)
	case 8:
		if len(m) == 0 {
			return m, "noop"
		}
		i := r.IntN(len(m))
		_, pos, _ := l.get(int64(i - len(m))) // negative index
		e := elem()
		l.replace(pos, e)
		m[i] = e
		return m, fmt.Sprintf("replace %d", i)
	case 9:
		if len(m) == 0 {
			return m, "noop"
		}
		target := m[r.IntN(len(m))]
		limit := r.IntN(4)
		fromTail := r.IntN(2) == 0
		got := l.removeMatches(target, limit, fromTail)
		var want int
		m, want = removeFromModel(m, target, limit, fromTail)
		if got != want {
			panic(fmt.Sprintf("removeMatches removed %d, model %d", got, want))
		}
		return m, fmt.Sprintf("removeMatches limit %d tail %v", limit, fromTail)
	default:
		// Check reads: get, ascend and descend from random places.
		if len(m) == 0 {
			return m, "noop"
		}
		i := r.IntN(len(m))
		if e, _, _ := l.get(int64(i)); !bytes.Equal(e, m[i]) {
			panic(fmt.Sprintf("get %d = %q, want %q", i, e, m[i]))
		}
		j := i
		for _, e := range l.ascend(i) {
			if !bytes.Equal(e, m[j]) {
				panic(fmt.Sprintf("ascend from %d: element %d is %q, want %q", i, j, e, m[j]))
			}
			j++
		}
		j = i
		for _, e := range l.descend(i) {
			if !bytes.Equal(e, m[j]) {
				panic(fmt.Sprintf("descend from %d: element %d is %q, want %q", i, j, e, m[j]))
			}
			j--
		}
		if j != -1 {
			panic(fmt.Sprintf("descend from %d stopped at %d", i, j))
		}
		return m, "reads"
	}
}

func removeFromModel(m listModel, target []byte, limit int, fromTail bool) (listModel, int) {
	removed := 0
	out := make(listModel, 0, len(m))
	if fromTail {
		for i := len(m) - 1; i >= 0; i-- {
			if bytes.Equal(m[i], target) && (limit == 0 || removed < limit) {
				removed++
				continue
			}
			out = append(out, m[i])
		}
		slices.Reverse(out)
		return out, removed
	}
	for _, e := range m {
		if bytes.Equal(e, target) && (limit == 0 || removed < limit) {
			removed++
			continue
		}
		out = append(out, e)
	}
	return out, removed
}

// TestListRandomOperations runs random operations on lists of several
// limits against a plain slice, checking contents and invariants after
// each. Clones are taken along the way and changed independently of their
// originals: each must stay equal to its own model.
func TestListRandomOperations(t *testing.T) {
	for _, fill := range []int64{0, 1, 2, 3, 5, 16, 128, -1, -2, -3, -5} {
		t.Run("fill"+strconv.FormatInt(fill, 10), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(fill+10), 7))
			// Large chunks need large elements to fill several.
			spread := 20
			if fill <= -3 {
				spread = 4
			}
			elem := func() []byte {
				switch r.IntN(spread) {
				case 0:
					return bytes.Repeat([]byte("L"), 3000+r.IntN(6000)) // near or over a chunk
				case 1:
					return nil
				case 2, 3:
					return bytes.Repeat([]byte("m"), 100+r.IntN(200))
				}
				return []byte("e" + strconv.Itoa(r.IntN(30)))
			}
			type pair struct {
				l *listValue
				m listModel
			}
			lists := []pair{{newList(fill), nil}}
			rounds := oracleRounds(t, 4000)
			maxChunks := 0
			for i := range rounds {
				k := r.IntN(len(lists))
				p := &lists[k]
				var what string
				p.m, what = randomListOp(r, p.l, p.m, elem, i/1000%2 == 0)
				checkList(t, p.l, p.m, fmt.Sprintf("round %d, list %d: %s", i, k, what))
				maxChunks = max(maxChunks, p.l.nchunks())
				if r.IntN(200) == 0 && len(lists) < 6 {
					c := p.l.clone().(*listValue)
					lists = append(lists, pair{c, p.m.clone()})
				}
			}
			for k, p := range lists {
				checkList(t, p.l, p.m, "the end, list "+strconv.Itoa(k))
			}
			if maxChunks < 5 {
				t.Errorf("the lists never had more than %d chunks: the test does not exercise merges", maxChunks)
			}
			t.Logf("%d lists, up to %d chunks", len(lists), maxChunks)
		})
	}
}

// TestListBulkDegrade builds a long list, then removes most of it from
// the middle in many ways, and checks that the chunks stay dense: no two
// neighbours could be merged, so at most 2·bytes/limit + 1 chunks.
func TestListBulkDegrade(t *testing.T) {
	l := newList(-1) // 4 KiB chunks
	var m listModel
	for i := range 20000 {
		e := []byte(strconv.Itoa(i % 10))
		l.pushBack(e)
		m = append(m, e)
	}
	// Remove every "3", then every "7" from the tail, then trim, then
	// insert in the middle.
	l.removeMatches([]byte("3"), 0, false)
	m, _ = removeFromModel(m, []byte("3"), 0, false)
	l.removeMatches([]byte("7"), 0, true)
	m, _ = removeFromModel(m, []byte("7"), 0, true)
	checkList(t, l, m, "removals")
	bytesTotal := 0
	for i := range l.nchunks() {
		bytesTotal += l.chunk(i).size()
	}
	if max := 2*bytesTotal/4096 + 1; l.nchunks() > max {
		t.Fatalf("%d chunks for %d bytes: more than %d", l.nchunks(), bytesTotal, max)
	}
	l.deleteRange(100, l.count-200)
	m = slices.Delete(m, 100, len(m)-100)
	checkList(t, l, m, "deleteRange")
	if l.nchunks() > 1 {
		t.Fatalf("200 one-byte elements in %d chunks", l.nchunks())
	}
}

// TestListCloneIndependence checks the rule every collection follows:
// after clone, the original and the copy change independently (COPY keeps
// both live), and neither copies chunks it does not change.
func TestListCloneIndependence(t *testing.T) {
	a := newList(-2)
	var ma listModel
	for i := range 5000 {
		e := []byte("v" + strconv.Itoa(i))
		a.pushBack(e)
		ma = append(ma, e)
	}
	b := a.clone().(*listValue)
	mb := ma.clone()
	shared := 0
	for i := range a.nchunks() {
		if a.chunk(i) == b.chunk(i) {
			shared++
		}
	}
	if shared != a.nchunks() {
		t.Fatalf("clone shares %d of %d chunks", shared, a.nchunks())
	}
	a.pushFront([]byte("a-head"))
	ma = append(listModel{[]byte("a-head")}, ma...)
	b.pushBack([]byte("b-tail"))
	mb = append(mb, []byte("b-tail"))
	_, pos, _ := a.get(2500)
	a.replace(pos, []byte("a-mid"))
	ma[2500] = []byte("a-mid")
	b.removeMatches([]byte("v100"), 0, false)
	mb, _ = removeFromModel(mb, []byte("v100"), 0, false)
	checkList(t, a, ma, "changing the original")
	checkList(t, b, mb, "changing the clone")
	inB := map[*chunk]bool{}
	for i := range b.nchunks() {
		inB[b.chunk(i)] = true
	}
	stillShared := 0
	for i := range a.nchunks() {
		if inB[a.chunk(i)] {
			stillShared++
		}
	}
	if stillShared < a.nchunks()-4 {
		t.Fatalf("after four small changes only %d of %d chunks are still shared", stillShared, a.nchunks())
	}
}
