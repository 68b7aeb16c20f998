package fsm

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unsafe"
)

// storedBytes returns the bytes key holds in db 0, without copying.
func storedBytes(t *testing.T, tf *testFSM, key string) []byte {
	t.Helper()
	it, ok := tf.f.dbs[0].get(key)
	if !ok {
		t.Fatalf("%s: no such key", key)
	}
	s, ok := it.val.(stringValue)
	if !ok {
		t.Fatalf("%s: holds a %s", key, it.val.Type())
	}
	return s
}

// TestSnapshotKeepsStringsChangedInPlace takes a snapshot, changes every
// string in place with each such command, and checks that the snapshot
// still writes the values as they were, while the live data set has the
// new ones.
func TestSnapshotKeepsStringsChangedInPlace(t *testing.T) {
	tf := newTestFSM(t)
	setup := [][]string{
		{"set", "setbit", "abc"},
		{"set", "append", "abc"},
		{"set", "setrange", "abcdef"},
		{"set", "bitfield", "abc"},
		{"pfadd", "pfadd", "a", "b", "c"},
		{"pfadd", "pfmerge", "x"},
		{"pfadd", "src", "y", "z"},
	}
	for _, args := range setup {
		tf.write(args...)
	}
	// Change each value once before the snapshot, so that it is private
	// to the generation the snapshot then closes.
	for _, args := range [][]string{
		{"setbit", "setbit", "0", "1"}, {"append", "append", "d"}, {"setrange", "setrange", "0", "A"},
		{"bitfield", "bitfield", "SET", "u8", "0", "66"}, {"pfadd", "pfadd", "d"}, {"pfmerge", "pfmerge", "src"},
	} {
		tf.write(args...)
	}
	keys := []string{"setbit", "append", "setrange", "bitfield", "pfadd", "pfmerge", "src"}
	before := map[string]string{}
	for _, k := range keys {
		before[k] = tf.read("get", k)
	}
	snap, err := tf.f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	changes := [][]string{
		// First within the string (in place but for the snapshot), then
		// growing it.
		{"setbit", "setbit", "6", "1"},
		{"setbit", "setbit", "100", "1"},
		{"append", "append", "efgh"},
		{"setrange", "setrange", "2", "XY"},
		{"setrange", "setrange", "10", "Z"},
		{"bitfield", "bitfield", "INCRBY", "i8", "8", "5"},
		{"bitfield", "bitfield", "SET", "u4", "100", "15"},
		{"pfadd", "pfadd", "e", "f", "g", "h"},
		{"pfmerge", "pfmerge", "pfadd"},
	}
	for _, args := range changes {
		tf.write(args...)
	}
	var sink memSink
	if err := snap.Persist(&sink); err != nil {
		t.Fatal(err)
	}
	restored := &testFSM{t: t, f: New(), now: tf.now}
	if err := restored.f.Restore(io.NopCloser(bytes.NewReader(sink.Bytes()))); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if got := restored.read("get", k); got != before[k] {
			t.Errorf("snapshot holds %s = %.60q, want the value at snapshot time %.60q", k, got, before[k])
		}
	}
	for _, k := range keys[:6] {
		if got := tf.read("get", k); got == before[k] {
			t.Errorf("live %s unchanged (%.60q) after the writes", k, got)
		}
	}
	tf.check([]replyCase{
		{cmd("get", "setbit"), bulkR("\xe3bc" + strings.Repeat("\x00", 9) + "\x08")},
		{cmd("get", "append"), bulkR("abcdefgh")},
		{cmd("get", "setrange"), bulkR("AbXYef\x00\x00\x00\x00Z")},
		{cmd("bitfield_ro", "bitfield", "GET", "u8", "0", "GET", "i8", "8", "GET", "u4", "100"), arrR(intR(66), intR(103), intR(15))},
	})
}

// TestStringsGrowInPlace checks that a value private to the current
// generation is changed in place: a run of APPENDs or SETBITs reuses the
// buffer (capacity grows geometrically), a snapshot makes the next change
// copy once, and the copy is then changed in place again.
func TestStringsGrowInPlace(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("append", "k", "x")
	reallocs := 0
	prev := unsafe.SliceData(storedBytes(t, tf, "k"))
	for range 10000 {
		tf.write("append", "k", "0123456789")
		if p := unsafe.SliceData(storedBytes(t, tf, "k")); p != prev {
			reallocs++
			prev = p
		}
	}
	// Doubling up to 1 MiB: about log2(100001) reallocations, not 10000.
	if reallocs > 20 {
		t.Errorf("10000 APPENDs reallocated %d times, want about 17", reallocs)
	}
	if got := tf.read("strlen", "k"); got != intR(100001) {
		t.Fatalf("strlen %q", got)
	}

	tf.write("setbit", "b", "7", "1")
	first := unsafe.SliceData(storedBytes(t, tf, "b"))
	tf.write("setbit", "b", "6", "1")
	tf.write("setbit", "b", "5", "1")
	if unsafe.SliceData(storedBytes(t, tf, "b")) != first {
		t.Error("SETBIT within the string copied it")
	}
	if _, err := tf.f.Snapshot(); err != nil {
		t.Fatal(err)
	}
	tf.write("setbit", "b", "4", "1")
	copied := unsafe.SliceData(storedBytes(t, tf, "b"))
	if copied == first {
		t.Fatal("SETBIT after a snapshot changed the shared bytes in place")
	}
	tf.write("setbit", "b", "3", "1")
	if unsafe.SliceData(storedBytes(t, tf, "b")) != copied {
		t.Error("the private copy was copied again")
	}
	if got := tf.read("get", "b"); got != bulkR("\x1f") {
		t.Errorf("get b = %q", got)
	}
	// A SETBIT that changes nothing makes no copy of a shared value.
	if _, err := tf.f.Snapshot(); err != nil {
		t.Fatal(err)
	}
	tf.write("setbit", "b", "3", "1")
	if unsafe.SliceData(storedBytes(t, tf, "b")) != copied {
		t.Error("a SETBIT that changed nothing copied the value")
	}
}

// TestCopiedStringsAreIndependent checks that COPY gives the destination
// bytes of its own, so an in-place change of one leaves the other alone.
func TestCopiedStringsAreIndependent(t *testing.T) {
	tf := newTestFSM(t)
	tf.check([]replyCase{
		{cmd("set", "a", "abc"), okR()},
		{cmd("copy", "a", "b"), intR(1)},
		{cmd("setbit", "b", "0", "1"), intR(0)},
		{cmd("setrange", "a", "1", "X"), intR(3)},
		{cmd("get", "a"), bulkR("aXc")},
		{cmd("get", "b"), bulkR("\xe1bc")},
		{cmd("pfadd", "h", "1"), intR(1)},
		{cmd("copy", "h", "h2"), intR(1)},
		{cmd("pfadd", "h2", "2"), intR(1)},
		{cmd("pfcount", "h"), intR(1)},
		{cmd("pfcount", "h2"), intR(2)},
	})
}
