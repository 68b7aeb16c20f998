package fsm

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/raft"
)

func TestKeyCommandSpecs(t *testing.T) {
	// COMMAND INFO of redis-server 7.0.15: arity, flags, first/last/step.
	want := map[string]string{
		"del":         "-2 [write] 1 -1 1",
		"unlink":      "-2 [write fast] 1 -1 1",
		"exists":      "-2 [readonly fast] 1 -1 1",
		"type":        "2 [readonly fast] 1 1 1",
		"keys":        "2 [readonly] 0 0 0",
		"scan":        "-2 [readonly] 0 0 0",
		"randomkey":   "1 [readonly] 0 0 0",
		"rename":      "3 [write] 1 2 1",
		"renamenx":    "3 [write fast] 1 2 1",
		"move":        "3 [write fast] 1 1 1",
		"copy":        "-3 [write denyoom] 1 2 1",
		"touch":       "-2 [readonly fast] 1 -1 1",
		"dbsize":      "1 [readonly fast] 0 0 0",
		"flushdb":     "-1 [write] 0 0 0",
		"flushall":    "-1 [write] 0 0 0",
		"swapdb":      "3 [write fast] 0 0 0",
		"expire":      "-3 [write fast] 1 1 1",
		"pexpire":     "-3 [write fast] 1 1 1",
		"expireat":    "-3 [write fast] 1 1 1",
		"pexpireat":   "-3 [write fast] 1 1 1",
		"ttl":         "2 [readonly fast] 1 1 1",
		"pttl":        "2 [readonly fast] 1 1 1",
		"expiretime":  "2 [readonly fast] 1 1 1",
		"pexpiretime": "2 [readonly fast] 1 1 1",
		"persist":     "2 [write fast] 1 1 1",
	}
	server := map[string]bool{"dbsize": true, "flushdb": true, "flushall": true, "swapdb": true}
	for name, w := range want {
		cmd := Lookup([]byte(strings.ToUpper(name)))
		if cmd == nil {
			t.Errorf("%s: not in the command table", name)
			continue
		}
		got := fmt.Sprintf("%d %v %d %d %d", cmd.Arity, cmd.Flags.Names(), cmd.FirstKey, cmd.LastKey, cmd.KeyStep)
		if got != w {
			t.Errorf("%s: got %s, want %s", name, got, w)
		}
		group := "generic"
		if server[name] {
			group = "server"
		}
		if cmd.Group != group || cmd.Summary == "" || cmd.Name != name {
			t.Errorf("%s: name %q group %q summary %q", name, cmd.Name, cmd.Group, cmd.Summary)
		}
	}
}

func TestDelExistsTypeLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("SET", "a", "1"), okR()},
		{cmd("SET", "b", "2"), okR()},
		{cmd("EXISTS", "a", "b", "nokey", "a"), intR(3)},
		{cmd("TOUCH", "a", "nokey", "b", "b"), intR(3)},
		{cmd("TYPE", "a"), statusR("string")},
		{cmd("TYPE", "nokey"), statusR("none")},
		{cmd("DBSIZE"), intR(2)},
		{cmd("DEL", "a", "a", "nokey"), intR(1)},
		{cmd("UNLINK", "b", "nokey", "b"), intR(1)},
		{cmd("EXISTS", "a", "b"), intR(0)},
		{cmd("TOUCH", "a"), intR(0)},
		{cmd("DEL", "a"), intR(0)},
		{cmd("DBSIZE"), intR(0)},
		{cmd("DEL"), arityR("del")},
		{cmd("UNLINK"), arityR("unlink")},
		{cmd("EXISTS"), arityR("exists")},
		{cmd("TOUCH"), arityR("touch")},
		{cmd("TYPE"), arityR("type")},
		{cmd("TYPE", "a", "b"), arityR("type")},
		{cmd("DBSIZE", "x"), arityR("dbsize")},
		{cmd("RANDOMKEY", "x"), arityR("randomkey")},
	})
}

func TestRenameLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("RENAME", "nokey", "x"), errR("ERR no such key")},
		{cmd("RENAMENX", "nokey", "x"), errR("ERR no such key")},
		{cmd("RENAME", "nokey", "nokey"), errR("ERR no such key")},
		{cmd("RENAMENX", "nokey", "nokey"), errR("ERR no such key")},
		{cmd("SET", "a", "1"), okR()},
		// Same source and target: nothing to do, but the key must exist.
		{cmd("RENAME", "a", "a"), okR()},
		{cmd("RENAMENX", "a", "a"), intR(0)},
		{cmd("GET", "a"), bulkR("1")},
		{cmd("RENAME", "a", "b"), okR()},
		{cmd("EXISTS", "a"), intR(0)},
		{cmd("GET", "b"), bulkR("1")},
		{cmd("SET", "c", "3"), okR()},
		{cmd("RENAMENX", "b", "c"), intR(0)},
		{cmd("GET", "b"), bulkR("1")},
		{cmd("GET", "c"), bulkR("3")},
		{cmd("RENAME", "b", "c"), okR()},
		{cmd("GET", "c"), bulkR("1")},
		{cmd("RENAMENX", "c", "d"), intR(1)},
		{cmd("GET", "d"), bulkR("1")},
		{cmd("DBSIZE"), intR(1)},
		// The deadline moves with the value; a target's own deadline goes.
		{cmd("EXPIRE", "d", "100"), intR(1)},
		{cmd("RENAME", "d", "e"), okR()},
		{cmd("TTL", "e"), intR(100)},
		{cmd("SET", "f", "6"), okR()},
		{cmd("RENAME", "f", "e"), okR()},
		{cmd("TTL", "e"), intR(-1)},
		{cmd("RENAME", "a"), arityR("rename")},
		{cmd("RENAMENX", "a", "b", "c"), arityR("renamenx")},
	})
}

func TestMoveLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("SET", "k", "v"), okR()},
		{cmd("MOVE", "k", "0"), errR("ERR source and destination objects are the same")},
		{cmd("MOVE", "nokey", "0"), errR("ERR source and destination objects are the same")},
		{cmd("MOVE", "k", "16"), errR("ERR DB index is out of range")},
		{cmd("MOVE", "k", "-1"), errR("ERR DB index is out of range")},
		{cmd("MOVE", "k", "2147483647"), errR("ERR DB index is out of range")},
		{cmd("MOVE", "k", "abc"), errR("ERR value is not an integer or out of range")},
		{cmd("MOVE", "k", "01"), errR("ERR value is not an integer or out of range")},
		{cmd("MOVE", "k", "99999999999"), errR("ERR value is out of range, value must between -2147483648 and 2147483647")},
		{cmd("MOVE", "k", "-2147483649"), errR("ERR value is out of range, value must between -2147483648 and 2147483647")},
		{cmd("MOVE", "nokey", "1"), intR(0)},
		{cmd("EXPIRE", "k", "100"), intR(1)},
		{cmd("MOVE", "k", "1"), intR(1)},
		{cmd("EXISTS", "k"), intR(0)},
		{cmd("SELECT", "1"), okR()},
		{cmd("GET", "k"), bulkR("v")},
		{cmd("TTL", "k"), intR(100)},
		{cmd("SET", "k2", "other"), okR()},
		{cmd("SELECT", "0"), okR()},
		{cmd("SET", "k2", "mine"), okR()},
		{cmd("MOVE", "k2", "1"), intR(0)},
		{cmd("GET", "k2"), bulkR("mine")},
		{cmd("SELECT", "1"), okR()},
		{cmd("GET", "k2"), bulkR("other")},
		{cmd("MOVE", "k", "15"), intR(1)},
		{cmd("SELECT", "15"), okR()},
		{cmd("GET", "k"), bulkR("v")},
		{cmd("TTL", "k"), intR(100)},
		{cmd("MOVE", "k"), arityR("move")},
	})
}

func TestCopyLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("SET", "src", "v"), okR()},
		{cmd("EXPIRE", "src", "100"), intR(1)},
		{cmd("COPY", "src", "src"), errR("ERR source and destination objects are the same")},
		{cmd("COPY", "src", "src", "DB", "0"), errR("ERR source and destination objects are the same")},
		{cmd("COPY", "nokey", "nokey"), errR("ERR source and destination objects are the same")},
		{cmd("COPY", "nokey", "dst"), intR(0)},
		{cmd("COPY", "src", "dst"), intR(1)},
		{cmd("GET", "dst"), bulkR("v")},
		{cmd("TTL", "dst"), intR(100)},
		{cmd("SET", "other", "x"), okR()},
		{cmd("COPY", "src", "other"), intR(0)},
		{cmd("GET", "other"), bulkR("x")},
		{cmd("COPY", "src", "other", "REPLACE"), intR(1)},
		{cmd("GET", "other"), bulkR("v")},
		{cmd("TTL", "other"), intR(100)},
		{cmd("COPY", "src", "d2", "DB", "16"), errR("ERR DB index is out of range")},
		{cmd("COPY", "src", "d2", "db", "-1"), errR("ERR DB index is out of range")},
		{cmd("COPY", "src", "d2", "db", "x"), errR("ERR value is not an integer or out of range")},
		{cmd("COPY", "src", "d2", "db", "99999999999"), errR("ERR value is out of range, value must between -2147483648 and 2147483647")},
		{cmd("COPY", "src", "d2", "foo"), errR("ERR syntax error")},
		{cmd("COPY", "src", "d2", "db"), errR("ERR syntax error")},
		{cmd("COPY", "src", "d2", "replace", "db"), errR("ERR syntax error")},
		// Options are parsed before anything else; the last DB wins.
		{cmd("COPY", "nokey", "nokey", "db", "x"), errR("ERR value is not an integer or out of range")},
		{cmd("COPY", "src", "d2", "replace", "REPLACE", "db", "2", "db", "3"), intR(1)},
		{cmd("COPY", "src", "d2", "db", "3"), intR(0)},
		{cmd("COPY", "src", "d2", "db", "3", "replace"), intR(1)},
		// The same name in another database is another key.
		{cmd("COPY", "src", "src", "db", "1"), intR(1)},
		{cmd("SELECT", "3"), okR()},
		{cmd("GET", "d2"), bulkR("v")},
		{cmd("TTL", "d2"), intR(100)},
		{cmd("EXISTS", "src"), intR(0)},
		{cmd("SELECT", "1"), okR()},
		{cmd("GET", "src"), bulkR("v")},
		{cmd("COPY", "src", "src", "db", "1"), errR("ERR source and destination objects are the same")},
		{cmd("COPY", "src"), arityR("copy")},
	})
}

func TestSwapDBLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("SET", "k", "zero"), okR()},
		{cmd("SELECT", "1"), okR()},
		{cmd("SET", "k", "one"), okR()},
		{cmd("SET", "only1", "x"), okR()},
		{cmd("SWAPDB", "0", "1"), okR()},
		{cmd("GET", "k"), bulkR("zero")},
		{cmd("DBSIZE"), intR(1)},
		{cmd("SELECT", "0"), okR()},
		{cmd("GET", "k"), bulkR("one")},
		{cmd("DBSIZE"), intR(2)},
		{cmd("SWAPDB", "0", "0"), okR()},
		{cmd("GET", "k"), bulkR("one")},
		{cmd("SWAPDB", "15", "0"), okR()},
		{cmd("DBSIZE"), intR(0)},
		{cmd("SWAPDB", "0", "x"), errR("ERR invalid second DB index")},
		{cmd("SWAPDB", "x", "0"), errR("ERR invalid first DB index")},
		{cmd("SWAPDB", "x", "y"), errR("ERR invalid first DB index")},
		{cmd("SWAPDB", "99999999999", "0"), errR("ERR invalid first DB index")},
		{cmd("SWAPDB", "0", "99999999999"), errR("ERR invalid second DB index")},
		{cmd("SWAPDB", "0", "16"), errR("ERR DB index is out of range")},
		{cmd("SWAPDB", "-1", "0"), errR("ERR DB index is out of range")},
		{cmd("SWAPDB", "16", "x"), errR("ERR invalid second DB index")},
		{cmd("SWAPDB", "0"), arityR("swapdb")},
	})
}

func TestFlushLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("SET", "a", "1"), okR()},
		{cmd("SELECT", "1"), okR()},
		{cmd("SET", "b", "2"), okR()},
		{cmd("FLUSHDB"), okR()},
		{cmd("DBSIZE"), intR(0)},
		{cmd("SELECT", "0"), okR()},
		{cmd("DBSIZE"), intR(1)},
		{cmd("FLUSHDB", "ASYNC"), okR()},
		{cmd("DBSIZE"), intR(0)},
		{cmd("SET", "a", "1"), okR()},
		{cmd("FLUSHDB", "sync"), okR()},
		{cmd("EXISTS", "a"), intR(0)},
		{cmd("SET", "a", "1"), okR()},
		{cmd("FLUSHDB", "foo"), errR("ERR syntax error")},
		{cmd("FLUSHDB", "async", "async"), errR("ERR syntax error")},
		{cmd("FLUSHALL", "foo"), errR("ERR syntax error")},
		{cmd("FLUSHALL", "SYNC", "x"), errR("ERR syntax error")},
		{cmd("EXISTS", "a"), intR(1)},
		{cmd("SELECT", "7"), okR()},
		{cmd("SET", "b", "2"), okR()},
		{cmd("FLUSHALL"), okR()},
		{cmd("DBSIZE"), intR(0)},
		{cmd("SELECT", "0"), okR()},
		{cmd("DBSIZE"), intR(0)},
		{cmd("SET", "a", "1"), okR()},
		{cmd("FLUSHALL", "Async"), okR()},
		{cmd("EXISTS", "a"), intR(0)},
		{cmd("FLUSHALL", "sync"), okR()},
	})
}

func TestKeysScanRandomKeyLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		// An empty database, where every valid cursor ends the iteration.
		{cmd("KEYS", "*"), arrR()},
		{cmd("RANDOMKEY"), nullR()},
		{cmd("SCAN", "0"), scanR("0")},
		{cmd("SCAN", ""), scanR("0")},
		{cmd("SCAN", "+0"), scanR("0")},
		{cmd("SCAN", "-0"), scanR("0")},
		{cmd("SCAN", "007"), scanR("0")},
		{cmd("SCAN", "-1"), scanR("0")},
		{cmd("SCAN", "18446744073709551615"), scanR("0")},
		{cmd("SCAN", "-18446744073709551615"), scanR("0")},
		{cmd("SCAN", "5\x00x"), scanR("0")},
		{cmd("SCAN", "x"), errR("ERR invalid cursor")},
		{cmd("SCAN", " 1"), errR("ERR invalid cursor")},
		{cmd("SCAN", "1 "), errR("ERR invalid cursor")},
		{cmd("SCAN", "+"), errR("ERR invalid cursor")},
		{cmd("SCAN", "-"), errR("ERR invalid cursor")},
		{cmd("SCAN", "0x1"), errR("ERR invalid cursor")},
		{cmd("SCAN", "1.5"), errR("ERR invalid cursor")},
		{cmd("SCAN", "18446744073709551616"), errR("ERR invalid cursor")},
		{cmd("SCAN", "-18446744073709551616"), errR("ERR invalid cursor")},
		{cmd("SCAN", "x", "COUNT", "0"), errR("ERR invalid cursor")},
		{cmd("SCAN", "0", "COUNT", "0"), errR("ERR syntax error")},
		{cmd("SCAN", "0", "count", "-1"), errR("ERR syntax error")},
		{cmd("SCAN", "0", "COUNT", "x"), errR("ERR value is not an integer or out of range")},
		{cmd("SCAN", "0", "COUNT", "x", "foo"), errR("ERR value is not an integer or out of range")},
		{cmd("SCAN", "0", "foo", "COUNT", "x"), errR("ERR syntax error")},
		{cmd("SCAN", "0", "COUNT"), errR("ERR syntax error")},
		{cmd("SCAN", "0", "MATCH"), errR("ERR syntax error")},
		{cmd("SCAN", "0", "TYPE"), errR("ERR syntax error")},
		{cmd("SCAN", "0", "MATCH", "*", "foo"), errR("ERR syntax error")},
		{cmd("SCAN"), arityR("scan")},
		{cmd("KEYS"), arityR("keys")},
		{cmd("KEYS", "a", "b"), arityR("keys")},
		// One key: order cannot differ.
		{cmd("SET", "key:1", "v"), okR()},
		{cmd("KEYS", "*"), arrR(bulkR("key:1"))},
		{cmd("KEYS", "key:?"), arrR(bulkR("key:1"))},
		{cmd("KEYS", "nomatch*"), arrR()},
		{cmd("RANDOMKEY"), bulkR("key:1")},
		{cmd("SCAN", "0"), scanR("0", "key:1")},
		{cmd("SCAN", "0", "MATCH", "key:*"), scanR("0", "key:1")},
		{cmd("SCAN", "0", "MATCH", "nomatch"), scanR("0")},
		{cmd("SCAN", "0", "TYPE", "string"), scanR("0", "key:1")},
		{cmd("SCAN", "0", "type", "STRING"), scanR("0", "key:1")},
		{cmd("SCAN", "0", "TYPE", "list"), scanR("0")},
		{cmd("SCAN", "0", "TYPE", "foo"), scanR("0")},
		{cmd("SCAN", "0", "MATCH", "nomatch", "MATCH", "key*", "COUNT", "100", "TYPE", "string"), scanR("0", "key:1")},
		// The empty key: KEYS * and SCAN MATCH * skip the matcher, which
		// would not match it.
		{cmd("SET", "", "empty"), okR()},
		{cmd("DEL", "key:1"), intR(1)},
		{cmd("KEYS", "*"), arrR(bulkR(""))},
		{cmd("KEYS", "**"), arrR()},
		{cmd("SCAN", "0", "MATCH", "*"), scanR("0", "")},
		{cmd("SCAN", "0", "MATCH", "**"), scanR("0")},
		{cmd("RANDOMKEY"), bulkR("")},
	})
}

