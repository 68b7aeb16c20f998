package integration

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	tc "github.com/raftis/raftis/internal/testcluster"
	"github.com/raftis/raftis/raftlog"
	"github.com/raftis/raftis/server"
)

// forEachStore runs fn as a subtest per log store, for the tests whose
// outcome depends on what the store keeps: restarts, failover, snapshot
// installs.
func forEachStore(t *testing.T, fn func(t *testing.T, store raftlog.StoreKind)) {
	for _, store := range []raftlog.StoreKind{raftlog.StoreWAL, raftlog.StoreBoltDB} {
		t.Run(string(store), func(t *testing.T) { fn(t, store) })
	}
}

func TestWriteThroughFollowerIsReadBackThere(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	followers := c.Followers()
	f1, f2 := followers[0], followers[1]
	ctx := tc.Ctx(t)
	for i := 0; i < 50; i++ {
		key, val := fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i)
		if err := f1.Client().Set(ctx, key, val, 0).Err(); err != nil {
			t.Fatalf("SET via follower: %v", err)
		}
		// Read your writes on the node written through, with no wait.
		if got, err := f1.Client().Get(ctx, key).Result(); err != nil || got != val {
			t.Fatalf("GET %s on the follower written through = %q, %v; want %q", key, got, err, val)
		}
	}
	tc.Poll(t, 5*time.Second, "the other follower has the last write", func() bool {
		got, _ := f2.Client().Get(ctx, "k49").Result()
		return got == "v49"
	})
	// INCR through a follower returns the leader's reply.
	if n, err := f2.Client().Incr(ctx, "counter").Result(); err != nil || n != 1 {
		t.Fatalf("INCR via follower = %d, %v; want 1", n, err)
	}
}

func TestPipelinedWritesBecomeOneEntry(t *testing.T) {
	for _, via := range []string{"leader", "follower"} {
		t.Run(via, func(t *testing.T) {
			c := tc.Start(t, 3, tc.Options{})
			nd := c.Leader()
			if via == "follower" {
				nd = c.Followers()[0]
			}
			leader := c.Leader()
			ctx := tc.Ctx(t)
			before := leader.FSM.AppliedIndex()
			pipe := nd.Client().Pipeline()
			for i := 0; i < 100; i++ {
				pipe.Set(ctx, fmt.Sprintf("p%d", i), i, 0)
			}
			cmds, err := pipe.Exec(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, cmd := range cmds {
				if cmd.Err() != nil {
					t.Fatalf("%v: %v", cmd.Args(), cmd.Err())
				}
			}
			// go-redis writes the whole pipeline at once, so the server reads
			// it in one batch (at most a few if the socket splits it).
			if entries := leader.FSM.AppliedIndex() - before; entries < 1 || entries > 3 {
				t.Fatalf("100 pipelined SETs took %d log entries, want 1 (at most 3)", entries)
			}
		})
	}
}

func TestFailoverLosesNoAcknowledgedWrite(t *testing.T) {
	forEachStore(t, testFailoverLosesNoAcknowledgedWrite)
}

func testFailoverLosesNoAcknowledgedWrite(t *testing.T, store raftlog.StoreKind) {
	c := tc.Start(t, 3, tc.Options{Store: store})
	ctx := tc.Ctx(t)
	acked := map[string]string{}
	write := func(nd *tc.Node, n int, prefix string) {
		for i := 0; i < n; i++ {
			key, val := fmt.Sprintf("%s%d", prefix, i), fmt.Sprintf("v%d", i)
			if err := nd.Client().Set(ctx, key, val, 0).Err(); err == nil {
				acked[key] = val
			}
		}
	}
	old := c.Leader()
	write(old, 100, "before")
	write(c.Followers()[0], 100, "viafollower")
	if len(acked) != 200 {
		t.Fatalf("only %d of 200 writes acknowledged on a healthy cluster", len(acked))
	}
	c.Kill(old)
	leader := c.Leader()
	if leader == old {
		t.Fatal("killed leader still leads")
	}
	write(leader, 100, "after")
	for _, nd := range c.Running() {
		assertHas(t, nd, acked)
	}
	c.Restart(old)
	c.WaitConverged()
	assertHas(t, old, acked)
}

func TestFullRestartKeepsAcknowledgedWrites(t *testing.T) {
	forEachStore(t, testFullRestartKeepsAcknowledgedWrites)
}

func testFullRestartKeepsAcknowledgedWrites(t *testing.T, store raftlog.StoreKind) {
	c := tc.Start(t, 3, tc.Options{SnapshotThreshold: 50, TrailingLogs: 20, Store: store})
	ctx := tc.Ctx(t)
	acked := map[string]string{}
	for i := 0; i < 300; i++ {
		nd := c.Nodes[i%3]
		key, val := fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i)
		if err := nd.Client().Set(ctx, key, val, 0).Err(); err != nil {
			t.Fatalf("SET %s via %s: %v", key, nd.ID, err)
		}
		acked[key] = val
	}
	c.RestartAll()
	c.Leader()
	c.WaitConverged()
	for _, nd := range c.Nodes {
		assertHas(t, nd, acked)
	}
}

