package fsm

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestObjectSpecs(t *testing.T) {
	// COMMAND INFO of redis-server 7.0.15.
	for _, sub := range []string{"encoding", "freq", "idletime", "refcount"} {
		cmd := LookupArgs(toArgs([]string{"OBJECT", strings.ToUpper(sub), "k"}))
		if cmd == nil || cmd.Name != "object|"+sub {
			t.Fatalf("OBJECT %s: %v", sub, cmd)
		}
		if cmd.Arity != 3 || cmd.Flags != FlagReadonly || cmd.FirstKey != 2 || cmd.LastKey != 2 || cmd.KeyStep != 1 ||
			cmd.Group != "generic" || len(cmd.Help) == 0 || strings.Join(cmd.Tips, ",") != "nondeterministic_output" {
			t.Errorf("%s: %+v", cmd.Name, cmd.Spec)
		}
	}
	for _, argv := range [][]string{{"object"}, {"object", "nope", "k"}, {"nope", "encoding"}, {"get|x", "k"}} {
		if cmd := LookupArgs(toArgs(argv)); cmd != nil {
			t.Errorf("%q resolved to %s", argv, cmd.Name)
		}
	}
	if cmd := LookupArgs(toArgs([]string{"GET", "encoding"})); cmd == nil || cmd.Name != "get" {
		t.Errorf("GET encoding resolved to %v", cmd)
	}
}

// encodingCase runs cmds on key, then asks OBJECT ENCODING and REFCOUNT.
func encodingCases(key string, enc string, refcount int64, cmds ...[]string) []replyCase {
	var out []replyCase
	for _, c := range cmds {
		out = append(out, replyCase{c, ""})
	}
	return append(out,
		replyCase{cmd("OBJECT", "ENCODING", key), bulkR(enc)},
		replyCase{cmd("OBJECT", "REFCOUNT", key), intR(refcount)})
}

