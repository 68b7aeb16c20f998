package e2e

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// SET of 1, 16, 60 and 100 MiB works on either store, on the leader or
// through a follower: raftis carries an entry over 1 MiB as chunks (so
// none passes raft-wal's 64 MiB record limit) that every node applies as
// one write. Every node holds the values again after all were killed.
func TestLargeValues(t *testing.T) {
	for _, store := range []string{"wal", "boltdb"} {
		t.Run(store, func(t *testing.T) { testLargeValues(t, store) })
	}
}

func testLargeValues(t *testing.T, store string) {
	// raftis's default failure detection rather than the tests' quicker
	// one: tens of MiB per write keep a 2-core machine running three nodes
	// busy for longer than a 200 ms leader lease.
	c := startCluster(t, 3, "--raft-store", store, "--apply-timeout", "30s",
		"--raft-heartbeat-timeout", "1s", "--raft-election-timeout", "1s")
	leader, followers := c.leader()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bigClient := func(n *node) *redis.Client {
		cl := redis.NewClient(&redis.Options{Addr: n.addr(), Protocol: 2, DisableIdentity: true, MaxRetries: -1,
			ReadTimeout: time.Minute, WriteTimeout: time.Minute})
		t.Cleanup(func() { _ = cl.Close() })
		return cl
	}
	sizes := map[string]int{}
	for _, w := range []struct {
		mb  int
		via *node
	}{{1, leader}, {16, followers[0]}, {60, leader}, {100, followers[1]}} {
		key := fmt.Sprintf("big%d", w.mb)
		val := bytes.Repeat([]byte{byte('a' + w.mb%26)}, w.mb<<20)
		start := time.Now()
		cl := bigClient(w.via)
		// SET is idempotent: a write whose outcome is unknown (the leader
		// lost its lease on a busy machine) may be sent again.
		var err error
		for try := 0; try < 5; try++ {
			if err = cl.Set(ctx, key, val, 0).Err(); err == nil ||
				!(strings.HasPrefix(err.Error(), "UNCERTAIN ") || strings.HasPrefix(err.Error(), "CLUSTERDOWN ")) {
				break
			}
			t.Logf("SET of %d MiB via %s: %v; again", w.mb, w.via.id, err)
		}
		if err != nil {
			t.Fatalf("SET of %d MiB via %s: %v", w.mb, w.via.id, err)
		}
		t.Logf("%s: SET of %d MiB via %s took %v", store, w.mb, w.via.id, time.Since(start).Round(time.Millisecond))
		sizes[key] = len(val)
	}
	holds := func(when string) {
		for _, n := range c.nodes {
			cl := client(t, n)
			for key, size := range sizes {
				poll(t, 60*time.Second, fmt.Sprintf("%s: %s to hold %s", when, n.id, key), func() (bool, string) {
					got, err := cl.StrLen(ctx, key).Result()
					return err == nil && got == int64(size), fmt.Sprintf("STRLEN %d, %v; want %d", got, err, size)
				})
			}
		}
	}
	holds("written")
	for _, n := range c.nodes {
		cmd, _ := n.process()
		_ = cmd.Process.Kill()
	}
	for _, n := range c.nodes {
		n.kill()
	}
	for _, n := range c.nodes {
		n.start()
	}
	for _, n := range c.nodes {
		n.waitReady()
	}
	holds("after every node was killed and restarted")
}
