package fsm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/raftis/raftis/fsm/rdb"
	"github.com/raftis/raftis/internal/resp"
	"github.com/raftis/raftis/internal/testredis"
)

func TestDumpRestoreSpecs(t *testing.T) {
	// COMMAND INFO of redis-server 7.0.15.
	for name, want := range map[string]string{
		"dump":    "2 [readonly] 1 1 1",
		"restore": "-4 [write denyoom] 1 1 1",
	} {
		cmd := Lookup([]byte(name))
		if got := fmt.Sprintf("%d %v %d %d %d", cmd.Arity, cmd.Flags.Names(), cmd.FirstKey, cmd.LastKey, cmd.KeyStep); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}

// payloadOf is the bulk string of a DUMP reply.
func payloadOf(t testing.TB, reply string) string {
	t.Helper()
	v, err := resp.Parse([]byte(reply))
	if err != nil || v.Kind != resp.BulkString || v.Null {
		t.Fatalf("not a DUMP payload: %q (%v)", reply, err)
	}
	return v.Str
}

// reseal gives body a version footer and a CRC-64 that matches.
func reseal(body []byte, version uint16) string {
	b := binary.LittleEndian.AppendUint16(bytes.Clone(body), version)
	return string(binary.LittleEndian.AppendUint64(b, rdb.Checksum(b)))
}

// TestRestoreErrorsLikeRedis checks RESTORE's replies and the order in
// which Redis checks its arguments, against Redis.
func TestRestoreErrorsLikeRedis(t *testing.T) {
	str, err := rdb.EncodeDump(&rdb.Record{Type: rdb.TypeString, String: []byte("v")})
	if err != nil {
		t.Fatal(err)
	}
	list, err := rdb.EncodeDump(&rdb.Record{Type: rdb.TypeList, List: [][]byte{[]byte("a"), []byte("b")}})
	if err != nil {
		t.Fatal(err)
	}
	p, l := string(str), string(list)
	body := str[:len(str)-10]
	badCRC := []byte(p)
	badCRC[len(badCRC)-1] ^= 1
	zeroCRC := append(bytes.Clone(str[:len(str)-8]), make([]byte, 8)...)
	checkLikeRedis(t, []replyCase{
		{cmd("RESTORE", "k", "0"), arityR("restore")},
		{cmd("RESTORE", "k", "0", p), okR()},
		{cmd("GET", "k"), bulkR("v")},
		{cmd("TTL", "k"), intR(-1)},
		{cmd("RESTORE", "k", "0", p), errR(errBusyKey)},
		// The key is checked before the TTL, the options before the key.
		{cmd("RESTORE", "k", "abc", p), errR(errBusyKey)},
		{cmd("RESTORE", "k", "0", p, "NOPE"), errR(ErrSyntax)},
		{cmd("RESTORE", "k", "-1", "junk", "REPLACE"), errR(errBadTTL)},
		{cmd("RESTORE", "k", "abc", p, "REPLACE"), errR(ErrNotInteger)},
		{cmd("RESTORE", "k", "0", p, "IDLETIME"), errR(ErrSyntax)},
		{cmd("RESTORE", "k", "0", p, "IDLETIME", "x"), errR(ErrNotInteger)},
		{cmd("RESTORE", "k", "0", p, "IDLETIME", "-1"), errR(errBadIdle)},
		{cmd("RESTORE", "k", "0", p, "FREQ", "256"), errR(errBadFreq)},
		{cmd("RESTORE", "k", "0", p, "FREQ", "-1"), errR(errBadFreq)},
		{cmd("RESTORE", "k", "0", p, "FREQ", "1.5"), errR(ErrNotInteger)},
		{cmd("RESTORE", "k", "0", p, "IDLETIME", "1", "FREQ", "1"), errR(ErrSyntax)},
		{cmd("RESTORE", "k", "0", p, "FREQ", "1", "IDLETIME", "1"), errR(ErrSyntax)},
		{cmd("RESTORE", "k", "0", p, "IDLETIME", "-1", "FREQ", "1"), errR(errBadIdle)},
		{cmd("RESTORE", "k", "0", p, "FREQ", "1", "FREQ", "2", "REPLACE"), okR()},
		{cmd("RESTORE", "k", "0", p, "IDLETIME", "1", "IDLETIME", "2", "replace", "absttl"), okR()},
		// The payload: footer first, then the value. Nothing changes.
		{cmd("RESTORE", "k", "0", "", "REPLACE"), errR(errDumpPayload)},
		{cmd("RESTORE", "k", "0", p[:9], "REPLACE"), errR(errDumpPayload)},
		{cmd("RESTORE", "k", "0", string(badCRC), "REPLACE"), errR(errDumpPayload)},
		{cmd("RESTORE", "k", "0", string(zeroCRC), "REPLACE"), errR(errDumpPayload)},
		{cmd("RESTORE", "k", "0", reseal(body, 11), "REPLACE"), errR(errDumpPayload)},
		{cmd("RESTORE", "k", "0", reseal(body, 1), "REPLACE"), okR()},
		{cmd("RESTORE", "k", "0", reseal(body, 0), "REPLACE"), okR()},
		{cmd("RESTORE", "k", "0", reseal(append(bytes.Clone(body), "trailing"...), 10), "REPLACE"), okR()},
		// A value cut short reads on into the footer, as in Redis.
		{cmd("RESTORE", "k", "0", reseal(body[:len(body)-1], 10), "REPLACE"), okR()},
		{cmd("GET", "k"), bulkR("\n")},
		{cmd("RESTORE", "k", "0", reseal([]byte{0, 12}, 10), "REPLACE"), errR(errBadDumpValue)},
		{cmd("RESTORE", "k", "0", reseal(nil, 10), "REPLACE"), errR(errBadDumpValue)},
		{cmd("RESTORE", "k", "0", reseal([]byte{2, 0}, 10), "REPLACE"), errR(errBadDumpValue)},      // an empty set
		{cmd("RESTORE", "k", "0", reseal([]byte{1, 0}, 10), "REPLACE"), errR(errBadDumpValue)},      // an empty list
		{cmd("RESTORE", "k", "0", reseal([]byte{8, 1, 'a'}, 10), "REPLACE"), errR(errBadDumpValue)}, // no type 8
		{cmd("RESTORE", "k", "0", reseal([]byte{2, 2, 1, 'a', 1, 'a'}, 10), "REPLACE"), errR(errBadDumpValue)},
		// Sorted sets: empty, a member twice, a NaN score (as text and
		// binary), and an intset that lies about its size.
		{cmd("RESTORE", "k", "0", reseal([]byte{3, 0}, 10), "REPLACE"), errR(errBadDumpValue)},
		{cmd("RESTORE", "k", "0", reseal([]byte{5, 0}, 10), "REPLACE"), errR(errBadDumpValue)},
		{cmd("RESTORE", "k", "0", reseal([]byte{3, 2, 1, 'a', 1, '1', 1, 'a', 1, '2'}, 10), "REPLACE"), errR(errBadDumpValue)},
		{cmd("RESTORE", "k", "0", reseal([]byte{3, 1, 1, 'a', 253}, 10), "REPLACE"), errR(errBadDumpValue)},
		{cmd("RESTORE", "k", "0", reseal(append([]byte{5, 1, 1, 'a'}, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f), 10), "REPLACE"), errR(errBadDumpValue)},
		{cmd("RESTORE", "k", "0", reseal([]byte{11, 12, 2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0}, 10), "REPLACE"), errR(errBadDumpValue)},
		{cmd("RESTORE", "k", "0", reseal([]byte{3, 2, 1, 'a', 254, 1, 'b', 255}, 10), "REPLACE"), okR()},
		{cmd("ZRANGE", "k", "0", "-1", "WITHSCORES"), arrR(bulkR("b"), bulkR("-inf"), bulkR("a"), bulkR("inf"))},
		{cmd("OBJECT", "ENCODING", "k"), bulkR("listpack")},
		{cmd("RESTORE", "k", "0", reseal([]byte{11, 12, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0}, 10), "REPLACE"), okR()},
		{cmd("SMEMBERS", "k"), arrR(bulkR("1"), bulkR("2"))},
		{cmd("OBJECT", "ENCODING", "k"), bulkR("intset")},
		{cmd("DEL", "k"), intR(1)},
		{cmd("RESTORE", "k", "0", reseal([]byte{0, 1, '\n'}, 10)), okR()},
		{cmd("GET", "k"), bulkR("\n")},
		// REPLACE of another type; TTLs.
		{cmd("RESTORE", "k", "100000", l, "REPLACE"), okR()},
		{cmd("LRANGE", "k", "0", "-1"), arrR(bulkR("a"), bulkR("b"))},
		{cmd("TTL", "k"), intR(100)},
		{cmd("RESTORE", "k2", "1", l, "ABSTTL"), okR()}, // long past: nothing
		{cmd("EXISTS", "k2"), intR(0)},
		{cmd("RESTORE", "k", "1", p, "ABSTTL", "REPLACE"), okR()}, // deletes k
		{cmd("EXISTS", "k"), intR(0)},
		{cmd("RESTORE", "k", "9223372036854775807", p), okR()}, // wraps past: nothing
		{cmd("EXISTS", "k"), intR(0)},
		{cmd("RESTORE", "k", "99999999999999", p, "ABSTTL"), okR()},
		{cmd("EXISTS", "k"), intR(1)},
		{cmd("DUMP", "nokey"), nullR()},
		{cmd("DUMP"), arityR("dump")},
		{cmd("DUMP", "k", "x"), arityR("dump")},
	})
}

// dumpTestValues are commands that build one value of every type and
// encoding the FSM has, under key "v".
var dumpTestValues = map[string][][]string{
	"string":         {{"SET", "v", "hello"}},
	"string-int":     {{"SET", "v", "5"}},
	"string-neg":     {{"SET", "v", "-2147483649"}},
	"string-long":    {{"SET", "v", "123456789012"}},
	"string-lzf":     {{"SET", "v", strings.Repeat("abcdefgh", 100)}},
	"string-bin":     {{"SET", "v", "\x00\xff\r\n"}},
	"string-raw":     {{"SETBIT", "v", "100", "1"}},
	"string-huge":    {{"SET", "v", strings.Repeat("0123456789", 100_000)}},
	"string-hll":     {{"PFADD", "v", "a", "b", "c"}},
	"list":           {{"RPUSH", "v", "a", "1", "-5", "\x00\xff", "", "70000", "-2147483649", "9223372036854775807"}},
	"list-big":       {numbered("RPUSH", "v", 3000, func(i int) string { return strconv.Itoa(i*i*7) + strings.Repeat("y", i%100) })},
	"list-plain":     {{"RPUSH", "v", "a", strings.Repeat("B", 10_000), "c", strings.Repeat("D", 5000)}},
	"hash":           {{"HSET", "v", "f", "v", "n", "-300", "bin\x00", "\xff\r\n", "e", ""}},
	"hash-big":       {numbered("HSET", "v", 1200, func(i int) string { return "f" + strconv.Itoa(i/2) + strings.Repeat("z", i%2) })},
	"hash-long":      {{"HSET", "v", "x", strings.Repeat("long", 30)}},
	"set-intset16":   {{"SADD", "v", "1", "-5", "300", "0"}},
	"set-intset32":   {{"SADD", "v", "1", "70000", "-2147483648"}},
	"set-intset64":   {{"SADD", "v", "-2147483649", "9223372036854775807", "-9223372036854775808", "3"}},
	"set-intset-big": {numbered("SADD", "v", 500, func(i int) string { return strconv.Itoa(i*i - 1000) })},
	"set-hashtable":  {{"SADD", "v", "a", "1", "\x00\xff", "", "-0", "01"}},
	"set-big":        {numbered("SADD", "v", 1500, func(i int) string { return "m" + strconv.Itoa(i) })},
	"set-long":       {{"SADD", "v", "x", strings.Repeat("long", 30)}},
	"set-ints-big":   {numbered("SADD", "v", 600, strconv.Itoa)},
	"zset":           {{"ZADD", "v", "1", "a", "-2.5", "b", "inf", "c", "-inf", "d", "0", "\x00\xff", "1e300", "e", "3", "1"}},
	"zset-big":       {numbered("ZADD", "v", 600, func(i int) string { return []string{strconv.Itoa(i / 2), "m" + strconv.Itoa(i/2)}[i%2] })},
	"zset-long":      {{"ZADD", "v", "1", "x", "2", strings.Repeat("long", 30)}},
	"zset-fraction":  {numbered("ZADD", "v", 300, func(i int) string { return []string{"0." + strconv.Itoa(i*7), "m" + strconv.Itoa(i)}[i%2] })},
}

// numbered is cmd key followed by n generated arguments.
func numbered(cmd, key string, n int, arg func(i int) string) []string {
	out := []string{cmd, key}
	for i := range n {
		out = append(out, arg(i))
	}
	return out
}

// valueView reads key with the commands that show its whole value, in an
// order that does not depend on the encoding, after its TYPE.
func valueView(t *testing.T, do func(args ...string) string, key string) string {
	t.Helper()
	typ := do("TYPE", key)
	var reads [][]string
	sorted := false
	switch typ {
	case statusR("string"):
		reads = [][]string{{"GET", key}}
	case statusR("list"):
		reads = [][]string{{"LRANGE", key, "0", "-1"}}
	case statusR("hash"):
		reads, sorted = [][]string{{"HGETALL", key}}, true
	case statusR("set"):
		reads, sorted = [][]string{{"SMEMBERS", key}}, true
	case statusR("zset"):
		reads = [][]string{{"ZRANGE", key, "0", "-1", "WITHSCORES"}}
	case statusR("none"):
	default:
		t.Fatalf("TYPE %s: %q", key, typ)
	}
	view := []string{typ}
	for _, r := range reads {
		reply := do(r...)
		if sorted {
			reply = sortedGroupsReply(t, reply, typ == statusR("hash"))
		}
		view = append(view, reply)
	}
	return strings.Join(view, "")
}

// sortedGroupsReply sorts an array reply of bulk strings, by pairs if pairs.
func sortedGroupsReply(t *testing.T, reply string, pairs bool) string {
	t.Helper()
	items := arrayItems(t, reply)
	step := 1
	if pairs {
		step = 2
	}
	var groups []string
	for i := 0; i+step <= len(items); i += step {
		groups = append(groups, strings.Join(bulkRs(items[i:i+step]), ""))
	}
	slices.Sort(groups)
	return fmt.Sprintf("*%d\r\n", len(items)) + strings.Join(groups, "")
}

// TestDumpRestoreWithRedis moves every type and encoding both ways: a
// payload Redis DUMPs RESTOREs here into the same value (the same replies
// to reads), and one DUMPed here RESTOREs into Redis as the value it came
// from. Each side's payload restored on each side has the same OBJECT
// ENCODING (a restore encodes by size: a raw string may come back
// embstr, on both).
func TestDumpRestoreWithRedis(t *testing.T) {
	o := newOracleArgs(t, "--enable-debug-command", "yes")
	// Elements of 4 KiB and more go into plain quicklist nodes.
	if r := o.do("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "4096"); r != okR() {
		t.Fatalf("DEBUG QUICKLIST-PACKED-THRESHOLD: %q", r)
	}
	tf := newTestFSM(t)
	fsmDo := func(args ...string) string { return tf.do(args...) }
	names := make([]string, 0, len(dumpTestValues))
	for name := range dumpTestValues {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		o.do("FLUSHALL")
		tf.write("FLUSHALL")
		for _, c := range dumpTestValues[name] {
			want := o.do(c...)
			if got := tf.do(c...); got != want {
				t.Fatalf("%s: %.80q: %.80q, redis %.80q", name, c, got, want)
			}
		}
		want := valueView(t, o.do, "v")
		if got := valueView(t, fsmDo, "v"); got != want {
			t.Fatalf("%s: the values differ before DUMP:\n%.300q\n%.300q", name, got, want)
		}
		if got, want := tf.read("OBJECT", "ENCODING", "v"), o.do("OBJECT", "ENCODING", "v"); got != want {
			t.Errorf("%s: OBJECT ENCODING %q, redis %q", name, got, want)
		}
		theirs := payloadOf(t, o.do("DUMP", "v"))
		if r := tf.write("RESTORE", "from-redis", "0", theirs); r != okR() {
			t.Fatalf("%s: RESTORE of Redis's payload: %q", name, r)
		}
		if got := valueView(t, fsmDo, "from-redis"); got != want {
			t.Errorf("%s: restored from Redis:\n%.300q\nwant %.300q", name, got, want)
		}
		ours := payloadOf(t, tf.read("DUMP", "v"))
		if r := o.do("RESTORE", "from-raftis", "0", ours); r != okR() {
			t.Fatalf("%s: Redis RESTOREs our payload: %q", name, r)
		}
		if got := valueView(t, o.do, "from-raftis"); got != want {
			t.Errorf("%s: Redis restored ours as:\n%.300q\nwant %.300q", name, got, want)
		}
		tf.write("RESTORE", "from-raftis", "0", ours)
		o.do("RESTORE", "from-redis", "0", theirs)
		enc := o.do("OBJECT", "ENCODING", "from-redis")
		for _, r := range []string{o.do("OBJECT", "ENCODING", "from-raftis"),
			tf.read("OBJECT", "ENCODING", "from-raftis"), tf.read("OBJECT", "ENCODING", "from-redis")} {
			if r != enc {
				t.Errorf("%s: restored encodings differ: %q, Redis's own %q", name, r, enc)
			}
		}
		// With a TTL, both ways.
		tf.now = time.Now().UnixMilli()
		o.do("RESTORE", "ttl", "50000", ours)
		tf.write("RESTORE", "ttl", "50000", theirs)
		if got, want := tf.read("PTTL", "ttl"), o.do("PTTL", "ttl"); !pttlClose(want, got) {
			t.Errorf("%s: PTTL %q, redis %q", name, got, want)
		}
	}
}

// TestRestoreNeverHalfApplies feeds RESTORE every truncation of real
// payloads and payloads with a byte changed (resealed, so the CRC
// passes): it must reply OK or one of its errors, never panic, and on an
// error leave the key as it was.
func TestRestoreNeverHalfApplies(t *testing.T) {
	tf := newTestFSM(t)
	var payloads []string
	for name, cmds := range dumpTestValues {
		if strings.HasSuffix(name, "huge") || strings.HasSuffix(name, "big") {
			continue
		}
		tf.write("FLUSHALL")
		for _, c := range cmds {
			tf.do(c...)
		}
		if p := payloadOf(t, tf.read("DUMP", "v")); len(p) < 1000 {
			payloads = append(payloads, p)
		}
	}
	tf.write("FLUSHALL")
	tf.write("SET", "k", "old")
	restoreManglings(t, tf, payloads)
}

// restoreMustBeAtomic RESTOREs payload over k (holding "old") and checks
// that it either worked or changed nothing, then puts "old" back.
func restoreMustBeAtomic(t *testing.T, tf *testFSM, payload string) {
	t.Helper()
	got := tf.write("RESTORE", "k", "0", payload, "REPLACE")
	switch got {
	case okR():
		view := valueView(t, func(args ...string) string { return tf.do(args...) }, "k")
		if strings.Contains(view, "-ERR") {
			t.Fatalf("restored %q reads back as %q", payload, view)
		}
		checkUsedMemory(t, tf.f, "RESTORE")
		tf.write("SET", "k", "old")
	case errR(errBadDumpValue):
		if v := tf.read("GET", "k"); v != bulkR("old") {
			t.Fatalf("a failed RESTORE changed k to %q (payload %q)", v, payload)
		}
	default:
		t.Fatalf("RESTORE %q: %q", payload, got)
	}
}

// TestRestoreSignalsBlockedClients: a restored list is ready for BLPOP.
func TestRestoreSignalsBlockedClients(t *testing.T) {
	tf := newTestFSM(t)
	var got []ReadyKey
	tf.f.SetReadyHook(func(keys []ReadyKey) { got = append(got, keys...) })
	tf.write("RPUSH", "l", "a")
	tf.write("SET", "s", "a")
	list, str := payloadOf(t, tf.read("DUMP", "l")), payloadOf(t, tf.read("DUMP", "s"))
	got = nil
	tf.write("RESTORE", "l2", "0", list)
	tf.write("RESTORE", "s2", "0", str)
	if !slices.Equal(got, []ReadyKey{{DB: 0, Key: "l2"}}) {
		t.Fatalf("ready keys %v, want l2", got)
	}
}

// TestDumpIsAPointInTimeRead: DUMP of a value shared with a snapshot, and
// RESTOREd values, are independent of later changes.
func TestRestoredValuesAreIndependent(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("RPUSH", "l", "a", "b")
	tf.write("HSET", "h", "f", "1")
	for _, key := range []string{"l", "h"} {
		p := payloadOf(t, tf.read("DUMP", key))
		tf.write("RESTORE", key+"2", "0", p)
		tf.write("RESTORE", key+"3", "0", p)
	}
	tf.write("RPUSH", "l2", "c")
	tf.write("HSET", "h2", "g", "2")
	tf.check([]replyCase{
		{cmd("LRANGE", "l", "0", "-1"), arrR(bulkR("a"), bulkR("b"))},
		{cmd("LRANGE", "l3", "0", "-1"), arrR(bulkR("a"), bulkR("b"))},
		{cmd("HLEN", "h"), intR(1)},
		{cmd("HLEN", "h3"), intR(1)},
		{cmd("HLEN", "h2"), intR(2)},
	})
}

// TestRestoreEncodingsFollowLimits: RESTORE chooses the encoding by size
// under this node's limits, as Redis does.
func TestRestoreEncodingsFollowLimits(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("HSET", "h", "a", "1", "b", "2", "c", "3")
	p := payloadOf(t, tf.read("DUMP", "h"))
	lim := DefaultLimits
	lim.HashMaxListpackEntries = 2
	tf.f.SetLimits(lim)
	tf.write("RESTORE", "h2", "0", p)
	tf.check([]replyCase{
		{cmd("OBJECT", "ENCODING", "h"), bulkR("listpack")},
		{cmd("OBJECT", "ENCODING", "h2"), bulkR("hashtable")},
	})
}

// newOracleArgs is newOracle on a private redis-server started with extra
// arguments.
func newOracleArgs(t *testing.T, extra ...string) *oracle {
	t.Helper()
	return dialOracle(t, testredis.Start(t, "", extra...))
}

// TestRestoreIdleTimeLikeRedis compares OBJECT IDLETIME after RESTORE ...
// IDLETIME with Redis, on the real clock (Redis's LRU clock is the Unix
// time).
func TestRestoreIdleTimeLikeRedis(t *testing.T) {
	o := newOracle(t)
	tf := newTestFSM(t)
	o.do("SET", "src", "v")
	p := arrayItemsOrBulk(t, o.do("DUMP", "src"))
	for i, idle := range []string{"0", "100", "16777215", "16777216", "100000000", "9223372036854775807"} {
		key := "k" + strconv.Itoa(i)
		tf.now = time.Now().UnixMilli()
		want := o.do("RESTORE", key, "0", p, "IDLETIME", idle)
		if got := tf.write("RESTORE", key, "0", p, "IDLETIME", idle); got != want {
			t.Fatalf("RESTORE IDLETIME %s: %q, redis %q", idle, got, want)
		}
		theirs := o.do("OBJECT", "IDLETIME", key)
		ours := tf.read("OBJECT", "IDLETIME", key)
		if !closeInts(ours, theirs, 1) {
			t.Errorf("IDLETIME after RESTORE ... IDLETIME %s: %q, redis %q", idle, ours, theirs)
		}
	}
}

// arrayItemsOrBulk decodes a bulk string reply.
func arrayItemsOrBulk(t *testing.T, reply string) string {
	t.Helper()
	items := arrayItems(t, "*1\r\n"+reply)
	return items[0]
}

// closeInts reports whether two integer replies differ by at most d.
func closeInts(a, b string, d int64) bool {
	x, err1 := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(a, ":"), "\r\n"), 10, 64)
	y, err2 := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(b, ":"), "\r\n"), 10, 64)
	return err1 == nil && err2 == nil && x-y <= d && y-x <= d
}

