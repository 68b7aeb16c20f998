package fsm

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// The sorted-set benchmarks run commands on a set of 1,000 and of
// 1,000,000 members: the per-command cost must grow with log n (ZADD,
// ZSCORE, ZRANK, ZRANGE by rank, ZRANGEBYSCORE with LIMIT), not with n.
//
//	go test -run=NONE -bench=ZSet -benchmem ./fsm

var zbenchSizes = []int{1_000, 1_000_000}

// zbenchMember is the i-th member: 10 bytes.
func zbenchMember(i int) string { return fmt.Sprintf("m:%08d", i) }

// zbenchScore is the i-th member's score, spread at random.
func zbenchScore(i int) float64 {
	return float64(rand.New(rand.NewPCG(uint64(i), 7)).IntN(1 << 30))
}

// zbenchFSM returns an FSM whose key "z" holds n members, built whole
// (large sets are built in O(n) rather than member by member).
func zbenchFSM(n int) *FSM {
	f := New()
	var b zsetBuilder
	for i := range n {
		b.add(zbenchMember(i), zbenchScore(i))
	}
	z, _ := b.build(f.limits.Load())
	f.dbs[0].set(item{key: "z", val: z})
	return f
}

// zbenchCtx runs commands the way Apply does, without the log entry.
type zbenchCtx struct{ c *Ctx }

func newZBenchCtx(f *FSM) *zbenchCtx {
	c := &Ctx{fsm: f, now: 1, write: true, rng: 1, lim: f.limits.Load()}
	c.selectDB(0)
	return &zbenchCtx{c: c}
}

func (z *zbenchCtx) run(args ...[]byte) {
	z.c.out = z.c.out[:0]
	z.c.exec(args)
}

func zbench(b *testing.B, body func(b *testing.B, n int, zc *zbenchCtx)) {
	for _, n := range zbenchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			zc := newZBenchCtx(zbenchFSM(n))
			b.ReportAllocs()
			runtime.GC()
			b.ResetTimer()
			body(b, n, zc)
		})
	}
}

// BenchmarkZSetAdd adds new members one by one.
func BenchmarkZSetAdd(b *testing.B) {
	zbench(b, func(b *testing.B, n int, zc *zbenchCtx) {
		cmd, key, score := []byte("zadd"), []byte("z"), []byte("12345.5")
		members := make([][]byte, 1000)
		for i := range members {
			members[i] = []byte("new:" + strconv.Itoa(i))
		}
		for i := 0; i < b.N; i++ {
			zc.run(cmd, key, score, members[i%len(members)])
			if i%len(members) == len(members)-1 {
				b.StopTimer()
				for _, m := range members {
					zc.run([]byte("zrem"), key, m)
				}
				b.StartTimer()
			}
		}
	})
}

// BenchmarkZSetAddUpdate moves existing members to new scores.
func BenchmarkZSetAddUpdate(b *testing.B) {
	zbench(b, func(b *testing.B, n int, zc *zbenchCtx) {
		cmd, key := []byte("zadd"), []byte("z")
		for i := 0; i < b.N; i++ {
			zc.run(cmd, key, []byte(strconv.Itoa(i)), []byte(zbenchMember(i*7919%n)))
		}
	})
}

// BenchmarkZSetScore looks members up.
func BenchmarkZSetScore(b *testing.B) {
	zbench(b, func(b *testing.B, n int, zc *zbenchCtx) {
		cmd, key := []byte("zscore"), []byte("z")
		members := zbenchMembers(n)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			zc.run(cmd, key, members[i%len(members)])
		}
	})
}

// BenchmarkZSetRank ranks members.
func BenchmarkZSetRank(b *testing.B) {
	zbench(b, func(b *testing.B, n int, zc *zbenchCtx) {
		cmd, key := []byte("zrank"), []byte("z")
		members := zbenchMembers(n)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			zc.run(cmd, key, members[i%len(members)])
		}
	})
}

// BenchmarkZSetRangeByRank reads 10 members from a random rank.
func BenchmarkZSetRangeByRank(b *testing.B) {
	zbench(b, func(b *testing.B, n int, zc *zbenchCtx) {
		cmd, key := []byte("zrange"), []byte("z")
		starts := make([][2][]byte, 1000)
		for i := range starts {
			s := i * 7919 % (n - 10)
			starts[i] = [2][]byte{[]byte(strconv.Itoa(s)), []byte(strconv.Itoa(s + 9))}
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			s := starts[i%len(starts)]
			zc.run(cmd, key, s[0], s[1])
		}
	})
}

// BenchmarkZSetRangeByScore reads 10 members from a random score on.
func BenchmarkZSetRangeByScore(b *testing.B) {
	zbench(b, func(b *testing.B, n int, zc *zbenchCtx) {
		cmd, key, inf := []byte("zrangebyscore"), []byte("z"), []byte("+inf")
		limit, zero, ten := []byte("limit"), []byte("0"), []byte("10")
		mins := make([][]byte, 1000)
		for i := range mins {
			mins[i] = []byte(strconv.Itoa(i * 1000003 % (1 << 30)))
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			zc.run(cmd, key, mins[i%len(mins)], inf, limit, zero, ten)
		}
	})
}

