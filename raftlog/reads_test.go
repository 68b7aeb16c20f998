package raftlog

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// startThree starts a three-member cluster: n1 bootstraps, n2 and n3 join.
// Its timeouts are the in-process clusters' (testcluster): three members
// with the race detector on a busy machine lose leadership now and then
// with testConfig's.
func startThree(t *testing.T) []*Node {
	t.Helper()
	var nodes []*Node
	for i := 1; i <= 3; i++ {
		cfg := testConfig(StoreWAL, t.TempDir(), i == 1)
		cfg.ID = fmt.Sprintf("n%d", i)
		cfg.HeartbeatTimeout, cfg.ElectionTimeout, cfg.LeaderLeaseTimeout = 400*time.Millisecond, 400*time.Millisecond, 200*time.Millisecond
		n, err := Open(cfg, &countFSM{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = n.Close() })
		if i == 1 {
			waitLeader(t, n)
		} else if err := nodes[0].AddVoter(cfg.ID, n.RaftAddr(), 5*time.Second); err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, n)
	}
	return nodes
}

// leaderOf waits until one of nodes leads and returns it.
func leaderOf(t *testing.T, nodes []*Node) *Node {
	t.Helper()
	var leader *Node
	waitCond(t, 10*time.Second, "a leader", func() bool {
		for _, n := range nodes {
			if n.IsLeader() {
				leader = n
				return true
			}
		}
		return false
	})
	return leader
}

func waitCond(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestReadIndexCoversAcknowledgedWrites(t *testing.T) {
	nodes := startThree(t)
	leader := leaderOf(t, nodes)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for range 5 {
		res, err := leader.Apply([]byte("x"), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		for name, read := range map[string]func(context.Context) (ReadIndex, error){
			"ReadIndex": leader.ReadIndex, "LeaseReadIndex": leader.LeaseReadIndex,
		} {
			ri, err := read(ctx)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if ri.Index < res.Index || ri.Term != leader.Raft().CurrentTerm() {
				t.Fatalf("%s = %+v after a write at %d in term %d", name, ri, res.Index, leader.Raft().CurrentTerm())
			}
			if !leader.AppliedThrough(ri.Index) {
				t.Fatalf("%s: the leader has not applied through %d, its own acknowledged write", name, ri.Index)
			}
		}
	}
	for _, n := range nodes {
		if n == leader {
			continue
		}
		if _, err := n.ReadIndex(ctx); !errors.Is(err, ErrNotLeader) {
			t.Fatalf("ReadIndex on follower %s: %v, want ErrNotLeader", n.cfg.ID, err)
		}
		if _, err := n.LeaseReadIndex(ctx); !errors.Is(err, ErrNotLeader) {
			t.Fatalf("LeaseReadIndex on follower %s: %v, want ErrNotLeader", n.cfg.ID, err)
		}
	}
}

// Reads that arrive while a confirmation round runs share the next one.
func TestConcurrentReadIndexesShareRounds(t *testing.T) {
	nodes := startThree(t)
	leader := leaderOf(t, nodes)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := leader.ReadIndex(ctx); err != nil {
		t.Fatal(err)
	}
	before := leader.ReadRounds()
	const readers, each = 20, 10
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if _, err := leader.ReadIndex(ctx); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rounds := leader.ReadRounds() - before
	if rounds == 0 || rounds > readers*each/2 {
		t.Fatalf("%d confirmation rounds for %d reads, want at most half as many", rounds, readers*each)
	}
	t.Logf("%d reads, %d rounds", readers*each, rounds)
}

// A leader cut off from its followers loses its lease and cannot confirm
// its leadership: it serves neither kind of read.
func TestIsolatedLeaderServesNoFreshRead(t *testing.T) {
	nodes := startThree(t)
	leader := leaderOf(t, nodes)
	waitCond(t, 5*time.Second, "the leader's lease", leader.LeaseHolds)
	for _, n := range nodes {
		if n != leader {
			_ = n.Close()
		}
	}
	waitCond(t, 5*time.Second, "the lease to lapse", func() bool { return !leader.LeaseHolds() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for name, read := range map[string]func(context.Context) (ReadIndex, error){
		"ReadIndex": leader.ReadIndex, "LeaseReadIndex": leader.LeaseReadIndex,
	} {
		if ri, err := read(ctx); err == nil {
			t.Fatalf("%s on a leader without followers: %+v, want an error", name, ri)
		}
	}
}

// A leader that started a leadership transfer holds no lease for the rest
// of its term: the candidate may win votes from followers that know it.
func TestTransferVoidsTheLease(t *testing.T) {
	nodes := startThree(t)
	leader := leaderOf(t, nodes)
	waitCond(t, 5*time.Second, "the leader's lease", leader.LeaseHolds)
	term := leader.Raft().CurrentTerm()
	if err := leader.Transfer(""); err != nil {
		t.Fatal(err)
	}
	if leader.Raft().CurrentTerm() == term && leader.LeaseHolds() {
		t.Fatal("the lease holds after a leadership transfer in the same term")
	}
	next := leaderOf(t, nodes)
	waitCond(t, 5*time.Second, "the new leader's lease", next.LeaseHolds)
}

// The leader knows, from the followers' answers, which of them hold an
// entry; a stopped follower holds none of the later ones.
func TestStoredOnCountsFollowersThatHoldTheEntry(t *testing.T) {
	nodes := startThree(t)
	leader := leaderOf(t, nodes)
	res, err := leader.Apply([]byte("x"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	self := leader.cfg.ID
	waitCond(t, 5*time.Second, "both followers to hold the entry", func() bool { return leader.StoredOn(res.Index, self) == 2 })
	var stopped *Node
	for _, n := range nodes {
		if n != leader {
			stopped = n
			break
		}
	}
	if err := stopped.Close(); err != nil {
		t.Fatal(err)
	}
	res2, err := leader.Apply([]byte("y"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got := leader.StoredOn(res2.Index, self); got != 1 {
		t.Fatalf("StoredOn after a follower stopped = %d, want 1", got)
	}
	if got := leader.StoredOn(res2.Index, stopped.cfg.ID); got != 2 {
		t.Fatalf("StoredOn except the stopped follower = %d, want 2 (the leader and the live follower)", got)
	}
	for _, r := range leader.Replicas() {
		switch {
		case r.ID == stopped.cfg.ID && r.Match >= res2.Index:
			t.Fatalf("the stopped follower has match %d, past the write it never got (%d)", r.Match, res2.Index)
		case r.ID != stopped.cfg.ID && r.Match < res2.Index:
			t.Fatalf("the live follower %s has match %d, want at least %d", r.ID, r.Match, res2.Index)
		case r.LastContact.IsZero():
			t.Fatalf("no contact with %s recorded", r.ID)
		}
	}
	for _, n := range nodes {
		if n != leader && n != stopped && n.StoredOn(res.Index, "") != 0 {
			t.Fatal("a follower counts replicas")
		}
	}
}
