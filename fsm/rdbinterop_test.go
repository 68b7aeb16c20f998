package fsm

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/resp"
	"github.com/raftis/raftis/internal/testredis"
)

// rdbDataSet builds a data set with every type in every encoding, in
// several databases, with deadlines, binary keys and values, and big
// collections. Its commands run alike on the FSM and on redis-server.
func rdbDataSet() [][]string {
	cmds := [][]string{{"SELECT", "0"}}
	for i, tc := range everyType {
		for _, c := range tc.build {
			c = slices.Clone(c)
			c[1] = tc.name
			cmds = append(cmds, c)
		}
		if i%2 == 0 {
			cmds = append(cmds, []string{"EXPIRE", tc.name, strconv.Itoa(1000 + i)})
		}
	}
	cmds = append(cmds,
		[]string{"SET", "bin\x00key\xff", "\x00\xff\r\nbinary"},
		[]string{"SET", "", "empty key"},
		[]string{"SET", "empty value", ""},
		[]string{"RPUSH", "list\x00bin", "\x00", "", "\xff\xfe"},
		[]string{"HSET", "hash\x00bin", "\x00f", "\xffv", "", ""},
		numbered("RPUSH", "big-list", 100_000, func(i int) string { return strconv.Itoa(i) + strings.Repeat("e", i%50) }),
		numbered("HSET", "big-hash", 40_000, func(i int) string { return "f" + strconv.Itoa(i) }),
		[]string{"SADD", "set\x00bin", "\x00", "", "\xff\xfe"},
		[]string{"ZADD", "zset\x00bin", "1", "\x00", "-inf", "", "0.1", "\xff\xfe"},
		numbered("SADD", "big-set", 40_000, func(i int) string { return "s" + strconv.Itoa(i) }),
		numbered("SADD", "big-intset", 512, func(i int) string { return strconv.Itoa(i * 100_000) }),
		numbered("ZADD", "big-zset", 40_000, func(i int) string { return []string{strconv.Itoa(i % 1000), "z" + strconv.Itoa(i)}[i%2] }),
		[]string{"SET", "big-string", strings.Repeat("0123456789abcdef", 1<<16)},
		[]string{"SETBIT", "bitmap", "1000000", "1"},
		[]string{"SET", "soon", "x", "PX", "3600000"},
		[]string{"SELECT", "3"},
		[]string{"HSET", "in3", "f", "v"},
		[]string{"RPUSH", "in3-list", "a"},
		[]string{"SADD", "in3-set", "a"},
		[]string{"ZADD", "in3-zset", "1", "a"},
		[]string{"SET", "in3-string", "v", "EX", "5000"},
		[]string{"SELECT", "15"},
		[]string{"SET", "last", "db"},
		[]string{"SELECT", "0"},
	)
	return cmds
}

// keyspaceView is every key of every database with its value and
// deadline: what a data set holds, read through commands only. n is the
// number of keys.
func keyspaceView(t *testing.T, do func(args ...string) string) (view string, n int) {
	t.Helper()
	var out strings.Builder
	for db := range NumDatabases {
		do("SELECT", strconv.Itoa(db))
		keys := arrayItems(t, do("KEYS", "*"))
		slices.Sort(keys)
		n += len(keys)
		for _, k := range keys {
			out.WriteString(strconv.Itoa(db) + " " + strconv.Quote(k) + " ")
			out.WriteString(valueView(t, do, k))
			out.WriteString(ttlBucket(do("PTTL", k)))
			out.WriteString("\n")
		}
	}
	do("SELECT", "0")
	return out.String(), n
}

// ttlBucket rounds a PTTL reply to the minute, so the clocks of two
// servers a moment apart agree.
func ttlBucket(reply string) string {
	ms, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(reply, ":"), "\r\n"), 10, 64)
	if err != nil || ms < 0 {
		return reply
	}
	return "ttl~" + strconv.FormatInt((ms+30_000)/60_000, 10) + "min"
}

