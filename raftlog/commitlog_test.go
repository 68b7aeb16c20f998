package raftlog

import (
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func mustCommitLog(t *testing.T, store raft.LogStore) *commitLog {
	t.Helper()
	c, err := newCommitLog(store)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCommitLogRecordsStagedIndexWithLastLog(t *testing.T) {
	c := mustCommitLog(t, raft.NewInmemStore())
	if ci, err := c.recorded(); err != nil || ci != 0 {
		t.Fatalf("empty log: recorded %d, %v", ci, err)
	}
	logs := []*raft.Log{
		{Index: 1, Term: 1, Type: raft.LogCommand, Data: []byte("a")},
		{Index: 2, Term: 1, Type: raft.LogCommand, Data: []byte("b")},
	}
	if err := c.StageCommitIndex(1); err != nil {
		t.Fatal(err)
	}
	if err := c.StoreLogs(logs); err != nil {
		t.Fatal(err)
	}
	for _, l := range logs {
		if l.Extensions != nil {
			t.Fatalf("caller's log %d modified: %x", l.Index, l.Extensions)
		}
	}
	if ci, _ := c.recorded(); ci != 1 {
		t.Fatalf("recorded %d, want 1", ci)
	}
	var stored raft.Log
	if err := c.GetLog(2, &stored); err != nil || string(stored.Data) != "b" {
		t.Fatalf("stored log 2 = %+v, %v", stored, err)
	}
	if c.durable.Load() != 1 || c.lastData.Load() != 2 {
		t.Fatalf("durable %d lastData %d, want 1 and 2", c.durable.Load(), c.lastData.Load())
	}

	// A staged index past the appended logs is recorded as the last log.
	_ = c.StageCommitIndex(9)
	if err := c.StoreLog(&raft.Log{Index: 3, Term: 1, Type: raft.LogBarrier}); err != nil {
		t.Fatal(err)
	}
	if ci, _ := c.recorded(); ci != 3 {
		t.Fatalf("recorded %d, want 3 (clamped to the last log)", ci)
	}
	if c.lastData.Load() != 2 {
		t.Fatalf("a barrier moved lastData to %d", c.lastData.Load())
	}

	// Truncating the suffix leaves the index recorded with the new last log.
	if err := c.DeleteRange(3, 3); err != nil {
		t.Fatal(err)
	}
	if ci, _ := c.recorded(); ci != 1 || c.durable.Load() != 1 {
		t.Fatalf("after truncation: recorded %d durable %d, want 1", ci, c.durable.Load())
	}
}

// A follower that recorded 100 must not record less when a new leader's
// first append carries that leader's older commit index.
func TestRecordedCommitIndexNeverMovesBackwards(t *testing.T) {
	c := mustCommitLog(t, raft.NewInmemStore())
	var logs []*raft.Log
	for i := uint64(1); i <= 100; i++ {
		logs = append(logs, &raft.Log{Index: i, Term: 1, Type: raft.LogCommand})
	}
	_ = c.StageCommitIndex(100)
	if err := c.StoreLogs(logs); err != nil {
		t.Fatal(err)
	}
	_ = c.StageCommitIndex(90)
	if err := c.StoreLog(&raft.Log{Index: 101, Term: 2, Type: raft.LogNoop}); err != nil {
		t.Fatal(err)
	}
	if ci, _ := c.recorded(); ci != 100 || c.durable.Load() != 100 {
		t.Fatalf("recorded %d (durable %d) after staging 90 over 100, want 100", ci, c.durable.Load())
	}
	// The same after a restart: the floor comes from the disk.
	c = mustCommitLog(t, c.LogStore)
	_ = c.StageCommitIndex(95)
	if err := c.StoreLog(&raft.Log{Index: 102, Term: 2, Type: raft.LogCommand}); err != nil {
		t.Fatal(err)
	}
	if ci, _ := c.recorded(); ci != 100 {
		t.Fatalf("recorded %d after a reopen and staging 95, want 100", ci)
	}
	_ = c.StageCommitIndex(102)
	if err := c.StoreLog(&raft.Log{Index: 103, Term: 2, Type: raft.LogCommand}); err != nil {
		t.Fatal(err)
	}
	if ci, _ := c.recorded(); ci != 102 {
		t.Fatalf("recorded %d, want the staged 102", ci)
	}
}

func TestCommitLogIgnoresForeignExtensions(t *testing.T) {
	store := raft.NewInmemStore()
	if err := store.StoreLog(&raft.Log{Index: 1, Term: 1, Type: raft.LogCommand, Extensions: []byte("something else")}); err != nil {
		t.Fatal(err)
	}
	if c := mustCommitLog(t, store); c.durable.Load() != 0 || c.recordedAtOpen != 0 {
		t.Fatalf("recorded %d; want 0 for Extensions not written by commitLog", c.durable.Load())
	}
}

// isolated is a config for reopening a member so that during the test it
// neither campaigns nor hears from a leader: whatever its FSM holds when
// Open returns comes from its own disk.
func isolated(store StoreKind, dir string) Config {
	cfg := testConfig(store, dir, false)
	// The lease stays short: a restart waits one out (holdOffVotes).
	cfg.HeartbeatTimeout, cfg.ElectionTimeout = time.Hour, time.Hour
	return cfg
}

// applyN applies n entries and waits until the last is recorded as
// committed on disk, which the commit marker does once writes pause.
func applyN(t *testing.T, n *Node, count int) {
	t.Helper()
	var last uint64
	for range count {
		res, err := n.Apply([]byte("x"), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		last = res.Index
	}
	deadline := time.Now().Add(10 * time.Second)
	for n.DurableCommitIndex() < last {
		if time.Now().After(deadline) {
			t.Fatalf("durable commit index %d, want %d: the commit marker did not run", n.DurableCommitIndex(), last)
		}
		time.Sleep(markInterval)
	}
}

// startOne opens a member with cfg and waits until it leads.
func startOne(t *testing.T, cfg Config) *Node {
	t.Helper()
	n, err := Open(cfg, &countFSM{})
	if err != nil {
		t.Fatal(err)
	}
	waitLeader(t, n)
	return n
}

// reopenIsolated closes n and opens its directory again as an isolated
// member, returning it with its FSM.
func reopenIsolated(t *testing.T, n *Node, cfg Config) (*Node, *countFSM) {
	t.Helper()
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	fsm := &countFSM{}
	n2, err := Open(cfg, fsm)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n2.Close() })
	return n2, fsm
}

func TestRestartReplaysCommittedEntriesBeforeLeaderContact(t *testing.T) {
	forEachStore(t, testRestartReplaysCommittedEntriesBeforeLeaderContact)
}

func testRestartReplaysCommittedEntriesBeforeLeaderContact(t *testing.T, store StoreKind) {
	dir := t.TempDir()
	n := startOne(t, testConfig(store, dir, true))
	applyN(t, n, 5)
	if err := n.Snapshot(); err != nil {
		t.Fatal(err)
	}
	applyN(t, n, 7)
	n2, fsm := reopenIsolated(t, n, isolated(store, dir))
	if got := fsm.count(); got != 12 {
		t.Fatalf("after restart with no leader: %d entries applied, want 12 (5 in the snapshot, 7 replayed)", got)
	}
	if id, _ := n2.Leader(); id != "" {
		t.Fatalf("leader %q known: the test needs a member that has heard from no one", id)
	}
}

// raft's own replay queues one batch of MaxAppendEntries entries per slot
// of a 128-slot channel before the FSM runs; with one entry per batch, 300
// entries would block it for good. raftis's replay has no such bound.
func TestRestartReplaysPastRaftsQueue(t *testing.T) {
	forEachStore(t, testRestartReplaysPastRaftsQueue)
}

func testRestartReplaysPastRaftsQueue(t *testing.T, store StoreKind) {
	dir := t.TempDir()
	cfg := testConfig(store, dir, true)
	cfg.MaxAppendEntries = 1
	n := startOne(t, cfg)
	applyN(t, n, 3)
	if err := n.Snapshot(); err != nil {
		t.Fatal(err)
	}
	applyN(t, n, 300)
	re := isolated(store, dir)
	re.MaxAppendEntries = 1
	_, fsm := reopenIsolated(t, n, re)
	if got := fsm.count(); got != 303 {
		t.Fatalf("%d entries applied after restart, want all 303 (3 in the snapshot, 300 replayed)", got)
	}
}

// raft rebuilds the membership by scanning the log after what it applied;
// the replay must leave that scan the whole log after the snapshot.
func TestRestartReplaysPastAMembershipChangeAndKeepsIt(t *testing.T) {
	forEachStore(t, testRestartReplaysPastAMembershipChangeAndKeepsIt)
}

func testRestartReplaysPastAMembershipChangeAndKeepsIt(t *testing.T, store StoreKind) {
	dir := t.TempDir()
	n := startOne(t, testConfig(store, dir, true))
	applyN(t, n, 5)
	if err := n.Snapshot(); err != nil {
		t.Fatal(err)
	}
	// A non-voter does not count for quorum: the change commits alone.
	if err := n.Raft().AddNonvoter("n9", "127.0.0.1:9", 0, time.Second).Error(); err != nil {
		t.Fatal(err)
	}
	applyN(t, n, 7)
	n2, fsm := reopenIsolated(t, n, isolated(store, dir))
	if got := fsm.count(); got != 12 {
		t.Fatalf("%d entries applied after restart, want 12", got)
	}
	servers, err := n2.Servers()
	if err != nil {
		t.Fatal(err)
	}
	if len(servers) != 2 || servers[1].ID != "n9" {
		t.Fatalf("membership after restart = %+v, want n1 and the non-voter n9", servers)
	}
}

// After a replay raft hands the replayed entries to the FSM again once it
// learns they are committed (here: once the restarted member leads); each
// must be applied once.
func TestReplayedEntriesAreNotAppliedTwice(t *testing.T) {
	forEachStore(t, func(t *testing.T, store StoreKind) {
		dir := t.TempDir()
		n := startOne(t, testConfig(store, dir, true))
		applyN(t, n, 4)
		if err := n.Snapshot(); err != nil {
			t.Fatal(err)
		}
		applyN(t, n, 6)
		if err := n.Close(); err != nil {
			t.Fatal(err)
		}
		fsm := &countFSM{}
		n2, err := Open(testConfig(store, dir, false), fsm)
		if err != nil {
			t.Fatal(err)
		}
		defer n2.Close()
		if got := fsm.count(); got != 10 {
			t.Fatalf("%d entries applied after the replay, want 10", got)
		}
		waitLeader(t, n2)
		if err := n2.Barrier(5 * time.Second); err != nil {
			t.Fatal(err)
		}
		res, err := n2.Apply([]byte("x"), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Response.(int); got != 11 {
			t.Fatalf("the first write after the restart is the FSM's command %d, want 11", got)
		}
	})
}

func TestAppliedGuardSkipsWhatTheFSMHas(t *testing.T) {
	fsm := &countFSM{}
	g := newFSMGate(fsm)
	logs := func(from, to uint64) []*raft.Log {
		var out []*raft.Log
		for i := from; i <= to; i++ {
			out = append(out, &raft.Log{Index: i, Type: raft.LogCommand})
		}
		return out
	}
	if res := g.ApplyBatch(logs(1, 3)); len(res) != 3 || res[2] != 3 {
		t.Fatalf("first batch: %v", res)
	}
	res := g.ApplyBatch(logs(2, 5))
	if len(res) != 4 || res[0] != nil || res[1] != nil || res[2] != 4 || res[3] != 5 {
		t.Fatalf("overlapping batch 2..5: results %v, want [nil nil 4 5]", res)
	}
	if g.Apply(&raft.Log{Index: 5, Type: raft.LogCommand}) != nil || fsm.count() != 5 {
		t.Fatalf("an entry applied already was applied again: count %d", fsm.count())
	}
	// A configuration entry never reaches a plain FSM's Apply.
	if res := g.ApplyBatch([]*raft.Log{{Index: 6, Type: raft.LogConfiguration}}); res[0] != nil || fsm.count() != 5 {
		t.Fatalf("configuration entry applied: %v, count %d", res, fsm.count())
	}
}

func TestApplyLagCountsFromTheFirstUnappliedCommit(t *testing.T) {
	var a applyLag
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	data := func(from, to uint64) bool { return to > from } // every entry is data
	if since := a.observe(at(0), 10, 10, data); !since.IsZero() {
		t.Fatalf("caught up, yet behind since %v", since)
	}
	if since := a.observe(at(10), 12, 10, data); !since.Equal(at(10)) {
		t.Fatalf("behind since %v, want the first sight of 12", since)
	}
	// Still behind on 12 while 14 arrives: the lag counts from 12.
	if since := a.observe(at(20), 14, 11, data); !since.Equal(at(10)) {
		t.Fatalf("behind since %v, want 10ms (12 is not applied)", since)
	}
	// 12 applied, 14 not: now it counts from 14's sighting.
	if since := a.observe(at(30), 14, 12, data); !since.Equal(at(20)) {
		t.Fatalf("behind since %v, want 20ms", since)
	}
	if since := a.observe(at(40), 14, 14, data); !since.IsZero() {
		t.Fatalf("caught up, yet behind since %v", since)
	}
	// Entries the FSM never sees (barriers) do not make a member behind.
	none := func(from, to uint64) bool { return false }
	if since := a.observe(at(50), 16, 14, none); !since.IsZero() {
		t.Fatalf("only barriers unapplied, yet behind since %v", since)
	}
}
