package fsm

import (
	"strconv"
	"testing"
)

// A pipeline of reads replies the same whether warm runs first or not,
// whatever its commands: keyless, short, unknown, of other types, on
// missing and expired keys, repeated names of either case, and
// subcommands of one container.
func TestWarmChangesNoReply(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "s", "v")
	tf.write("SET", "empty", "")
	tf.write("HSET", "h", "f", "v")
	tf.write("RPUSH", "l", "a", "b")
	tf.write("SET", "gone", "v", "PX", "1")
	tf.write("SET", "", "empty name")
	tf.now += 10
	pipeline := [][]string{
		{"GET", "s"}, {"get", "h"}, {"GET", "missing"}, {"GET", "gone"},
		{"GET", "empty"}, {"GET", ""}, {"PING"}, {"GET"}, {"NOPE", "s"},
		{"HGET", "h", "f"}, {"LRANGE", "l", "0", "-1"}, {"TYPE", "l"},
		{"OBJECT", "ENCODING", "s"}, {"OBJECT", "REFCOUNT", "s"}, {"OBJECT"},
		{"OBJECT", "ENCODING", "l"}, {"MGET", "s", "h", "missing"},
		{"EXISTS", "s", "gone"}, {"STRLEN", "s"}, {"GET", "s"},
	}
	var cmds [][][]byte
	for _, p := range pipeline {
		cmds = append(cmds, toArgs(p))
	}
	want := ""
	for _, args := range cmds {
		want += string(tf.f.Read(nil, 0, tf.now, 1, args))
	}
	defer func(n int) { warmMinKeys = n }(warmMinKeys)
	warmMinKeys = 0
	if got := string(tf.f.Read(nil, 0, tf.now, 1, cmds...)); got != want {
		t.Fatalf("with warm:\n%q\nwant\n%q", got, want)
	}
}

// warm reaches the records of a pipeline's keys, more than warmBatch of
// them (what it keeps is made of each record's name length, first name
// byte and first value byte), and skips a database too small to need it.
func TestWarmLoadsTheKeys(t *testing.T) {
	tf := newTestFSM(t)
	var cmds [][][]byte
	var want uintptr
	for i := range 3 * warmBatch {
		key := "k" + strconv.Itoa(i)
		tf.write("SET", key, "v")
		cmds = append(cmds, toArgs([]string{"GET", key}), toArgs([]string{"GET", "missing" + key}))
		want += uintptr(len(key)) + 'k' + 'v'
	}
	defer func(n int) { warmMinKeys = n }(warmMinKeys)
	c := tf.f.readCtx(nil, tf.now, 1)
	c.selectDB(0)
	warmMinKeys = 1 << 20
	if c.warm(cmds); c.warmed != 0 {
		t.Fatalf("warmed %d in a database below warmMinKeys", c.warmed)
	}
	warmMinKeys = 0
	if c.warm(cmds); c.warmed != want {
		t.Fatalf("warmed %d, want %d", c.warmed, want)
	}
}

// Entries apply the same with their keys warmed as without: the same
// replies and the same data set, for commands on several databases, on
// expired keys (which a write removes), and beside a transaction block.
func TestWarmEntryChangesNothing(t *testing.T) {
	defer func(n int) { warmMinKeys = n }(warmMinKeys)
	warm, cold := newTestFSM(t), newTestFSM(t)
	c := func(db int, args ...string) Cmd { return Cmd{DB: db, Args: toArgs(args)} }
	entries := [][]Cmd{
		{c(0, "SET", "a", "1", "PX", "5"), c(1, "SET", "a", "x"), c(0, "RPUSH", "l", "v"), c(1, "HSET", "h", "f", "v")},
		{c(0, "GET", "a"), c(0, "INCR", "a"), c(1, "APPEND", "a", "y"), c(0, "SET", "", "empty")},
		{c(0, "PING"), {DB: 1, Block: &Block{Cmds: []Cmd{c(1, "SET", "b", "2"), c(1, "DEL", "a")}}}, c(1, "GET", "b"), c(0, "LPOP", "l")},
		{c(0, "MSET", "m", "1", "n", "2"), c(0, "DEL", "m", "n", "a"), c(1, "HDEL", "h", "f"), c(1, "EXISTS", "h")},
	}
	for i, e := range entries {
		if i == 1 {
			warm.now += 10 // a's deadline passes
			cold.now += 10
		}
		warmMinKeys = 0
		got := warm.writeEntry(e...)
		warmMinKeys = 1 << 30
		want := cold.writeEntry(e...)
		if got != want {
			t.Fatalf("entry %d: warmed replies %q, cold %q", i, got, want)
		}
	}
	if dw, dc := digestOf(t, warm.f), digestOf(t, cold.f); dw != dc {
		t.Fatalf("digests differ: warmed %x, cold %x", dw, dc)
	}
}

// An entry's keys are warmed each on its own database.
func TestWarmEntryUsesEachCommandsDatabase(t *testing.T) {
	defer func(n int) { warmMinKeys = n }(warmMinKeys)
	warmMinKeys = 0
	tf := newTestFSM(t)
	tf.writeEntry(Cmd{DB: 0, Args: toArgs([]string{"SET", "k0", "a"})}, Cmd{DB: 3, Args: toArgs([]string{"SET", "k3", "b"})})
	c := Ctx{fsm: tf.f}
	c.warmEntry([]Cmd{{DB: 3, Args: toArgs([]string{"GET", "k3"})}, {DB: 0, Args: toArgs([]string{"GET", "k0"})}, {DB: 0, Args: toArgs([]string{"GET", "k3"})}})
	if want := uintptr(2+'k'+'b') + uintptr(2+'k'+'a'); c.warmed != want {
		t.Fatalf("warmed %d, want %d", c.warmed, want)
	}
}

// Every key of a command is warmed, at the positions the command table
// gives (MSET's keys, not its values), subcommands' keys too, and a batch
// of a single key is left to its command.
func TestWarmTakesEveryKeyPosition(t *testing.T) {
	defer func(n int) { warmMinKeys = n }(warmMinKeys)
	warmMinKeys = 0
	tf := newTestFSM(t)
	mget := []string{"MGET"}
	var want uintptr
	for i := range 40 {
		key := "k" + strconv.Itoa(i)
		tf.write("SET", key, "v")
		mget = append(mget, key)
		want += uintptr(len(key)) + 'k' + 'v'
	}
	mget = append(mget, "missing")
	one := func(key string) uintptr { return uintptr(len(key)) + 'k' + 'v' }
	cases := []struct {
		cmds [][]string
		want uintptr
	}{
		{[][]string{mget}, want},
		{[][]string{{"GET", "k1"}}, 0},
		{[][]string{{"MSET", "k1", "k2", "k3", "k4"}}, one("k1") + one("k3")},
		{[][]string{{"OBJECT", "ENCODING", "k1"}, {"OBJECT", "FREQ", "k2"}, {"GET", "k3"}}, one("k1") + one("k2") + one("k3")},
	}
	for _, tc := range cases {
		var cmds [][][]byte
		for _, args := range tc.cmds {
			cmds = append(cmds, toArgs(args))
		}
		c := tf.f.readCtx(nil, tf.now, 1)
		c.selectDB(0)
		if c.warm(cmds); c.warmed != tc.want {
			t.Errorf("%q: warmed %d, want %d", tc.cmds, c.warmed, tc.want)
		}
	}
}
