package fsm

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Set benchmarks. Each runs one command at a time through the command
// layer (Ctx.exec, no log entry around it) on a set of a given size and
// representation. Commands that change the size put a fresh copy of the
// starting set back every size/2 commands (an O(1) copy-on-write clone
// for a tree), so the set stays within a factor of two of its size:
//
//	go test ./fsm -run NONE -bench 'Set(Add|IsMember|Rem|Pop)' -benchmem
//
// Per command, SADD, SISMEMBER, SREM and SPOP cost O(log n) on a tree
// (1k and 1M differ by the tree's depth and cache misses), O(n) on the
// bounded packed and intset representations.

// benchSet is a starting set and members that are not in it.
type benchSet struct {
	val     *setValue
	members []string // in the set
	absent  []string // not in the set
}

// benchSpec describes a starting set: an intset and a packed set at their
// limits, trees of 1k and 1M ~10-byte members.
type benchSpec struct {
	name   string
	n      int
	member func(i int) string
}

var benchSpecs = []benchSpec{
	{"intset-512", 512, func(i int) string { return strconv.Itoa(i * 7) }},
	{"packed-128", 128, benchMember},
	{"tree-1k", 1000, benchMember},
	{"tree-1M", 1_000_000, benchMember},
}

func benchMember(i int) string { return fmt.Sprintf("mem%07d", i) }

func (spec benchSpec) build() *benchSet {
	bs := &benchSet{val: newSet()}
	for i := range spec.n {
		bs.members = append(bs.members, spec.member(i))
		bs.absent = append(bs.absent, spec.member(spec.n+i))
		bs.val.add(&DefaultLimits, []byte(spec.member(i)))
	}
	return bs
}

// benchCtx is a write context on a new FSM whose key holds a copy of
// val, and the function that puts a fresh copy back.
func benchCtx(key string, val Value) (*Ctx, func()) {
	f := New()
	c := &Ctx{fsm: f, write: true, rng: 1, lim: f.limits.Load()}
	c.selectDB(0)
	reset := func() {
		f.dbs[0].set(item{key: key, val: val.clone(), gen: f.gen})
	}
	reset()
	return c, reset
}

// runCollectionBench runs op(start, i) b.N times on a new FSM whose key
// holds a copy of val (start's collection), putting a fresh copy back
// every resetEvery(n) commands (never if resetEvery is nil).
func runCollectionBench[T any](b *testing.B, key string, val Value, start T, n int, op func(start T, i int) [][]byte, resetEvery func(n int) int) {
	c, reset := benchCtx(key, val)
	every := 0
	if resetEvery != nil {
		every = resetEvery(n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if every > 0 && i%every == every-1 {
			reset()
		}
		c.exec(op(start, i))
		c.out = c.out[:0]
	}
}

// runSetBench runs op on each starting set in turn (only one is alive at
// a time, so that the big one does not slow the small ones' garbage
// collection), putting the set back every resetEvery(size) commands.
func runSetBench(b *testing.B, name string, op func(bs *benchSet, i int) [][]byte, resetEvery func(n int) int) {
	for _, spec := range benchSpecs {
		bs := spec.build()
		b.Run(name+"/"+spec.name, func(b *testing.B) {
			runCollectionBench(b, "s", bs.val, bs, spec.n, op, resetEvery)
		})
	}
}

func half(n int) int { return n / 2 }

func BenchmarkSetAdd(b *testing.B) {
	args := [][]byte{[]byte("SADD"), []byte("s"), nil}
	runSetBench(b, "SADD", func(bs *benchSet, i int) [][]byte {
		args[2] = []byte(bs.absent[i%len(bs.absent)])
		return args
	}, half)
}

func BenchmarkSetIsMember(b *testing.B) {
	args := [][]byte{[]byte("SISMEMBER"), []byte("s"), nil}
	runSetBench(b, "SISMEMBER", func(bs *benchSet, i int) [][]byte {
		args[2] = []byte(bs.members[(i*7919)%len(bs.members)])
		return args
	}, nil)
}

func BenchmarkSetRem(b *testing.B) {
	args := [][]byte{[]byte("SREM"), []byte("s"), nil}
	runSetBench(b, "SREM", func(bs *benchSet, i int) [][]byte {
		args[2] = []byte(bs.members[i%len(bs.members)])
		return args
	}, half)
}

func BenchmarkSetPop(b *testing.B) {
	args := [][]byte{[]byte("SPOP"), []byte("s")}
	runSetBench(b, "SPOP", func(*benchSet, int) [][]byte { return args }, half)
}

// TestSetMemSizeEstimate checks that a tree set's memSize, which INFO's
// used_memory adds up, is within a fifth of the heap it really takes.
func TestSetMemSizeEstimate(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates and measures 200k members")
	}
	const n = 200_000
	members := make([][]byte, n)
	for i := range members {
		members[i] = []byte(fmt.Sprintf("mem%07d", i))
	}
	checkMemSize(t, "members", n, func() Value {
		s := newSet()
		for _, m := range members {
			s.add(&DefaultLimits, m)
		}
		return s
	})
	runtime.KeepAlive(members)
}

// checkMemSize builds a value of n elements (what they are called, for
// the log) and checks that its memSize is within a fifth of the live heap
// the build added. What build reads must be allocated before the call
// and kept alive after it, so as not to count.
func checkMemSize(t *testing.T, what string, n int, build func() Value) {
	t.Helper()
	before := heapInUse()
	v := build()
	heap := heapInUse() - before
	runtime.KeepAlive(v)
	est := v.memSize()
	t.Logf("%d %s: %.1f bytes each on the heap, memSize says %.1f", n, what, float64(heap)/float64(n), float64(est)/float64(n))
	if ratio := float64(est) / float64(heap); ratio < 0.8 || ratio > 1.25 {
		t.Fatalf("memSize %d is %.2f times the heap used, %d", est, ratio, heap)
	}
}

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// BenchmarkSetMemory reports the heap per member of a set of 1M ~10-byte
// members, built through SADD (run with -benchtime=1x):
//
//	go test ./fsm -run NONE -bench SetMemory -benchtime=1x
func BenchmarkSetMemory(b *testing.B) {
	for range b.N {
		used, f := fsmGrowth(setMemoryCmds())
		b.ReportMetric(float64(used)/1e6, "heap-B/member")
		b.ReportMetric(float64(f.UsedMemory())/1e6, "used_memory-B/member")
	}
}

// BenchmarkSetMemoryRedis is BenchmarkSetMemory's figure for a real
// redis-server: the growth of its used_memory when the same members are
// SADDed, 1000 to a command, in pipelined batches.
func BenchmarkSetMemoryRedis(b *testing.B) {
	for range b.N {
		used := redisGrowth(b, setMemoryCmds(), ":1000\r\n")
		b.ReportMetric(float64(used)/1e6, "used_memory-B/member")
	}
}

// setMemoryCmds SADD 1M ~10-byte members, 1000 to a command.
func setMemoryCmds() [][]string {
	return bulkCommands("SADD", "s", 1_000_000, 1000, func(i int) []string { return []string{benchMember(i)} })
}

// redisUsedMemory is INFO's used_memory.
func redisUsedMemory(b testing.TB, o *oracle) int64 {
	b.Helper()
	info := o.do("INFO", "memory")
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatalf("no used_memory in %q", info)
	return 0
}
