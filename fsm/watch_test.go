package fsm

import (
	"bytes"
	"io"
	"strconv"
	"testing"

	"github.com/hashicorp/raft"
)

// txn is a transaction under test: its guards and commands.
func (tf *testFSM) block(guards []Guard, cmds ...[]string) Cmd {
	b := &Block{Guards: guards}
	for _, c := range cmds {
		b.Cmds = append(b.Cmds, Cmd{DB: tf.db, Args: toArgs(c)})
	}
	return Cmd{Block: b}
}

// exec applies a transaction alone in an entry and returns its reply.
func (tf *testFSM) exec(guards []Guard, cmds ...[]string) string {
	tf.t.Helper()
	return tf.writeEntry(tf.block(guards, cmds...))
}

// watch returns the guards of keys in the test's database, as WATCH would
// take them now. It applies the first transaction if there was none.
func (tf *testFSM) watch(keys ...string) []Guard {
	tf.t.Helper()
	guards, ok := tf.f.Watch(tf.db, tf.now, toArgs(keys)...)
	if !ok {
		if got := tf.exec(nil); got != "*0\r\n" {
			tf.t.Fatalf("empty transaction replied %q", got)
		}
		if guards, ok = tf.f.Watch(tf.db, tf.now, toArgs(keys)...); !ok {
			tf.t.Fatal("Watch still refuses after a transaction was applied")
		}
	}
	return guards
}

func cmdline(args ...string) []string { return args }

// sweep applies an expiry entry naming keys, as the leader proposes.
func (tf *testFSM) sweep(keys ...string) {
	tf.index++
	e := Entry{Type: EntryExpire, Time: tf.now}
	for _, k := range keys {
		e.Cmds = append(e.Cmds, Cmd{DB: tf.db, Args: [][]byte{[]byte(k)}})
	}
	tf.f.Apply(&raft.Log{Index: tf.index, Type: raft.LogCommand, Data: e.Encode(nil)})
}

func TestBlockRepliesAsOneArray(t *testing.T) {
	tf := newTestFSM(t)
	got := tf.exec(nil, cmdline("SET", "a", "1"), cmdline("INCR", "a"), cmdline("LPUSH", "a", "x"), cmdline("GET", "a"), cmdline("BLPOP", "l", "0"))
	want := arrR(okR(), intR(2), errR(ErrWrongType), bulkR("2"), "*-1\r\n")
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if got := tf.exec(nil); got != "*0\r\n" {
		t.Fatalf("empty transaction: got %q", got)
	}
}

// A transaction shares its entry with other clients' commands (group
// commit): they run before and after it, and each keeps its own reply.
func TestBlockAmongOtherCommands(t *testing.T) {
	tf := newTestFSM(t)
	g := tf.watch("k")
	other := func(args ...string) Cmd { return Cmd{Args: toArgs(args)} }
	got := tf.writeEntry(
		other("SET", "k", "before"),
		tf.block(g, cmdline("SET", "k", "txn")),
		other("APPEND", "k", "!"),
		tf.block(nil, cmdline("GET", "k"), cmdline("DBSIZE")),
		other("GET", "k"),
	)
	want := okR() + "*-1\r\n" + intR(7) + arrR(bulkR("before!"), intR(1)) + bulkR("before!")
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	res := tf.f.Apply(&raft.Log{Index: tf.index + 1, Type: raft.LogCommand, Data: (&Entry{Type: EntryCommands, Cmds: []Cmd{
		other("SET", "x", "1"), tf.block(nil, cmdline("INCR", "x"), cmdline("INCR", "x")), other("GET", "x"),
	}}).Encode(nil)}).(*Result)
	tf.index++
	if res.Count != 3 || string(res.Reply(1, 2)) != arrR(intR(2), intR(3)) || string(res.Reply(2, 3)) != bulkR("3") {
		t.Fatalf("Result %d replies %q", res.Count, res.Replies)
	}
}

func TestBlockCommandsRunInTheirDatabases(t *testing.T) {
	tf := newTestFSM(t)
	b := &Block{Cmds: []Cmd{{DB: 0, Args: toArgs([]string{"SET", "k", "zero"})}, {DB: 5, Args: toArgs([]string{"SET", "k", "five"})}, {DB: 0, Args: toArgs([]string{"GET", "k"})}}}
	if got := tf.writeEntry(Cmd{DB: 9, Block: b}); got != arrR(okR(), okR(), bulkR("zero")) {
		t.Fatalf("got %q", got)
	}
	tf.db = 5
	if got := tf.read("GET", "k"); got != bulkR("five") {
		t.Fatalf("GET in db 5: %q", got)
	}
}

