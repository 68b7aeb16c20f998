package fsm

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/raft"

	"github.com/raftis/raftis/internal/resp"
	"github.com/raftis/raftis/internal/testredis"
)

// listElement is the i-th element of the benchmark lists: 10 bytes, not a
// number (Redis would pack a number as an integer).
func listElement(i int) []byte { return fmt.Appendf(nil, "v%09d", i) }

// benchList returns an FSM whose key "l" holds a list of n elements, and
// a context that applies commands to it as Apply does.
func benchList(tb testing.TB, n int) (*FSM, *Ctx) {
	tb.Helper()
	f := New()
	c := &Ctx{fsm: f, write: true, lim: f.limits.Load()}
	c.selectDB(0)
	args := [][]byte{[]byte("RPUSH"), []byte("l")}
	for i := 0; i < n; i += 1000 {
		args = args[:2]
		for j := i; j < min(i+1000, n); j++ {
			args = append(args, listElement(j))
		}
		c.exec(args)
	}
	c.out = c.out[:0]
	return f, c
}

// benchListOf returns the list at "l".
func benchListOf(f *FSM) *listValue {
	it, _ := f.dbs[0].get("l")
	return it.val.(*listValue)
}

// BenchmarkListEnds: pushes and pops at both ends cost the same on a list
// of a thousand elements and on one of a million (O(1)). Every few
// hundred operations the list is put back to its size, with the timer
// stopped.
func BenchmarkListEnds(b *testing.B) {
	for _, size := range []int{1000, 1_000_000} {
		for _, op := range []string{"LPUSH", "RPUSH", "LPOP", "RPOP"} {
			b.Run(fmt.Sprintf("%s/%d", op, size), func(b *testing.B) {
				f, c := benchList(b, size)
				args := [][]byte{[]byte(op), []byte("l")}
				if strings.HasSuffix(op, "PUSH") {
					args = append(args, listElement(42))
				}
				left := op[0] == 'L'
				period := min(512, size/2)
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					c.exec(args)
					c.out = c.out[:0]
					if i%period == period-1 {
						b.StopTimer()
						l := benchListOf(f)
						for l.count > size {
							l.popN(left, 1)
						}
						for l.count < size {
							l.push(listElement(l.count), left)
						}
						b.StartTimer()
					}
				}
			})
		}
	}
}

// BenchmarkListReads: LINDEX in the middle walks the chunk counts
// (O(chunks)) then one chunk; LRANGE 0 99 streams from the first chunks.
func BenchmarkListReads(b *testing.B) {
	for _, size := range []int{1000, 1_000_000} {
		f, _ := benchList(b, size)
		for name, args := range map[string][]string{
			"LINDEX-middle": {"LINDEX", "l", strconv.Itoa(size / 2)},
			"LRANGE-0-99":   {"LRANGE", "l", "0", "99"},
		} {
			b.Run(fmt.Sprintf("%s/%d", name, size), func(b *testing.B) {
				cmd := toArgs(args)
				buf := make([]byte, 0, 4096)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					buf = f.Read(buf[:0], 0, 1, 1, cmd)
				}
			})
		}
	}
}

// BenchmarkListSnapshotWrite is the cost of the first LPUSH after a
// snapshot on a list of a million elements: the clone copies the chunk
// pointers, and the head chunk is copied before it changes.
func BenchmarkListSnapshotWrite(b *testing.B) {
	f, c := benchList(b, 1_000_000)
	args := [][]byte{[]byte("LPUSH"), []byte("l"), []byte("x")}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := f.Snapshot(); err != nil {
			b.Fatal(err)
		}
		c.exec(args)
		c.out = c.out[:0]
	}
}

// TestListMemoryLikeRedis loads a million 10-byte elements into a list on
// the FSM and, through a pipeline, on a real Redis, and compares the heap
// the list takes here (after a GC) with the used_memory it adds in Redis,
// which packs such elements in about 12 bytes each. raftis must stay
// within 1.5 times Redis.
func TestListMemoryLikeRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a million elements")
	}
	const n = 1_000_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f := New()
	for i := 0; i < n; i += 1000 {
		args := [][]byte{[]byte("RPUSH"), []byte("l")}
		for j := i; j < i+1000; j++ {
			args = append(args, listElement(j))
		}
		e := Entry{Type: EntryCommands, Time: 1, Cmds: []Cmd{{Args: args}}}
		f.Apply(&raft.Log{Index: uint64(i/1000 + 1), Type: raft.LogCommand, Data: e.Encode(nil)})
	}
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapAlloc-before.HeapAlloc) / n
	l := benchListOf(f)
	estimate := float64(l.memSize()) / n
	chunks := l.nchunks()
	runtime.KeepAlive(f)

	redisPer := redisListBytes(t, n)
	t.Logf("1M 10-byte elements: raftis heap %.2f B/element (estimate %.2f, %d chunks), redis used_memory %.2f B/element, ratio %.2f",
		heap, estimate, chunks, redisPer, heap/redisPer)
	if heap > 1.5*redisPer {
		t.Errorf("raftis takes %.2f B per element, more than 1.5 × Redis's %.2f", heap, redisPer)
	}
}

// redisListBytes loads n elements into a list on a private redis-server
// with a pipeline and returns the used_memory it added per element.
func redisListBytes(t *testing.T, n int) float64 {
	t.Helper()
	c, err := resp.Dial(testredis.Start(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	usedBefore := usedMemory(t, c)
	batches := 0
	for i := 0; i < n; i += 1000 {
		args := []string{"RPUSH", "l"}
		for j := i; j < i+1000; j++ {
			args = append(args, string(listElement(j)))
		}
		c.Send(args...)
		batches++
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	for range batches {
		if _, err := c.Receive(); err != nil {
			t.Fatal(err)
		}
	}
	return float64(usedMemory(t, c)-usedBefore) / float64(n)
}

func usedMemory(t *testing.T, c *resp.Conn) int64 {
	t.Helper()
	reply, err := c.Do("INFO", "memory")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(reply), "used_memory:")
	if !ok {
		t.Fatalf("no used_memory in %q", reply)
	}
	line, _, _ := strings.Cut(rest, "\r\n")
	v, err := strconv.ParseInt(line, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
