package fsm

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestSetCommandsLikeRedis checks exact replies on the FSM and on Redis.
// Member order is part of the bytes, so multi-member replies come from
// intsets (ascending on both) or from results that are intsets.
func TestSetCommandsLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("sadd", "s", "3", "1", "2", "1"), intR(3)},
		{cmd("sadd", "s", "2", "-5", "9223372036854775807"), intR(2)},
		{cmd("sadd", "s"), arityR("sadd")},
		{cmd("smembers", "s"), arrR(bulkR("-5"), bulkR("1"), bulkR("2"), bulkR("3"), bulkR("9223372036854775807"))},
		{cmd("scard", "s"), intR(5)},
		{cmd("scard", "nokey"), intR(0)},
		{cmd("sismember", "s", "2"), intR(1)},
		{cmd("sismember", "s", "02"), intR(0)},
		{cmd("sismember", "s", "x"), intR(0)},
		{cmd("sismember", "nokey", "2"), intR(0)},
		{cmd("smismember", "s", "1", "x", "3", "+1"), arrR(intR(1), intR(0), intR(1), intR(0))},
		{cmd("smismember", "nokey", "1", "2"), arrR(intR(0), intR(0))},
		{cmd("smismember", "s"), arityR("smismember")},
		{cmd("smembers", "nokey"), arrR()},
		{cmd("srem", "s", "9223372036854775807", "x", "-5", "-5"), intR(2)},
		{cmd("srem", "nokey", "1"), intR(0)},
		{cmd("srem", "s"), arityR("srem")},
		{cmd("srem", "s", "1", "2", "3", "4"), intR(3)},
		{cmd("exists", "s"), intR(0)},

		// Integers only in canonical form join an intset; the others
		// are strings, and the set is compared as Redis stores it.
		{cmd("sadd", "t", "007", "-0", "+1", "1"), intR(4)},
		{cmd("sismember", "t", "7"), intR(0)},
		{cmd("sismember", "t", "007"), intR(1)},
		{cmd("srem", "t", "007", "-0", "+1"), intR(3)},
		{cmd("smembers", "t"), arrR(bulkR("1"))},

		// SPOP and its counts.
		{cmd("spop", "nokey"), nullR()},
		{cmd("spop", "nokey", "3"), arrR()},
		{cmd("spop", "nokey", "-3"), errR("ERR value is out of range, must be positive")},
		{cmd("spop", "t", "0"), arrR()},
		{cmd("spop", "t", "x"), errR("ERR value is out of range, must be positive")},
		{cmd("spop", "t", "9223372036854775808"), errR("ERR value is out of range, must be positive")},
		{cmd("spop", "t", "1", "2"), errR(strSyntaxErr)},
		{cmd("spop", "t"), bulkR("1")},
		{cmd("exists", "t"), intR(0)},
		{cmd("sadd", "p", "5", "3", "4"), intR(3)},
		{cmd("spop", "p", "3"), arrR(bulkR("3"), bulkR("4"), bulkR("5"))},
		{cmd("exists", "p"), intR(0)},
		{cmd("sadd", "p", "5", "3", "4"), intR(3)},
		{cmd("spop", "p", "9223372036854775807"), arrR(bulkR("3"), bulkR("4"), bulkR("5"))},
		{cmd("exists", "p"), intR(0)},
		{cmd("sadd", "one", "only"), intR(1)},
		{cmd("spop", "one", "1"), arrR(bulkR("only"))},
		{cmd("exists", "one"), intR(0)},

		// SRANDMEMBER.
		{cmd("srandmember", "nokey"), nullR()},
		{cmd("srandmember", "nokey", "5"), arrR()},
		{cmd("srandmember", "nokey", "-5"), arrR()},
		{cmd("srandmember", "nokey", "x"), errR(strNotInt)},
		{cmd("sadd", "one", "only"), intR(1)},
		{cmd("srandmember", "one"), bulkR("only")},
		{cmd("srandmember", "one", "-3"), arrR(bulkR("only"), bulkR("only"), bulkR("only"))},
		{cmd("srandmember", "one", "0"), arrR()},
		{cmd("srandmember", "one", "1"), arrR(bulkR("only"))},
		{cmd("srandmember", "one", "1", "2"), errR(strSyntaxErr)},
		{cmd("srandmember", "one", "-9223372036854775808"), errR("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")},
		{cmd("sadd", "p", "5", "3", "4"), intR(3)},
		{cmd("srandmember", "p", "3"), arrR(bulkR("3"), bulkR("4"), bulkR("5"))},
		{cmd("srandmember", "p", "9223372036854775807"), arrR(bulkR("3"), bulkR("4"), bulkR("5"))},

		// SMOVE.
		{cmd("smove", "nokey", "p", "1"), intR(0)},
		{cmd("smove", "p", "q", "9"), intR(0)},
		{cmd("exists", "q"), intR(0)},
		{cmd("smove", "p", "q", "5"), intR(1)},
		{cmd("smove", "p", "p", "3"), intR(1)},
		{cmd("smove", "p", "p", "9"), intR(0)},
		{cmd("smembers", "p"), arrR(bulkR("3"), bulkR("4"))},
		{cmd("smembers", "q"), arrR(bulkR("5"))},
		{cmd("smove", "q", "p", "5"), intR(1)},
		{cmd("exists", "q"), intR(0)},
		{cmd("smove", "p", "q", "x"), intR(0)},
		{cmd("smove", "p", "q"), arityR("smove")},

		// Intersections, unions, differences of intsets: ascending.
		{cmd("del", "p"), intR(1)},
		{cmd("sadd", "a", "1", "2", "3", "4", "5"), intR(5)},
		{cmd("sadd", "b", "4", "5", "6"), intR(3)},
		{cmd("sadd", "c", "5", "6", "7", "4"), intR(4)},
		{cmd("sinter", "a", "b", "c"), arrR(bulkR("4"), bulkR("5"))},
		{cmd("sinter", "a"), arrR(bulkR("1"), bulkR("2"), bulkR("3"), bulkR("4"), bulkR("5"))},
		{cmd("sinter", "a", "nokey"), arrR()},
		{cmd("sinter", "a", "a"), arrR(bulkR("1"), bulkR("2"), bulkR("3"), bulkR("4"), bulkR("5"))},
		{cmd("sunion", "a", "b", "nokey", "c"), arrR(bulkR("1"), bulkR("2"), bulkR("3"), bulkR("4"), bulkR("5"), bulkR("6"), bulkR("7"))},
		{cmd("sunion", "nokey"), arrR()},
		{cmd("sdiff", "a", "b", "nokey"), arrR(bulkR("1"), bulkR("2"), bulkR("3"))},
		{cmd("sdiff", "a", "b", "a"), arrR()},
		{cmd("sdiff", "nokey", "a"), arrR()},
		{cmd("sdiff", "c", "a", "b"), arrR(bulkR("7"))},
		{cmd("sintercard", "3", "a", "b", "c"), intR(2)},
		{cmd("sintercard", "2", "a", "b", "limit", "1"), intR(1)},
		{cmd("sintercard", "2", "a", "b", "LIMIT", "0"), intR(2)},
		{cmd("sintercard", "2", "a", "b", "limit", "1", "limit", "5"), intR(2)},
		{cmd("sintercard", "2", "a", "nokey"), intR(0)},
		{cmd("sintercard", "1", "a", "b"), errR(strSyntaxErr)},
		{cmd("sintercard", "1", "a", "limit"), errR(strSyntaxErr)},
		{cmd("sintercard", "1", "a", "limit", "-1"), errR("ERR LIMIT can't be negative")},
		{cmd("sintercard", "1", "a", "limit", "x"), errR("ERR LIMIT can't be negative")},
		{cmd("sintercard", "0", "a"), errR("ERR numkeys should be greater than 0")},
		{cmd("sintercard", "x", "a"), errR("ERR numkeys should be greater than 0")},
		{cmd("sintercard", "-1", "a"), errR("ERR numkeys should be greater than 0")},
		{cmd("sintercard", "3", "a", "b"), errR("ERR Number of keys can't be greater than number of args")},
		{cmd("sintercard", "9223372036854775807", "a"), errR("ERR Number of keys can't be greater than number of args")},
		{cmd("sintercard", "1"), arityR("sintercard")},

		// STORE forms: the result replaces the destination and its
		// expiry; an empty result deletes it.
		{cmd("set", "dst", "v", "EX", "100"), okR()},
		{cmd("sinterstore", "dst", "a", "b"), intR(2)},
		{cmd("ttl", "dst"), intR(-1)},
		{cmd("smembers", "dst"), arrR(bulkR("4"), bulkR("5"))},
		{cmd("sunionstore", "dst", "dst", "b"), intR(3)},
		{cmd("smembers", "dst"), arrR(bulkR("4"), bulkR("5"), bulkR("6"))},
		{cmd("sdiffstore", "dst", "a", "dst"), intR(3)},
		{cmd("smembers", "dst"), arrR(bulkR("1"), bulkR("2"), bulkR("3"))},
		{cmd("sinterstore", "dst", "a", "nokey"), intR(0)},
		{cmd("exists", "dst"), intR(0)},
		{cmd("sadd", "dst", "x"), intR(1)},
		{cmd("sdiffstore", "dst", "a", "a"), intR(0)},
		{cmd("exists", "dst"), intR(0)},
		{cmd("sunionstore", "dst", "nokey"), intR(0)},
		{cmd("sinterstore", "dst"), arityR("sinterstore")},
		{cmd("sdiffstore", "dst", "nokey", "a"), intR(0)},

		// SSCAN: small sets come whole, with cursor 0.
		{cmd("sscan", "a", "0"), scanR("0", "1", "2", "3", "4", "5")},
		{cmd("sscan", "a", "17", "count", "1"), scanR("0", "1", "2", "3", "4", "5")},
		{cmd("sscan", "a", "0", "match", "[13]"), scanR("0", "1", "3")},
		{cmd("sscan", "a", "0", "count", "0"), errR(strSyntaxErr)},
		{cmd("sscan", "a", "0", "type", "set"), errR(strSyntaxErr)},
		{cmd("sscan", "a", "0", "match"), errR(strSyntaxErr)},
		{cmd("sscan", "a", "x"), errR("ERR invalid cursor")},
		{cmd("sscan", "nokey", "x"), errR("ERR invalid cursor")},
		{cmd("sscan", "nokey", "0"), scanR("0")},
		{cmd("sscan", "one", "0"), scanR("0", "only")},

		// Wrong types. SINTER & co. check every key before anything
		// else, so a WRONGTYPE beats a missing key in any position.
		{cmd("set", "str", "v"), okR()},
		{cmd("sadd", "str", "1"), errR(strWrongType)},
		{cmd("srem", "str", "1"), errR(strWrongType)},
		{cmd("scard", "str"), errR(strWrongType)},
		{cmd("sismember", "str", "1"), errR(strWrongType)},
		{cmd("smismember", "str", "1"), errR(strWrongType)},
		{cmd("smembers", "str"), errR(strWrongType)},
		{cmd("spop", "str"), errR(strWrongType)},
		{cmd("spop", "str", "0"), errR(strWrongType)},
		{cmd("spop", "str", "-1"), errR("ERR value is out of range, must be positive")},
		{cmd("srandmember", "str"), errR(strWrongType)},
		{cmd("srandmember", "str", "0"), errR(strWrongType)},
		{cmd("srandmember", "str", "x"), errR(strNotInt)},
		{cmd("sscan", "str", "0"), errR(strWrongType)},
		{cmd("sscan", "str", "x"), errR("ERR invalid cursor")},
		{cmd("smove", "str", "a", "1"), errR(strWrongType)},
		{cmd("smove", "a", "str", "1"), errR(strWrongType)},
		{cmd("smove", "a", "str", "99"), errR(strWrongType)},
		{cmd("smove", "nokey", "str", "1"), intR(0)},
		{cmd("sinter", "nokey", "str"), errR(strWrongType)},
		{cmd("sinter", "str", "nokey"), errR(strWrongType)},
		{cmd("sintercard", "2", "nokey", "str"), errR(strWrongType)},
		{cmd("sintercard", "2", "nokey", "str", "limit", "x"), errR("ERR LIMIT can't be negative")},
		{cmd("sunion", "a", "str"), errR(strWrongType)},
		{cmd("sdiff", "nokey", "str"), errR(strWrongType)},
		{cmd("sinterstore", "dst", "nokey", "str"), errR(strWrongType)},
		{cmd("sunionstore", "str", "a"), intR(5)},
		{cmd("type", "str"), statusR("set")},
		{cmd("get", "a"), errR(strWrongType)},
		{cmd("hset", "a", "f", "v"), errR(strWrongType)},
		{cmd("sadd", "dst", "1"), intR(1)},
		{cmd("sdiffstore", "dst", "str", "b", "str"), intR(0)},
		{cmd("exists", "dst"), intR(0)},
	})
}