// TestStringEncodingsLikeRedis makes strings with every command that
// stores one and checks OBJECT ENCODING and REFCOUNT against Redis: the
// encoding depends on how the string was made (fsm/stringenc.go).
func TestStringEncodingsLikeRedis(t *testing.T) {
	long := strings.Repeat("x", 45)
	groups := [][]replyCase{
		encodingCases("a", "int", sharedRefcount, cmd("SET", "a", "5")),
		encodingCases("a", "int", sharedRefcount, cmd("SET", "a", "0")),
		encodingCases("a", "int", sharedRefcount, cmd("SET", "a", "9999")),
		encodingCases("a", "int", 1, cmd("SET", "a", "10000")),
		encodingCases("a", "int", 1, cmd("SET", "a", "-1")),
		encodingCases("a", "int", 1, cmd("SET", "a", "-9223372036854775808")),
		encodingCases("a", "embstr", 1, cmd("SET", "a", "12345678901234567890")),
		encodingCases("a", "embstr", 1, cmd("SET", "a", "01")),
		encodingCases("a", "embstr", 1, cmd("SET", "a", "")),
		encodingCases("a", "embstr", 1, cmd("SET", "a", long[:44])),
		encodingCases("a", "raw", 1, cmd("SET", "a", long)),
		encodingCases("a", "int", sharedRefcount, cmd("MSET", "b", "x", "a", "12")),
		encodingCases("a", "int", sharedRefcount, cmd("DEL", "a"), cmd("SETNX", "a", "7")),
		encodingCases("a", "int", sharedRefcount, cmd("SETEX", "a", "100", "7")),
		encodingCases("a", "int", sharedRefcount, cmd("PSETEX", "a", "100000", "7")),
		encodingCases("a", "embstr", 1, cmd("GETSET", "a", "seven")),
		encodingCases("a", "embstr", 1, cmd("GETEX", "a", "PERSIST")),
		encodingCases("a", "int", sharedRefcount, cmd("SET", "a", "3"), cmd("INCR", "a")),
		encodingCases("a", "int", 1, cmd("SET", "a", "9999"), cmd("INCR", "a")),
		encodingCases("a", "int", sharedRefcount, cmd("DECR", "a")),
		encodingCases("a", "int", 1, cmd("INCRBY", "a", "-20000")),
		encodingCases("a", "int", sharedRefcount, cmd("DECRBY", "a", "-10001")),
		encodingCases("a", "embstr", 1, cmd("DEL", "a"), cmd("INCRBYFLOAT", "a", "5")),
		encodingCases("a", "embstr", 1, cmd("INCRBYFLOAT", "a", "1.5")),
		encodingCases("a", "int", sharedRefcount, cmd("INCR", "a"+"x"), cmd("SET", "a", "1"), cmd("INCRBY", "a", "1")),
		encodingCases("a", "int", sharedRefcount, cmd("DEL", "a"), cmd("APPEND", "a", "7")),
		encodingCases("a", "raw", 1, cmd("APPEND", "a", "8")),
		encodingCases("a", "embstr", 1, cmd("DEL", "a"), cmd("APPEND", "a", "")),
		encodingCases("a", "raw", 1, cmd("SET", "a", "5"), cmd("APPEND", "a", "")),
		encodingCases("a", "raw", 1, cmd("SET", "a", "hello"), cmd("SETRANGE", "a", "0", "j")),
		encodingCases("a", "int", sharedRefcount, cmd("SET", "a", "5"), cmd("SETRANGE", "a", "0", "")),
		encodingCases("a", "raw", 1, cmd("DEL", "a"), cmd("SETRANGE", "a", "0", "5")),
		encodingCases("a", "raw", 1, cmd("SET", "a", "5"), cmd("SETBIT", "a", "0", "0")),
		encodingCases("a", "raw", 1, cmd("DEL", "a"), cmd("SETBIT", "a", "1", "1")),
		encodingCases("a", "embstr", 1, cmd("SET", "a", "hi"), cmd("BITFIELD", "a", "GET", "u8", "0")),
		encodingCases("a", "raw", 1, cmd("SET", "a", "hi"), cmd("BITFIELD", "a", "INCRBY", "u2", "0", "1", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "100")),
		encodingCases("a", "raw", 1, cmd("DEL", "a"), cmd("BITFIELD", "a", "SET", "u8", "0", "65")),
		encodingCases("a", "raw", 1, cmd("SET", "b", "x"), cmd("BITOP", "OR", "a", "b")),
		encodingCases("a", "raw", 1, cmd("DEL", "a"), cmd("PFADD", "a")),
		encodingCases("a", "raw", 1, cmd("PFADD", "a", "x")),
		encodingCases("a", "raw", 1, cmd("DEL", "a"), cmd("PFMERGE", "a")),
		encodingCases("c", "int", 1, cmd("SET", "a", "5"), cmd("COPY", "a", "c")),
		encodingCases("c", "int", 1, cmd("SET", "a", "123456"), cmd("COPY", "a", "c", "REPLACE")),
		encodingCases("c", "raw", 1, cmd("SET", "a", "x"), cmd("APPEND", "a", "y"), cmd("COPY", "a", "c", "REPLACE")),
		encodingCases("c", "embstr", 1, cmd("DEL", "a"), cmd("INCRBYFLOAT", "a", "5"), cmd("COPY", "a", "c", "REPLACE")),
		encodingCases("d", "int", sharedRefcount, cmd("SET", "a", "5"), cmd("RENAME", "a", "d")),
		encodingCases("d", "raw", 1, cmd("SET", "d", "x"), cmd("APPEND", "d", "y"), cmd("EXPIRE", "d", "100"), cmd("MOVE", "d", "1"), cmd("SELECT", "1")),
		{{cmd("SELECT", "0"), okR()}},
		{
			{cmd("OBJECT", "ENCODING", "nokey"), nullR()},
			{cmd("OBJECT", "REFCOUNT", "nokey"), nullR()},
			{cmd("OBJECT", "IDLETIME", "nokey"), nullR()},
			{cmd("OBJECT", "FREQ", "nokey"), nullR()},
			{cmd("OBJECT", "FREQ", "b"), errR(errNoLFU)},
			{cmd("OBJECT", "ENCODING"), arityR("object|encoding")},
			{cmd("OBJECT", "REFCOUNT", "a", "b"), arityR("object|refcount")},
			{cmd("HSET", "h", "f", "v"), intR(1)},
			{cmd("OBJECT", "ENCODING", "h"), bulkR("listpack")},
			{cmd("OBJECT", "REFCOUNT", "h"), intR(1)},
			{cmd("RPUSH", "l", "1", "2"), intR(2)},
			{cmd("OBJECT", "ENCODING", "l"), bulkR("quicklist")},
			{cmd("OBJECT", "REFCOUNT", "l"), intR(1)},
		},
	}
	// The replies of the commands that set the strings up are those of
	// the oracle: fill them in from a first run there.
	o := newOracle(t)
	var cases []replyCase
	for _, g := range groups {
		for _, c := range g {
			if c.want == "" {
				c.want = o.do(c.cmd...)
			}
			cases = append(cases, c)
		}
	}
	checkLikeRedis(t, cases)
}

