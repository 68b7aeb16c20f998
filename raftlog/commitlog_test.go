package raftlog

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func TestCommitLogRecordsStagedIndexWithLastLog(t *testing.T) {
	c := newCommitLog(raft.NewInmemStore())
	if ci, err := c.GetCommitIndex(); err != nil || ci != 0 {
		t.Fatalf("empty log: commit index %d, %v", ci, err)
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
	if ci, _ := c.GetCommitIndex(); ci != 1 {
		t.Fatalf("commit index %d, want 1", ci)
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
	if ci, _ := c.GetCommitIndex(); ci != 3 {
		t.Fatalf("commit index %d, want 3 (clamped to the last log)", ci)
	}
	if c.lastData.Load() != 2 {
		t.Fatalf("a barrier moved lastData to %d", c.lastData.Load())
	}

	// A replay goes at most maxReplay entries past the restored snapshot.
	c.maxReplay = 2
	if ci, _ := c.GetCommitIndex(); ci != 2 {
		t.Fatalf("commit index %d, want 2 (maxReplay past no snapshot)", ci)
	}
	c.restored.Store(1)
	if ci, _ := c.GetCommitIndex(); ci != 3 {
		t.Fatalf("commit index %d, want 3 (maxReplay past the snapshot at 1)", ci)
	}
	c.maxReplay, c.restored = ^uint64(0)>>1, atomic.Uint64{}

	// Truncating the suffix leaves the index recorded with the new last log.
	if err := c.DeleteRange(3, 3); err != nil {
		t.Fatal(err)
	}
	if ci, _ := c.GetCommitIndex(); ci != 1 || c.durable.Load() != 1 {
		t.Fatalf("after truncation: commit index %d durable %d, want 1", ci, c.durable.Load())
	}
}

func TestCommitLogReplayStopsBeforeConfiguration(t *testing.T) {
	c := newCommitLog(raft.NewInmemStore())
	_ = c.StageCommitIndex(4)
	err := c.StoreLogs([]*raft.Log{
		{Index: 1, Term: 1, Type: raft.LogCommand},
		{Index: 2, Term: 1, Type: raft.LogConfiguration},
		{Index: 3, Term: 1, Type: raft.LogCommand},
		{Index: 4, Term: 1, Type: raft.LogCommand},
		{Index: 5, Term: 1, Type: raft.LogCommand},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.lastConfig.Load() != 2 || c.lastData.Load() != 5 {
		t.Fatalf("lastConfig %d lastData %d, want 2 and 5", c.lastConfig.Load(), c.lastData.Load())
	}
	if ci, _ := c.GetCommitIndex(); ci != 1 {
		t.Fatalf("replay to %d, want 1: stop before the configuration at 2", ci)
	}
	c.restored.Store(2) // a snapshot includes the configuration
	if ci, _ := c.GetCommitIndex(); ci != 4 {
		t.Fatalf("replay to %d, want the recorded commit index 4", ci)
	}
}

func TestCommitLogIgnoresForeignExtensions(t *testing.T) {
	store := raft.NewInmemStore()
	if err := store.StoreLog(&raft.Log{Index: 1, Term: 1, Type: raft.LogCommand, Extensions: []byte("something else")}); err != nil {
		t.Fatal(err)
	}
	if ci, err := newCommitLog(store).GetCommitIndex(); err != nil || ci != 0 {
		t.Fatalf("commit index %d, %v; want 0 for Extensions not written by commitLog", ci, err)
	}
}

// indexFSM counts applied commands and tracks the last index it was given,
// with the WaitApplied that Open uses to wait for the replay.
type indexFSM struct {
	countFSM
	mu      sync.Mutex
	index   uint64
	changed chan struct{}
}

func newIndexFSM() *indexFSM { return &indexFSM{changed: make(chan struct{})} }

func (f *indexFSM) Apply(l *raft.Log) interface{} {
	res := f.countFSM.Apply(l)
	f.mu.Lock()
	f.index = l.Index
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
	return res
}

func (f *indexFSM) WaitApplied(ctx context.Context, index uint64) error {
	for {
		f.mu.Lock()
		done, ch := f.index >= index, f.changed
		f.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// isolated is a config for reopening a member so that during the test it
// neither campaigns nor hears from a leader: whatever its FSM holds when
// Open returns comes from its own disk.
func isolated(store StoreKind, dir string) Config {
	cfg := testConfig(store, dir, false)
	cfg.HeartbeatTimeout, cfg.ElectionTimeout, cfg.LeaderLeaseTimeout = time.Hour, time.Hour, time.Hour
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
	n, err := Open(cfg, newIndexFSM())
	if err != nil {
		t.Fatal(err)
	}
	waitLeader(t, n)
	return n
}

// reopenIsolated closes n and opens its directory again as an isolated
// member, returning it with its FSM.
func reopenIsolated(t *testing.T, n *Node, cfg Config) (*Node, *indexFSM) {
	t.Helper()
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	fsm := newIndexFSM()
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

func TestRestartReplayIsCapped(t *testing.T) { forEachStore(t, testRestartReplayIsCapped) }

func testRestartReplayIsCapped(t *testing.T, store StoreKind) {
	// With one entry per batch, replaying 200 entries would need 200 of
	// raft's 128 queue slots and block NewRaft; the cap stops at 64.
	dir := t.TempDir()
	cfg := testConfig(store, dir, true)
	cfg.MaxAppendEntries = 1
	n := startOne(t, cfg)
	applyN(t, n, 3)
	if err := n.Snapshot(); err != nil {
		t.Fatal(err)
	}
	snapIndex := n.Status().LastSnapshot
	applyN(t, n, 200)
	re := isolated(store, dir)
	re.MaxAppendEntries = 1
	n2, fsm := reopenIsolated(t, n, re)
	if got, want := n2.Raft().AppliedIndex(), snapIndex+replayBatches; got != want {
		t.Fatalf("replayed up to %d, want the cap %d", got, want)
	}
	// Commit-marker barriers in the range are not applied as commands.
	if got := fsm.count(); got <= 3+replayBatches/2 || got > 3+replayBatches {
		t.Fatalf("%d entries applied after a capped replay, want up to %d", got, 3+replayBatches)
	}
}

func TestRestartAfterAMembershipChangeKeepsItAndReplays(t *testing.T) {
	forEachStore(t, testRestartAfterAMembershipChangeKeepsItAndReplays)
}

func testRestartAfterAMembershipChangeKeepsItAndReplays(t *testing.T, store StoreKind) {
	// raft rebuilds membership by scanning the log after what it applied,
	// so a replay must not pass a configuration entry that no snapshot
	// holds; each member snapshots after a membership change so that the
	// replay need not stop there.
	dir := t.TempDir()
	n := startOne(t, testConfig(store, dir, true))
	applyN(t, n, 5)
	// A non-voter does not count for quorum: the change commits alone.
	f := n.Raft().AddNonvoter("n9", "127.0.0.1:9", 0, time.Second)
	if err := f.Error(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for n.Status().LastSnapshot < f.Index() {
		if time.Now().After(deadline) {
			t.Fatalf("no snapshot includes the membership change at %d (last snapshot %d)", f.Index(), n.Status().LastSnapshot)
		}
		time.Sleep(markInterval)
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
