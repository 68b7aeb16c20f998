package fsm

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// everyType are commands that build a value of each type and encoding
// under key "v", and a write that changes such a value ("%" is the key).
var everyType = []struct {
	name   string
	build  [][]string
	change []string
}{
	{"string", [][]string{{"SET", "v", "hello"}}, []string{"APPEND", "%", "!"}},
	{"string-int", [][]string{{"SET", "v", "42"}}, []string{"INCR", "%"}},
	{"string-raw", [][]string{{"SETBIT", "v", "7", "1"}}, []string{"SETBIT", "%", "1", "1"}},
	{"string-long", [][]string{{"SET", "v", strings.Repeat("long", 30)}}, []string{"SETRANGE", "%", "0", "X"}},
	{"hll", [][]string{{"PFADD", "v", "a", "b"}}, []string{"PFADD", "%", "c"}},
	{"list", [][]string{{"RPUSH", "v", "a", "b", "1"}}, []string{"RPUSH", "%", "x"}},
	{"list-big", [][]string{numbered("RPUSH", "v", 2000, strconv.Itoa)}, []string{"LSET", "%", "1000", "changed"}},
	{"hash", [][]string{{"HSET", "v", "f", "1", "g", "2"}}, []string{"HINCRBY", "%", "f", "5"}},
	{"hash-big", [][]string{numbered("HSET", "v", 1200, strconv.Itoa)}, []string{"HDEL", "%", "0"}},
	{"set-intset", [][]string{{"SADD", "v", "1", "2", "-3"}}, []string{"SADD", "%", "4"}},
	{"set-intset-big", [][]string{numbered("SADD", "v", 400, strconv.Itoa)}, []string{"SREM", "%", "7"}},
	{"set", [][]string{{"SADD", "v", "a", "b", "1"}}, []string{"SADD", "%", "x"}},
	{"set-big", [][]string{numbered("SADD", "v", 1200, func(i int) string { return "m" + strconv.Itoa(i) })}, []string{"SREM", "%", "m5"}},
	{"zset", [][]string{{"ZADD", "v", "1", "a", "2", "b", "-inf", "c"}}, []string{"ZINCRBY", "%", "1.5", "a"}},
	{"zset-big", [][]string{numbered("ZADD", "v", 600, func(i int) string { return []string{strconv.Itoa(i), "m" + strconv.Itoa(i/2)}[i%2] })}, []string{"ZREM", "%", "m3"}},
}

// TestKeyCommandsOnEveryType runs the key-space commands over a key of
// each type and encoding, on the FSM and on Redis, comparing every reply
// and every key's whole value after each step. COPY leaves two values
// that change independently; a snapshot taken between the steps keeps
// what it saw.
func TestKeyCommandsOnEveryType(t *testing.T) {
	o := newOracle(t)
	tf := newTestFSM(t)
	fsmDo := tf.doSelecting()
	for _, tc := range everyType {
		t.Run(tc.name, func(t *testing.T) {
			both := func(args ...string) string {
				t.Helper()
				want := o.do(args...)
				if got := fsmDo(args...); got != want {
					t.Fatalf("%.100q\n got %.200q\nwant %.200q", args, got, want)
				}
				return want
			}
			same := func(keys ...string) {
				t.Helper()
				for _, k := range keys {
					if got, want := valueView(t, fsmDo, k), valueView(t, o.do, k); got != want {
						t.Fatalf("%s differs:\n got %.300q\nwant %.300q", k, got, want)
					}
				}
			}
			change := func(tmpl []string, key string) {
				t.Helper()
				args := slices.Clone(tmpl)
				args[1] = key
				both(args...)
			}
			both("SELECT", "0")
			both("FLUSHALL")
			for _, c := range tc.build {
				both(c...)
			}
			typ := both("TYPE", "v")
			both("OBJECT", "ENCODING", "v")
			same("v")

			// COPY, then change each side: the other keeps its value.
			both("COPY", "v", "c")
			same("v", "c")
			snap, err := tf.f.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			before := digestOfSnapshot(t, snap)
			change(tc.change, "v")
			same("v", "c")
			change(tc.change, "c")
			change(tc.change, "c")
			same("v", "c")
			if digestOfSnapshot(t, snap) != before {
				t.Fatal("a change after the snapshot reached it")
			}
			both("COPY", "c", "v")
			both("COPY", "c", "v", "REPLACE")
			same("v")
			both("COPY", "v", "c1", "DB", "1")
			change(tc.change, "v")
			both("SELECT", "1")
			same("c1")
			change(tc.change, "c1")
			same("c1")
			both("SELECT", "0")
			same("v", "c")

			// RENAME, RENAMENX, MOVE and SWAPDB keep the value and TTL.
			both("EXPIRE", "v", "1000")
			both("RENAME", "v", "r")
			both("TTL", "r")
			both("EXISTS", "v")
			same("r")
			both("RENAMENX", "r", "c")
			both("RENAMENX", "r", "r2")
			both("MOVE", "r2", "1")
			both("MOVE", "c", "1")
			both("SELECT", "1")
			both("TTL", "r2")
			same("r2", "c1")
			both("SWAPDB", "0", "1")
			both("SELECT", "0")
			same("r2", "c1", "c")
			change(tc.change, "r2")
			same("r2")

			// Expiry.
			both("PEXPIRE", "r2", "100000")
			both("PERSIST", "r2")
			both("TTL", "r2")
			both("EXPIRETIME", "r2")
			both("EXPIRE", "r2", "-1")
			both("EXISTS", "r2")

			// Enumeration by type.
			for _, want := range []string{typ, statusR("string"), statusR("list"), statusR("hash"), statusR("set"), statusR("zset"), statusR("none")} {
				name := strings.TrimSuffix(strings.TrimPrefix(want, "+"), "\r\n")
				if got, exp := scanAll(t, fsmDo, name), scanAll(t, o.do, name); !slices.Equal(got, exp) {
					t.Errorf("SCAN TYPE %s: %q, redis %q", name, got, exp)
				}
			}
			if got, want := sortedGroupsReply(t, fsmDo("KEYS", "*"), false), sortedGroupsReply(t, o.do("KEYS", "*"), false); got != want {
				t.Errorf("KEYS: %q, redis %q", got, want)
			}
			both("DEL", "c", "nokey")
			both("UNLINK", "c1")
			both("DBSIZE")
			both("GET", "v")
			both("RANDOMKEY")
			checkUsedMemory(t, tf.f, tc.name)
		})
	}
}

// scanAll SCANs the whole database for keys of a type, sorted.
func scanAll(t *testing.T, do func(args ...string) string, typ string) []string {
	t.Helper()
	var keys []string
	cursor := "0"
	for {
		var items []string
		cursor, items = scanItems(t, do("SCAN", cursor, "COUNT", "3", "TYPE", typ))
		keys = append(keys, items...)
		if cursor == "0" {
			break
		}
	}
	slices.Sort(keys)
	return keys
}