// TestStringEncodingSurvivesChanges checks the marks of stringenc.go
// across in-place changes, snapshots and COPY, and that no change of a
// shared integer reaches the table of shared integers.
func TestStringEncodingSurvivesChanges(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "n", "42")
	tf.write("SET", "m", "42")
	tf.write("SET", "r", "42")
	tf.write("SETRANGE", "r", "0", "4")
	tf.write("SETBIT", "n", "7", "1") // "42" is 0x34 0x32: bit 7 sets 0x35
	tf.check([]replyCase{
		{cmd("GET", "n"), bulkR("52")},
		{cmd("GET", "m"), bulkR("42")},
		{cmd("OBJECT", "ENCODING", "n"), bulkR("raw")},
		{cmd("OBJECT", "REFCOUNT", "m"), intR(sharedRefcount)},
	})
	if string(sharedInts[42]) != "42" {
		t.Fatalf("shared integer 42 changed to %q", sharedInts[42])
	}
	// Raw stays raw through growth in place, across a snapshot.
	for i := range 100 {
		if i == 50 {
			if _, err := tf.f.Snapshot(); err != nil {
				t.Fatal(err)
			}
		}
		tf.write("APPEND", "n", "x")
		if got := tf.read("OBJECT", "ENCODING", "n"); got != bulkR("raw") {
			t.Fatalf("after %d APPENDs: %q", i+1, got)
		}
	}
	tf.write("SET", "f", "2")
	tf.write("INCRBYFLOAT", "f", "1")
	tf.check([]replyCase{
		{cmd("GET", "f"), bulkR("3")},
		{cmd("OBJECT", "ENCODING", "f"), bulkR("embstr")},
		{cmd("INCR", "f"), intR(4)},
		{cmd("OBJECT", "ENCODING", "f"), bulkR("int")},
		{cmd("OBJECT", "REFCOUNT", "f"), intR(sharedRefcount)},
	})
	// A restore encodes as Redis loading a file does.
	restored := restoreCopy(t, tf.f)
	for key, want := range map[string]string{"n": "raw", "r": "int", "m": "int", "f": "int"} {
		if got := restored.Read(nil, 0, tf.now, 1, toArgs([]string{"OBJECT", "ENCODING", key})); string(got) != bulkR(want) {
			t.Errorf("restored %s: %q, want %s", key, got, want)
		}
	}
}

// TestObjectIdleTime: seconds since the key was last written, by any
// write, in place or not.
func TestObjectIdleTime(t *testing.T) {
	tf := newTestFSM(t)
	idle := func(key string) string { return tf.read("OBJECT", "IDLETIME", key) }
	tf.write("SET", "s", "v")
	tf.write("HSET", "h", "f", "v")
	tf.write("RPUSH", "l", "a")
	tf.now += 5500
	for _, key := range []string{"s", "h", "l"} {
		if got := idle(key); got != intR(5) {
			t.Errorf("%s after 5.5 s: %q", key, got)
		}
	}
	tf.read("GET", "s") // reads do not count
	tf.write("HSET", "h", "f", "w")
	tf.write("RPUSH", "l", "b")
	tf.write("EXPIRE", "s", "100")
	for _, key := range []string{"s", "h", "l"} {
		if got := idle(key); got != intR(0) {
			t.Errorf("%s just written: %q", key, got)
		}
	}
	// Stores that replace a key, and writes that change nothing, renew
	// the stamp too.
	tf.write("SADD", "src", "m")
	tf.write("APPEND", "str", "x")
	tf.write("SUNIONSTORE", "dst", "src")
	tf.now += 3000
	tf.write("SUNIONSTORE", "dst", "src")
	tf.write("APPEND", "str", "")
	for _, key := range []string{"dst", "str"} {
		if got := idle(key); got != intR(0) {
			t.Errorf("%s just written: %q", key, got)
		}
	}
	tf.now += 2000
	if _, err := tf.f.Snapshot(); err != nil {
		t.Fatal(err)
	}
	tf.write("HSET", "h", "g", "v") // a private copy for the snapshot
	tf.now += 1000
	if got := idle("h"); got != intR(1) {
		t.Errorf("h: %q", got)
	}
	// Idle times travel in snapshots.
	restored := restoreCopy(t, tf.f)
	if got := restored.Read(nil, 0, tf.now+10_000, 1, toArgs([]string{"OBJECT", "IDLETIME", "l"})); string(got) != intR(16) {
		t.Errorf("restored l: %q, want 16", got)
	}
}