// setEnc is key's representation: "intset", "packed" or "tree".
func setEnc(t *testing.T, f *FSM, key string) string {
	t.Helper()
	it, ok := f.dbs[0].get(key)
	if !ok {
		t.Fatalf("no key %q", key)
	}
	s, ok := it.val.(*setValue)
	if !ok {
		t.Fatalf("key %q holds a %s", key, it.val.Type())
	}
	return []string{"intset", "packed", "tree"}[s.enc]
}

// TestSetRepresentations checks the internal representation at each
// threshold, and that a set never moves back.
func TestSetRepresentations(t *testing.T) {
	tf := newTestFSM(t)
	for i := range 512 {
		tf.write("sadd", "i", strconv.Itoa(i*1000))
	}
	if e := setEnc(t, tf.f, "i"); e != "intset" {
		t.Fatalf("512 integers: %s", e)
	}
	tf.write("sadd", "i", "-1")
	if e := setEnc(t, tf.f, "i"); e != "tree" {
		t.Fatalf("513 integers: %s", e)
	}
	tf.write("srem", "i", "-1", "0", "1000")
	if e := setEnc(t, tf.f, "i"); e != "tree" {
		t.Fatalf("shrunk: %s", e)
	}

	tf.write("sadd", "s", "1", "2")
	tf.write("sadd", "s", "x")
	if e := setEnc(t, tf.f, "s"); e != "packed" {
		t.Fatalf("2 integers and a string: %s", e)
	}
	for i := 3; i < 128; i++ {
		tf.write("sadd", "s", "m"+strconv.Itoa(i))
	}
	if e := setEnc(t, tf.f, "s"); e != "packed" {
		t.Fatalf("128 members: %s", e)
	}
	tf.write("sadd", "s", "one-more")
	if e := setEnc(t, tf.f, "s"); e != "tree" {
		t.Fatalf("129 members: %s", e)
	}

	tf.write("sadd", "v", strings.Repeat("x", 64))
	if e := setEnc(t, tf.f, "v"); e != "packed" {
		t.Fatalf("64-byte member: %s", e)
	}
	tf.write("sadd", "v", strings.Repeat("x", 65))
	if e := setEnc(t, tf.f, "v"); e != "tree" {
		t.Fatalf("65-byte member: %s", e)
	}
	tf.write("sadd", "w", "1", strings.Repeat("x", 65))
	if e := setEnc(t, tf.f, "w"); e != "tree" {
		t.Fatalf("an intset and a 65-byte member: %s", e)
	}

	// Past the intset limit, small integer sets are packed, then trees.
	lim := DefaultLimits
	lim.SetMaxIntsetEntries = 2
	tf.f.SetLimits(lim)
	tf.write("sadd", "j", "1", "2", "3")
	if e := setEnc(t, tf.f, "j"); e != "packed" {
		t.Fatalf("3 integers with a limit of 2: %s", e)
	}
	if got := tf.read("smembers", "j"); got != arrR(bulkR("1"), bulkR("2"), bulkR("3")) {
		t.Fatalf("smembers j = %q", got)
	}
	lim.SetMaxIntsetEntries = 0
	tf.f.SetLimits(lim)
	tf.write("sadd", "k", "1")
	if e := setEnc(t, tf.f, "k"); e != "packed" {
		t.Fatalf("an integer with a limit of 0: %s", e)
	}
}