// A member restarted alone, with no quorum to elect a leader, serves every
// write it had applied, not the older data set of its last snapshot: it
// replays its log up to the commit index recorded on its disk.
func TestRestartedNodeServesItsWritesWithoutALeader(t *testing.T) {
	forEachStore(t, testRestartedNodeServesItsWritesWithoutALeader)
}

func testRestartedNodeServesItsWritesWithoutALeader(t *testing.T, store raftlog.StoreKind) {
	c := tc.Start(t, 3, tc.Options{SnapshotThreshold: 50, TrailingLogs: 20, Store: store})
	ctx := tc.Ctx(t)
	leader := c.Leader()
	acked := map[string]string{}
	for i := 0; i < 200; i++ {
		key, val := fmt.Sprintf("k%d", i%40), fmt.Sprintf("v%d", i)
		if err := leader.Client().Set(ctx, key, val, 0).Err(); err != nil {
			t.Fatalf("SET %s: %v", key, err)
		}
		acked[key] = val
	}
	last := leader.FSM.AppliedIndex()
	f := c.Followers()[0]
	waitDurable(t, c, last)
	c.KillAll()
	c.Restart(f)
	if id, _ := f.Raft.Leader(); id != "" {
		t.Fatalf("%s knows leader %q with two of three members down", f.ID, id)
	}
	for k, v := range acked {
		got, err := f.Client().Get(ctx, k).Result()
		if err != nil || got != v {
			t.Fatalf("GET %s on %s restarted alone = %q, %v; want %q", k, f.ID, got, err, v)
		}
	}
}

func TestNewNodeGetsDataBySnapshotInstall(t *testing.T) {
	forEachStore(t, testNewNodeGetsDataBySnapshotInstall)
}

func testNewNodeGetsDataBySnapshotInstall(t *testing.T, store raftlog.StoreKind) {
	// raft-wal drops the log's head a whole segment at a time (entries
	// before the first index stay readable in the segment that holds it):
	// small segments make the early entries really gone.
	c := tc.Start(t, 3, tc.Options{SnapshotThreshold: 64, TrailingLogs: 16, Store: store, WALSegmentSize: 8 << 10})
	ctx := tc.Ctx(t)
	acked := map[string]string{}
	for i := 0; i < 400; i++ {
		key, val := fmt.Sprintf("k%d", i), strings.Repeat("x", i%50)
		setRetrying(t, c, key, val)
		acked[key] = val
	}
	leader := c.Leader()
	if err := leader.Client().Do(ctx, "raft", "snapshot").Err(); err != nil {
		t.Fatalf("RAFT SNAPSHOT: %v", err)
	}
	tc.Poll(t, 5*time.Second, "leader snapshot covers the writes", func() bool {
		return leader.Raft.Status().LastSnapshot >= leader.FSM.AppliedIndex()-16
	})
	nd := c.AddNode()
	c.WaitConverged()
	// The log before the snapshot is gone from the leader, so the new node
	// can only have the early keys through an installed snapshot.
	if nd.Raft.Status().LastSnapshot == 0 {
		t.Fatal("new node has no snapshot: it was not brought up by snapshot install")
	}
	assertHas(t, nd, acked)
}