// guardCase: set up, WATCH, do something, and whether EXEC then runs.
type guardCase struct {
	name    string
	setup   [][]string
	many    int // keys set before setup (manyKeys)
	watch   []string
	between [][]string // each its own entry, after WATCH
	advance int64      // ms the clock moves after WATCH
	runs    bool
}

var guardCases = []guardCase{
	{name: "untouched key", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, runs: true},
	{name: "other key written", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"SET", "other", "v"}}, runs: true},
	{name: "key overwritten with the same value", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"SET", "k", "v"}}},
	{name: "key deleted", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"DEL", "k"}}},
	{name: "key given a deadline", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"EXPIRE", "k", "100"}}},
	{name: "missing key deleted", watch: []string{"k"}, between: [][]string{{"DEL", "k"}}, runs: true},
	{name: "missing key still missing", watch: []string{"k"}, between: [][]string{{"SET", "x", "1"}}, runs: true},
	{name: "missing key created", watch: []string{"k"}, between: [][]string{{"SET", "k", "1"}}},
	{name: "missing key created and deleted", watch: []string{"k"}, between: [][]string{{"SET", "k", "1"}, {"DEL", "k"}}},
	{name: "list emptied by a pop", setup: [][]string{{"RPUSH", "l", "a"}}, watch: []string{"l"}, between: [][]string{{"LPOP", "l"}}},
	{name: "list pushed to", setup: [][]string{{"RPUSH", "l", "a"}}, watch: []string{"l"}, between: [][]string{{"RPUSH", "l", "b"}}},
	{name: "hash field deleted", setup: [][]string{{"HSET", "h", "f", "v", "g", "w"}}, watch: []string{"h"}, between: [][]string{{"HDEL", "h", "f"}}},
	{name: "hash: no field deleted", setup: [][]string{{"HSET", "h", "f", "v"}}, watch: []string{"h"}, between: [][]string{{"HDEL", "h", "nope"}}, runs: true},
	{name: "missing hash: no field deleted", watch: []string{"h"}, between: [][]string{{"HDEL", "h", "nope"}}, runs: true},
	{name: "live key expires", setup: [][]string{{"SET", "k", "v", "PX", "100"}}, watch: []string{"k"}, advance: 200},
	{name: "live key expires and is swept", setup: [][]string{{"SET", "k", "v", "PX", "100"}}, watch: []string{"k"}, advance: 200, between: [][]string{{"SWEEP", "k"}}},
	{name: "expired key swept", setup: [][]string{{"SET", "k", "v", "PX", "100"}}, advance: -1, watch: []string{"k"}, between: [][]string{{"SWEEP", "k"}}, runs: true},
	{name: "expired key deleted by a write", setup: [][]string{{"SET", "k", "v", "PX", "100"}}, advance: -1, watch: []string{"k"}, between: [][]string{{"DEL", "k"}}, runs: true},
	{name: "expired key stays expired", setup: [][]string{{"SET", "k", "v", "PX", "100"}}, advance: -1, watch: []string{"k"}, runs: true},
	{name: "expired key set again", setup: [][]string{{"SET", "k", "v", "PX", "100"}}, advance: -1, watch: []string{"k"}, between: [][]string{{"SET", "k", "w"}}},
	{name: "renamed away", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"RENAME", "k", "j"}}},
	{name: "renamed onto", setup: [][]string{{"SET", "k", "v"}, {"SET", "j", "w"}}, watch: []string{"k"}, between: [][]string{{"RENAME", "j", "k"}}},
	{name: "renamed onto a missing key", setup: [][]string{{"SET", "j", "w"}}, watch: []string{"k"}, between: [][]string{{"RENAME", "j", "k"}}},
	{name: "moved away", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"MOVE", "k", "3"}}},
	{name: "copied onto", setup: [][]string{{"SET", "k", "v"}, {"SET", "j", "w"}}, watch: []string{"k"}, between: [][]string{{"COPY", "j", "k", "REPLACE"}}},
	{name: "flushed", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"FLUSHDB"}}},
	{name: "flushall", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"FLUSHALL"}}},
	{name: "missing key, database flushed unchanged", setup: [][]string{{"SET", "x", "v"}}, watch: []string{"k"}, between: [][]string{{"FLUSHDB"}}, runs: true},
	// As in Redis: k never existed, the flush removed other keys only.
	{name: "missing key, database changed then flushed", watch: []string{"k"}, between: [][]string{{"SET", "x", "v"}, {"FLUSHDB"}}, runs: true},
	{name: "missing key, other key deleted then database flushed", setup: [][]string{{"SET", "x", "v"}}, watch: []string{"k"}, between: [][]string{{"DEL", "x"}, {"SET", "y", "v"}, {"FLUSHALL"}}, runs: true},
	{name: "missing key, database created and flushed", watch: []string{"k"}, between: [][]string{{"SET", "k", "v"}, {"FLUSHALL"}}},
	{name: "missing key, created, deleted, database flushed", watch: []string{"k"}, between: [][]string{{"SET", "k", "v"}, {"DEL", "k"}, {"FLUSHDB"}}},
	{name: "expired key flushed", setup: [][]string{{"SET", "k", "v", "PX", "100"}}, advance: -1, watch: []string{"k"}, between: [][]string{{"FLUSHDB"}}, runs: true},
	{name: "live key expires, then flushed", setup: [][]string{{"SET", "k", "v", "PX", "100"}}, watch: []string{"k"}, advance: 200, between: [][]string{{"FLUSHDB"}}},
	// A database too big for the tombstones is forgotten at once: every
	// guard from before its last change fails (Redis would run this one).
	{name: "missing key, big database changed then flushed", many: goneGeneration + 1, watch: []string{"k"}, between: [][]string{{"SET", "x", "v"}, {"FLUSHDB"}}},
	{name: "missing key, big database flushed unchanged", many: goneGeneration + 1, watch: []string{"k"}, between: [][]string{{"FLUSHDB"}}, runs: true},
	{name: "swapped", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"SWAPDB", "0", "1"}}},
	{name: "other databases swapped", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"SWAPDB", "2", "1"}}, runs: true},
	{name: "string appended to", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"APPEND", "k", "w"}}},
	{name: "bit changed", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"SETBIT", "k", "0", "1"}}},
	{name: "bit set to what it was", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"SETBIT", "k", "1", "1"}}, runs: true},
	{name: "string grown by a bit", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"SETBIT", "k", "100", "0"}}},
	{name: "nothing appended", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"APPEND", "k", ""}}},
	{name: "nothing set in range", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"SETRANGE", "k", "0", ""}}, runs: true},
	{name: "set member added", setup: [][]string{{"SADD", "k", "a"}}, watch: []string{"k"}, between: [][]string{{"SADD", "k", "a", "b"}}},
	{name: "set members all there", setup: [][]string{{"SADD", "k", "a"}}, watch: []string{"k"}, between: [][]string{{"SADD", "k", "a"}}, runs: true},
	{name: "set members absent", setup: [][]string{{"SADD", "k", "a"}}, watch: []string{"k"}, between: [][]string{{"SREM", "k", "b"}}, runs: true},
	{name: "moved to a set that has it", setup: [][]string{{"SADD", "k", "a"}, {"SADD", "s", "a", "b"}}, watch: []string{"k"}, between: [][]string{{"SMOVE", "s", "k", "a"}}, runs: true},
	{name: "moved out of a set", setup: [][]string{{"SADD", "k", "a", "b"}}, watch: []string{"k"}, between: [][]string{{"SMOVE", "k", "s", "a"}}},
	{name: "score unchanged", setup: [][]string{{"ZADD", "k", "1", "a"}}, watch: []string{"k"}, between: [][]string{{"ZADD", "k", "1", "a"}, {"ZADD", "k", "GT", "0", "a"}, {"ZINCRBY", "k", "0", "a"}}, runs: true},
	{name: "score changed", setup: [][]string{{"ZADD", "k", "1", "a"}}, watch: []string{"k"}, between: [][]string{{"ZADD", "k", "2", "a"}}},
	{name: "sorted set members absent", setup: [][]string{{"ZADD", "k", "1", "a"}}, watch: []string{"k"}, between: [][]string{{"ZREM", "k", "b"}, {"ZPOPMIN", "k", "0"}, {"ZREMRANGEBYSCORE", "k", "5", "6"}}, runs: true},
	{name: "sorted set popped", setup: [][]string{{"ZADD", "k", "1", "a", "2", "b"}}, watch: []string{"k"}, between: [][]string{{"ZPOPMIN", "k"}}},
	{name: "hash field kept", setup: [][]string{{"HSET", "k", "f", "v"}}, watch: []string{"k"}, between: [][]string{{"HSETNX", "k", "f", "w"}}, runs: true},
	{name: "hash field set to its value", setup: [][]string{{"HSET", "k", "f", "v"}}, watch: []string{"k"}, between: [][]string{{"HSET", "k", "f", "v"}}},
	{name: "read only", setup: [][]string{{"SET", "k", "v"}}, watch: []string{"k"}, between: [][]string{{"GET", "k"}, {"STRLEN", "k"}}, runs: true},
}

