package fsm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/raftis/raftis/internal/resp"
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
		// SPOP that leaves few members makes a new set of them: an
		// integer hash table becomes an intset again, and an intset
		// past a lowered limit a hash table.
		{"spop", "c", "590"},
		append([]string{"sadd", "u"}, intRange(0, 100)...),
		{"config", "set", "set-max-intset-entries", "3"},
		{"spop", "u", "90"},
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
		for _, key := range []string{"a", "b", "c", "d", "e", "f", "m", "n", "o", "p", "q", "r", "u"} {
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
				if it, ok := n.f.dbs[0].get(k); ok {
					encs[setEnc(t, n.f, k)] = true
					if err := checkSet(it.val.(*setValue)); err != nil {
						t.Fatalf("round %d %q: %v", round, args, err)
					}
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

// TestSetRandMemberCounts checks SRANDMEMBER's count rules on every
// representation: the number of picks, distinctness, membership.
func TestSetRandMemberCounts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		members func(i int) string
		size    int
		enc     string
	}{
		{"intset", strconv.Itoa, 20, "intset"},
		{"packed", func(i int) string { return "m" + strconv.Itoa(i) }, 20, "packed"},
		{"tree", func(i int) string { return "m" + strconv.Itoa(i) }, 300, "tree"},
	} {
		tf := newTestFSM(t)
		want := map[string]bool{}
		for i := range tc.size {
			want[tc.members(i)] = true
			tf.write("sadd", "s", tc.members(i))
		}
		if e := setEnc(t, tf.f, "s"); e != tc.enc {
			t.Fatalf("%s: the set is %s", tc.name, e)
		}
		size := tc.size
		for _, c := range []struct {
			count    int
			n        int
			distinct bool
		}{{1, 1, true}, {3, 3, true}, {size - 1, size - 1, true}, {size, size, true}, {size + 10, size, true}, {-1, 1, false}, {-(size + 10), size + 10, false}} {
			items := arrayItems(t, tf.read("srandmember", "s", strconv.Itoa(c.count)))
			if len(items) != c.n {
				t.Fatalf("%s: srandmember %d gave %d members, want %d", tc.name, c.count, len(items), c.n)
			}
			seen := map[string]bool{}
			for _, m := range items {
				if !want[m] {
					t.Fatalf("%s: srandmember %d gave %q, not a member", tc.name, c.count, m)
				}
				if c.distinct && seen[m] {
					t.Fatalf("%s: srandmember %d gave %q twice", tc.name, c.count, m)
				}
				seen[m] = true
			}
		}
		got := tf.read("srandmember", "s")
		if v, err := resp.Parse([]byte(got)); err != nil || v.Kind != resp.BulkString || v.Null || !want[v.Str] {
			t.Fatalf("%s: srandmember s = %q", tc.name, got)
		}
	}
}

// TestSetPopCounts pops from every representation: the replies have the
// right sizes, the members popped are distinct and were members, and
// what is left is the rest.
func TestSetPopCounts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		members func(i int) string
		size    int
	}{
		{"intset", strconv.Itoa, 40},
		{"packed", func(i int) string { return "m" + strconv.Itoa(i) }, 40},
		{"tree", func(i int) string { return "m" + strconv.Itoa(i) }, 400},
	} {
		tf := newTestFSM(t)
		left := map[string]bool{}
		for i := range tc.size {
			left[tc.members(i)] = true
			tf.write("sadd", "s", tc.members(i))
		}
		for _, count := range []int{-1, 1, 5, tc.size / 2, tc.size} {
			args := []string{"spop", "s", strconv.Itoa(count)}
			if count < 0 {
				args = args[:2]
			}
			reply := tf.write(args...)
			var popped []string
			if count < 0 {
				v, err := resp.Parse([]byte(reply))
				if err != nil || v.Kind != resp.BulkString || v.Null {
					t.Fatalf("%s: %v = %q", tc.name, args, reply)
				}
				popped = []string{v.Str}
			} else {
				popped = arrayItems(t, reply)
			}
			want := min(max(count, 1), len(left))
			if len(popped) != want {
				t.Fatalf("%s: %v popped %d members, want %d", tc.name, args, len(popped), want)
			}
			for _, m := range popped {
				if !left[m] {
					t.Fatalf("%s: %v popped %q, not a member (or popped twice)", tc.name, args, m)
				}
				delete(left, m)
			}
			rest := []string{}
			if tf.read("exists", "s") == intR(1) {
				rest = arrayItems(t, tf.read("smembers", "s"))
			}
			if len(rest) != len(left) {
				t.Fatalf("%s: after %v %d members are left, want %d", tc.name, args, len(rest), len(left))
			}
			for _, m := range rest {
				if !left[m] {
					t.Fatalf("%s: after %v %q is still a member", tc.name, args, m)
				}
			}
		}
		if len(left) != 0 || tf.read("exists", "s") != intR(0) {
			t.Fatalf("%s: popping everything left %d members", tc.name, len(left))
		}
	}
}