// TestSetEncodingsLikeRedis runs the same commands on the FSM and on
// Redis, with the same set-max-intset-entries, and compares OBJECT
// ENCODING with Value.Encoding after each.
func TestSetEncodingsLikeRedis(t *testing.T) {
	o := newOracle(t)
	tf := newTestFSM(t)
	intRange := func(from, to int) []string {
		var out []string
		for i := from; i < to; i++ {
			out = append(out, strconv.Itoa(i))
		}
		return out
	}
	steps := [][]string{
		{"config", "set", "set-max-intset-entries", "512"},
		append([]string{"sadd", "a"}, intRange(0, 512)...),
		{"sadd", "a", "512"},
		{"srem", "a", "512", "511", "510"},
		{"sadd", "b", "x"},
		{"srem", "b", "x"},
		{"sadd", "b", "1", "2"},
		{"sadd", "b", "-9223372036854775808", "9223372036854775807"},
		{"sadd", "b", "1.5"},
		append([]string{"sadd", "c"}, intRange(1000, 1600)...),
		append([]string{"sadd", "d"}, intRange(0, 300)...),
		{"sinterstore", "e", "c", "d"},
		{"sinterstore", "e", "a", "d"},
		{"sunionstore", "e", "d", "d"},
		{"sunionstore", "e", "a", "d"},
		{"sdiffstore", "e", "d", "a"},
		{"sdiffstore", "e", "a", "d"},
		// Algorithm 2 (copy, then remove) leaves a result that passed
		// the limit on the way, as in Redis.
		append([]string{"sadd", "f"}, intRange(0, 1000)...),
		append([]string{"sadd", "g"}, intRange(0, 600)...),
		{"sadd", "h", "foo"},
		{"sdiffstore", "e", "f", "g", "h", "h", "h"},
		{"sdiffstore", "e", "f", "g"},
		{"smove", "b", "m", "1"},
		{"smove", "b", "n", "1.5"},
		{"config", "set", "set-max-intset-entries", "3"},
		{"sadd", "o", "1", "2", "3"},
		{"sadd", "o", "4"},
		{"sadd", "p", "1", "2", "3", "4"},
		{"sunionstore", "q", "o"},
		{"config", "set", "set-max-intset-entries", "0"},
		{"sadd", "r", "1"},
		{"spop", "a", "3"},
		{"config", "set", "set-max-intset-entries", "512"},
	}
	for _, args := range steps {
		if args[0] == "config" {
			n, _ := strconv.ParseInt(args[3], 10, 64)
			lim := tf.f.Limits()
			lim.SetMaxIntsetEntries = n
			tf.f.SetLimits(lim)
			if r := o.do(args...); r != okR() {
				t.Fatalf("%v: %q", args, r)
			}
			continue
		}
		want, got := o.do(args...), tf.do(args...)
		if args[0] != "spop" && got != want {
			t.Fatalf("%.60q: got %q, want %q", args, got, want)
		}
		for _, key := range []string{"a", "b", "c", "d", "e", "f", "m", "n", "o", "p", "q", "r"} {
			wantEnc := o.do("object", "encoding", key)
			it, ok := tf.f.dbs[0].get(key)
			var gotEnc string
			if ok {
				gotEnc = bulkR(it.val.Encoding())
			} else {
				gotEnc = nullR()
			}
			if gotEnc != wantEnc {
				t.Fatalf("after %.60q: %s is %q, Redis says %q", args, key, gotEnc, wantEnc)
			}
		}
	}
}