func TestIdleArithmeticLikeRedis(t *testing.T) {
	const clock = 1000
	for _, c := range []struct {
		idle int64
		lru  uint32
	}{
		{0, clock},
		{10, clock - 10},
		{1000, 0},
		{1001, lruClockMax - 1}, // before the clock's start: wraps
		{lruClockMax + clock, 0},
		{1 << 53, (1<<24 - (1<<53-clock-lruClockMax)%(1<<24)) % (1 << 24)},
		{1 << 62, clock},                 // idle*1000 wraps to 0
		{9223372036854775807, clock + 1}, // idle*1000 wraps to -1000: -1 s
	} {
		if got := lruForIdle(clock, c.idle); got != c.lru {
			t.Errorf("lruForIdle(%d, %d) = %d, want %d", clock, c.idle, got, c.lru)
		}
	}
	if got := idleSeconds(5, lruClockMax-5); got != 10 {
		t.Errorf("idle across the wrap = %d, want 10", got)
	}
}

// TestItemSize: the LRU stamp shares the generation's word, so OBJECT
// IDLETIME costs a key nothing: 64 bytes, as with WATCH's mod alone.
func TestItemSize(t *testing.T) {
	if got := unsafe.Sizeof(item{}); got != 64 {
		t.Fatalf("item is %d bytes, want 64", got)
	}
}

// TestCollectionEncodingsLikeRedis grows a value of each collection type
// one element at a time past its limits, and with elements of growing
// length, and checks OBJECT ENCODING against Redis at every size; then
// shrinks it (an encoding never goes back) and rebuilds it through the
// commands that make a new value (STORE results, COPY, RESTORE).
func TestCollectionEncodingsLikeRedis(t *testing.T) {
	o := newOracle(t)
	tf := newTestFSM(t)
	both := func(args ...string) {
		t.Helper()
		want := o.do(args...)
		if got := tf.do(args...); got != want {
			t.Fatalf("%.80q: %q, redis %q", args, got, want)
		}
	}
	elem := func(i int) string { return strconv.Itoa(i * 7) }
	grow := map[string]func(key string, i int) []string{
		"list":   func(k string, i int) []string { return []string{"RPUSH", k, elem(i)} },
		"hash":   func(k string, i int) []string { return []string{"HSET", k, "f" + elem(i), elem(i)} },
		"intset": func(k string, i int) []string { return []string{"SADD", k, elem(i)} },
		"set":    func(k string, i int) []string { return []string{"SADD", k, "m" + elem(i)} },
		"zset":   func(k string, i int) []string { return []string{"ZADD", k, strconv.Itoa(i % 5), "m" + elem(i)} },
	}
	for name, add := range grow {
		t.Run(name, func(t *testing.T) {
			both("FLUSHALL")
			for i := range 600 {
				both(add("v", i)...)
				both("OBJECT", "ENCODING", "v")
			}
			// Results and copies take the encoding their size calls for.
			both("COPY", "v", "c")
			both("OBJECT", "ENCODING", "c")
			both("SORT", "v", "ALPHA", "LIMIT", "0", "3", "STORE", "sorted")
			both("OBJECT", "ENCODING", "sorted")
			// Elements of growing length, one more each time.
			for n := 40; n <= 70; n++ {
				args := add("w"+strconv.Itoa(n), 0)
				args[len(args)-1] = strings.Repeat("7", n)
				both(args...)
				both("OBJECT", "ENCODING", args[1])
			}
		})
	}
	t.Run("stores", func(t *testing.T) {
		both("FLUSHALL")
		for i := range 130 {
			both("SADD", "s1", elem(i))
			both("ZADD", "z1", strconv.Itoa(i), "m"+elem(i))
		}
		both("SADD", "s2", "1", "2", "x")
		for _, c := range [][]string{
			{"SINTERSTORE", "d", "s1", "s2"}, {"SUNIONSTORE", "d", "s1", "s2"}, {"SDIFFSTORE", "d", "s1", "s2"},
			{"ZUNIONSTORE", "d", "2", "z1", "s2"}, {"ZINTERSTORE", "d", "2", "z1", "s1"}, {"ZRANGESTORE", "d", "z1", "0", "9"},
			{"ZDIFFSTORE", "d", "1", "z1"},
		} {
			both(c...)
			both("OBJECT", "ENCODING", "d")
		}
		// Shrinking never changes the encoding back.
		both("ZREMRANGEBYRANK", "z1", "0", "-3")
		both("OBJECT", "ENCODING", "z1")
		both("SREM", "s2", "x")
		both("OBJECT", "ENCODING", "s2")
	})
}