// TestRedisPayloadsNeverHalfApply is TestRestoreNeverHalfApplies on the
// compact encodings Redis writes (listpack, quicklist, intset, LZF
// strings).
func TestRedisPayloadsNeverHalfApply(t *testing.T) {
	o := newOracle(t)
	tf := newTestFSM(t)
	var payloads []string
	for _, cmds := range dumpTestValues {
		o.do("FLUSHALL")
		for _, c := range cmds {
			o.do(c...)
		}
		if p := payloadOf(t, o.do("DUMP", "v")); len(p) < 1000 {
			payloads = append(payloads, p)
		}
	}
	tf.write("SET", "k", "old")
	restoreManglings(t, tf, payloads)
}

// restoreManglings RESTOREs, through restoreMustBeAtomic, every
// truncation of each payload (less its 10-byte footer) and each with one
// byte changed, resealed so the CRC passes.
func restoreManglings(t *testing.T, tf *testFSM, payloads []string) {
	t.Helper()
	for _, p := range payloads {
		body := []byte(p[:len(p)-10])
		for cut := range len(body) {
			restoreMustBeAtomic(t, tf, reseal(body[:cut], 10))
		}
		for i := range body {
			for _, b := range []byte{0, 1, 0x7f, 0x80, 0xc0, 0xfe, 0xff, body[i] ^ 0x10} {
				changed := bytes.Clone(body)
				changed[i] = b
				restoreMustBeAtomic(t, tf, reseal(changed, 10))
			}
		}
	}
}

