package fsm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestHashCommandsLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("hset", "h", "a", "1", "b", "2"), intR(2)},
		{cmd("hset", "h", "a", "10", "c", "3"), intR(1)},
		{cmd("hset", "h", "a"), arityR("hset")},
		{cmd("hset", "h", "a", "1", "b"), arityR("hset")},
		{cmd("HMSET", "h", "d", "4", "e"), arityR("hmset")},
		{cmd("hmset", "h", "d", "4"), okR()},
		{cmd("hget", "h", "a"), bulkR("10")},
		{cmd("hget", "h", "zz"), nullR()},
		{cmd("hget", "nokey", "a"), nullR()},
		{cmd("hmget", "h", "a", "zz", "b"), arrR(bulkR("10"), nullR(), bulkR("2"))},
		{cmd("hmget", "nokey", "a", "b"), arrR(nullR(), nullR())},
		{cmd("hlen", "h"), intR(4)},
		{cmd("hlen", "nokey"), intR(0)},
		{cmd("hstrlen", "h", "a"), intR(2)},
		{cmd("hstrlen", "h", "zz"), intR(0)},
		{cmd("hexists", "h", "a"), intR(1)},
		{cmd("hexists", "h", "zz"), intR(0)},
		{cmd("hsetnx", "h", "a", "x"), intR(0)},
		{cmd("hsetnx", "h", "f", "6"), intR(1)},
		{cmd("hkeys", "h"), arrR(bulkR("a"), bulkR("b"), bulkR("c"), bulkR("d"), bulkR("f"))},
		{cmd("hvals", "h"), arrR(bulkR("10"), bulkR("2"), bulkR("3"), bulkR("4"), bulkR("6"))},
		{cmd("hgetall", "nokey"), arrR()},
		{cmd("hdel", "h", "a", "zz", "b"), intR(2)},
		{cmd("hgetall", "h"), arrR(bulkR("c"), bulkR("3"), bulkR("d"), bulkR("4"), bulkR("f"), bulkR("6"))},
		{cmd("hdel", "nokey", "a"), intR(0)},
		// Deleting the last field deletes the key.
		{cmd("hdel", "h", "c", "d", "f", "c"), intR(3)},
		{cmd("exists", "h"), intR(0)},

		{cmd("hincrby", "n", "x", "5"), intR(5)},
		{cmd("hincrby", "n", "x", "-7"), intR(-2)},
		{cmd("hincrby", "n", "x", "abc"), errR(strNotInt)},
		{cmd("hset", "n", "s", "abc", "big", "9223372036854775807", "sp", " 1"), intR(3)},
		{cmd("hincrby", "n", "s", "1"), errR("ERR hash value is not an integer")},
		{cmd("hincrby", "n", "sp", "1"), errR("ERR hash value is not an integer")},
		{cmd("hincrby", "n", "big", "1"), errR("ERR increment or decrement would overflow")},
		{cmd("hincrby", "n", "big", "-1"), intR(9223372036854775806)},
		{cmd("hincrbyfloat", "n", "f", "1.5"), bulkR("1.5")},
		{cmd("hincrbyfloat", "n", "f", "0.1"), bulkR("1.6")},
		{cmd("hincrbyfloat", "n", "x", "1e3"), bulkR("998")},
		{cmd("hincrbyfloat", "n", "f", "inf"), errR("ERR value is NaN or Infinity")},
		{cmd("hincrbyfloat", "n", "f", "abc"), errR(strNotFloat)},
		{cmd("hincrbyfloat", "n", "s", "1"), errR("ERR hash value is not a float")},

		// Wrong types, both ways.
		{cmd("set", "str", "v"), okR()},
		{cmd("hset", "str", "a", "1"), errR(strWrongType)},
		{cmd("hget", "str", "a"), errR(strWrongType)},
		{cmd("hmget", "str", "a"), errR(strWrongType)},
		{cmd("hdel", "str", "a"), errR(strWrongType)},
		{cmd("hlen", "str"), errR(strWrongType)},
		{cmd("hgetall", "str"), errR(strWrongType)},
		{cmd("hincrby", "str", "a", "1"), errR(strWrongType)},
		{cmd("hincrby", "str", "a", "x"), errR(strNotInt)},
		{cmd("hincrbyfloat", "str", "a", "x"), errR(strNotFloat)},
		{cmd("hrandfield", "str"), errR(strWrongType)},
		{cmd("hscan", "str", "0"), errR(strWrongType)},
		{cmd("get", "n"), errR(strWrongType)},
		{cmd("append", "n", "x"), errR(strWrongType)},
		{cmd("type", "n"), statusR("hash")},

		{cmd("hrandfield", "nokey"), nullR()},
		{cmd("hrandfield", "nokey", "3"), arrR()},
		{cmd("hrandfield", "n", "0"), arrR()},
		{cmd("hrandfield", "n", "1", "withvalue"), errR(strSyntaxErr)},
		{cmd("hrandfield", "n", "1", "withvalues", "x"), errR(strSyntaxErr)},
		{cmd("hrandfield", "n", "x"), errR(strNotInt)},
		{cmd("hrandfield", "n", "-9223372036854775808"), errR("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")},
		{cmd("hrandfield", "n", "4611686018427387904", "withvalues"), errR("ERR value is out of range")},
		{cmd("hrandfield", "n", "-4611686018427387904", "withvalues"), errR("ERR value is out of range")},
		{cmd("hscan", "n", "x"), errR("ERR invalid cursor")},
		{cmd("hscan", "nokey", "0"), arrR(bulkR("0"), arrR())},
		{cmd("hscan", "nokey", "0", "count", "0"), arrR(bulkR("0"), arrR())},
		{cmd("hscan", "n", "0", "count", "0"), errR(strSyntaxErr)},
		{cmd("hscan", "n", "0", "type", "hash"), errR(strSyntaxErr)},
		{cmd("hscan", "n", "0", "match", "s*"), arrR(bulkR("0"), arrR(bulkR("s"), bulkR("abc"), bulkR("sp"), bulkR(" 1")))},
		// A 309-digit value: past hash-max-listpack-value.
		{cmd("hincrbyfloat", "n", "f", "1.7976931348623157e308"), bulkR("179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384")},
	})
}