func TestWatchGuards(t *testing.T) {
	for _, c := range guardCases {
		t.Run(c.name, func(t *testing.T) {
			tf := newTestFSM(t)
			tf.watch() // the first transaction entry
			if c.many > 0 {
				tf.manyKeys(c.many)
			}
			for _, cmd := range c.setup {
				tf.write(cmd...)
			}
			if c.advance < 0 { // let the setup's keys expire before WATCH
				tf.now += 1000
				tf.write("SET", "tick", "1") // an entry at the new time
			}
			g := tf.watch(c.watch...)
			if c.advance > 0 {
				tf.now += c.advance
			}
			for _, cmd := range c.between {
				if cmd[0] == "SWEEP" {
					tf.sweep(cmd[1:]...)
					continue
				}
				tf.do(cmd...)
			}
			got := tf.exec(g, cmdline("SET", "done", "1"))
			want := "*-1\r\n"
			if c.runs {
				want = arrR(okR())
			}
			if got != want {
				t.Fatalf("EXEC replied %q, want %q", got, want)
			}
		})
	}
}

// A change by a command earlier in the same entry (another client's,
// group-committed with the transaction) fails the guard; one after it
// does not.
func TestWatchChangeInTheSameEntry(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "k", "v")
	g := tf.watch("k")
	got := tf.writeEntry(Cmd{Args: toArgs([]string{"SET", "k", "w"})}, tf.block(g, cmdline("GET", "k")))
	if got != okR()+"*-1\r\n" {
		t.Fatalf("change before: %q", got)
	}
	g = tf.watch("k")
	got = tf.writeEntry(tf.block(g, cmdline("GET", "k")), Cmd{Args: toArgs([]string{"SET", "k", "x"})})
	if got != arrR(bulkR("w"))+okR() {
		t.Fatalf("change after: %q", got)
	}
}