// TestSetScanLarge pages through a tree set with SSCAN while deleting:
// every member present throughout comes back exactly once.
func TestSetScanLarge(t *testing.T) {
	tf := newTestFSM(t)
	const n = 1000
	for i := range n {
		tf.write("sadd", "s", "m"+strconv.Itoa(i))
	}
	seen := map[string]int{}
	cursor := "0"
	for calls := 0; ; calls++ {
		if calls > n {
			t.Fatal("SSCAN does not end")
		}
		reply := tf.read("sscan", "s", cursor, "COUNT", "7", "MATCH", "m*")
		tf.write("srem", "s", "m"+strconv.Itoa(calls*10+3))
		c, items := scanItems(t, reply)
		for _, m := range items {
			seen[m]++
		}
		if cursor = c; cursor == "0" {
			break
		}
	}
	for i := range n {
		m := "m" + strconv.Itoa(i)
		if i%10 != 3 && seen[m] != 1 {
			t.Errorf("%s returned %d times", m, seen[m])
		}
	}
	// m99 and m990 to m999, but m993, deleted during the scan.
	if _, items := scanItems(t, tf.read("sscan", "s", "0", "COUNT", "5000", "MATCH", "m99*")); len(items) != 10 {
		t.Errorf("MATCH m99* gave %d members, want 10", len(items))
	}
}

// threeSets fills "i" (intset), "p" (packed) and "t" (tree).
func threeSets(tf *testFSM) {
	for i := range 300 {
		tf.write("sadd", "t", "m"+strconv.Itoa(i))
		if i < 50 {
			tf.write("sadd", "i", strconv.Itoa(i))
			tf.write("sadd", "p", "p"+strconv.Itoa(i))
		}
	}
}

// TestSetSnapshotIsolation checks that a snapshot taken before changes to
// sets of every representation still writes them as they were.
func TestSetSnapshotIsolation(t *testing.T) {
	tf := newTestFSM(t)
	threeSets(tf)
	want, err := tf.f.Digest()
	if err != nil {
		t.Fatal(err)
	}
	snap, err := tf.f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"i", "p", "t"} {
		tf.write("sadd", key, "new", "1000")
		tf.write("srem", key, "m1", "p1", "1")
		tf.write("spop", key, "3")
		tf.write("smove", key, "moved", "m2", "p2", "2")
	}
	tf.write("sunionstore", "t", "i", "p")
	if got := digestOfSnapshot(t, snap); got != want {
		t.Fatal("the snapshot saw changes made after it was taken")
	}
	if r := tf.read("sismember", "t", "new"); r != intR(1) {
		t.Fatalf("live sismember = %q", r)
	}
}

// TestSetCopyIndependent COPYs sets of every representation, then changes
// source and copy: neither sees the other's changes.
func TestSetCopyIndependent(t *testing.T) {
	tf := newTestFSM(t)
	threeSets(tf)
	for _, key := range []string{"i", "p", "t"} {
		before := sortedReply(t, tf.read("smembers", key))
		if r := tf.write("copy", key, key+"2"); r != intR(1) {
			t.Fatalf("copy %s = %q", key, r)
		}
		tf.write("spop", key, "2")
		tf.write("spop", key+"2", "3")
		tf.write("sadd", key, "src-only", "100001")
		tf.write("sadd", key+"2", "copy-only", "100002")
		for _, c := range []struct {
			key        string
			has, hasnt []string
		}{
			{key, []string{"src-only", "100001"}, []string{"copy-only", "100002"}},
			{key + "2", []string{"copy-only", "100002"}, []string{"src-only", "100001"}},
		} {
			for _, m := range c.has {
				if tf.read("sismember", c.key, m) != intR(1) {
					t.Fatalf("%s lacks %s", c.key, m)
				}
			}
			for _, m := range c.hasnt {
				if tf.read("sismember", c.key, m) != intR(0) {
					t.Fatalf("%s has the other's %s", c.key, m)
				}
			}
		}
		if n, want := tf.read("scard", key), intR(int64(len(arrayItems(t, before))+2-2)); n != want {
			t.Fatalf("scard %s = %q, want %q", key, n, want)
		}
		if n, want := tf.read("scard", key+"2"), intR(int64(len(arrayItems(t, before))+2-3)); n != want {
			t.Fatalf("scard %s2 = %q, want %q", key, n, want)
		}
	}
	checkUsedMemory(t, tf.f, "copies")
}