func TestParseScanCursor(t *testing.T) {
	cases := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true}, {"", 0, true}, {"\x00", 0, true}, {"42", 42, true}, {"+42", 42, true},
		{"007", 7, true}, {"-0", 0, true}, {"-1", math.MaxUint64, true},
		{"-18446744073709551615", 1, true}, {"18446744073709551615", math.MaxUint64, true},
		{"5\x00x", 5, true},
		{"18446744073709551616", 0, false}, {"-18446744073709551616", 0, false},
		{"99999999999999999999999", 0, false}, {" 1", 0, false}, {"\t1", 0, false}, {"1 ", 0, false},
		{"+", 0, false}, {"-", 0, false}, {"+-1", 0, false}, {"0x1", 0, false}, {"x", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseScanCursor([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseScanCursor(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// keyspaceOrder returns keys sorted as the keyspace stores them.
func keyspaceOrder(keys []string) []string {
	out := slices.Clone(keys)
	slices.SortFunc(out, func(a, b string) int {
		if ha, hb := keyHash(a), keyHash(b); ha != hb {
			if ha < hb {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}

func TestKeysMatchesInKeyspaceOrder(t *testing.T) {
	tf := newTestFSM(t)
	var all, users []string
	for i := range 50 {
		k := fmt.Sprintf("user:%d", i)
		tf.write("SET", k, "v")
		all, users = append(all, k), append(users, k)
		k = fmt.Sprintf("item:%d", i)
		tf.write("SET", k, "v")
		all = append(all, k)
	}
	if got, want := arrayItems(t, tf.read("KEYS", "*")), keyspaceOrder(all); !slices.Equal(got, want) {
		t.Errorf("KEYS *:\n got %q\nwant %q", got, want)
	}
	if got, want := arrayItems(t, tf.read("KEYS", "user:*")), keyspaceOrder(users); !slices.Equal(got, want) {
		t.Errorf("KEYS user:*:\n got %q\nwant %q", got, want)
	}
	tf.check([]replyCase{
		{cmd("KEYS", "user:1?"), arrR(bulkRs(keyspaceOrder([]string{"user:10", "user:11", "user:12", "user:13", "user:14", "user:15", "user:16", "user:17", "user:18", "user:19"}))...)},
		{cmd("KEYS", "item:[2-3]"), arrR(bulkRs(keyspaceOrder([]string{"item:2", "item:3"}))...)},
	})
}

// TestExpiredKeysAreAbsent checks that every key command treats a key
// past its deadline as missing, that reads hide it without removing it
// (DBSIZE still counts it), and that writes which meet it remove it.
func TestExpiredKeysAreAbsent(t *testing.T) {
	tf := newTestFSM(t)
	tf.check([]replyCase{
		{cmd("SET", "live", "v"), okR()},
		{cmd("SET", "dying", "v", "PX", "100"), okR()},
		{cmd("DBSIZE"), intR(2)},
		{cmd("EXISTS", "dying"), intR(1)},
	})
	tf.now += 99
	tf.check([]replyCase{{cmd("EXISTS", "dying"), intR(1)}})
	tf.now++ // the deadline: expired at or before now
	tf.check([]replyCase{
		{cmd("EXISTS", "dying", "live"), intR(1)},
		{cmd("TOUCH", "dying"), intR(0)},
		{cmd("TYPE", "dying"), statusR("none")},
		{cmd("TTL", "dying"), intR(-2)},
		{cmd("PTTL", "dying"), intR(-2)},
		{cmd("EXPIRETIME", "dying"), intR(-2)},
		{cmd("PEXPIRETIME", "dying"), intR(-2)},
		{cmd("KEYS", "*"), arrR(bulkR("live"))},
		{cmd("KEYS", "dying"), arrR()},
		{cmd("SCAN", "0"), scanR("0", "live")},
		{cmd("SCAN", "0", "MATCH", "dying"), scanR("0")},
		{cmd("DBSIZE"), intR(2)},
	})
	for range 20 {
		if got := tf.read("RANDOMKEY"); got != bulkR("live") {
			t.Fatalf("RANDOMKEY = %q", got)
		}
	}
	if n := tf.f.dbs[0].Len(); n != 2 {
		t.Fatalf("reads removed an expired key: %d keys left", n)
	}

	// Each write that looks the key up finds it absent and removes it.
	writes := []replyCase{
		{cmd("DEL", "dying"), intR(0)},
		{cmd("UNLINK", "dying"), intR(0)},
		{cmd("RENAME", "dying", "x"), errR("ERR no such key")},
		{cmd("RENAMENX", "dying", "x"), errR("ERR no such key")},
		{cmd("MOVE", "dying", "1"), intR(0)},
		{cmd("COPY", "dying", "x"), intR(0)},
		{cmd("EXPIRE", "dying", "100"), intR(0)},
		{cmd("PEXPIREAT", "dying", "99999999999999"), intR(0)},
		{cmd("PERSIST", "dying"), intR(0)},
	}
	for _, w := range writes {
		tf.write("SET", "dying", "v", "PX", "100")
		tf.now += 100 // entry time never goes back, so expire forward
		tf.check([]replyCase{{cmd("DBSIZE"), intR(2)}, w, {cmd("DBSIZE"), intR(1)}})
	}

	// An expired target is no obstacle.
	tf.write("SET", "t", "old", "PX", "100")
	tf.db = 1
	tf.write("SET", "t", "old", "PX", "100")
	tf.db = 0
	tf.now += 100
	tf.check([]replyCase{
		{cmd("SET", "s", "new"), okR()},
		{cmd("RENAMENX", "s", "t"), intR(1)},
		{cmd("GET", "t"), bulkR("new")},
		{cmd("TTL", "t"), intR(-1)},
		{cmd("COPY", "t", "t", "DB", "1"), intR(1)},
		{cmd("MOVE", "t", "2"), intR(1)},
	})
	tf.db = 1
	tf.check([]replyCase{{cmd("GET", "t"), bulkR("new")}, {cmd("DBSIZE"), intR(1)}})
}

// A sweep entry removes expired keys, which DBSIZE then stops counting.
func TestSweepRemovesExpiredKeys(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "a", "v", "PX", "10")
	tf.write("SET", "b", "v", "PX", "20")
	tf.now += 10
	tf.check([]replyCase{{cmd("DBSIZE"), intR(2)}, {cmd("EXISTS", "a", "b"), intR(1)}})
	tf.index++
	e := Entry{Type: EntryExpire, Time: tf.now, Cmds: []Cmd{{Args: [][]byte{[]byte("a")}}, {Args: [][]byte{[]byte("b")}}}}
	tf.f.Apply(&raft.Log{Index: tf.index, Type: raft.LogCommand, Data: e.Encode(nil)})
	tf.check([]replyCase{{cmd("DBSIZE"), intR(1)}, {cmd("KEYS", "*"), arrR(bulkR("b"))}})
}

// keysScanAll iterates SCAN from cursor 0 to the end, calling between after
// each page, and counts how often each key was returned.
func keysScanAll(t *testing.T, tf *testFSM, count int, between func(page int)) map[string]int {
	t.Helper()
	seen := make(map[string]int)
	cursor := "0"
	for page := 0; ; page++ {
		if page > 100000 {
			t.Fatal("SCAN does not terminate")
		}
		var keys []string
		cursor, keys = scanItems(t, tf.read("SCAN", cursor, "COUNT", strconv.Itoa(count)))
		for _, k := range keys {
			seen[k]++
		}
		if cursor == "0" {
			return seen
		}
		between(page)
	}
}

func TestScanReturnsStableKeysExactlyOnce(t *testing.T) {
	tf := newTestFSM(t)
	const stable = 1000
	for i := range stable {
		tf.write("SET", fmt.Sprintf("stable:%d", i), "v")
	}
	for i := range 300 {
		tf.write("SET", fmt.Sprintf("churn:%d", i), "v")
	}
	// Between pages: delete old churn keys, add new ones (some expiring),
	// and let time pass.
	next := 300
	seen := keysScanAll(t, tf, 7, func(page int) {
		tf.write("DEL", fmt.Sprintf("churn:%d", page*2), fmt.Sprintf("churn:%d", page*2+1))
		tf.write("SET", fmt.Sprintf("churn:%d", next), "v")
		tf.write("SET", fmt.Sprintf("churn:%d", next+1), "v", "PX", "5")
		next += 2
		tf.now += 3
	})
	for i := range stable {
		k := fmt.Sprintf("stable:%d", i)
		if seen[k] != 1 {
			t.Errorf("%s returned %d times", k, seen[k])
		}
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s returned %d times", k, n)
		}
	}

	// Without changes, a full iteration returns exactly the keyspace,
	// whatever COUNT is.
	tf.write("FLUSHALL")
	var want []string
	for i := range 100 {
		k := fmt.Sprintf("k%d", i)
		tf.write("SET", k, "v")
		want = append(want, k)
	}
	for _, count := range []int{1, 2, 7, 99, 100, 1000} {
		seen := keysScanAll(t, tf, count, func(int) {})
		var got []string
		for k, n := range seen {
			if n != 1 {
				t.Errorf("COUNT %d: %s returned %d times", count, k, n)
			}
			got = append(got, k)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("COUNT %d: got %d keys, want %d", count, len(got), len(want))
		}
	}
}

func TestScanCursorIsTheNextHash(t *testing.T) {
	tf := newTestFSM(t)
	keys := []string{"a", "b", "c", "d"}
	for _, k := range keys {
		tf.write("SET", k, "v")
	}
	order := keyspaceOrder(keys)
	h := func(k string) string { return strconv.FormatUint(keyHash(k), 10) }
	tf.check([]replyCase{
		{cmd("SCAN", "0", "COUNT", "1"), scanR(h(order[1]), order[0])},
		{cmd("SCAN", h(order[1]), "COUNT", "2"), scanR(h(order[3]), order[1], order[2])},
		{cmd("SCAN", h(order[3]), "COUNT", "2"), scanR("0", order[3])},
		// COUNT counts keys examined, filtered ones included.
		{cmd("SCAN", "0", "COUNT", "2", "MATCH", order[1]), scanR(h(order[2]), order[1])},
		{cmd("SCAN", "0", "COUNT", "2", "TYPE", "hash"), scanR(h(order[2]))},
		{cmd("SCAN", strconv.FormatUint(keyHash(order[3])+1, 10)), scanR("0")},
	})
}

// A page never ends inside a run of keys with equal hashes, so a key that
// shares its hash with others cannot be skipped or returned twice. Real
// xxhash collisions are not at hand, so the keyspace is given forged
// hashes.
func TestScanKeepsEqualHashesTogether(t *testing.T) {
	tf := newTestFSM(t)
	db := tf.f.dbs[0]
	forged := map[string]uint64{"a": 10, "c": 30, "z": math.MaxUint64}
	for i := range 5 {
		forged[fmt.Sprintf("b%d", i)] = 20
	}
	db.keys.forged = forged
	for key := range forged {
		db.set(item{key: key, val: stringValue("v")})
	}
	tf.check([]replyCase{
		{cmd("SCAN", "0", "COUNT", "2"), scanR("30", "a", "b0", "b1", "b2", "b3", "b4")},
		{cmd("SCAN", "11", "COUNT", "1"), scanR("30", "b0", "b1", "b2", "b3", "b4")},
		{cmd("SCAN", "20", "COUNT", "3"), scanR("30", "b0", "b1", "b2", "b3", "b4")},
		{cmd("SCAN", "30", "COUNT", "1"), scanR("18446744073709551615", "c")},
		{cmd("SCAN", "-1", "COUNT", "1"), scanR("0", "z")},
		{cmd("SCAN", "31", "COUNT", "1"), scanR("0", "z")},
	})
}

func TestRandomKey(t *testing.T) {
	tf := newTestFSM(t)
	var keys []string
	for i := range 10 {
		k := fmt.Sprintf("k%d", i)
		keys = append(keys, k)
		tf.write("SET", k, "v", "PX", "100")
	}
	// Deterministic: the same seed picks the same key.
	read := func(seed uint64) string {
		return string(tf.f.Read(nil, 0, tf.now, seed, [][]byte{[]byte("RANDOMKEY")}))
	}
	seen := make(map[string]bool)
	for seed := range uint64(200) {
		r := read(seed)
		if r != read(seed) {
			t.Fatalf("seed %d: RANDOMKEY is not deterministic", seed)
		}
		seen[r] = true
	}
	if len(seen) != len(keys) {
		t.Errorf("200 seeds picked %d distinct keys of %d", len(seen), len(keys))
	}
	for _, k := range keys {
		if !seen[bulkR(k)] {
			t.Errorf("%s never picked", k)
		}
	}
	// Only the first key in keyspace order is live: every pick after it
	// must wrap around to it.
	first := keyspaceOrder(keys)[0]
	tf.write("PERSIST", first)
	tf.now += 100
	for seed := range uint64(50) {
		if r := read(seed); r != bulkR(first) {
			t.Fatalf("seed %d: RANDOMKEY = %q, want %s", seed, r, first)
		}
	}
	tf.write("DEL", first)
	tf.check([]replyCase{{cmd("RANDOMKEY"), nullR()}, {cmd("DBSIZE"), intR(9)}})
	// In an entry it draws from the entry's seed.
	tf.write("SET", "only", "v")
	tf.check([]replyCase{{cmd("RANDOMKEY"), bulkR("only")}})
	if got := tf.write("RANDOMKEY"); got != bulkR("only") {
		t.Errorf("RANDOMKEY in an entry = %q", got)
	}
}

// Commands of one entry address databases by their Cmd.DB, also after
// SWAPDB and FLUSHALL replaced the databases under them.
func TestMultiDatabaseEntries(t *testing.T) {
	tf := newTestFSM(t)
	c := func(db int, args ...string) Cmd { return Cmd{DB: db, Args: toArgs(args)} }
	got := tf.writeEntry(
		c(0, "SET", "k", "zero"),
		c(1, "SET", "k", "one"),
		c(5, "SWAPDB", "0", "1"),
		c(0, "GET", "k"),
		c(1, "GET", "k"),
		c(1, "MOVE", "k", "2"),
		c(2, "GET", "k"),
		c(2, "COPY", "k", "k", "DB", "3"),
		c(3, "RENAME", "k", "k3"),
		c(3, "DBSIZE"),
		c(2, "FLUSHDB"),
		c(2, "DBSIZE"),
		c(3, "DBSIZE"),
		c(0, "FLUSHALL"),
		c(3, "DBSIZE"),
		c(0, "SET", "k", "again"),
		c(0, "SWAPDB", "0", "15"),
		c(0, "DBSIZE"),
		c(15, "GET", "k"),
	)
	want := okR() + okR() + okR() + bulkR("one") + bulkR("zero") + intR(1) + bulkR("zero") +
		intR(1) + okR() + intR(1) + okR() + intR(0) + intR(1) + okR() + intR(0) + okR() + okR() + intR(0) + bulkR("again")
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// The volatile index (the keys with a deadline, which the sweeper reads)
// follows every command that moves, copies or drops a deadline.
func TestVolatileIndexFollowsKeys(t *testing.T) {
	tf := newTestFSM(t)
	volatile := func(db int) []string {
		var keys []string
		for k, at := range tf.f.dbs[db].volatile {
			it, ok := tf.f.dbs[db].get(k)
			if !ok || it.expireAt != at {
				t.Errorf("db %d: volatile[%q] = %d, item %+v", db, k, at, it)
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	}
	expect := func(db int, want ...string) {
		t.Helper()
		if got := volatile(db); !slices.Equal(got, want) {
			t.Errorf("db %d volatile = %q, want %q", db, got, want)
		}
	}
	tf.write("SET", "a", "v")
	tf.write("EXPIRE", "a", "100")
	expect(0, "a")
	tf.write("RENAME", "a", "b")
	expect(0, "b")
	tf.write("COPY", "b", "c")
	expect(0, "b", "c")
	tf.write("MOVE", "c", "1")
	expect(0, "b")
	expect(1, "c")
	tf.write("PERSIST", "b")
	expect(0)
	tf.write("EXPIRE", "b", "5")
	tf.write("PEXPIRE", "b", "-1")
	expect(0)
	tf.write("SET", "d", "v", "EX", "5")
	tf.write("SET", "e", "v")
	tf.write("RENAME", "e", "d")
	expect(0)
	tf.write("SET", "f", "v", "EX", "5")
	tf.write("DEL", "f")
	expect(0)
	tf.write("SWAPDB", "0", "1")
	expect(0, "c")
	tf.write("FLUSHALL")
	expect(0)
	expect(1)
}

// COPY stores a clone, private to the current snapshot generation; RENAME
// and MOVE move the value itself, keeping its generation.
func TestCopyMoveRenameGenerations(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "a", "v")
	if _, err := tf.f.Snapshot(); err != nil {
		t.Fatal(err)
	}
	gen := tf.f.gen
	tf.write("COPY", "a", "b")
	tf.write("RENAME", "a", "c")
	tf.write("MOVE", "c", "1")
	b, _ := tf.f.dbs[0].get("b")
	c, _ := tf.f.dbs[1].get("c")
	if b.gen != gen {
		t.Errorf("COPY: gen %d, want %d", b.gen, gen)
	}
	if c.gen != 0 {
		t.Errorf("RENAME+MOVE: gen %d, want the original 0", c.gen)
	}
	if string(b.val.(stringValue)) != "v" || string(c.val.(stringValue)) != "v" {
		t.Errorf("values %q %q", b.val, c.val)
	}
}
