package raftlog

import (
	"encoding/binary"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// countFSM counts applied commands and remembers the index of the last;
// its snapshot holds both, so that after a Restore it knows which entry
// its data is at, as an FSM under a Node must.
type countFSM struct {
	mu    sync.Mutex
	n     int
	index uint64
}

func (f *countFSM) Apply(l *raft.Log) interface{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	f.index = l.Index
	return f.n
}

func (f *countFSM) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func (f *countFSM) AppliedIndex() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.index
}

func (f *countFSM) Snapshot() (raft.FSMSnapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return countSnap{N: uint64(f.n), Index: f.index}, nil
}

func (f *countFSM) Restore(rc io.ReadCloser) error {
	var s countSnap
	if err := binary.Read(rc, binary.BigEndian, &s); err != nil {
		return err
	}
	f.mu.Lock()
	f.n, f.index = int(s.N), s.Index
	f.mu.Unlock()
	return nil
}

// countSnap is the snapshot: fixed-size fields, written as binary.
type countSnap struct{ N, Index uint64 }

func (s countSnap) Persist(sink raft.SnapshotSink) error {
	if err := binary.Write(sink, binary.BigEndian, s); err != nil {
		_ = sink.Cancel()
		return err
	}
	return sink.Close()
}
func (countSnap) Release() {}

// stores are the log stores every test that touches the disk runs on.
var stores = []StoreKind{StoreWAL, StoreBoltDB}

// forEachStore runs fn as a subtest per log store.
func forEachStore(t *testing.T, fn func(t *testing.T, store StoreKind)) {
	for _, store := range stores {
		t.Run(string(store), func(t *testing.T) { fn(t, store) })
	}
}

func testConfig(store StoreKind, dir string, bootstrap bool) Config {
	return Config{
		ID: "n1", RaftAddr: "127.0.0.1:0", Dir: dir, Bootstrap: bootstrap, Store: store,
		HeartbeatTimeout: 100 * time.Millisecond, ElectionTimeout: 100 * time.Millisecond,
		LeaderLeaseTimeout: 50 * time.Millisecond, CommitTimeout: 5 * time.Millisecond,
		Logger: hclog.NewNullLogger(),
	}
}

func waitLeader(t *testing.T, n *Node) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !n.IsLeader() {
		if time.Now().After(deadline) {
			t.Fatal("no leader after 10s")
		}
		select {
		case <-n.LeaderChanged():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func TestBootstrapApplySnapshotRestart(t *testing.T) {
	forEachStore(t, testBootstrapApplySnapshotRestart)
}

func testBootstrapApplySnapshotRestart(t *testing.T, store StoreKind) {
	dir := t.TempDir()
	fsm := &countFSM{}
	n, err := Open(testConfig(store, dir, true), fsm)
	if err != nil {
		t.Fatal(err)
	}
	waitLeader(t, n)
	for i := 1; i <= 5; i++ {
		res, err := n.Apply([]byte("x"), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if res.Response.(int) != i || res.Index == 0 {
			t.Fatalf("apply %d: response %v index %d", i, res.Response, res.Index)
		}
	}
	if err := n.Snapshot(); err != nil {
		t.Fatal(err)
	}
	if n.LastSnapshotTime().IsZero() {
		t.Fatal("LastSnapshotTime is zero after a snapshot")
	}
	// Idempotent membership: adding ourselves again changes nothing.
	if err := n.AddVoter("n1", n.RaftAddr(), time.Second); err != nil {
		t.Fatalf("re-adding the same member: %v", err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	// Restart: state is there, so Bootstrap is ignored and the snapshot is
	// restored before Open returns.
	fsm2 := &countFSM{}
	n2, err := Open(testConfig(store, dir, true), fsm2)
	if err != nil {
		t.Fatal(err)
	}
	defer n2.Close()
	if fsm2.count() != 5 {
		t.Fatalf("restored count %d, want 5", fsm2.count())
	}
	servers, err := n2.Servers()
	if err != nil || len(servers) != 1 || servers[0].ID != "n1" {
		t.Fatalf("servers after restart = %v, %v", servers, err)
	}
}

func TestApplyOnFollowerIsNotLeader(t *testing.T) {
	// A node that neither bootstraps nor joins never leads.
	n, err := Open(testConfig(StoreWAL, t.TempDir(), false), &countFSM{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if _, err := n.Apply([]byte("x"), 100*time.Millisecond); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("Apply on a non-member = %v, want ErrNotLeader", err)
	}
	if id, _ := n.Leader(); id != "" {
		t.Fatalf("leader %q known without a cluster", id)
	}
}