// TestSetRestore round-trips sets of every representation through a
// snapshot, and checks that restore chooses the representation by size and
// content as Redis does when it loads a file.
func TestSetRestore(t *testing.T) {
	tf := newTestFSM(t)
	threeSets(tf)
	// A tree that now holds few integers loads as an intset.
	for i := range 600 {
		tf.write("sadd", "shrunk", strconv.Itoa(i))
	}
	for i := 10; i < 600; i++ {
		tf.write("srem", "shrunk", strconv.Itoa(i))
	}
	tf.write("sadd", "bin", "\x00\xff", "")
	tf.write("pexpireat", "i", "99999999999999")
	restored := restoreCopy(t, tf.f)
	for _, args := range [][]string{
		{"smembers", "i"}, {"scard", "t"}, {"sismember", "t", "m299"}, {"smembers", "shrunk"},
		{"scard", "p"}, {"sismember", "bin", ""}, {"sismember", "bin", "\x00\xff"}, {"pttl", "i"}, {"type", "t"},
	} {
		got, want := string(restored.Read(nil, 0, tf.now, 1, toArgs(args))), tf.read(args...)
		if args[0] == "smembers" {
			got, want = sortedReply(t, got), sortedReply(t, want)
		}
		if got != want {
			t.Errorf("%q after restore = %q, want %q", args, got, want)
		}
	}
	for key, want := range map[string]string{"i": "intset", "p": "packed", "t": "tree", "shrunk": "intset", "bin": "packed"} {
		if e := setEnc(t, restored, key); e != want {
			t.Errorf("restored %s is %s, want %s", key, e, want)
		}
	}
	if a, b := digestOf(t, tf.f), digestOf(t, restored); a != b {
		t.Error("the restored data set has another digest")
	}
	// Duplicate members are corruption, in small sets and large ones.
	if _, err := setFromRecord(&DefaultLimits, toArgs([]string{"a", "b", "a"})); err == nil {
		t.Error("a record with a duplicate member was accepted")
	}
	many := []string{"m7"}
	for i := range 600 {
		many = append(many, "m"+strconv.Itoa(i))
	}
	if _, err := setFromRecord(&DefaultLimits, toArgs(many)); err == nil {
		t.Error("a large record with a duplicate member was accepted")
	}
}

func digestOf(t *testing.T, f *FSM) uint64 {
	t.Helper()
	d, err := f.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkSet verifies a set's bookkeeping against its contents: the member
// count, the tree's byte count (memSize depends on it), and that each
// representation holds what it may.
func checkSet(s *setValue) error {
	n, data := 0, 0
	for m := range s.all() {
		n++
		data += len(m)
		if s.enc == setPacked && len(m) > setMaxPackedValue {
			return fmt.Errorf("packed set holds a %d-byte member", len(m))
		}
	}
	if n != s.n {
		return fmt.Errorf("set says %d members, holds %d", s.n, n)
	}
	switch s.enc {
	case setIntset:
		for i := 1; i < s.n; i++ {
			if s.ints().at(i-1) >= s.ints().at(i) {
				return fmt.Errorf("intset not ascending at %d", i)
			}
		}
	case setPacked:
		if s.n > setMaxPackedEntries {
			return fmt.Errorf("packed set of %d members", s.n)
		}
	case setTree:
		if s.big.Len() != s.n || s.data != data {
			return fmt.Errorf("tree of %d members says %d, %d bytes says %d", s.big.Len(), s.n, data, s.data)
		}
	}
	return nil
}