func TestWatchBeforeTheFirstTransaction(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "k", "v")
	if _, ok := tf.f.Watch(0, tf.now, []byte("k")); ok {
		t.Fatal("Watch gave guards before any transaction was applied")
	}
	// A guard made up from before the epoch never holds.
	early := []Guard{{Key: []byte("k"), Index: tf.index, Live: true}}
	if got := tf.exec(early, cmdline("GET", "k")); got != "*-1\r\n" {
		t.Fatalf("guard from before the first transaction: %q", got)
	}
	if got := tf.exec(tf.watch("k"), cmdline("GET", "k")); got != arrR(bulkR("v")) {
		t.Fatalf("guard after it: %q", got)
	}
}

// manyKeys sets n keys, x0 to x(n-1), and returns a function that deletes
// them, 512 to an entry.
func (tf *testFSM) manyKeys(n int) (del func()) {
	tf.t.Helper()
	for i := 0; i < n; i += 512 {
		set := []string{"MSET"}
		for j := i; j < min(i+512, n); j++ {
			set = append(set, "x"+strconv.Itoa(j), "v")
		}
		tf.write(set...)
	}
	return func() {
		for i := 0; i < n; i += 512 {
			del := []string{"DEL"}
			for j := i; j < min(i+512, n); j++ {
				del = append(del, "x"+strconv.Itoa(j))
			}
			tf.write(del...)
		}
	}
}

// Tombstones are bounded: past two generations of deletions a guard on a
// missing key aborts only if a forgotten deletion could matter to it: one
// of an item changed after the WATCH.
func TestWatchForgetsOldDeletions(t *testing.T) {
	tf := newTestFSM(t)
	deleteOld := tf.manyKeys(2 * goneGeneration)
	g := tf.watch("k")
	deleteOld() // items from before the WATCH: forgetting them is harmless
	if tf.f.dbs[0].gone.floor == 0 {
		t.Fatal("nothing was forgotten")
	}
	if got := tf.exec(g, cmdline("GET", "k")); got != arrR(nullR()) {
		t.Fatalf("old deletions forgotten: %q", got)
	}

	g = tf.watch("k", "new")
	tf.write("SET", "new", "v") // created and deleted after the WATCH,
	tf.write("DEL", "new")      // then forgotten under newer deletions
	tf.manyKeys(2 * goneGeneration)()
	if _, known := tf.f.dbs[0].gone.lookup("new"); known {
		t.Fatal("the deletion of new is still remembered")
	}
	if got := tf.exec(g[1:], cmdline("EXISTS", "x")); got != "*-1\r\n" {
		t.Fatalf("a forgotten change after the WATCH must abort: %q", got)
	}
	// For k, which never changed, that abort is a false positive, which
	// is safe; a WATCH after the forgotten deletions holds again.
	if got := tf.exec(g[:1], cmdline("EXISTS", "x")); got != "*-1\r\n" {
		t.Fatalf("k: %q", got)
	}
	if got := tf.exec(tf.watch("k"), cmdline("GET", "k")); got != arrR(nullR()) {
		t.Fatalf("WATCH after the forgotten deletions: %q", got)
	}
}

