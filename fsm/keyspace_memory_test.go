package fsm

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/raftis/raftis/internal/resp"
	"github.com/raftis/raftis/internal/testredis"
)

// TestKeyspaceMemoryPerKey loads a million small string keys ("key:N" →
// "value") through the apply path and, through a pipeline, into a real
// Redis, and compares the heap each key takes here (after a GC) with the
// used_memory it adds in Redis. It is the figure the per-key WATCH
// bookkeeping (item.mod, 8 bytes) was measured with; raftis must stay
// within twice Redis.
func TestKeyspaceMemoryPerKey(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a million keys")
	}
	const n = 1_000_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f := New()
	loadKeys(t, f, n)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapAlloc-before.HeapAlloc) / n
	estimate := float64(f.UsedMemory()) / n
	runtime.KeepAlive(f)

	redisPer := redisKeysBytes(t, n)
	t.Logf("1M string keys: raftis heap %.1f B/key (used_memory estimate %.1f), redis used_memory %.1f B/key, ratio %.2f",
		heap, estimate, redisPer, heap/redisPer)
	if heap > 2*redisPer {
		t.Errorf("raftis takes %.1f B per key, more than 2 × Redis's %.1f", heap, redisPer)
	}
}

// redisKeysBytes sets n keys as loadKeys does on a private redis-server
// and returns the used_memory each added.
func redisKeysBytes(t *testing.T, n int) float64 {
	t.Helper()
	c, err := resp.Dial(testredis.Start(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	usedBefore := usedMemory(t, c)
	for i := 0; i < n; i += 1000 {
		for j := i; j < i+1000; j++ {
			c.Send("SET", "key:"+strconv.Itoa(j), "value")
		}
		if err := c.Flush(); err != nil {
			t.Fatal(err)
		}
		for j := i; j < i+1000; j++ {
			if _, err := c.Receive(); err != nil {
				t.Fatal(err)
			}
		}
	}
	return float64(usedMemory(t, c)-usedBefore) / float64(n)
}
