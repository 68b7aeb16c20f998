package fsm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestSortSpecs(t *testing.T) {
	// COMMAND INFO of redis-server 7.0.15.
	for name, want := range map[string]string{
		"sort":    "-2 [write denyoom movablekeys] 1 1 1",
		"sort_ro": "-2 [readonly movablekeys] 1 1 1",
	} {
		cmd := Lookup([]byte(name))
		if got := fmt.Sprintf("%d %v %d %d %d", cmd.Arity, cmd.Flags.Names(), cmd.FirstKey, cmd.LastKey, cmd.KeyStep); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	// COMMAND GETKEYS of redis-server 7.0.15.
	for argv, want := range map[string]string{
		"sort k":                       "k",
		"sort k store d":               "k d",
		"sort k store d store e":       "k e",
		"sort k store":                 "k",
		"sort k limit store 1 store x": "k x",
		"sort k by store store x":      "k x",
		"sort k STORE limit 1 2":       "k limit",
		"sort k get store store d2":    "k d2",
		"sort_ro k store d":            "k",
	} {
		args := toArgs(strings.Fields(argv))
		keys := Lookup(args[0]).Keys(args)
		if got := string(joinBytes(keys)); got != want {
			t.Errorf("GETKEYS %s: %q, want %q", argv, got, want)
		}
	}
}

func joinBytes(keys [][]byte) []byte {
	var out []byte
	for i, k := range keys {
		if i > 0 {
			out = append(out, ' ')
		}
		out = append(out, k...)
	}
	return out
}

func TestSortLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("SORT"), arityR("sort")},
		{cmd("SORT_RO"), arityR("sort_ro")},
		{cmd("SORT", "nokey"), arrR()},
		{cmd("SORT", "nokey", "STORE", "d"), intR(0)},
		{cmd("RPUSH", "l", "3", "1", "2", "10", "-1.5", "0x10", " 7", "inf"), intR(8)},
		{cmd("SORT", "l"), arrR(bulkRs([]string{"-1.5", "1", "2", "3", " 7", "10", "0x10", "inf"})...)},
		{cmd("SORT", "l", "DESC"), arrR(bulkRs([]string{"inf", "0x10", "10", " 7", "3", "2", "1", "-1.5"})...)},
		{cmd("SORT", "l", "ALPHA"), arrR(bulkRs([]string{" 7", "-1.5", "0x10", "1", "10", "2", "3", "inf"})...)},
		{cmd("SORT", "l", "LIMIT", "1", "2"), arrR(bulkR("1"), bulkR("2"))},
		{cmd("SORT", "l", "LIMIT", "-5", "2"), arrR(bulkR("-1.5"), bulkR("1"))},
		{cmd("SORT", "l", "LIMIT", "6", "100"), arrR(bulkR("0x10"), bulkR("inf"))},
		{cmd("SORT", "l", "LIMIT", "8", "1"), arrR()},
		{cmd("SORT", "l", "LIMIT", "100", "1"), arrR()},
		{cmd("SORT", "l", "LIMIT", "0", "0"), arrR()},
		{cmd("SORT", "l", "LIMIT", "0", "-1"), arrR(bulkRs([]string{"-1.5", "1", "2", "3", " 7", "10", "0x10", "inf"})...)},
		{cmd("SORT", "l", "BY", "nosort"), arrR(bulkRs([]string{"3", "1", "2", "10", "-1.5", "0x10", " 7", "inf"})...)},
		{cmd("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "3"), arrR(bulkR(" 7"), bulkR("0x10"), bulkR("-1.5"))},
		{cmd("SORT", "l", "BY", "nosort", "LIMIT", "7", "3"), arrR(bulkR("inf"))},
		{cmd("SORT", "l", "BY", "nosort", "BY", "w_*"), arrR(bulkRs([]string{"3", "1", "2", "10", "-1.5", "0x10", " 7", "inf"})...)},
		// Options are checked before the key; the first bad one answers.
		{cmd("SORT", "l", "LIMIT", "1"), errR(ErrSyntax)},
		{cmd("SORT", "l", "LIMIT", "x", "1"), errR(ErrNotInteger)},
		{cmd("SORT", "l", "LIMIT", "1", "9223372036854775808"), errR(ErrNotInteger)},
		{cmd("SORT", "l", "NOPE", "LIMIT", "x", "1"), errR(ErrSyntax)},
		{cmd("SORT", "l", "BY"), errR(ErrSyntax)},
		{cmd("SORT", "l", "GET"), errR(ErrSyntax)},
		{cmd("SORT", "l", "STORE"), errR(ErrSyntax)},
		{cmd("SORT_RO", "l", "STORE", "d"), errR(ErrSyntax)},
		{cmd("SET", "s", "x"), okR()},
		{cmd("SORT", "s"), errR(ErrWrongType)},
		{cmd("SORT", "s", "LIMIT", "a", "b"), errR(ErrNotInteger)},
		{cmd("SORT_RO", "s"), errR(ErrWrongType)},
		{cmd("HSET", "h", "f", "1"), intR(1)},
		{cmd("SORT", "h"), errR(ErrWrongType)},
		// Scores that are not doubles.
		{cmd("RPUSH", "bad", "1", "abc"), intR(2)},
		{cmd("SORT", "bad"), errR(errSortScore)},
		{cmd("SORT", "bad", "STORE", "d"), errR(errSortScore)},
		{cmd("SORT", "bad", "ALPHA"), arrR(bulkR("1"), bulkR("abc"))},
		{cmd("SORT", "bad", "BY", "nosort"), arrR(bulkR("1"), bulkR("abc"))},
		{cmd("SORT", "bad", "BY", "missing_*"), arrR(bulkR("1"), bulkR("abc"))},
		// BY and GET patterns: strings and hash fields.
		{cmd("RPUSH", "u", "a", "b", "c", "d"), intR(4)},
		{cmd("MSET", "w_a", "3", "w_b", "1", "w_c", "2", "name_a", "Ann", "name_c", "Cy"), okR()},
		{cmd("HSET", "obj_a", "age", "30", "nick", "A"), intR(2)},
		{cmd("HSET", "obj_b", "age", "20"), intR(1)},
		{cmd("HSET", "obj_d", "age", "25", "nick", "D"), intR(2)},
		{cmd("SORT", "u", "BY", "w_*"), arrR(bulkR("d"), bulkR("b"), bulkR("c"), bulkR("a"))},
		{cmd("SORT", "u", "BY", "w_*", "DESC", "LIMIT", "0", "2"), arrR(bulkR("a"), bulkR("c"))},
		{cmd("SORT", "u", "BY", "obj_*->age"), arrR(bulkR("c"), bulkR("b"), bulkR("d"), bulkR("a"))},
		{cmd("SORT", "u", "BY", "obj_*->age", "GET", "#", "GET", "obj_*->nick", "GET", "name_*"),
			arrR(bulkR("c"), nullR(), bulkR("Cy"), bulkR("b"), nullR(), nullR(), bulkR("d"), bulkR("D"), nullR(), bulkR("a"), bulkR("A"), bulkR("Ann"))},
		{cmd("SORT", "u", "BY", "w_*", "ALPHA"), arrR(bulkR("d"), bulkR("b"), bulkR("c"), bulkR("a"))},
		{cmd("SORT", "u", "BY", "obj_*->nick", "ALPHA", "DESC"), arrR(bulkR("d"), bulkR("a"), bulkR("b"), bulkR("c"))},
		{cmd("SORT", "u", "GET", "nopattern"), errR(errSortScore)},
		{cmd("SORT", "u", "ALPHA", "GET", "nopattern"), arrR(nullR(), nullR(), nullR(), nullR())},
		{cmd("SORT", "u", "ALPHA", "GET", "w_*->"), arrR(nullR(), nullR(), nullR(), nullR())},
		{cmd("SET", "w_a->", "x"), okR()},
		{cmd("SORT", "u", "ALPHA", "GET", "w_*->", "LIMIT", "0", "1"), arrR(bulkR("x"))},
		{cmd("SORT", "u", "ALPHA", "GET", "h", "GET", "obj_*"), arrR(nullR(), nullR(), nullR(), nullR(), nullR(), nullR(), nullR(), nullR())},
		{cmd("SORT", "u", "BY", "h->*"), arrR(bulkR("a"), bulkR("b"), bulkR("c"), bulkR("d"))},
		{cmd("SORT", "u", "BY", "s"), arrR(bulkR("a"), bulkR("b"), bulkR("c"), bulkR("d"))},
		{cmd("SORT", "u", "BY", "w_*"+"\x00", "LIMIT", "0", "1"), arrR(bulkR("a"))},
		{cmd("SORT", "u", "BY", "w\x00_*"), arrR(bulkR("a"), bulkR("b"), bulkR("c"), bulkR("d"))},
		// STORE: a list; nothing stored deletes the destination.
		{cmd("SORT", "u", "BY", "w_*", "GET", "name_*", "STORE", "dst"), intR(4)},
		{cmd("LRANGE", "dst", "0", "-1"), arrR(bulkR(""), bulkR(""), bulkR("Cy"), bulkR("Ann"))},
		{cmd("SET", "str", "x", "EX", "100"), okR()},
		{cmd("SORT", "l", "LIMIT", "0", "2", "STORE", "str"), intR(2)},
		{cmd("TYPE", "str"), statusR("list")},
		{cmd("TTL", "str"), intR(-1)},
		{cmd("SORT", "l", "LIMIT", "0", "0", "STORE", "str"), intR(0)},
		{cmd("EXISTS", "str"), intR(0)},
		{cmd("SORT", "l", "STORE", "l"), intR(8)},
		{cmd("LRANGE", "l", "0", "2"), arrR(bulkR("-1.5"), bulkR("1"), bulkR("2"))},
		{cmd("SORT", "u", "ALPHA", "GET", "#", "GET", "w_*", "STORE", "dst", "STORE", "dst2"), intR(8)},
		{cmd("LLEN", "dst2"), intR(8)},
		{cmd("SORT", "u", "BY", "nosort", "DESC", "STORE", "dst"), intR(4)},
		{cmd("LRANGE", "dst", "0", "-1"), arrR(bulkR("d"), bulkR("c"), bulkR("b"), bulkR("a"))},
		{cmd("SORT_RO", "u", "BY", "w_*", "GET", "#", "GET", "w_*"),
			arrR(bulkR("d"), nullR(), bulkR("b"), bulkR("1"), bulkR("c"), bulkR("2"), bulkR("a"), bulkR("3"))},
		// Sets: an intset reads in order; a set that STOREs unsorted is
		// sorted as strings.
		{cmd("SADD", "is", "10", "-2", "3", "100"), intR(4)},
		{cmd("SORT", "is", "BY", "nosort"), arrR(bulkR("-2"), bulkR("3"), bulkR("10"), bulkR("100"))},
		{cmd("SORT", "is", "BY", "nosort", "DESC", "LIMIT", "0", "2"), arrR(bulkR("-2"), bulkR("3"))},
		{cmd("SORT", "is", "BY", "missing_*", "ALPHA", "LIMIT", "1", "2"), arrR(bulkR("3"), bulkR("10"))},
		{cmd("SORT", "is", "BY", "nosort", "STORE", "dst"), intR(4)},
		{cmd("LRANGE", "dst", "0", "-1"), arrR(bulkR("-2"), bulkR("10"), bulkR("100"), bulkR("3"))},
		{cmd("SORT", "is", "DESC"), arrR(bulkR("100"), bulkR("10"), bulkR("3"), bulkR("-2"))},
		{cmd("SADD", "ss", "b", "a", "c"), intR(3)},
		{cmd("SORT", "ss", "BY", "nosort", "DESC", "STORE", "dst"), intR(3)},
		{cmd("LRANGE", "dst", "0", "-1"), arrR(bulkR("c"), bulkR("b"), bulkR("a"))},
		{cmd("SORT", "ss", "ALPHA", "DESC"), arrR(bulkR("c"), bulkR("b"), bulkR("a"))},
		// Sorted sets: BY nosort keeps their order, LIMIT and DESC walk
		// it; SORT leaves one in its large encoding, as Redis does (so
		// does Redis's SORT_RO, a read, which raftis's leaves alone).
		{cmd("ZADD", "zs", "3", "x", "1", "y", "2", "z", "0", "10"), intR(4)},
		{cmd("OBJECT", "ENCODING", "zs"), bulkR("listpack")},
		{cmd("SORT_RO", "zs", "BY", "nosort"), arrR(bulkR("10"), bulkR("y"), bulkR("z"), bulkR("x"))},
		{cmd("SORT", "zs", "BY", "nosort", "DESC", "LIMIT", "1", "2"), arrR(bulkR("z"), bulkR("y"))},
		{cmd("OBJECT", "ENCODING", "zs"), bulkR("skiplist")},
		{cmd("SORT", "zs", "ALPHA"), arrR(bulkR("10"), bulkR("x"), bulkR("y"), bulkR("z"))},
		{cmd("SORT", "zs"), errR(errSortScore)},
		{cmd("ZADD", "zs", "1", "w"), intR(1)},
		{cmd("OBJECT", "ENCODING", "zs"), bulkR("skiplist")},
	})
}