// TestSetPopSameOnEveryNode applies the same writes to FSMs whose limits
// differ, so that they hold the sets in different representations: SPOP
// must pop the same members everywhere and leave equal data.
func TestSetPopSameOnEveryNode(t *testing.T) {
	limits := []Limits{DefaultLimits, DefaultLimits, DefaultLimits}
	limits[1].SetMaxIntsetEntries = 0
	limits[2].SetMaxIntsetEntries = 1 << 20
	nodes := make([]*testFSM, len(limits))
	for i, lim := range limits {
		nodes[i] = newTestFSM(t)
		nodes[i].f.SetLimits(lim)
	}
	r := rand.New(rand.NewPCG(5, 6))
	member := func() string {
		switch r.IntN(3) {
		case 0:
			return "m" + strconv.Itoa(r.IntN(300))
		case 1:
			return strings.Repeat("L", 60+r.IntN(10))
		}
		return strconv.Itoa(r.IntN(2000) - 1000)
	}
	keys := []string{"a", "b"}
	encs := map[string]bool{}
	for round := range 6000 {
		key := keys[r.IntN(2)]
		var args []string
		switch r.IntN(8) {
		case 0, 1, 2:
			// Mostly integers, so that the sets are intsets where the
			// limits allow, now and then other members.
			args = []string{"sadd", key}
			mixed := r.IntN(6) == 0
			for range 1 + r.IntN(40) {
				if mixed && r.IntN(3) == 0 {
					args = append(args, member())
				} else {
					args = append(args, strconv.Itoa(r.IntN(2000)))
				}
			}
		case 3:
			args = []string{"spop", key}
		case 4:
			args = []string{"spop", key, strconv.Itoa(r.IntN(60))}
		case 5:
			args = []string{"smove", key, keys[r.IntN(2)], member()}
		case 6:
			args = []string{"srem", key, member(), member()}
		case 7:
			args = []string{"sdiffstore", "c", key, keys[r.IntN(2)]}
		}
		replies := make([]string, len(nodes))
		for i, n := range nodes {
			replies[i] = n.write(args...)
			for _, k := range keys {
				if _, ok := n.f.dbs[0].get(k); ok {
					encs[setEnc(t, n.f, k)] = true
				}
			}
		}
		// A partial SPOP pops in the same order everywhere; one that
		// takes the whole set replies in the representation's order.
		if _, ok := nodes[0].f.dbs[0].get(key); !ok && args[0] == "spop" {
			for i := range replies {
				replies[i] = sortedReply(t, replies[i])
			}
		}
		for i, got := range replies[1:] {
			if got != replies[0] {
				t.Fatalf("round %d %q: node %d replied %q, node 0 %q", round, args, i+1, got, replies[0])
			}
		}
		if round%100 == 99 {
			want, err := nodes[0].f.Digest()
			if err != nil {
				t.Fatal(err)
			}
			for i, n := range nodes[1:] {
				if got, _ := n.f.Digest(); got != want {
					t.Fatalf("round %d: node %d's digest differs", round, i+1)
				}
			}
		}
	}
	if len(encs) != 3 {
		t.Fatalf("the nodes used representations %v, want all three", encs)
	}
}

// sortedReply sorts the items of an array reply (SPOP with a count past
// the size replies in the representation's order, which Redis leaves
// unspecified); other replies are returned as they are.
func sortedReply(t *testing.T, reply string) string {
	t.Helper()
	if !strings.HasPrefix(reply, "*") {
		return reply
	}
	items := arrayItems(t, reply)
	slices.Sort(items)
	return arrR(bulkRs(items)...)
}