// zbenchMembers is 1000 members of a set of n, spread over it.
func zbenchMembers(n int) [][]byte {
	out := make([][]byte, 1000)
	for i := range out {
		out[i] = []byte(zbenchMember(i * 7919 % n))
	}
	return out
}

// zmemMembers is how many members the memory measurements load:
// $RAFTIS_ZSET_MEMORY_MEMBERS, else 200,000 (20,000 with -short or the
// race detector).
func zmemMembers(t *testing.T) int {
	if s := os.Getenv("RAFTIS_ZSET_MEMORY_MEMBERS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1000 {
			t.Fatalf("RAFTIS_ZSET_MEMORY_MEMBERS=%q: want an integer of at least 1000", s)
		}
		return n
	}
	if testing.Short() || raceEnabled {
		return 20_000
	}
	return 200_000
}

// zmemCommands are the ZADDs that load n 10-byte members in random order,
// as clients would.
func zmemCommands(n int) [][][]byte {
	perm := rand.New(rand.NewPCG(5, 6)).Perm(n)
	args := make([][][]byte, n)
	for i, j := range perm {
		args[i] = [][]byte{[]byte("zadd"), []byte("z"), []byte(strconv.FormatFloat(zbenchScore(j), 'f', -1, 64)), []byte(zbenchMember(j))}
	}
	return args
}

// raftisZSetHeap loads the commands into a new FSM and returns the heap
// the sorted set takes per member (runtime.MemStats after GC) and what
// memSize estimates.
func raftisZSetHeap(t *testing.T, cmds [][][]byte) (measured, estimated float64) {
	f := New()
	zc := newZBenchCtx(f)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, a := range cmds {
		zc.run(a...)
	}
	zc.c.out = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	it, _ := f.dbs[0].get("z")
	z := it.val.(*zsetValue)
	if z.n != len(cmds) || z.packed() {
		t.Fatalf("%d members, packed %v", z.n, z.packed())
	}
	n := float64(len(cmds))
	return float64(after.HeapAlloc-before.HeapAlloc) / n, float64(z.memSize()) / n
}

// TestZSetMemoryPerMember measures the heap a large sorted set of 10-byte
// members takes and checks that the memSize estimate (INFO used_memory)
// stays within 15% of it.
//
//	RAFTIS_ZSET_MEMORY_MEMBERS=1000000 go test -run TestZSetMemoryPerMember -v ./fsm
func TestZSetMemoryPerMember(t *testing.T) {
	cmds := zmemCommands(zmemMembers(t))
	measured, estimated := raftisZSetHeap(t, cmds)
	t.Logf("%d members of 10 bytes: %.1f bytes/member on the heap, memSize estimates %.1f", len(cmds), measured, estimated)
	if estimated < measured*0.85 || estimated > measured*1.15 {
		t.Errorf("memSize estimates %.1f bytes/member, the heap holds %.1f", estimated, measured)
	}
}

// TestZSetMemoryAgainstRedis loads the same members into a redis-server
// (pipelined ZADDs) and compares its used_memory per member with raftis's
// heap per member: raftis must not need more than Redis.
//
//	RAFTIS_ZSET_MEMORY_MEMBERS=1000000 go test -run TestZSetMemoryAgainstRedis -v ./fsm
func TestZSetMemoryAgainstRedis(t *testing.T) {
	cmds := zmemCommands(zmemMembers(t))
	o := newOracle(t)
	usedMemory := func() float64 {
		info := o.do("info", "memory")
		i := strings.Index(info, "used_memory:")
		if i < 0 {
			t.Fatalf("no used_memory in %q", info)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(strings.SplitN(info[i+len("used_memory:"):], "\r\n", 2)[0]), 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := usedMemory()
	const batch = 1000
	for i := 0; i < len(cmds); i += batch {
		for _, a := range cmds[i:min(i+batch, len(cmds))] {
			o.c.SendBytes(a...)
		}
		if err := o.c.Flush(); err != nil {
			t.Fatal(err)
		}
		for range min(batch, len(cmds)-i) {
			if r, err := o.c.Receive(); err != nil || string(r) != ":1\r\n" {
				t.Fatalf("zadd: %q %v", r, err)
			}
		}
	}
	redis := (usedMemory() - before) / float64(len(cmds))
	measured, _ := raftisZSetHeap(t, cmds)
	t.Logf("%d members of 10 bytes: raftis %.1f bytes/member (heap), redis-server %.1f (used_memory)", len(cmds), measured, redis)
	if measured > redis {
		t.Errorf("raftis takes %.1f bytes/member, more than Redis's %.1f", measured, redis)
	}
}