// TestSortScoresLikeRedis: weights parse as strtod reads a C string, with
// glibc's range errors.
//
// Redis reads strtod's errno without clearing it first, so after any
// command that left errno at ERANGE (a SORT, ZADD or INCRBYFLOAT of an
// out-of-range number) its next numeric SORT on the same connection
// fails whatever the weights. INCRBYFLOAT of 0 clears errno: it runs
// before each SORT here, on both sides.
func TestSortScoresLikeRedis(t *testing.T) {
	var cases []replyCase
	for _, v := range []string{"1e-310", "1e-400", "1e400", "", " 5", "5 ", "0x10", "0x1p3", "nan", "inf", "-inf",
		"1e", "4.9e-324", "2.2250738585072014e-308", "2.2250738585072011e-308", "0x1p-1074", "0x1.8p-1073",
		"0x", "0x1p99999", "1e-5000", "0e-5000", "-1e-310", "12\x00x", "\x001", "-0", "+3", ".5", "5.", "1_000",
		"infinity", "nan(123)", "\t7", "9223372036854775807", "0.1e1"} {
		cases = append(cases,
			replyCase{cmd("DEL", "l"), ""},
			replyCase{cmd("RPUSH", "l", v, "1", "0"), intR(3)},
			replyCase{cmd("INCRBYFLOAT", "errno", "0"), ""},
			replyCase{cmd("SORT", "l"), ""},
			replyCase{cmd("SET", "w", v), okR()},
			replyCase{cmd("INCRBYFLOAT", "errno", "0"), ""},
			replyCase{cmd("SORT", "l", "BY", "w"+"*"+"w", "GET", "#"), ""})
	}
	fillFromOracle(t, cases)
	newTestFSM(t).check(cases)
}

