package fsm

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/raft"

	"github.com/raftis/raftis/internal/testredis"
)

// memSink is a raft.SnapshotSink that keeps the snapshot in memory.
type memSink struct {
	bytes.Buffer
	closed, cancelled bool
}

func (s *memSink) ID() string    { return "mem" }
func (s *memSink) Close() error  { s.closed = true; return nil }
func (s *memSink) Cancel() error { s.cancelled = true; return nil }

var _ raft.SnapshotSink = (*memSink)(nil)

func TestSnapshotIsPointInTimeAndRestores(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "a", "1")
	tf.write("SET", "b", "2", "PX", "5000")
	tf.writeEntry(Cmd{DB: 3, Args: toArgs([]string{"SET", "c", "in db 3"})})
	snapIndex := tf.f.AppliedIndex()
	snap, err := tf.f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	want, err := tf.f.Digest()
	if err != nil {
		t.Fatal(err)
	}
	// Changes after Snapshot must not show in what Persist writes.
	tf.write("SET", "a", "changed")
	tf.write("DEL", "b")
	tf.write("SET", "d", "new")
	var sink memSink
	if err := snap.Persist(&sink); err != nil {
		t.Fatal(err)
	}
	if !sink.closed || sink.cancelled {
		t.Fatalf("sink closed=%v cancelled=%v, want closed only", sink.closed, sink.cancelled)
	}
	restored := New()
	if err := restored.Restore(io.NopCloser(bytes.NewReader(sink.Bytes()))); err != nil {
		t.Fatal(err)
	}
	got, err := restored.Digest()
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("restored digest %x, want the digest at snapshot time %x", got, want)
	}
	rt := &testFSM{t: t, f: restored, now: tf.now}
	rt.check([]replyCase{
		{cmd("GET", "a"), bulkR("1")},
		{cmd("PTTL", "b"), intR(5000)},
		{cmd("GET", "d"), nullR()},
	})
	rt.db = 3
	rt.check([]replyCase{{cmd("GET", "c"), bulkR("in db 3")}})
	if restored.Clock() != tf.now {
		t.Fatalf("restored clock %d, want %d", restored.Clock(), tf.now)
	}
	if snapIndex != 3 || restored.AppliedIndex() != snapIndex {
		t.Fatalf("restored applied index %d, want the index at snapshot time %d (3)", restored.AppliedIndex(), snapIndex)
	}
}

func TestRestoreFailureKeepsOldState(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "keep", "me")
	bad := []byte("REDIS0010\xfe\x00\x00\x01k\x05hello\xff\x00\x00\x00\x00\x00\x00\x00\x01") // wrong checksum
	if err := tf.f.Restore(io.NopCloser(bytes.NewReader(bad))); err == nil {
		t.Fatal("Restore accepted a file with a bad checksum")
	}
	tf.check([]replyCase{{cmd("GET", "keep"), bulkR("me")}})
}

func TestNodeEntriesTravelInSnapshots(t *testing.T) {
	tf := newTestFSM(t)
	tf.index++
	e := Entry{Type: EntryNode, Cmds: []Cmd{{Args: toArgs([]string{"set", "n1", "127.0.0.1:6379"})}}}
	tf.f.Apply(&raft.Log{Index: tf.index, Type: raft.LogCommand, Data: e.Encode(nil)})
	var buf bytes.Buffer
	if err := tf.f.WriteRDB(&buf); err != nil {
		t.Fatal(err)
	}
	restored := New()
	if err := restored.Restore(io.NopCloser(&buf)); err != nil {
		t.Fatal(err)
	}
	if got := restored.Nodes()["n1"]; got != "127.0.0.1:6379" {
		t.Fatalf("restored node address %q, want 127.0.0.1:6379", got)
	}
}

// TestSnapshotLoadsInRedis checks the snapshot against the real tools: the
// file passes redis-check-rdb.
func TestSnapshotLoadsInRedis(t *testing.T) {
	check := testredis.Need(t, "redis-check-rdb")
	tf := newTestFSM(t)
	tf.write("SET", "s", "string value")
	tf.write("SET", "n", "12345")
	tf.write("SET", "bin", "\x00\xff\r\n")
	tf.write("SET", "ttl", "x", "EX", "1000")
	path := filepath.Join(t.TempDir(), "dump.rdb")
	var buf bytes.Buffer
	if err := tf.f.WriteRDB(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(check, path).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("RDB looks OK")) {
		t.Fatalf("redis-check-rdb: %v\n%s", err, out)
	}
}

func TestReadsDoNotMutateExpiredKeys(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "k", "v", "PX", "10")
	tf.now += 10
	tf.check([]replyCase{{cmd("GET", "k"), nullR()}})
	if n := tf.f.dbs[0].Len(); n != 1 {
		t.Fatalf("a read removed an expired key: %d keys left, want 1", n)
	}
	// A sweep deletes it only if it is expired at the sweep's time.
	sweep := func(at int64) {
		tf.index++
		e := Entry{Type: EntryExpire, Time: at, Cmds: []Cmd{{Args: toArgs([]string{"k"})}}}
		tf.f.Apply(&raft.Log{Index: tf.index, Type: raft.LogCommand, Data: e.Encode(nil)})
	}
	sweep(tf.now - 5) // before the deadline: the key stays
	if n := tf.f.dbs[0].Len(); n != 1 {
		t.Fatalf("a sweep before the deadline removed the key: %d keys left, want 1", n)
	}
	sweep(tf.now)
	if n := tf.f.dbs[0].Len(); n != 0 {
		t.Fatalf("sweep left %d keys, want 0", n)
	}
}