// TestHashRandFieldCounts checks HRANDFIELD's count rules on both
// encodings: the number of picks, distinctness, and that every pick is a
// field with its own value.
func TestHashRandFieldCounts(t *testing.T) {
	for _, size := range []int{5, 600} {
		tf := newTestFSM(t)
		want := map[string]string{}
		for i := range size {
			f, v := "f"+strconv.Itoa(i), "v"+strconv.Itoa(i)
			want[f] = v
			tf.write("hset", "h", f, v)
		}
		for _, tc := range []struct {
			count    int
			n        int
			distinct bool
		}{{1, 1, true}, {3, 3, true}, {size - 1, size - 1, true}, {size, size, true}, {size + 10, size, true}, {-1, 1, false}, {-(size + 10), size + 10, false}} {
			for _, wv := range []bool{false, true} {
				args := []string{"hrandfield", "h", strconv.Itoa(tc.count)}
				if wv {
					args = append(args, "WITHVALUES")
				}
				items := arrayItems(t, tf.read(args...))
				per := 1
				if wv {
					per = 2
				}
				if len(items) != tc.n*per {
					t.Fatalf("size %d %v: %d items, want %d", size, args, len(items), tc.n*per)
				}
				seen := map[string]bool{}
				for i := 0; i < len(items); i += per {
					f := items[i]
					v, ok := want[f]
					if !ok || (wv && items[i+1] != v) {
						t.Fatalf("size %d %v: bad pick %q", size, args, items[i:i+per])
					}
					if tc.distinct && seen[f] {
						t.Fatalf("size %d %v: %q picked twice", size, args, f)
					}
					seen[f] = true
				}
			}
		}
		if got := tf.read("hrandfield", "h"); !strings.HasPrefix(got, "$") || want[strings.Split(got, "\r\n")[1]] == "" {
			t.Fatalf("hrandfield h = %q", got)
		}
	}
}

