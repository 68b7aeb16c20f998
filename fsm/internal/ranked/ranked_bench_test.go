package ranked

import (
	"cmp"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"unsafe"
)

// zitem is a sorted-set member as the state machine will store it: 24 bytes.
type zitem struct {
	score  float64
	member string
}

func cmpZ(a, b zitem) int {
	if c := cmp.Compare(a.score, b.score); c != 0 {
		return c
	}
	return cmp.Compare(a.member, b.member)
}

// hitem is a hash field ordered by the hash of its name: 40 bytes.
type hitem struct {
	hash         uint64
	field, value string
}

func cmpH(a, b hitem) int {
	if c := cmp.Compare(a.hash, b.hash); c != 0 {
		return c
	}
	return cmp.Compare(a.field, b.field)
}

var benchSizes = []int{1_000, 1_000_000}

func sizeName(n int) string {
	if n >= 1_000_000 {
		return strconv.Itoa(n/1_000_000) + "M"
	}
	return strconv.Itoa(n/1_000) + "k"
}

// zitems returns n members with scores 0, 2, 4, ... in ascending order; odd
// scores are free for inserts.
func zitems(n int) []zitem {
	items := make([]zitem, n)
	for i := range items {
		items[i] = zitem{score: float64(2 * i), member: "m" + strconv.Itoa(i)}
	}
	return items
}

// benchOrder is a random order of ranks, so lookups miss the cache as real
// ones do.
func benchOrder(n int) []int {
	return rand.New(rand.NewPCG(7, uint64(n))).Perm(n)
}

// steadyTree is a tree of zitems(n) put in at random, so its nodes are as
// full as a tree that has lived with random writes: Load would leave them
// full, and the first inserts would all split.
func steadyTree(items []zitem) *Tree[zitem] {
	tree := New(cmpZ)
	for _, r := range benchOrder(len(items)) {
		tree.Set(items[r])
	}
	return tree
}

// BenchmarkSet inserts new members at random places. Every n/4 inserts,
// with the timer stopped, it deletes them again to keep the tree near n.
func BenchmarkSet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			items := zitems(n)
			order := benchOrder(n)
			tree := steadyTree(items)
			added := make([]zitem, 0, n/4)
			startBench(b)
			for i := 0; i < b.N; i++ {
				if len(added) == cap(added) {
					b.StopTimer()
					for _, it := range added {
						tree.Delete(it)
					}
					added = added[:0]
					b.StartTimer()
				}
				r := order[i%n]
				it := zitem{score: float64(2*r + 1), member: items[r].member}
				tree.Set(it)
				added = append(added, it)
			}
		})
	}
}

// BenchmarkDelete deletes members at random. Every n/4 deletes, with the
// timer stopped, it puts them back.
func BenchmarkDelete(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			items := zitems(n)
			order := benchOrder(n)
			tree := steadyTree(items)
			removed := 0
			startBench(b)
			for i := 0; i < b.N; i++ {
				if removed == n/4 {
					b.StopTimer()
					for _, r := range order[:removed] {
						tree.Set(items[r])
					}
					removed = 0
					b.StartTimer()
				}
				tree.Delete(items[order[removed]])
				removed++
			}
		})
	}
}

func BenchmarkGet(b *testing.B) {
	benchLookup(b, func(tree *Tree[zitem], items []zitem, r int) {
		tree.Get(items[r])
	})
}

func BenchmarkRank(b *testing.B) {
	benchLookup(b, func(tree *Tree[zitem], items []zitem, r int) {
		tree.Rank(items[r])
	})
}

func BenchmarkAt(b *testing.B) {
	benchLookup(b, func(tree *Tree[zitem], _ []zitem, r int) {
		tree.At(r)
	})
}

// BenchmarkAscendAt100 reads 100 items from a random rank, as ZRANGE does.
func BenchmarkAscendAt100(b *testing.B) {
	benchLookup(b, func(tree *Tree[zitem], _ []zitem, r int) {
		k := 0
		for range tree.AscendAt(r) {
			if k++; k == 100 {
				break
			}
		}
	})
}

func benchLookup(b *testing.B, lookup func(tree *Tree[zitem], items []zitem, r int)) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			items := zitems(n)
			order := benchOrder(n)
			tree := Load(cmpZ, items)
			startBench(b)
			for i := 0; i < b.N; i++ {
				lookup(tree, items, order[i%n])
			}
		})
	}
}

// BenchmarkCloneFirstWrite is what a snapshot costs the state machine: a
// clone, then a write that copies the path to its item.
func BenchmarkCloneFirstWrite(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			items := zitems(n)
			order := benchOrder(n)
			tree := Load(cmpZ, items)
			startBench(b)
			for i := 0; i < b.N; i++ {
				snap := tree.Clone()
				r := order[i%n]
				tree.Set(zitem{score: items[r].score, member: items[r].member})
				runtime.KeepAlive(snap)
			}
		})
	}
}

// BenchmarkLoad restores a sorted set from a snapshot.
func BenchmarkLoad(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			items := zitems(n)
			startBench(b)
			for i := 0; i < b.N; i++ {
				Load(cmpZ, items)
			}
		})
	}
}

// startBench starts the timer with the garbage of the setup collected, so
// that a collection it triggers does not run during the measurement.
func startBench(b *testing.B) {
	b.ReportAllocs()
	runtime.GC()
	b.ResetTimer()
}

// TestMemoryPerItem measures with runtime.MemStats what the nodes of a
// tree cost per item, for 24- and 40-byte items put in at random, in
// ascending order and by Load, and holds it to 1.4 times the item size.
func TestMemoryPerItem(t *testing.T) {
	n := 1_000_000
	if testing.Short() || raceEnabled {
		n = 100_000
	}
	perm := rand.New(rand.NewPCG(3, 4)).Perm(n)
	z := zitems(n)
	h := make([]hitem, n)
	for i := range h {
		h[i] = hitem{hash: uint64(i) * 0x9E3779B97F4A7C15, field: z[i].member, value: z[i].member}
	}
	slices.SortFunc(h, cmpH)
	for _, c := range []struct {
		name  string
		build func() any
		size  uintptr
	}{
		{"24B/random", func() any { return build(cmpZ, z, perm) }, unsafe.Sizeof(zitem{})},
		{"24B/ascending", func() any { return build(cmpZ, z, nil) }, unsafe.Sizeof(zitem{})},
		{"24B/load", func() any { return Load(cmpZ, z) }, unsafe.Sizeof(zitem{})},
		{"40B/random", func() any { return build(cmpH, h, perm) }, unsafe.Sizeof(hitem{})},
		{"40B/ascending", func() any { return build(cmpH, h, nil) }, unsafe.Sizeof(hitem{})},
		{"40B/load", func() any { return Load(cmpH, h) }, unsafe.Sizeof(hitem{})},
	} {
		perItem := heapPerItem(c.build, n)
		ratio := perItem / float64(c.size)
		t.Logf("%s, %d items: %.1f bytes/item, %.2f× the item size", c.name, n, perItem, ratio)
		if ratio > 1.4 {
			t.Errorf("%s: %.2f× the item size, want at most 1.4×", c.name, ratio)
		}
	}
}

// build inserts items in the order perm gives (nil: ascending).
func build[T any](cmp func(a, b T) int, items []T, perm []int) *Tree[T] {
	tree := New(cmp)
	for i := range items {
		if perm != nil {
			i = perm[i]
		}
		tree.Set(items[i])
	}
	return tree
}

// heapPerItem is the live heap that what build returns holds, per item.
func heapPerItem(build func() any, n int) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tree := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(tree)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
}