// TestSnapshotLoadsIntoRedisIntact: the FSM's snapshot of every type
// passes redis-check-rdb, and a stock redis-server that loads it holds
// every key, value, type and deadline.
func TestSnapshotLoadsIntoRedisIntact(t *testing.T) {
	check := testredis.Need(t, "redis-check-rdb")
	tf := newTestFSM(t)
	// The data set is written 100 s ago, then one key now: the others
	// have been idle that long. (The FSM's clock never goes back.)
	tf.now = time.Now().UnixMilli() - 100_000
	fsmDo := tf.doSelecting()
	for _, c := range rdbDataSet() {
		fsmDo(c...)
	}
	tf.now += 100_000
	fsmDo("SET", "later", "x")
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := tf.f.WriteRDB(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "dump.rdb")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(check, path).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("RDB looks OK")) || !bytes.Contains(out, []byte("Checksum OK")) {
		t.Fatalf("redis-check-rdb: %v\n%s", err, out)
	}
	redis := dialOracle(t, testredis.Start(t, dir))
	// The idle times went along, as IDLE opcodes (before anything reads
	// the keys: Redis's reads reset them).
	for key, want := range map[string]string{"string": ":100\r\n", "later": ":0\r\n"} {
		if idle := redis.do("OBJECT", "IDLETIME", key); !closeInts(idle, want, 2) {
			t.Errorf("OBJECT IDLETIME %s after loading: %q, want about %q", key, idle, want)
		}
	}
	tf.now = time.Now().UnixMilli()
	want, n := keyspaceView(t, fsmDo)
	if got, _ := keyspaceView(t, redis.do); got != want {
		t.Fatalf("redis-server loaded something else:\n%s", firstDiff(got, want))
	}
	if n != len(everyType)+22 { // and "later"
		t.Fatalf("%d keys in the data set", n)
	}
}

// TestRedisSaveRestoresIntact: an RDB file redis-server SAVEs, with every
// type in its compact and plain encodings, restores into the FSM with
// every key, value, type and deadline.
func TestRedisSaveRestoresIntact(t *testing.T) {
	dir := t.TempDir()
	redis := dialOracle(t, testredis.Start(t, dir))
	for _, c := range rdbDataSet() {
		if r := redis.do(c...); strings.HasPrefix(r, "-") {
			t.Fatalf("%.60q: %q", c, r)
		}
	}
	if r := redis.do("SAVE"); r != okR() {
		t.Fatalf("SAVE: %q", r)
	}
	f, err := os.Open(filepath.Join(dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	tf := newTestFSM(t)
	if err := tf.f.Restore(f); err != nil {
		t.Fatal(err)
	}
	tf.now = time.Now().UnixMilli()
	want, _ := keyspaceView(t, redis.do)
	if got, _ := keyspaceView(t, tf.doSelecting()); got != want {
		t.Fatalf("restored something else:\n%s", firstDiff(got, want))
	}
	checkUsedMemory(t, tf.f, "restore")
	// And the restored data set writes a file Redis loads back the same.
	var buf bytes.Buffer
	if err := tf.f.WriteRDB(&buf); err != nil {
		t.Fatal(err)
	}
	again := t.TempDir()
	if err := os.WriteFile(filepath.Join(again, "dump.rdb"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := keyspaceView(t, dialOracle(t, testredis.Start(t, again)).do); got != want {
		t.Fatalf("round trip through raftis:\n%s", firstDiff(got, want))
	}
}

// doSelecting is do, with SELECT switching the database of later calls.
func (tf *testFSM) doSelecting() func(args ...string) string {
	return func(args ...string) string {
		if strings.EqualFold(args[0], "select") {
			tf.db, _ = strconv.Atoi(args[1])
			return okR()
		}
		return tf.do(args...)
	}
}

// dialOracle connects to a redis-server a test started.
func dialOracle(t *testing.T, addr string) *oracle {
	t.Helper()
	c, err := resp.DialTimeout(addr, oracleDialTimeout, resp.WithTimeout(oracleReplyTimeout))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &oracle{t: t, c: c}
}

// firstDiff shows the first line where two views differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "got  " + trunc(g[i]) + "\nwant " + trunc(w[i])
		}
	}
	return "lengths differ: " + strconv.Itoa(len(g)) + " vs " + strconv.Itoa(len(w)) + " lines"
}

func trunc(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