// fillFromOracle runs cases in order on Redis: it fills in the expected
// replies left empty with Redis's, and checks Redis's against the others.
func fillFromOracle(t *testing.T, cases []replyCase) {
	t.Helper()
	o := newOracle(t)
	for i := range cases {
		got := o.do(cases[i].cmd...)
		if cases[i].want == "" {
			cases[i].want = got
		} else if got != cases[i].want {
			t.Errorf("%q\nredis: %q\n want: %q", cases[i].cmd, got, cases[i].want)
		}
	}
}

// TestSortAgainstRedis runs random SORTs of lists, with random options,
// weights and GET patterns, on the FSM and on Redis.
func TestSortAgainstRedis(t *testing.T) {
	n := oracleRounds(t, 3000)
	o := newOracle(t)
	tf := newTestFSM(t)
	r := rand.New(rand.NewPCG(21, 22))
	elem := func() string {
		switch r.IntN(6) {
		case 0:
			return strconv.Itoa(r.IntN(40) - 10)
		case 1:
			return strconv.FormatFloat(r.Float64()*100-50, 'g', -1, 64)
		case 2:
			return string(rune('a' + r.IntN(6)))
		case 3:
			return "e" + strconv.Itoa(r.IntN(30))
		case 4:
			return ""
		}
		return strconv.Itoa(r.IntN(5))
	}
	var last []string
	both := func(args ...string) {
		want := o.do(args...)
		if got := tf.do(args...); got != want {
			t.Fatalf("%q (after %q)\n got %q\nwant %q", args, last, got, want)
		}
		last = args
	}
	bothUnordered := func(limited bool, args ...string) {
		want, got := o.do(args...), tf.do(args...)
		switch {
		case want[0] != '*' || got[0] != '*':
		case limited:
			// Which of the tied elements fall inside is Redis's choice:
			// only the count is defined.
			want, got = want[:strings.Index(want, "\r\n")], got[:strings.Index(got, "\r\n")]
		default:
			// Nulls as a bulk no element is, to sort them too.
			null := strings.NewReplacer("$-1\r\n", "$5\r\n(nil)\r\n")
			want, got = sortedGroupsReply(t, null.Replace(want), false), sortedGroupsReply(t, null.Replace(got), false)
		}
		if got != want {
			t.Fatalf("%q\n got %q\nwant %q (as multisets)", args, got, want)
		}
	}
	for range 30 {
		both("SET", "w_"+elem(), elem())
		both("HSET", "h_"+elem(), "f", elem(), "g", strconv.Itoa(r.IntN(9)))
	}
	for round := range n {
		switch r.IntN(8) {
		case 0:
			both("DEL", "l")
		case 1, 2:
			args := []string{"RPUSH", "l"}
			for range 1 + r.IntN(12)*r.IntN(8) {
				args = append(args, elem())
			}
			both(args...)
		case 3:
			both("SET", "w_"+elem(), elem())
		case 4:
			// Sets of integers only: an intset, which Redis reads in
			// order; a hash table's order is its own.
			args := []string{"SADD", "s"}
			for range 1 + r.IntN(12)*r.IntN(8) {
				args = append(args, strconv.Itoa(r.IntN(40)-10))
			}
			both(args...)
		case 5:
			args := []string{"ZADD", "z"}
			for range 1 + r.IntN(12)*r.IntN(8) {
				args = append(args, strconv.Itoa(r.IntN(9)), elem())
			}
			both(args...)
		case 6:
			both("DEL", []string{"s", "z"}[r.IntN(2)])
		}
		args := []string{"SORT", []string{"l", "s", "z"}[r.IntN(3)]}
		if r.IntN(5) == 0 {
			args[0] = "SORT_RO"
		}
		for range r.IntN(5) {
			switch r.IntN(8) {
			case 0:
				args = append(args, "DESC")
			case 1:
				args = append(args, "ALPHA")
			case 2:
				args = append(args, "LIMIT", strconv.Itoa(r.IntN(12)-2), strconv.Itoa(r.IntN(12)-2))
			case 3:
				args = append(args, "BY", []string{"w_*", "h_*->f", "h_*->g", "nosort", "nokey_*"}[r.IntN(5)])
			case 4:
				args = append(args, "GET", []string{"#", "w_*", "h_*->g", "nokey"}[r.IntN(4)])
			case 5:
				if args[0] == "SORT" {
					args = append(args, "STORE", "dst")
				}
			default:
				args = append(args, "ASC")
			}
		}
		// Redis reads a sorted set to sort in its hash table's order:
		// where ALPHA BY weights tie, so does the result's order.
		if args[1] == "z" && slices.Contains(args, "ALPHA") && slices.Contains(args, "BY") && !slices.Contains(args, "nosort") {
			limited := slices.Contains(args, "LIMIT")
			bothUnordered(limited, args...)
			if slices.Contains(args, "STORE") {
				bothUnordered(limited, "LRANGE", "dst", "0", "-1")
				both("DEL", "dst") // its order differs
			}
			continue
		}
		both(args...)
		if slices.Contains(args, "STORE") {
			both("LRANGE", "dst", "0", "-1")
		}
		if round%500 == 0 {
			both("LRANGE", "l", "0", "-1")
		}
	}
}