func TestWritesWithoutQuorumFailInBoundedTime(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	ctx := tc.Ctx(t)
	survivor := c.Followers()[0]
	for _, nd := range c.Running() {
		if nd != survivor {
			c.Kill(nd)
		}
	}
	start := time.Now()
	err := survivor.Client().Set(ctx, "k", "v", 0).Err()
	if err == nil {
		t.Fatal("a write without a quorum was acknowledged")
	}
	if !strings.HasPrefix(err.Error(), "CLUSTERDOWN") && !strings.HasPrefix(err.Error(), "UNCERTAIN") {
		t.Fatalf("error = %q, want CLUSTERDOWN or UNCERTAIN", err)
	}
	if took := time.Since(start); took > 8*time.Second {
		t.Fatalf("write without quorum took %v to fail (apply timeout is 5s)", took)
	}
	// Reads still work (stale reads allowed by default).
	if err := survivor.Client().Get(ctx, "missing").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("stale read: %v", err)
	}
}

func TestFollowerWritesReject(t *testing.T) {
	c := tc.Start(t, 2, tc.Options{FollowerWrites: server.FollowerWritesReject})
	ctx := tc.Ctx(t)
	err := c.Followers()[0].Client().Set(ctx, "k", "v", 0).Err()
	leader := c.Leader()
	want := "READONLY You can't write against a read only replica. Leader is at " + leader.RedisAddr + "."
	if err == nil || err.Error() != want {
		t.Fatalf("follower write error = %v, want %q", err, want)
	}
	if err := leader.Client().Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("leader write: %v", err)
	}
}

func TestMaxStalenessRefusesReadsWhenCutOff(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{MaxStaleness: 300 * time.Millisecond})
	ctx := tc.Ctx(t)
	f := c.Followers()[0]
	if err := f.Client().Get(ctx, "k").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("read on a healthy follower: %v", err)
	}
	for _, nd := range c.Running() {
		if nd != f {
			c.Kill(nd)
		}
	}
	want := "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
	tc.Poll(t, 5*time.Second, "reads refused on a cut-off follower", func() bool {
		err := f.Client().Get(ctx, "k").Err()
		return err != nil && err.Error() == want
	})
	// Connection and admin commands still answer.
	if err := f.Client().Ping(ctx).Err(); err != nil {
		t.Fatalf("PING on a cut-off follower: %v", err)
	}
}

// A follower that hears from the leader but has not applied what it
// knows is committed is as stale as the writes it lacks: heartbeats do not
// make it fresh.
func TestMaxStalenessCountsWhatAFollowerHasApplied(t *testing.T) {
	const maxStaleness = 300 * time.Millisecond
	c := tc.Start(t, 3, tc.Options{MaxStaleness: maxStaleness, GateApply: true})
	ctx := tc.Ctx(t)
	leader, f := c.Leader(), c.Followers()[0]
	if err := f.Client().Get(ctx, "k").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("read on a healthy follower: %v", err)
	}
	f.PauseApply(t)
	if err := leader.Client().Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	want := "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
	tc.Poll(t, 5*time.Second, "reads refused on a follower that has not applied a committed write", func() bool {
		err := f.Client().Get(ctx, "k").Err()
		return err != nil && err.Error() == want
	})
	if since := time.Since(f.Raft.Raft().LastContact()); since > maxStaleness {
		t.Fatalf("the follower last heard from the leader %v ago: the test needs one in contact", since)
	}
	f.ResumeApply()
	tc.Poll(t, 5*time.Second, "the follower serves the write once it has applied it", func() bool {
		got, err := f.Client().Get(ctx, "k").Result()
		return err == nil && got == "v"
	})
}

// setRetrying SETs key on the leader, again on whichever node leads if the
// cluster answers that it could not run the write (an election on a busy
// machine): SET is idempotent, so a write of unknown outcome may be retried.
func setRetrying(t *testing.T, c *tc.Cluster, key, val string) {
	t.Helper()
	setVia(t, c, nil, key, val)
}