// FuzzRestore restores arbitrary values (sealed with a valid footer, so
// the decoder is what gets exercised): RESTORE replies OK or Bad data
// format, never panics, changes nothing when it fails, and what it
// restores DUMPs and RESTOREs again into the same value. The seed corpus
// in testdata holds payloads of every encoding redis-server 7.0 DUMPs.
func FuzzRestore(f *testing.F) {
	tf := newTestFSM(f)
	for _, cmds := range dumpTestValues {
		tf.write("FLUSHALL")
		for _, c := range cmds {
			tf.do(c...)
		}
		if p := payloadOf(f, tf.read("DUMP", "v")); len(p) < 4096 {
			f.Add([]byte(p[:len(p)-10]))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		tf := newTestFSM(t)
		tf.write("SET", "k", "old")
		payload := reseal(body, 10)
		restoreMustBeAtomic(t, tf, payload)
		if r := tf.write("RESTORE", "r", "0", payload); r != okR() {
			return
		}
		again := payloadOf(t, tf.read("DUMP", "r"))
		if r := tf.write("RESTORE", "r2", "0", again); r != okR() {
			t.Fatalf("RESTORE of our own DUMP: %q", r)
		}
		view := func(args ...string) string { return tf.do(args...) }
		if a, b := valueView(t, view, "r"), valueView(t, view, "r2"); a != b {
			t.Fatalf("DUMP and RESTORE changed the value:\n%q\n%q", a, b)
		}
	})
}
