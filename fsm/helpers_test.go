package fsm

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
	"github.com/hashicorp/raft"

	"github.com/raftis/raftis/internal/resp"
)

// testFSM drives an FSM the way Raft does, one entry per call, with a clock
// the test controls.
type testFSM struct {
	t     testing.TB
	f     *FSM
	now   int64 // ms, the time stamped on entries and used for reads
	db    int
	index uint64
	seed  uint64
}

func newTestFSM(t testing.TB) *testFSM {
	return &testFSM{t: t, f: New(), now: 1_700_000_000_000, seed: 1}
}

func toArgs(args []string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

// write applies args as a one-command entry and returns the RESP reply.
func (tf *testFSM) write(args ...string) string {
	tf.t.Helper()
	return tf.writeEntry(Cmd{DB: tf.db, Args: toArgs(args)})
}

// writeEntry applies cmds as one entry and returns their concatenated replies.
func (tf *testFSM) writeEntry(cmds ...Cmd) string {
	tf.t.Helper()
	tf.index++
	tf.seed++
	e := Entry{Type: EntryCommands, Time: tf.now, Seed: tf.seed, Cmds: cmds}
	res := tf.f.Apply(&raft.Log{Index: tf.index, Type: raft.LogCommand, Data: e.Encode(nil)})
	r, ok := res.(*Result)
	if !ok {
		tf.t.Fatalf("Apply returned %T, want *Result", res)
	}
	if r.Count != len(cmds) {
		tf.t.Fatalf("Result.Count = %d, want %d", r.Count, len(cmds))
	}
	return string(r.Replies)
}

// read runs args as a read at the test clock and returns the RESP reply.
func (tf *testFSM) read(args ...string) string {
	tf.t.Helper()
	tf.seed++
	return string(tf.f.Read(nil, tf.db, tf.now, tf.seed, toArgs(args)))
}

// do runs args as a write if the table says it writes, else as a read.
func (tf *testFSM) do(args ...string) string {
	tf.t.Helper()
	cmd := Lookup([]byte(args[0]))
	if cmd != nil && cmd.Flags&FlagWrite != 0 {
		return tf.write(args...)
	}
	return tf.read(args...)
}

// check runs each case in order and compares the exact reply bytes.
// A case is a command line and the expected RESP reply.
func (tf *testFSM) check(cases []replyCase) {
	tf.t.Helper()
	for _, c := range cases {
		got := tf.do(c.cmd...)
		if got != c.want {
			tf.t.Errorf("%s\n got: %q\nwant: %q", strings.Join(c.cmd, " "), got, c.want)
		}
	}
}

type replyCase struct {
	cmd  []string
	want string
}

// RESP builders for expected replies.
func okR() string           { return "+OK\r\n" }
func nullR() string         { return "$-1\r\n" }
func intR(n int64) string   { return fmt.Sprintf(":%d\r\n", n) }
func bulkR(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }
func errR(s string) string  { return "-" + s + "\r\n" }
func arrR(items ...string) string {
	return fmt.Sprintf("*%d\r\n", len(items)) + strings.Join(items, "")
}
func statusR(s string) string { return "+" + s + "\r\n" }
func arityR(name string) string {
	return errR("ERR wrong number of arguments for '" + name + "' command")
}

// bulkRs is items as bulk strings, for arrR.
func bulkRs(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = bulkR(s)
	}
	return out
}

// scanR is a SCAN reply.
func scanR(cursor string, keys ...string) string {
	return arrR(bulkR(cursor), arrR(bulkRs(keys)...))
}

func cmd(args ...string) []string { return args }

// arrayItems decodes a RESP array of bulk strings.
func arrayItems(t *testing.T, reply string) []string {
	t.Helper()
	v, err := resp.Parse([]byte(reply))
	if err != nil {
		t.Fatalf("not an array: %q (%v)", reply, err)
	}
	return bulkItems(t, v, reply)
}

// bulkItems returns the elements of v, which must be an array of bulk
// strings, none null; reply is what v came from, for messages.
func bulkItems(t *testing.T, v resp.Value, reply string) []string {
	t.Helper()
	if v.Kind != resp.Array || v.Null {
		t.Fatalf("not an array: %q", reply)
	}
	out := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		if e.Kind != resp.BulkString || e.Null {
			t.Fatalf("bad bulk in %q", reply)
		}
		out[i] = e.Str
	}
	return out
}

// scanItems splits a SCAN-family reply into its cursor and items.
func scanItems(t *testing.T, reply string) (string, []string) {
	t.Helper()
	v, err := resp.Parse([]byte(reply))
	if err != nil || v.Kind != resp.Array || len(v.Elems) != 2 {
		t.Fatalf("not a scan reply: %q (%v)", reply, err)
	}
	if v.Elems[0].Kind != resp.BulkString || v.Elems[0].Null {
		t.Fatalf("no cursor in %q", reply)
	}
	return v.Elems[0].Str, bulkItems(t, v.Elems[1], reply)
}

// digestOfSnapshot is what FSM.Digest would have returned when snap was
// taken, computed from the snapshot itself.
func digestOfSnapshot(t *testing.T, snap raft.FSMSnapshot) uint64 {
	t.Helper()
	h := xxhash.New()
	if err := snap.(*snapshot).writeRDB(h, true); err != nil {
		t.Fatal(err)
	}
	return h.Sum64()
}

// restoreCopy writes f as an RDB file and restores it into a new FSM.
func restoreCopy(t *testing.T, f *FSM) *FSM {
	t.Helper()
	var buf bytes.Buffer
	if err := f.WriteRDB(&buf); err != nil {
		t.Fatal(err)
	}
	restored := New()
	if err := restored.Restore(io.NopCloser(&buf)); err != nil {
		t.Fatal(err)
	}
	return restored
}
