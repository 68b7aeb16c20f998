package integration

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	tc "github.com/raftis/raftis/internal/testcluster"
)

// TestRandomWorkloadConverges runs a random mix of writes through every node
// at once, with short expiries so sweeps and lazy expiry take part, restarts
// a follower midway, and then checks that every node holds the same data
// set (equal digests of the RDB image).
func TestRandomWorkloadConverges(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{SnapshotThreshold: 200, TrailingLogs: 50})
	ctx := tc.Ctx(t)
	gens := []func(r *rand.Rand, key func() string) []any{
		func(r *rand.Rand, key func() string) []any { return []any{"set", key(), r.IntN(1000)} },
		func(r *rand.Rand, key func() string) []any { return []any{"set", key(), "v", "px", 1 + r.IntN(300)} },
		func(r *rand.Rand, key func() string) []any { return []any{"incr", key()} },
		func(r *rand.Rand, key func() string) []any { return []any{"incrbyfloat", key(), "0.1"} },
		func(r *rand.Rand, key func() string) []any { return []any{"append", key(), "xy"} },
		func(r *rand.Rand, key func() string) []any { return []any{"del", key(), key()} },
		func(r *rand.Rand, key func() string) []any { return []any{"pexpire", key(), 1 + r.IntN(200)} },
		func(r *rand.Rand, key func() string) []any { return []any{"setrange", key(), r.IntN(8), "ab"} },
		func(r *rand.Rand, key func() string) []any { return []any{"mset", key(), "a", key(), "b"} },
		func(r *rand.Rand, key func() string) []any { return []any{"rename", key(), key()} },
		func(r *rand.Rand, key func() string) []any { return []any{"getdel", key()} },
		func(r *rand.Rand, key func() string) []any { return []any{"copy", key(), key(), "db", r.IntN(3)} },
		func(r *rand.Rand, key func() string) []any { return []any{"move", key(), 1 + r.IntN(2)} },
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		nd := c.Nodes[w%len(c.Nodes)]
		client := nd.Client()
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, seed))
			key := func() string { return fmt.Sprintf("k%d", r.IntN(40)) }
			pipe := client.Pipeline()
			for i := 0; i < 300; i++ {
				pipe.Do(ctx, gens[r.IntN(len(gens))](r, key)...)
				if r.IntN(8) == 0 {
					_, _ = pipe.Exec(ctx) // command errors are part of the workload
				}
			}
			_, _ = pipe.Exec(ctx)
		}(uint64(w + 1))
	}
	wg.Wait()
	f := c.Followers()[0]
	c.Kill(f)
	if err := c.Leader().Client().Set(ctx, "while-down", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	c.Restart(f)
	c.WaitConverged()
}