// setVia is setRetrying through nd (the leader if nil): a follower
// forwards the write.
func setVia(t *testing.T, c *tc.Cluster, nd *tc.Node, key, val string) {
	t.Helper()
	ctx := tc.Ctx(t)
	var err error
	tc.Poll(t, 20*time.Second, "SET "+key+" to be acknowledged", func() bool {
		via := nd
		if via == nil {
			via = c.Leader()
		}
		err = via.Client().Set(ctx, key, val, 0).Err()
		return err == nil || !(strings.HasPrefix(err.Error(), "UNCERTAIN ") || strings.HasPrefix(err.Error(), "CLUSTERDOWN "))
	})
	if err != nil {
		t.Fatalf("SET %s: %v", key, err)
	}
}

// assertHas checks that nd holds every key of want with its value.
func assertHas(t *testing.T, nd *tc.Node, want map[string]string) {
	t.Helper()
	ctx := tc.Ctx(t)
	tc.Poll(t, 10*time.Second, nd.ID+" holds every acknowledged write", func() bool {
		for k, v := range want {
			got, err := nd.Client().Get(ctx, k).Result()
			if err != nil || got != v {
				return false
			}
		}
		return true
	})
}

func TestReplicationInfoDropsADeadFollower(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	leader := c.Leader()
	ctx := tc.Ctx(t)
	connected := func() string {
		info, err := leader.Client().Info(ctx, "replication").Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(info, "\r\n") {
			if strings.HasPrefix(line, "connected_slaves:") {
				return strings.TrimPrefix(line, "connected_slaves:")
			}
		}
		return ""
	}
	if got := connected(); got != "2" {
		t.Fatalf("connected_slaves = %q, want 2", got)
	}
	dead := c.Followers()[0]
	c.Kill(dead)
	tc.Poll(t, 10*time.Second, "INFO replication to stop counting the killed follower", func() bool { return connected() == "1" })
	role, err := leader.Client().Do(ctx, "ROLE").Slice()
	if err != nil {
		t.Fatal(err)
	}
	if replicas, _ := role[2].([]interface{}); len(replicas) != 1 {
		t.Fatalf("ROLE lists %d replicas, want 1: %v", len(replicas), role)
	}
	c.Restart(dead)
	tc.Poll(t, 10*time.Second, "the restarted follower to count again", func() bool { return connected() == "2" })
}

// Every acknowledged INCR counts exactly once across restarts of the whole
// cluster: the start-up replay of each node's own log, and raft applying
// what follows once a leader is elected, must neither apply an entry twice
// nor skip one. Small snapshot thresholds make the replays start from
// different snapshots on different nodes.
func TestIncrementsCountOnceAcrossFullRestarts(t *testing.T) {
	forEachStore(t, testIncrementsCountOnceAcrossFullRestarts)
}

func testIncrementsCountOnceAcrossFullRestarts(t *testing.T, store raftlog.StoreKind) {
	c := tc.Start(t, 3, tc.Options{SnapshotThreshold: 40, TrailingLogs: 10, Store: store})
	ctx := tc.Ctx(t)
	acked := map[string]int64{}
	for round := range 3 {
		for i := range 150 {
			nd := c.Nodes[i%len(c.Nodes)]
			key := fmt.Sprintf("counter%d", i%7)
			if err := nd.Client().Incr(ctx, key).Err(); err != nil {
				t.Fatalf("round %d: INCR %s via %s: %v", round, key, nd.ID, err)
			}
			acked[key]++
		}
		last := c.Leader().FSM.AppliedIndex()
		waitDurable(t, c, last)
		c.RestartAll()
		c.Leader()
		c.WaitConverged()
		for _, nd := range c.Nodes {
			for key, want := range acked {
				got, err := nd.Client().Get(ctx, key).Int64()
				if err != nil || got != want {
					t.Fatalf("round %d: %s on %s = %d, %v; want %d acknowledged INCRs", round, key, nd.ID, got, err, want)
				}
			}
		}
	}
}

// waitDurable waits until every node has recorded index as committed on its
// disk, so a restart replays up to it.
func waitDurable(t *testing.T, c *tc.Cluster, index uint64) {
	t.Helper()
	tc.Poll(t, 10*time.Second, fmt.Sprintf("every member to record index %d as committed", index), func() bool {
		for _, nd := range c.Nodes {
			if nd.Raft.DurableCommitIndex() < index {
				return false
			}
		}
		return true
	})
}
