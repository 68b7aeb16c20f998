package fsm

import (
	"fmt"
	"runtime"
	"testing"
)

// Hash benchmarks, shaped as the set benchmarks are (sets_bench_test.go):
// one command at a time through the command layer on a hash of a given
// size and encoding, HSET of new fields putting a fresh copy of the
// starting hash back every size/2 commands:
//
//	go test ./fsm -run NONE -bench 'Hash(Set|Get)' -benchmem
//
// A packed hash (listpack) costs O(n) per command, bounded by
// hash-max-listpack-entries; a large one is a copy-on-write B-tree ordered
// by field hash, O(log n) per command (1k and 1M differ by the tree's
// depth and cache misses), so that a snapshot's clone is O(1).

type benchHash struct {
	val    *hashValue
	fields []string // in the hash
	absent []string // not in the hash
}

var hashBenchSizes = []struct {
	name string
	n    int
}{{"packed-128", 128}, {"tree-1k", 1000}, {"tree-1M", 1_000_000}}

func benchField(i int) string { return fmt.Sprintf("field%07d", i) }

func buildBenchHash(n int) *benchHash {
	bh := &benchHash{val: newHash()}
	for i := range n {
		bh.fields = append(bh.fields, benchField(i))
		bh.absent = append(bh.absent, benchField(n+i))
		bh.val.set(&DefaultLimits, []byte(benchField(i)), []byte("value"))
	}
	return bh
}

// runHashBench runs op on each starting hash in turn, as runSetBench does
// on sets.
func runHashBench(b *testing.B, name string, op func(bh *benchHash, i int) [][]byte, resetEvery func(n int) int) {
	for _, size := range hashBenchSizes {
		bh := buildBenchHash(size.n)
		b.Run(name+"/"+size.name, func(b *testing.B) {
			runCollectionBench(b, "h", bh.val, bh, size.n, op, resetEvery)
		})
	}
}

func BenchmarkHashSet(b *testing.B) {
	args := [][]byte{[]byte("HSET"), []byte("h"), nil, []byte("value")}
	runHashBench(b, "HSET", func(bh *benchHash, i int) [][]byte {
		args[2] = []byte(bh.absent[i%len(bh.absent)])
		return args
	}, half)
}

func BenchmarkHashGet(b *testing.B) {
	args := [][]byte{[]byte("HGET"), []byte("h"), nil}
	runHashBench(b, "HGET", func(bh *benchHash, i int) [][]byte {
		args[2] = []byte(bh.fields[(i*7919)%len(bh.fields)])
		return args
	}, nil)
}

// BenchmarkHashMemory reports the heap and used_memory per field of a hash
// of 1M ~12-byte fields with 5-byte values, built through HSET, 500 fields
// to a command (run with -benchtime=1x):
//
//	go test ./fsm -run NONE -bench HashMemory -benchtime=1x
func BenchmarkHashMemory(b *testing.B) {
	for range b.N {
		used, f := fsmGrowth(hashMemoryCmds())
		b.ReportMetric(float64(used)/1e6, "heap-B/field")
		b.ReportMetric(float64(f.UsedMemory())/1e6, "used_memory-B/field")
	}
}

// BenchmarkHashMemoryRedis is BenchmarkHashMemory's figure for a real
// redis-server: the growth of its used_memory for the same HSETs.
func BenchmarkHashMemoryRedis(b *testing.B) {
	for range b.N {
		used := redisGrowth(b, hashMemoryCmds(), ":500\r\n")
		b.ReportMetric(float64(used)/1e6, "used_memory-B/field")
	}
}

// hashMemoryCmds HSET 1M ~12-byte fields with 5-byte values, 500 to a
// command.
func hashMemoryCmds() [][]string {
	return bulkCommands("HSET", "h", 1_000_000, 500, func(i int) []string { return []string{benchField(i), "value"} })
}

// TestHashMemSizeEstimate checks that a large hash's memSize, which INFO's
// used_memory adds up, is within a fifth of the heap it really takes.
func TestHashMemSizeEstimate(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates and measures 200k fields")
	}
	const n = 200_000
	fields := make([][]byte, n)
	for i := range fields {
		fields[i] = []byte(benchField(i))
	}
	value := []byte("value")
	checkMemSize(t, "fields", n, func() Value {
		h := newHash()
		for _, f := range fields {
			h.set(&DefaultLimits, f, value)
		}
		return h
	})
	runtime.KeepAlive(fields)
	runtime.KeepAlive(value)
}