// TestHashEncodings checks OBJECT ENCODING's view: packed while within the
// limits, a hash table once past either, and never back.
func TestHashEncodings(t *testing.T) {
	tf := newTestFSM(t)
	enc := func(key string) string {
		it, _ := tf.f.dbs[0].get(key)
		return it.val.Encoding()
	}
	for i := range 512 {
		tf.write("hset", "h", "f"+strconv.Itoa(i), "v")
	}
	if e := enc("h"); e != "listpack" {
		t.Fatalf("512 fields: %s", e)
	}
	tf.write("hset", "h", "one-more", "v")
	if e := enc("h"); e != "hashtable" {
		t.Fatalf("513 fields: %s", e)
	}
	tf.write("hdel", "h", "one-more", "f1", "f2")
	if e := enc("h"); e != "hashtable" {
		t.Fatalf("shrunk: %s", e)
	}
	tf.write("hset", "v", "f", strings.Repeat("x", 64))
	if e := enc("v"); e != "listpack" {
		t.Fatalf("64-byte value: %s", e)
	}
	tf.write("hset", "v", "f", strings.Repeat("x", 65))
	if e := enc("v"); e != "hashtable" {
		t.Fatalf("65-byte value: %s", e)
	}
	lim := DefaultLimits
	lim.HashMaxListpackEntries = 2
	tf.f.SetLimits(lim)
	tf.write("hset", "w", "a", "1", "b", "2", "c", "3")
	if e := enc("w"); e != "hashtable" {
		t.Fatalf("3 fields with a limit of 2: %s", e)
	}
}

// TestHashAgainstRedis runs random hash commands on small and large hashes
// against a real Redis. Field order differs between the encodings of the
// two servers, so HKEYS, HVALS and HGETALL are compared as multisets and
// HRANDFIELD and HSCAN are left to the tests above and the diff suite.
func TestHashAgainstRedis(t *testing.T) {
	n := oracleRounds(t, 4000)
	o := newOracle(t)
	tf := newTestFSM(t)
	r := rand.New(rand.NewPCG(11, 12))
	keys := []string{"h1", "h2", "s"}
	field := func() string {
		if r.IntN(4) == 0 {
			return "f" + strconv.Itoa(r.IntN(1200))
		}
		return "f" + strconv.Itoa(r.IntN(8))
	}
	value := func() string {
		switch r.IntN(6) {
		case 0:
			return strconv.Itoa(r.IntN(100) - 50)
		case 1:
			return strings.Repeat("v", r.IntN(100))
		case 2:
			return fmt.Sprintf("%.3f", r.Float64()*100)
		}
		return "v" + strconv.Itoa(r.IntN(10))
	}
	var history []string
	for range n {
		key := keys[r.IntN(len(keys))]
		var args []string
		unordered := false
		switch r.IntN(14) {
		case 0, 1:
			args = []string{"hset", key}
			for range 1 + r.IntN(20) {
				args = append(args, field(), value())
			}
		case 2:
			args = []string{"hsetnx", key, field(), value()}
		case 3:
			args = []string{"hget", key, field()}
		case 4:
			args = []string{"hmget", key, field(), field(), field()}
		case 5:
			args = []string{"hdel", key, field(), field()}
			for range r.IntN(30) {
				args = append(args, field())
			}
		case 6:
			args = []string{"hlen", key}
		case 7:
			args = []string{"hstrlen", key, field()}
		case 8:
			args = []string{"hexists", key, field()}
		case 9:
			args, unordered = []string{[]string{"hkeys", "hvals", "hgetall"}[r.IntN(3)], key}, true
		case 10:
			args = []string{"hincrby", key, field(), strconv.Itoa(r.IntN(2000) - 1000)}
		case 11:
			args = []string{"hincrbyfloat", key, field(), value()}
		case 12:
			args = []string{"set", "s", value()}
		case 13:
			args = []string{"del", key}
		}
		history = append(history, fmt.Sprintf("%q", args))
		want, got := o.do(args...), tf.do(args...)
		if unordered && want[0] == '*' && got[0] == '*' {
			w, g := arrayItems(t, want), arrayItems(t, got)
			if args[0] == "hgetall" {
				w, g = pairsOf(w), pairsOf(g)
			}
			slices.Sort(w)
			slices.Sort(g)
			want, got = strings.Join(w, ","), strings.Join(g, ",")
		}
		if got != want {
			from := max(0, len(history)-8)
			t.Fatalf("after\n%s\n got: %q\nwant: %q", strings.Join(history[from:], "\n"), got, want)
		}
	}
}

