package raftlog

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func TestGateCatchUpAppliesEachEntryOnce(t *testing.T) {
	store := raft.NewInmemStore()
	for i := uint64(1); i <= 6; i++ {
		typ := raft.LogCommand
		if i == 3 {
			typ = raft.LogBarrier
		}
		if err := store.StoreLog(&raft.Log{Index: i, Term: 1, Type: typ, Data: []byte{byte(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	fsm := &recordFSM{}
	g := newFSMGate(fsm)
	if err := g.catchUp(store, 5, 2); err != nil {
		t.Fatal(err)
	}
	if len(fsm.applied) != 4 || fsm.index != 5 || !g.handled(5) || g.handled(6) {
		t.Fatalf("after catching up to 5: %d applied, index %d", len(fsm.applied), fsm.index)
	}
	// raft hands over 1..6 once it learns they are committed: only 6 is new.
	var logs []*raft.Log
	for i := uint64(1); i <= 6; i++ {
		l := new(raft.Log)
		_ = store.GetLog(i, l)
		logs = append(logs, l)
	}
	res := g.ApplyBatch(logs)
	if len(fsm.applied) != 5 || fsm.applied[4].Index != 6 || res[5] == nil || res[4] != nil {
		t.Fatalf("raft's delivery after a catch-up: %d applied, results %v", len(fsm.applied), res)
	}
}

// A follower told by the leader that an entry is committed applies it
// from its own log at once, before raft tells it of the commit; raft's
// own delivery later applies nothing twice.
func TestFollowerCatchesUpFromTheLeadersWord(t *testing.T) {
	// Two members: raftis's failure detection, which a busy machine does
	// not trip, rather than the quick one of the single-member tests.
	cfg1 := testConfig(StoreWAL, t.TempDir(), true)
	cfg1.HeartbeatTimeout, cfg1.ElectionTimeout, cfg1.LeaderLeaseTimeout = time.Second, time.Second, 0
	cfg1.CommitTimeout = time.Hour // followers learn commits only with appends
	leader := startOne(t, cfg1)
	defer leader.Close()
	cfg2 := testConfig(StoreWAL, t.TempDir(), false)
	cfg2.ID = "n2"
	cfg2.HeartbeatTimeout, cfg2.ElectionTimeout, cfg2.LeaderLeaseTimeout = time.Second, time.Second, 0
	fsm2 := &countFSM{}
	follower, err := Open(cfg2, fsm2)
	if err != nil {
		t.Fatal(err)
	}
	defer follower.Close()
	if err := leader.AddVoter("n2", follower.RaftAddr(), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var res Applied
	for i := range 5 {
		if res, err = leader.Apply([]byte("x"), 5*time.Second); err != nil {
			t.Fatal(err)
		}
		// Both members store an entry before it commits, and the append
		// that carried it told the follower only of the commits before it.
		if err := follower.CatchUp(ctx, res.Index, res.Term); err != nil {
			t.Fatalf("write %d: CatchUp(%d, %d): %v", i, res.Index, res.Term, err)
		}
		if got := fsm2.count(); got != i+1 {
			t.Fatalf("write %d: the follower applied %d commands right after catching up, want %d", i, got, i+1)
		}
	}
	if err := follower.CatchUp(ctx, res.Index, res.Term+1); err != nil {
		t.Fatalf("CatchUp of an entry applied already: %v, want nil", err)
	}
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	if err := follower.CatchUp(short, res.Index+100, res.Term); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("CatchUp of an entry that never comes: %v, want the context's deadline", err)
	}
	// raft catches up by itself (the commit marker's barrier tells the
	// commit) and applies nothing twice.
	deadline := time.Now().Add(10 * time.Second)
	for follower.Raft().AppliedIndex() < res.Index {
		if time.Now().After(deadline) {
			t.Fatalf("raft on the follower applied up to %d, want %d", follower.Raft().AppliedIndex(), res.Index)
		}
		time.Sleep(markInterval)
	}
	if got := fsm2.count(); got != 5 {
		t.Fatalf("the follower applied %d commands in all, want 5", got)
	}
}

func TestCatchUpChecksTheTerm(t *testing.T) {
	// A member that hears from no one: its log holds what the test puts.
	fsm := &countFSM{}
	n, err := Open(isolated(StoreWAL, t.TempDir()), fsm)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if err := n.logs.StoreLog(&raft.Log{Index: 1, Term: 3, Type: raft.LogCommand, Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// The leader committed another entry at 1 (this one is an old term's
	// leftover): nothing is applied.
	if err := n.CatchUp(ctx, 1, 4); !errors.Is(err, ErrNotInLog) || fsm.count() != 0 {
		t.Fatalf("CatchUp with another term: %v, %d applied; want ErrNotInLog and none", err, fsm.count())
	}
	if err := n.CatchUp(ctx, 1, 3); err != nil || fsm.count() != 1 {
		t.Fatalf("CatchUp with the entry's term: %v, %d applied; want 1", err, fsm.count())
	}
}