// Every node decides a guard alike, including one that restored a
// snapshot instead of applying the entries.
func TestWatchStateSurvivesSnapshots(t *testing.T) {
	tf := newTestFSM(t)
	tf.watch()
	tf.write("SET", "a", "1")
	tf.write("RPUSH", "l", "x", "y")
	g := tf.watch("a", "l", "gone", "never", "later")
	tf.write("SET", "gone", "1")
	tf.write("DEL", "gone")
	tf.write("SET", "b", "2")
	tf.writeEntry(Cmd{DB: 4, Args: toArgs([]string{"SET", "c", "3"})}, Cmd{DB: 4, Args: toArgs([]string{"DEL", "c"})})
	tf.write("SWAPDB", "6", "7")
	g2 := tf.watch("a", "l", "b", "never")

	var sink memSink
	snap, err := tf.f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if err := snap.Persist(&sink); err != nil {
		t.Fatal(err)
	}
	restored := newTestFSM(t)
	if err := restored.f.Restore(io.NopCloser(bytes.NewReader(sink.Bytes()))); err != nil {
		t.Fatal(err)
	}
	restored.index, restored.now, restored.seed = tf.index, tf.now, tf.seed
	want, _ := tf.f.Digest()
	got, _ := restored.f.Digest()
	if got != want {
		t.Fatalf("digest of the restored data set %x, want %x", got, want)
	}
	for i, guards := range [][]Guard{g, g2, g[:1], g[1:2], g[2:3], g[3:4], g2[2:3]} {
		for _, more := range [][]string{nil, {"SET", "later", "1"}} {
			a, b := tf.exec(guards, cmdline("EXISTS", "x")), restored.exec(guards, cmdline("EXISTS", "x"))
			if a != b {
				t.Fatalf("guards %d: applied %q, restored %q", i, a, b)
			}
			if more != nil {
				tf.write(more...)
				restored.write(more...)
			}
		}
	}
	if got := restored.exec(g2[3:4], cmdline("EXISTS", "x")); got != arrR(intR(0)) {
		t.Fatalf("an untouched missing key after restore: %q", got)
	}
}

func TestReadBlock(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "k", "v")
	g := tf.watch("k")
	b := &Block{Guards: g, Cmds: []Cmd{{Args: toArgs([]string{"GET", "k"})}, {Args: toArgs([]string{"SET", "k", "w"})}}}
	want := arrR(bulkR("v"), errR("ERR write command 'set' cannot run as a read"))
	if got := string(tf.f.ReadBlock(nil, tf.now, 1, b)); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	tf.write("SET", "k", "x")
	if got := string(tf.f.ReadBlock(nil, tf.now, 1, b)); got != "*-1\r\n" {
		t.Fatalf("after a change: %q", got)
	}
}

// A read-only transaction hides what a plain read hides: a key whose
// deadline the latest applied entry has passed, even when the caller's
// clock is behind.
func TestReadBlockUsesTheDataSetClock(t *testing.T) {
	tf := newTestFSM(t)
	start := tf.now
	tf.write("SET", "k", "v", "PX", "100")
	tf.now += 1000
	tf.write("SET", "other", "x") // the data set's clock is now past k's deadline
	b := &Block{Cmds: []Cmd{{Args: toArgs([]string{"GET", "k"})}}}
	if got := string(tf.f.Read(nil, 0, start, 1, toArgs([]string{"GET", "k"}))); got != nullR() {
		t.Fatalf("Read with a slow clock: %q", got)
	}
	if got := string(tf.f.ReadBlock(nil, start, 1, b)); got != arrR(nullR()) {
		t.Fatalf("ReadBlock with a slow clock: %q, want the key hidden as Read hides it", got)
	}
}