// pairsOf joins a flat field/value list into "field=value" items.
func pairsOf(items []string) []string {
	var out []string
	for i := 0; i+1 < len(items); i += 2 {
		out = append(out, items[i]+"="+items[i+1])
	}
	return out
}

// TestHashScanLarge pages through a large hash with HSCAN: every field
// present throughout comes back exactly once, with its value.
func TestHashScanLarge(t *testing.T) {
	tf := newTestFSM(t)
	const n = 1000
	for i := range n {
		tf.write("hset", "h", "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	seen := map[string]int{}
	cursor := "0"
	for calls := 0; ; calls++ {
		if calls > n {
			t.Fatal("HSCAN does not end")
		}
		reply := tf.read("hscan", "h", cursor, "COUNT", "7")
		// Field 3 of each ten is deleted as the scan goes: the others
		// must still all come back exactly once.
		tf.write("hdel", "h", "f"+strconv.Itoa(calls*10+3))
		c, items := scanItems(t, reply)
		for i := 0; i < len(items); i += 2 {
			if "v"+items[i][1:] != items[i+1] {
				t.Fatalf("field %s has value %s", items[i], items[i+1])
			}
			seen[items[i]]++
		}
		if cursor = c; cursor == "0" {
			break
		}
	}
	for i := range n {
		f := "f" + strconv.Itoa(i)
		if i%10 != 3 && seen[f] != 1 {
			t.Errorf("%s returned %d times", f, seen[f])
		}
	}
}

// TestHashSnapshotIsolation checks that a snapshot taken before changes to
// a hash, small or large, still writes the hash as it was.
func TestHashSnapshotIsolation(t *testing.T) {
	tf := newTestFSM(t)
	for i := range 600 {
		tf.write("hset", "big", "f"+strconv.Itoa(i), "v")
	}
	tf.write("hset", "small", "a", "1", "b", "2")
	want, err := tf.f.Digest()
	if err != nil {
		t.Fatal(err)
	}
	snap, err := tf.f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	tf.write("hset", "big", "f1", "changed", "new", "x")
	tf.write("hdel", "big", "f2")
	tf.write("hset", "small", "a", "changed")
	tf.write("hdel", "small", "b")
	tf.write("hincrby", "small", "c", "1")
	got := digestOfSnapshot(t, snap)
	if got != want {
		t.Fatal("the snapshot saw changes made after it was taken")
	}
	if r := tf.read("hget", "big", "f1"); r != bulkR("changed") {
		t.Fatalf("live hget = %q", r)
	}
}

// TestHashRestore round-trips hashes of both encodings through a snapshot.
func TestHashRestore(t *testing.T) {
	tf := newTestFSM(t)
	for i := range 600 {
		tf.write("hset", "big", "f"+strconv.Itoa(i), strconv.Itoa(i))
	}
	tf.write("hset", "small", "a", "1", "b", "\x00\xff")
	restored := restoreCopy(t, tf.f)
	for _, args := range [][]string{{"hget", "big", "f299"}, {"hlen", "big"}, {"hgetall", "small"}, {"type", "small"}} {
		if got, want := string(restored.Read(nil, 0, tf.now, 1, toArgs(args))), tf.read(args...); got != want {
			t.Errorf("%v after restore = %q, want %q", args, got, want)
		}
	}
	it, _ := restored.dbs[0].get("big")
	if e := it.val.Encoding(); e != "hashtable" {
		t.Errorf("restored big hash is %s", e)
	}
}
