package fsm

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/raft"
)

// stringsRand is a deterministic generator for the tests (splitmix64).
type stringsRand uint64

func (r *stringsRand) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *stringsRand) intn(n int) int { return int(r.next() % uint64(n)) }

func (r *stringsRand) digits(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.intn(len(alphabet))]
	}
	return string(b)
}

// float returns a random float literal, valid or not, of the many shapes
// strtold meets: decimals, exponents near the long double range, hex
// floats, specials and near misses.
func (r *stringsRand) float() string {
	sign := []string{"", "", "-", "+"}[r.intn(4)]
	switch r.intn(8) {
	case 0, 1, 2: // decimal
		s := sign + r.digits(r.intn(22), "0123456789")
		if r.intn(3) > 0 {
			s += "." + r.digits(r.intn(22), "0123456789")
		}
		if r.intn(3) == 0 {
			s += []string{"e", "E"}[r.intn(2)] + []string{"", "+", "-"}[r.intn(3)] + strconv.Itoa(r.intn(40))
		}
		return s
	case 3: // near the edges of the range
		exp := []int{4931, 4932, 4933, -4931, -4932, -4933, -4945, -4950, -4951, -4952, 308, 309, -308, -324, 17, 18, -17, -18, -19}[r.intn(19)]
		return sign + r.digits(1, "123456789") + "." + r.digits(r.intn(25), "0123456789") + "e" + strconv.Itoa(exp)
	case 4: // hex
		s := sign + "0x" + r.digits(r.intn(20), "0123456789abcdefABCDEF")
		if r.intn(2) == 0 {
			s += "." + r.digits(r.intn(20), "0123456789abcdef")
		}
		if r.intn(2) == 0 {
			exp := []int{0, 1, 3, -3, 16383, 16384, -16382, -16445, -16446, -16447, 100}[r.intn(11)]
			s += "p" + strconv.Itoa(exp)
		}
		return s
	case 5: // specials and near misses
		specials := []string{"inf", "-inf", "Infinity", "nan", "-nan", "infin", "", " 1", "1 ", "\t1", "1\x002", "\x00",
			".", "-", "+", "e5", "1e", "1e+", "0x", "0x.", "0xp1", ".5", "5.", "-0", "0", "-0.0", "1_0", "1,5",
			"0.1", "0.2", "0.3", "1e308", "1e-17", "5e-18", "0.000003814697265625"}
		return specials[r.intn(len(specials))]
	case 6: // integers around int64 and 2^64
		return sign + []string{"9223372036854775807", "9223372036854775808", "18446744073709551615",
			"18446744073709551616", "18446744073709551617", "36893488147419103231", "1", "10", "100"}[r.intn(9)]
	default: // short decimals, the common case
		return sign + strconv.Itoa(r.intn(1000)) + "." + r.digits(1+r.intn(3), "0123456789")
	}
}

// TestIncrByFloatAgainstRedis compares INCRBYFLOAT with a real Redis on
// thousands of random operands (RAFTIS_ORACLE_ROUNDS=20000 for a long run).
func TestIncrByFloatAgainstRedis(t *testing.T) {
	n := oracleRounds(t, 3000)
	o := newOracle(t)
	tf := newTestFSM(t)
	r := stringsRand(42)
	valid := 0
	for range n {
		a, b := r.float(), r.float()
		if r.intn(10) == 0 {
			a = ""
			o.do("del", "k")
			tf.write("del", "k")
		} else {
			o.do("set", "k", a)
			tf.write("set", "k", a)
		}
		want := o.do("incrbyfloat", "k", b)
		got := tf.write("incrbyfloat", "k", b)
		if got != want {
			t.Errorf("SET k %q; INCRBYFLOAT k %q\n got: %.200q\nwant: %.200q", a, b, got, want)
		}
		if want[0] == '$' {
			valid++
		}
		// Chain: add again to the stored result.
		b = r.float()
		want = o.do("incrbyfloat", "k", b)
		got = tf.write("incrbyfloat", "k", b)
		if got != want {
			t.Errorf("(chained) INCRBYFLOAT k %q\n got: %.200q\nwant: %.200q", b, got, want)
		}
	}
	t.Logf("%d of %d first additions succeeded", valid, n)
}

// randomStringCommand returns a random string command, valid or not, over a
// few keys. Expire times are far in the future or far in the past, so the
// replies don't depend on the two clocks.
func (r *stringsRand) randomStringCommand() []string {
	keys := []string{"a", "b", "c"}
	key := func() string { return keys[r.intn(len(keys))] }
	ints := []string{"0", "1", "-1", "2", "3", "-3", "5", "10", "-10", "100", "-100", "abc", "1.5", "01", "+1", "-0", "",
		"9223372036854775807", "-9223372036854775808", "9223372036854775806", "-9223372036854775807", "9223372036854775808"}
	num := func() string { return ints[r.intn(len(ints))] }
	vals := []string{"", "x", "hello", "12", "-7", "9223372036854775806", "1.5", "ohmytext", "mynewtext", "007", "abc"}
	val := func() string { return vals[r.intn(len(vals))] }
	expire := func() []string {
		switch r.intn(6) {
		case 0:
			return []string{"EX", strconv.Itoa(100000 + r.intn(1000))}
		case 1:
			return []string{"PX", strconv.Itoa(100000000 + r.intn(1000))}
		case 2:
			return []string{"EXAT", []string{"1", "4000000000"}[r.intn(2)]}
		case 3:
			return []string{"PXAT", []string{"1", "4000000000000"}[r.intn(2)]}
		case 4:
			return []string{[]string{"EX", "PX", "EXAT", "PXAT"}[r.intn(4)], []string{"0", "-1", "abc", "9223372036854775807"}[r.intn(4)]}
		}
		return nil
	}
	opts := func(words ...string) []string {
		var out []string
		for range r.intn(4) {
			if r.intn(3) == 0 {
				out = append(out, expire()...)
			} else {
				out = append(out, words[r.intn(len(words))])
			}
		}
		return out
	}
	switch r.intn(24) {
	case 0:
		return append([]string{"set", key(), val()}, opts("NX", "XX", "GET", "KEEPTTL", "nx", "get", "FOO")...)
	case 1:
		return []string{"get", key()}
	case 2:
		return []string{"setnx", key(), val()}
	case 3:
		return []string{[]string{"setex", "psetex"}[r.intn(2)], key(), []string{"100000", "0", "-5", "x", "9223372036854775807"}[r.intn(5)], val()}
	case 4:
		return []string{"getset", key(), val()}
	case 5:
		return []string{"getdel", key()}
	case 6:
		return append([]string{"getex", key()}, opts("PERSIST", "persist", "KEEPTTL", "NX")...)
	case 7:
		args := []string{"mget"}
		for range 1 + r.intn(4) {
			args = append(args, key())
		}
		return args
	case 8, 9:
		args := []string{[]string{"mset", "msetnx"}[r.intn(2)]}
		for range 1 + r.intn(3) {
			args = append(args, key(), val())
		}
		if r.intn(8) == 0 {
			args = args[:len(args)-1]
		}
		return args
	case 10:
		return []string{[]string{"incr", "decr"}[r.intn(2)], key()}
	case 11, 12:
		return []string{[]string{"incrby", "decrby"}[r.intn(2)], key(), num()}
	case 13:
		return []string{"append", key(), val()}
	case 14:
		return []string{"strlen", key()}
	case 15, 16:
		return []string{[]string{"getrange", "substr"}[r.intn(2)], key(), num(), num()}
	case 17:
		return []string{"setrange", key(), []string{"0", "1", "3", "7", "-1", "abc", "20", "536870912"}[r.intn(8)], val()}
	case 18:
		return append([]string{"lcs", key(), key()}, opts("LEN", "IDX", "WITHMATCHLEN", "MINMATCHLEN", "MINMATCHLEN", "2", "3", "BAD")...)
	case 19:
		return []string{"exists", key()}
	case 20:
		return []string{"del", key()}
	case 21:
		return []string{"incrbyfloat", key(), r.float()}
	default:
		return []string{"set", key(), num()}
	}
}

// TestStringCommandsAgainstRedis runs random sequences of string commands
// on the FSM and on a real Redis and compares every reply byte for byte
// (RAFTIS_ORACLE_ROUNDS=30000 for a long run).
func TestStringCommandsAgainstRedis(t *testing.T) {
	n := oracleRounds(t, 5000)
	o := newOracle(t)
	tf := newTestFSM(t)
	r := stringsRand(7)
	var history []string
	kinds := map[byte]int{}
	for range n {
		args := r.randomStringCommand()
		history = append(history, fmt.Sprintf("%q", args))
		want := o.do(args...)
		got := tf.do(args...)
		kinds[want[0]]++
		if got != want {
			from := max(0, len(history)-8)
			t.Fatalf("after\n%s\n got: %q\nwant: %q", strings.Join(history[from:], "\n"), got, want)
		}
	}
	t.Logf("replies by type: %d status, %d error, %d integer, %d bulk, %d array",
		kinds['+'], kinds['-'], kinds[':'], kinds['$'], kinds['*'])
}

const (
	strWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"
	strNotInt    = "ERR value is not an integer or out of range"
	strNotFloat  = "ERR value is not a valid float"
	strSyntaxErr = "ERR syntax error"
	strEmptyR    = "$0\r\n\r\n"
)

func TestStringSpecs(t *testing.T) {
	// From COMMAND INFO on redis-server 7.0.15.
	want := []struct {
		name              string
		arity             int
		flags             Flag
		first, last, step int
	}{
		{"get", 2, FlagReadonly | FlagFast, 1, 1, 1},
		{"set", -3, FlagWrite | FlagDenyOOM, 1, 1, 1},
		{"setnx", 3, FlagWrite | FlagDenyOOM | FlagFast, 1, 1, 1},
		{"setex", 4, FlagWrite | FlagDenyOOM, 1, 1, 1},
		{"psetex", 4, FlagWrite | FlagDenyOOM, 1, 1, 1},
		{"getset", 3, FlagWrite | FlagDenyOOM | FlagFast, 1, 1, 1},
		{"getdel", 2, FlagWrite | FlagFast, 1, 1, 1},
		{"getex", -2, FlagWrite | FlagFast, 1, 1, 1},
		{"mget", -2, FlagReadonly | FlagFast, 1, -1, 1},
		{"mset", -3, FlagWrite | FlagDenyOOM, 1, -1, 2},
		{"msetnx", -3, FlagWrite | FlagDenyOOM, 1, -1, 2},
		{"incr", 2, FlagWrite | FlagDenyOOM | FlagFast, 1, 1, 1},
		{"decr", 2, FlagWrite | FlagDenyOOM | FlagFast, 1, 1, 1},
		{"incrby", 3, FlagWrite | FlagDenyOOM | FlagFast, 1, 1, 1},
		{"decrby", 3, FlagWrite | FlagDenyOOM | FlagFast, 1, 1, 1},
		{"incrbyfloat", 3, FlagWrite | FlagDenyOOM | FlagFast, 1, 1, 1},
		{"append", 3, FlagWrite | FlagDenyOOM | FlagFast, 1, 1, 1},
		{"strlen", 2, FlagReadonly | FlagFast, 1, 1, 1},
		{"getrange", 4, FlagReadonly, 1, 1, 1},
		{"setrange", 4, FlagWrite | FlagDenyOOM, 1, 1, 1},
		{"substr", 4, FlagReadonly, 1, 1, 1},
		{"lcs", -3, FlagReadonly, 1, 2, 1},
	}
	if len(stringCommands) != len(want) {
		t.Errorf("%d string commands, want %d", len(stringCommands), len(want))
	}
	for _, w := range want {
		cmd := Lookup([]byte(strings.ToUpper(w.name)))
		if cmd == nil {
			t.Errorf("%s: missing", w.name)
			continue
		}
		got := []int{cmd.Arity, int(cmd.Flags), cmd.FirstKey, cmd.LastKey, cmd.KeyStep}
		if fmt.Sprint(got) != fmt.Sprint([]int{w.arity, int(w.flags), w.first, w.last, w.step}) {
			t.Errorf("%s: arity/flags/keys %v, want %v (flags %v, want %v)", w.name, got,
				[]int{w.arity, int(w.flags), w.first, w.last, w.step}, cmd.Flags.Names(), w.flags.Names())
		}
		if cmd.Name != w.name || cmd.Group != "string" || cmd.Summary == "" || !strings.HasSuffix(cmd.Summary, ".") {
			t.Errorf("%s: name %q group %q summary %q", w.name, cmd.Name, cmd.Group, cmd.Summary)
		}
	}
	if got := (&Spec{FirstKey: 1, LastKey: -1, KeyStep: 2}).Keys(toArgs([]string{"mset", "a", "1", "b", "2"})); len(got) != 2 || string(got[1]) != "b" {
		t.Errorf("mset keys: %q", got)
	}
}

func TestSet(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("set", "k", "v"), okR()},
		{cmd("get", "k"), bulkR("v")},
		{cmd("get", "missing"), nullR()},
		{cmd("get", "l"), errR(strWrongType)},
		// Conflicting or unknown options.
		{cmd("set", "k", "v", "NX", "XX"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "XX", "NX"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "EX", "10", "PX", "10"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "KEEPTTL", "EX", "1"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "EX", "1", "KEEPTTL"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "ex", "1", "exat", "1"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "PERSIST"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "FOO"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "EX"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "ex", "10", "px"), errR(strSyntaxErr)},
		{cmd("set", "k", "v", "EX", "abc", "FOO"), errR(strSyntaxErr)}, // syntax is checked before the time
		{cmd("set", "k", "v", "EX", "10", "PX", "abc"), errR(strSyntaxErr)},
		// Invalid times.
		{cmd("set", "k", "v", "EX", "0"), errR("ERR invalid expire time in 'set' command")},
		{cmd("set", "k", "v", "EX", "-1"), errR("ERR invalid expire time in 'set' command")},
		{cmd("set", "k", "v", "PX", "0"), errR("ERR invalid expire time in 'set' command")},
		{cmd("set", "k", "v", "EXAT", "0"), errR("ERR invalid expire time in 'set' command")},
		{cmd("set", "k", "v", "EX", "9223372036854775"), errR("ERR invalid expire time in 'set' command")},
		{cmd("set", "k", "v", "EX", "9223372036854775807"), errR("ERR invalid expire time in 'set' command")},
		{cmd("set", "k", "v", "PX", "9223372036854775807"), errR("ERR invalid expire time in 'set' command")},
		{cmd("set", "k", "v", "EX", "abc"), errR(strNotInt)},
		{cmd("set", "k", "v", "EXAT", "abc"), errR(strNotInt)},
		{cmd("set", "k", "v", "EX", "1.5"), errR(strNotInt)},
		{cmd("set", "k", "v", "EX", "01"), errR(strNotInt)},
		{cmd("set", "k", "v", "EX", "+1"), errR(strNotInt)},
		{cmd("set", "k", "v", "EX", "9223372036854775808"), errR(strNotInt)},
		{cmd("set", "k", "v", "EXAT", "9223372036854775"), okR()},
		{cmd("set", "k", "v", "PXAT", "9223372036854775807"), okR()},
		{cmd("get", "k"), bulkR("v")},
		// A repeated option is allowed; the last time wins.
		{cmd("set", "k", "v", "EX", "abc", "EX", "100"), okR()},
		{cmd("pttl", "k"), intR(100000)},
		{cmd("set", "k", "v", "PX", "5", "px", "200000"), okR()},
		{cmd("pttl", "k"), intR(200000)},
		{cmd("set", "k", "v2", "KEEPTTL", "keepttl"), okR()},
		{cmd("pttl", "k"), intR(200000)},
		{cmd("get", "k"), bulkR("v2")},
		{cmd("set", "k", "v3"), okR()},
		{cmd("pttl", "k"), intR(-1)},
		{cmd("set", "k", "v", "NX", "NX"), nullR()},
		{cmd("set", "k", "v", "GET", "get"), bulkR("v3")},
		// NX, XX and GET.
		{cmd("set", "k", "w", "NX", "GET"), bulkR("v")},
		{cmd("get", "k"), bulkR("v")},
		{cmd("set", "n", "v", "XX"), nullR()},
		{cmd("set", "n", "v", "XX", "GET"), nullR()},
		{cmd("exists", "n"), intR(0)},
		{cmd("set", "n", "v", "NX", "GET"), nullR()},
		{cmd("get", "n"), bulkR("v")},
		{cmd("set", "n", "w", "nx"), nullR()},
		{cmd("set", "n", "w", "xx"), okR()},
		{cmd("set", "k", "x", "xx", "get", "px", "100000"), bulkR("v")},
		{cmd("pttl", "k"), intR(100000)},
		{cmd("set", "k", "y", "keepttl", "get"), bulkR("x")},
		{cmd("pttl", "k"), intR(100000)},
		{cmd("set", "k", "z", "get"), bulkR("y")},
		{cmd("pttl", "k"), intR(-1)},
		{cmd("set", "new", "1", "Get"), nullR()},
		// GET on a non-string: the time is checked first, then the type.
		{cmd("set", "l", "v", "GET"), errR(strWrongType)},
		{cmd("set", "l", "v", "NX", "GET"), errR(strWrongType)},
		{cmd("set", "l", "v", "XX", "GET"), errR(strWrongType)},
		{cmd("set", "l", "v", "GET", "EX", "0"), errR("ERR invalid expire time in 'set' command")},
		{cmd("set", "l", "v", "GET", "EX", "abc"), errR(strNotInt)},
		{cmd("set", "l", "v", "GET", "FOO"), errR(strSyntaxErr)},
		{cmd("set", "l", "v"), okR()}, // SET replaces any type
		{cmd("get", "l"), bulkR("v")},
		// An absolute time already past: the key is gone at once.
		{cmd("set", "p", "v", "EXAT", "1"), okR()},
		{cmd("get", "p"), nullR()},
		{cmd("exists", "p"), intR(0)},
		{cmd("set", "p", "v", "PXAT", "1000", "GET"), nullR()},
		{cmd("get", "p"), nullR()},
		// Binary-safe values, the empty string.
		{cmd("set", "b", "a\x00b\r\nc"), okR()},
		{cmd("get", "b"), bulkR("a\x00b\r\nc")},
		{cmd("set", "e", ""), okR()},
		{cmd("get", "e"), strEmptyR},
		{cmd("exists", "e"), intR(1)},
		// Arity.
		{cmd("set"), arityR("set")},
		{cmd("set", "k"), arityR("set")},
		{cmd("get"), arityR("get")},
		{cmd("get", "a", "b"), arityR("get")},
	})
}

func TestSetNXSetEXGetSetGetDel(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("set", "k", "v"), okR()},
		{cmd("setnx", "k", "x"), intR(0)},
		{cmd("get", "k"), bulkR("v")},
		{cmd("setnx", "n", "x"), intR(1)},
		{cmd("get", "n"), bulkR("x")},
		{cmd("setnx", "l", "x"), intR(0)},
		{cmd("setnx"), arityR("setnx")},
		{cmd("setnx", "a", "b", "c"), arityR("setnx")},

		{cmd("setex", "k", "0", "v"), errR("ERR invalid expire time in 'setex' command")},
		{cmd("setex", "k", "-1", "v"), errR("ERR invalid expire time in 'setex' command")},
		{cmd("setex", "k", "9223372036854775", "v"), errR("ERR invalid expire time in 'setex' command")},
		{cmd("setex", "k", "abc", "v"), errR(strNotInt)},
		{cmd("setex", "k", "1.5", "v"), errR(strNotInt)},
		{cmd("setex", "k", "100", "v1"), okR()},
		{cmd("pttl", "k"), intR(100000)},
		{cmd("get", "k"), bulkR("v1")},
		{cmd("setex", "l", "10", "v"), okR()}, // replaces any type
		{cmd("get", "l"), bulkR("v")},
		{cmd("setex", "k", "10"), arityR("setex")},
		{cmd("setex", "k", "10", "v", "x"), arityR("setex")},

		{cmd("psetex", "k", "0", "v"), errR("ERR invalid expire time in 'psetex' command")},
		{cmd("psetex", "k", "-5", "v"), errR("ERR invalid expire time in 'psetex' command")},
		{cmd("psetex", "k", "9223372036854775807", "v"), errR("ERR invalid expire time in 'psetex' command")},
		{cmd("psetex", "k", "abc", "v"), errR(strNotInt)},
		{cmd("psetex", "k", "100000", "v2"), okR()},
		{cmd("pttl", "k"), intR(100000)},
		{cmd("get", "k"), bulkR("v2")},
		{cmd("psetex", "k", "1"), arityR("psetex")},

		lpushCase("l2"),
		{cmd("getset", "g", "v"), nullR()},
		{cmd("getset", "g", "w"), bulkR("v")},
		{cmd("get", "g"), bulkR("w")},
		{cmd("psetex", "t", "100000", "a"), okR()},
		{cmd("getset", "t", "b"), bulkR("a")},
		{cmd("pttl", "t"), intR(-1)}, // GETSET drops the TTL
		{cmd("getset", "l2", "v"), errR(strWrongType)},
		{cmd("getset", "g"), arityR("getset")},

		{cmd("getdel", "l2"), errR(strWrongType)},
		{cmd("exists", "l2"), intR(1)},
		{cmd("getdel", "g"), bulkR("w")},
		{cmd("getdel", "g"), nullR()},
		{cmd("exists", "g"), intR(0)},
		{cmd("getdel"), arityR("getdel")},
		{cmd("getdel", "a", "b"), arityR("getdel")},
	})
}

func TestGetEX(t *testing.T) {
	invalid := errR("ERR invalid expire time in 'getex' command")
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("getex", "k"), nullR()},
		{cmd("set", "k", "v"), okR()},
		{cmd("getex", "k"), bulkR("v")},
		{cmd("pttl", "k"), intR(-1)},
		{cmd("getex", "k", "EX", "100"), bulkR("v")},
		{cmd("pttl", "k"), intR(100000)},
		{cmd("getex", "k"), bulkR("v")}, // no option: the TTL stays
		{cmd("pttl", "k"), intR(100000)},
		{cmd("getex", "k", "px", "5000"), bulkR("v")},
		{cmd("pttl", "k"), intR(5000)},
		{cmd("getex", "k", "PERSIST"), bulkR("v")},
		{cmd("pttl", "k"), intR(-1)},
		{cmd("getex", "k", "persist", "PERSIST"), bulkR("v")},
		{cmd("getex", "k", "EX", "10", "EX", "20"), bulkR("v")},
		{cmd("pttl", "k"), intR(20000)},
		{cmd("getex", "k", "EXAT", "99999999999"), bulkR("v")},
		{cmd("getex", "k", "PXAT", "99999999999000"), bulkR("v")},
		// Syntax.
		{cmd("getex", "k", "EX", "10", "PX", "10"), errR(strSyntaxErr)},
		{cmd("getex", "k", "ex", "5", "px", "6"), errR(strSyntaxErr)},
		{cmd("getex", "k", "PERSIST", "EX", "10"), errR(strSyntaxErr)},
		{cmd("getex", "k", "EX", "10", "PERSIST"), errR(strSyntaxErr)},
		{cmd("getex", "k", "KEEPTTL"), errR(strSyntaxErr)},
		{cmd("getex", "k", "NX"), errR(strSyntaxErr)},
		{cmd("getex", "k", "GET"), errR(strSyntaxErr)},
		{cmd("getex", "k", "EX"), errR(strSyntaxErr)},
		{cmd("getex", "k", "EX", "abc", "FOO"), errR(strSyntaxErr)},
		{cmd("getex", "missing", "FOO"), errR(strSyntaxErr)},
		// Times are checked after the key: a missing key is just nil.
		{cmd("getex", "k", "EX", "0"), invalid},
		{cmd("getex", "k", "EX", "abc"), errR(strNotInt)},
		{cmd("getex", "k", "EX", "9223372036854775"), invalid},
		{cmd("getex", "k", "PX", "9223372036854775807"), invalid},
		{cmd("getex", "k", "EXAT", "9223372036854775807"), invalid},
		{cmd("getex", "missing", "EX", "0"), nullR()},
		{cmd("getex", "missing", "EX", "abc"), nullR()},
		{cmd("getex", "l", "EX", "0"), errR(strWrongType)},
		{cmd("getex", "l", "EX", "abc"), errR(strWrongType)},
		{cmd("getex", "l"), errR(strWrongType)},
		{cmd("get", "k"), bulkR("v")},
		// An absolute time already past deletes the key.
		{cmd("getex", "k", "EXAT", "1"), bulkR("v")},
		{cmd("exists", "k"), intR(0)},
		{cmd("set", "k", "v"), okR()},
		{cmd("getex", "k", "PXAT", "1"), bulkR("v")},
		{cmd("exists", "k"), intR(0)},
		{cmd("getex"), arityR("getex")},
	})
}

func TestMGetMSet(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("set", "a", "1"), okR()},
		{cmd("mget", "a", "b", "l", "a"), arrR(bulkR("1"), nullR(), nullR(), bulkR("1"))},
		{cmd("mget", "nope"), arrR(nullR())},
		{cmd("mget"), arityR("mget")},

		{cmd("mset"), arityR("mset")},
		{cmd("mset", "a"), arityR("mset")},
		{cmd("mset", "a", "1", "b"), arityR("mset")},
		{cmd("get", "b"), nullR()}, // nothing set
		{cmd("mset", "a", "1", "b", "2"), okR()},
		{cmd("mget", "a", "b"), arrR(bulkR("1"), bulkR("2"))},
		{cmd("mset", "a", "x", "a", "y"), okR()},
		{cmd("get", "a"), bulkR("y")},
		{cmd("psetex", "t", "100000", "x"), okR()},
		{cmd("mset", "t", "y"), okR()},
		{cmd("pttl", "t"), intR(-1)}, // MSET drops the TTL
		{cmd("mset", "l", "s"), okR()},
		{cmd("get", "l"), bulkR("s")},

		lpushCase("l2"),
		{cmd("msetnx"), arityR("msetnx")},
		{cmd("msetnx", "x"), arityR("msetnx")},
		{cmd("msetnx", "x", "1", "y"), arityR("msetnx")},
		{cmd("msetnx", "x", "1", "a", "2"), intR(0)},
		{cmd("exists", "x"), intR(0)},
		{cmd("get", "a"), bulkR("y")},
		{cmd("msetnx", "l2", "a", "z", "1"), intR(0)},
		{cmd("exists", "z"), intR(0)},
		{cmd("msetnx", "x", "1", "y", "2"), intR(1)},
		{cmd("mget", "x", "y"), arrR(bulkR("1"), bulkR("2"))},
		{cmd("msetnx", "q", "1", "q", "2"), intR(1)},
		{cmd("get", "q"), bulkR("2")},
	})
}

func TestIncrDecr(t *testing.T) {
	overflow := errR("ERR increment or decrement would overflow")
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("incr", "n"), intR(1)},
		{cmd("incr", "n"), intR(2)},
		{cmd("get", "n"), bulkR("2")},
		{cmd("decr", "n"), intR(1)},
		{cmd("decr", "n"), intR(0)},
		{cmd("decr", "n"), intR(-1)},
		{cmd("decr", "d"), intR(-1)},
		{cmd("incrby", "n", "10"), intR(9)},
		{cmd("incrby", "n", "-10"), intR(-1)},
		{cmd("decrby", "n", "5"), intR(-6)},
		{cmd("decrby", "n", "-5"), intR(-1)},
		{cmd("incrby", "m", "0"), intR(0)},
		{cmd("get", "m"), bulkR("0")},
		{cmd("incrby", "n", "abc"), errR(strNotInt)},
		{cmd("incrby", "n", "1.5"), errR(strNotInt)},
		{cmd("incrby", "n", "01"), errR(strNotInt)},
		{cmd("incrby", "n", "+1"), errR(strNotInt)},
		{cmd("incrby", "n", ""), errR(strNotInt)},
		{cmd("incrby", "n", "9223372036854775808"), errR(strNotInt)},
		{cmd("decrby", "n", "x"), errR(strNotInt)},
		// The increment is parsed before the key is looked at.
		{cmd("incrby", "l", "abc"), errR(strNotInt)},
		{cmd("incrby", "l", "1"), errR(strWrongType)},
		{cmd("incr", "l"), errR(strWrongType)},
		{cmd("decr", "l"), errR(strWrongType)},
		{cmd("decrby", "l", "-9223372036854775808"), errR("ERR decrement would overflow")},
		{cmd("decrby", "n", "-9223372036854775808"), errR("ERR decrement would overflow")},
		{cmd("decrby", "n", "9223372036854775807"), intR(-9223372036854775808)},
		{cmd("decrby", "n", "9223372036854775807"), overflow},
		{cmd("decr", "n"), overflow},
		{cmd("incrby", "n", "-1"), overflow},
		{cmd("incrby", "n", "1"), intR(-9223372036854775807)},
		{cmd("set", "m", "9223372036854775807"), okR()},
		{cmd("incr", "m"), overflow},
		{cmd("incrby", "m", "9223372036854775807"), overflow},
		{cmd("incrby", "m", "0"), intR(9223372036854775807)},
		{cmd("incrby", "m", "-1"), intR(9223372036854775806)},
		{cmd("incrby", "m", "-9223372036854775808"), intR(-2)},
		// Only a canonical int64 is an integer.
		{cmd("set", "s", "abc"), okR()},
		{cmd("incr", "s"), errR(strNotInt)},
		{cmd("set", "s", " 1"), okR()},
		{cmd("incr", "s"), errR(strNotInt)},
		{cmd("set", "s", "1 "), okR()},
		{cmd("incr", "s"), errR(strNotInt)},
		{cmd("set", "s", "007"), okR()},
		{cmd("incr", "s"), errR(strNotInt)},
		{cmd("set", "s", "+1"), okR()},
		{cmd("incr", "s"), errR(strNotInt)},
		{cmd("set", "s", "-0"), okR()},
		{cmd("incr", "s"), errR(strNotInt)},
		{cmd("set", "s", ""), okR()},
		{cmd("incr", "s"), errR(strNotInt)},
		{cmd("set", "s", "1.0"), okR()},
		{cmd("incr", "s"), errR(strNotInt)},
		{cmd("set", "s", "12345678901234567890"), okR()},
		{cmd("incr", "s"), errR(strNotInt)},
		{cmd("get", "s"), bulkR("12345678901234567890")},
		{cmd("set", "s", "0"), okR()},
		{cmd("incr", "s"), intR(1)},
		{cmd("set", "s", "-9223372036854775808"), okR()},
		{cmd("incr", "s"), intR(-9223372036854775807)},
		// Arity.
		{cmd("incr"), arityR("incr")},
		{cmd("incr", "a", "b"), arityR("incr")},
		{cmd("decr"), arityR("decr")},
		{cmd("incrby", "a"), arityR("incrby")},
		{cmd("decrby", "a"), arityR("decrby")},
		{cmd("decrby", "a", "1", "2"), arityR("decrby")},
	})
}

// strLDBLMax is the decimal expansion of the largest x87 long double,
// (2^64-1)·2^16320, as "%.17Lf" prints it (with the zeros stripped).
func strLDBLMax() string {
	n := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(1))
	return n.Lsh(n, 16320).String()
}

func TestIncrByFloat(t *testing.T) {
	nanInf := errR("ERR increment would produce NaN or Infinity")
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("set", "k", "0.1"), okR()},
		{cmd("incrbyfloat", "k", "0.2"), bulkR("0.3")},
		{cmd("get", "k"), bulkR("0.3")},
		{cmd("set", "k", "10.5"), okR()},
		{cmd("incrbyfloat", "k", "0.1"), bulkR("10.6")},
		{cmd("set", "k", "0.1"), okR()},
		{cmd("incrbyfloat", "k", "0.1"), bulkR("0.2")},
		{cmd("incrbyfloat", "k", "0.1"), bulkR("0.3")},
		{cmd("incrbyfloat", "k", "0.1"), bulkR("0.4")},
		{cmd("incrbyfloat", "new", "1.5"), bulkR("1.5")},
		{cmd("incrbyfloat", "new", "-1.5"), bulkR("0")},
		{cmd("set", "k", "3.0e3"), okR()},
		{cmd("incrbyfloat", "k", "0"), bulkR("3000")},
		{cmd("set", "k", "5.0e3"), okR()},
		{cmd("incrbyfloat", "k", "1"), bulkR("5001")},
		{cmd("incrbyfloat", "k", "-6001"), bulkR("-1000")},
		{cmd("incrbyfloat", "k", "1E+2"), bulkR("-900")},
		{cmd("incrbyfloat", "k", "1e+02"), bulkR("-800")},
		{cmd("incrbyfloat", "k", "001.5"), bulkR("-798.5")},
		{cmd("incrbyfloat", "k", ".5"), bulkR("-798")},
		{cmd("incrbyfloat", "k", "5."), bulkR("-793")},
		{cmd("incrbyfloat", "k", "+.5e1"), bulkR("-788")},
		{cmd("incrbyfloat", "k", "1.e1"), bulkR("-778")},
		{cmd("incrbyfloat", "k", "0x10"), bulkR("-762")},
		{cmd("incrbyfloat", "k", "0x1p3"), bulkR("-754")},
		{cmd("incrbyfloat", "k", "0x1.8P1"), bulkR("-751")},
		{cmd("incrbyfloat", "k", "0X.8"), bulkR("-750.5")},
		{cmd("incrbyfloat", "k", "-0x8.p-1"), bulkR("-754.5")},
		// Negative zero prints as 0.
		{cmd("incrbyfloat", "z1", "-0"), bulkR("0")},
		{cmd("incrbyfloat", "z2", "-0.0"), bulkR("0")},
		{cmd("set", "z3", "-0"), okR()},
		{cmd("incrbyfloat", "z3", "-0"), bulkR("0")},
		{cmd("set", "z4", "100"), okR()},
		{cmd("incrbyfloat", "z4", "-100.00000000000000001"), bulkR("-0.00000000000000001")},
		{cmd("incrbyfloat", "z4", "1e-30"), bulkR("-0.00000000000000001")},
		{cmd("set", "z5", "0"), okR()},
		{cmd("incrbyfloat", "z5", "-4e-18"), bulkR("0")},
		// 17 decimals, rounded half to even on the exact binary value.
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "1e-17"), bulkR("0.00000000000000001")},
		{cmd("incrbyfloat", "r", "4e-18"), bulkR("0.00000000000000001")},
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "5e-18"), bulkR("0")},
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "6e-18"), bulkR("0.00000000000000001")},
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "0.000003814697265625"), bulkR("0.00000381469726562")},
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "0.000011444091796875"), bulkR("0.00001144409179688")},
		{cmd("set", "r", "3.14159265358979323846264338327950288"), okR()},
		{cmd("incrbyfloat", "r", "0"), bulkR("3.14159265358979324")},
		{cmd("set", "r", "1.23456789012345678901234567890"), okR()},
		{cmd("incrbyfloat", "r", "0"), bulkR("1.23456789012345679")},
		// A 64-bit mantissa.
		{cmd("set", "r", "1"), okR()},
		{cmd("incrbyfloat", "r", "1e20"), bulkR("100000000000000000000")},
		{cmd("incrbyfloat", "r", "0.5"), bulkR("100000000000000000000")},
		{cmd("set", "r", "9223372036854775807"), okR()},
		{cmd("incrbyfloat", "r", "1"), bulkR("9223372036854775808")},
		{cmd("set", "r", "12345678901234567890123"), okR()},
		{cmd("incrbyfloat", "r", "0"), bulkR("12345678901234567889920")},
		{cmd("incrbyfloat", "r", "1.5"), bulkR("12345678901234567889920")},
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "18446744073709551617"), bulkR("18446744073709551616")},
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "18446744073709551619"), bulkR("18446744073709551620")},
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "0x1.0000000000000001p0"), bulkR("1")},
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "0xffffffffffffffffffffffffffffff"), bulkR("1329227995784915872903807060280344576")},
		// The long double range: 1e308 + 1e308 is no overflow...
		{cmd("set", "r", "1e308"), okR()},
		{cmd("incrbyfloat", "r", "1e308"), bulkR("199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096")},
		// ... but LDBL_MAX + 1e4932 is.
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "0x1.fffffffffffffffep16383"), bulkR(strLDBLMax())},
		{cmd("incrbyfloat", "r", "1e4932"), nanInf},
		{cmd("get", "r"), bulkR(strLDBLMax())},
		{cmd("set", "r", "1.18973149535723176502e+4932"), okR()},
		{cmd("incrbyfloat", "r", "0"), bulkR(strLDBLMax())},
		{cmd("set", "r", "0"), okR()},
		{cmd("incrbyfloat", "r", "0x1.ffffffffffffffffp16383"), errR(strNotFloat)}, // rounds up to 2^16384
		{cmd("incrbyfloat", "r", "0x1p16384"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1e5000"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1"+strings.Repeat("0", 4933)), errR(strNotFloat)},
		// Underflow: subnormals are accepted, zero from a nonzero literal is not.
		{cmd("incrbyfloat", "r", "1e-4932"), bulkR("0")},
		{cmd("incrbyfloat", "r", "1e-4950"), bulkR("0")},
		{cmd("incrbyfloat", "r", "3.6e-4951"), bulkR("0")},
		{cmd("incrbyfloat", "r", "1.9e-4951"), bulkR("0")},
		{cmd("incrbyfloat", "r", "1.8e-4951"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1e-4951"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1e-5000"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "0x1p-16445"), bulkR("0")},
		{cmd("incrbyfloat", "r", "0x1.8p-16446"), bulkR("0")},
		{cmd("incrbyfloat", "r", "0x1p-16446"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "0e99999999999"), bulkR("0")},
		{cmd("incrbyfloat", "r", "-0e-99999"), bulkR("0")},
		// Infinity parses, then fails the sum; NaN does not parse.
		{cmd("incrbyfloat", "r", "inf"), nanInf},
		{cmd("incrbyfloat", "r", "-inf"), nanInf},
		{cmd("incrbyfloat", "r", "+Infinity"), nanInf},
		{cmd("incrbyfloat", "r", "INF"), nanInf},
		{cmd("incrbyfloat", "r", "nan"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "NaN"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "-nan"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "nan(123)"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "infinit"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "infinityx"), errR(strNotFloat)},
		{cmd("set", "i", "inf"), okR()},
		{cmd("incrbyfloat", "i", "1"), nanInf},
		{cmd("set", "i", "nan"), okR()},
		{cmd("incrbyfloat", "i", "1"), errR(strNotFloat)},
		// What strtold does not take whole.
		{cmd("incrbyfloat", "r", "abc"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", ""), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", " 1"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "\t1"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "\v1"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1 "), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1\x002"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "\x00"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "."), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", ".e5"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "e5"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "-"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "+"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "+-1"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1e"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1e+"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1e--5"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1.5e3.0"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1_0"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "1,5"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "0x"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "0x-1"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "0xp1"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "0x.p1"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "0x1p"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "0x1p1.5"), errR(strNotFloat)},
		{cmd("incrbyfloat", "r", "0"+strings.Repeat("0", 5118)+"1"), errR(strNotFloat)}, // 5120 bytes
		{cmd("incrbyfloat", "r", strings.Repeat("0", 5118)+"1"), bulkR("1")},            // 5119 bytes
		{cmd("get", "r"), bulkR("1")},
		// The stored value must be a float too; the type is checked first.
		{cmd("set", "s", "abc"), okR()},
		{cmd("incrbyfloat", "s", "1"), errR(strNotFloat)},
		{cmd("incrbyfloat", "s", "abc"), errR(strNotFloat)},
		{cmd("set", "s", " 1"), okR()},
		{cmd("incrbyfloat", "s", "1"), errR(strNotFloat)},
		{cmd("set", "s", "1e5"), okR()},
		{cmd("incrbyfloat", "s", "1"), bulkR("100001")},
		{cmd("set", "s", "0x10"), okR()},
		{cmd("incrbyfloat", "s", "1"), bulkR("17")},
		{cmd("incrbyfloat", "l", "abc"), errR(strWrongType)},
		{cmd("incrbyfloat", "l", "1"), errR(strWrongType)},
		{cmd("incrbyfloat"), arityR("incrbyfloat")},
		{cmd("incrbyfloat", "k"), arityR("incrbyfloat")},
		{cmd("incrbyfloat", "k", "1", "2"), arityR("incrbyfloat")},
	})
}

func TestAppendStrlen(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("append", "k", "Hello"), intR(5)},
		{cmd("append", "k", " World"), intR(11)},
		{cmd("get", "k"), bulkR("Hello World")},
		{cmd("append", "k", ""), intR(11)},
		{cmd("append", "e", ""), intR(0)}, // creates an empty string
		{cmd("exists", "e"), intR(1)},
		{cmd("get", "e"), strEmptyR},
		{cmd("append", "e", "a\x00b"), intR(3)},
		{cmd("get", "e"), bulkR("a\x00b")},
		{cmd("set", "n", "12345"), okR()},
		{cmd("append", "n", "6"), intR(6)},
		{cmd("incr", "n"), intR(123457)},
		{cmd("append", "l", "x"), errR(strWrongType)},
		{cmd("append", "l", ""), errR(strWrongType)},
		{cmd("append"), arityR("append")},
		{cmd("append", "k"), arityR("append")},

		{cmd("strlen", "k"), intR(11)},
		{cmd("strlen", "e"), intR(3)},
		{cmd("strlen", "n"), intR(6)},
		{cmd("strlen", "missing"), intR(0)},
		{cmd("strlen", "l"), errR(strWrongType)},
		{cmd("strlen"), arityR("strlen")},
		{cmd("strlen", "a", "b"), arityR("strlen")},
	})
}

func TestGetRange(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("set", "k", "Hello World"), okR()},
		{cmd("getrange", "k", "0", "4"), bulkR("Hello")},
		{cmd("getrange", "k", "-5", "-1"), bulkR("World")},
		{cmd("getrange", "k", "0", "-1"), bulkR("Hello World")},
		{cmd("getrange", "k", "-1", "-5"), strEmptyR},
		{cmd("getrange", "k", "0", "-100"), bulkR("H")}, // Redis 7.0 clamps the end to 0
		{cmd("getrange", "k", "0", "-11"), bulkR("H")},
		{cmd("getrange", "k", "0", "-12"), bulkR("H")},
		{cmd("getrange", "k", "-11", "-12"), strEmptyR},
		{cmd("getrange", "k", "-100", "-200"), strEmptyR},
		{cmd("getrange", "k", "-100", "2"), bulkR("Hel")},
		{cmd("getrange", "k", "5", "3"), strEmptyR},
		{cmd("getrange", "k", "100", "200"), strEmptyR},
		{cmd("getrange", "k", "3", "100"), bulkR("lo World")},
		{cmd("getrange", "k", "10", "10"), bulkR("d")},
		{cmd("getrange", "k", "11", "11"), strEmptyR},
		{cmd("getrange", "k", "-1", "-1"), bulkR("d")},
		{cmd("getrange", "k", "-9223372036854775808", "9223372036854775807"), bulkR("Hello World")},
		{cmd("getrange", "k", "9223372036854775807", "-9223372036854775808"), strEmptyR},
		{cmd("getrange", "k", "abc", "1"), errR(strNotInt)},
		{cmd("getrange", "k", "1", "abc"), errR(strNotInt)},
		{cmd("getrange", "k", "1.0", "2"), errR(strNotInt)},
		{cmd("getrange", "missing", "0", "1"), strEmptyR},
		{cmd("getrange", "missing", "abc", "1"), errR(strNotInt)},
		{cmd("getrange", "l", "0", "1"), errR(strWrongType)},
		{cmd("getrange", "l", "abc", "1"), errR(strNotInt)},
		{cmd("set", "empty", ""), okR()},
		{cmd("getrange", "empty", "0", "0"), strEmptyR},
		{cmd("getrange", "empty", "0", "-1"), strEmptyR},
		{cmd("getrange", "empty", "-1", "-1"), strEmptyR},
		{cmd("set", "n", "12345"), okR()},
		{cmd("getrange", "n", "1", "2"), bulkR("23")},
		{cmd("substr", "k", "0", "4"), bulkR("Hello")},
		{cmd("substr", "k", "-3", "-1"), bulkR("rld")},
		{cmd("substr", "k", "0", "-100"), bulkR("H")},
		{cmd("substr", "l", "0", "1"), errR(strWrongType)},
		{cmd("substr", "missing", "0", "1"), strEmptyR},
		{cmd("substr", "k", "a", "b"), errR(strNotInt)},
		{cmd("getrange", "k", "0"), arityR("getrange")},
		{cmd("getrange", "k", "0", "1", "2"), arityR("getrange")},
		{cmd("substr", "k", "0"), arityR("substr")},
	})
}

func TestSetRange(t *testing.T) {
	tooBig := errR("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("set", "k", "Hello World"), okR()},
		{cmd("setrange", "k", "6", "Redis"), intR(11)},
		{cmd("get", "k"), bulkR("Hello Redis")},
		{cmd("setrange", "k", "0", "J"), intR(11)},
		{cmd("get", "k"), bulkR("Jello Redis")},
		{cmd("setrange", "k", "20", "X"), intR(21)},
		{cmd("get", "k"), bulkR("Jello Redis\x00\x00\x00\x00\x00\x00\x00\x00\x00X")},
		{cmd("setrange", "k", "9", "abcdefghijklmnop"), intR(25)},
		{cmd("get", "k"), bulkR("Jello Redabcdefghijklmnop")},
		{cmd("setrange", "k", "0", ""), intR(25)},
		{cmd("setrange", "k", "100", ""), intR(25)},
		{cmd("setrange", "k", "536870912", ""), intR(25)},
		{cmd("strlen", "k"), intR(25)},
		// A missing key with an empty value: 0, nothing created.
		{cmd("setrange", "m", "0", ""), intR(0)},
		{cmd("setrange", "m", "100", ""), intR(0)},
		{cmd("setrange", "m", "536870912", ""), intR(0)},
		{cmd("exists", "m"), intR(0)},
		{cmd("setrange", "m", "3", "ab"), intR(5)},
		{cmd("get", "m"), bulkR("\x00\x00\x00ab")},
		{cmd("set", "n", "12345"), okR()},
		{cmd("setrange", "n", "1", "0"), intR(5)},
		{cmd("incr", "n"), intR(10346)},
		// Errors: the offset is checked before the key.
		{cmd("setrange", "k", "-1", "x"), errR("ERR offset is out of range")},
		{cmd("setrange", "l", "-1", "x"), errR("ERR offset is out of range")},
		{cmd("setrange", "missing", "-1", ""), errR("ERR offset is out of range")},
		{cmd("setrange", "k", "abc", "x"), errR(strNotInt)},
		{cmd("setrange", "k", "1.5", "x"), errR(strNotInt)},
		{cmd("setrange", "l", "0", "x"), errR(strWrongType)},
		{cmd("setrange", "l", "0", ""), errR(strWrongType)},
		{cmd("setrange", "m2", "536870912", "x"), tooBig},
		{cmd("setrange", "m2", "536870911", "xy"), tooBig},
		{cmd("exists", "m2"), intR(0)},
		{cmd("setrange", "k", "536870912", "x"), tooBig},
		{cmd("setrange", "k", "9223372036854775807", "x"), tooBig},
		{cmd("strlen", "k"), intR(25)},
		{cmd("setrange"), arityR("setrange")},
		{cmd("setrange", "k", "1"), arityR("setrange")},
		{cmd("setrange", "k", "1", "a", "b"), arityR("setrange")},
	})
}

func TestLCS(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		lpushCase("l"),
		{cmd("mset", "key1", "ohmytext", "key2", "mynewtext"), okR()},
		{cmd("lcs", "key1", "key2"), bulkR("mytext")},
		{cmd("lcs", "key1", "key2", "LEN"), intR(6)},
		{cmd("lcs", "key1", "key2", "len", "LEN"), intR(6)},
		{cmd("lcs", "key1", "key2", "IDX"), arrR(bulkR("matches"),
			arrR(arrR(arrR(intR(4), intR(7)), arrR(intR(5), intR(8))),
				arrR(arrR(intR(2), intR(3)), arrR(intR(0), intR(1)))),
			bulkR("len"), intR(6))},
		{cmd("lcs", "key1", "key2", "IDX", "MINMATCHLEN", "4"), arrR(bulkR("matches"),
			arrR(arrR(arrR(intR(4), intR(7)), arrR(intR(5), intR(8)))),
			bulkR("len"), intR(6))},
		{cmd("lcs", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"), arrR(bulkR("matches"),
			arrR(arrR(arrR(intR(4), intR(7)), arrR(intR(5), intR(8)), intR(4))),
			bulkR("len"), intR(6))},
		{cmd("lcs", "key1", "key2", "idx", "withmatchlen"), arrR(bulkR("matches"),
			arrR(arrR(arrR(intR(4), intR(7)), arrR(intR(5), intR(8)), intR(4)),
				arrR(arrR(intR(2), intR(3)), arrR(intR(0), intR(1)), intR(2))),
			bulkR("len"), intR(6))},
		{cmd("lcs", "key1", "key2", "MINMATCHLEN", "-5", "IDX"), arrR(bulkR("matches"),
			arrR(arrR(arrR(intR(4), intR(7)), arrR(intR(5), intR(8))),
				arrR(arrR(intR(2), intR(3)), arrR(intR(0), intR(1)))),
			bulkR("len"), intR(6))},
		{cmd("lcs", "key1", "key2", "LEN", "WITHMATCHLEN"), intR(6)},
		{cmd("lcs", "key1", "key2", "WITHMATCHLEN"), bulkR("mytext")},
		{cmd("lcs", "key1", "key2", "MINMATCHLEN", "2"), bulkR("mytext")},
		{cmd("lcs", "key1", "key1", "IDX", "WITHMATCHLEN"), arrR(bulkR("matches"),
			arrR(arrR(arrR(intR(0), intR(7)), arrR(intR(0), intR(7)), intR(8))),
			bulkR("len"), intR(8))},
		{cmd("mset", "a", "abcdefgh", "b", "xbcxxfghx"), okR()},
		{cmd("lcs", "a", "b"), bulkR("bcfgh")},
		{cmd("lcs", "a", "b", "IDX", "WITHMATCHLEN"), arrR(bulkR("matches"),
			arrR(arrR(arrR(intR(5), intR(7)), arrR(intR(5), intR(7)), intR(3)),
				arrR(arrR(intR(1), intR(2)), arrR(intR(1), intR(2)), intR(2))),
			bulkR("len"), intR(5))},
		{cmd("lcs", "a", "b", "IDX", "MINMATCHLEN", "3"), arrR(bulkR("matches"),
			arrR(arrR(arrR(intR(5), intR(7)), arrR(intR(5), intR(7)))),
			bulkR("len"), intR(5))},
		{cmd("lcs", "key1", "missing"), strEmptyR},
		{cmd("lcs", "missing", "missing2", "IDX"), arrR(bulkR("matches"), arrR(), bulkR("len"), intR(0))},
		{cmd("lcs", "missing", "missing2", "LEN"), intR(0)},
		// Errors.
		{cmd("lcs", "key1", "key2", "LEN", "IDX"), errR("ERR If you want both the length and indexes, please just use IDX.")},
		{cmd("lcs", "key1", "key2", "IDX", "LEN"), errR("ERR If you want both the length and indexes, please just use IDX.")},
		{cmd("lcs", "key1", "key2", "MINMATCHLEN"), errR(strSyntaxErr)},
		{cmd("lcs", "key1", "key2", "MINMATCHLEN", "abc"), errR(strNotInt)},
		{cmd("lcs", "key1", "key2", "FOO"), errR(strSyntaxErr)},
		{cmd("lcs", "l", "key1"), errR("ERR The specified keys must contain string values")},
		{cmd("lcs", "key1", "l", "FOO"), errR("ERR The specified keys must contain string values")},
		{cmd("lcs", "key1"), arityR("lcs")},
		// The DP table is limited to proto-max-bulk-len bytes.
		{cmd("set", "A", strings.Repeat("a", 12000)), okR()},
		{cmd("set", "B", strings.Repeat("b", 12000)), okR()},
		{cmd("lcs", "A", "B", "LEN"), errR("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")},
	})
}

// TestStringsExpiry checks that keys vanish at their deadline, and which
// commands keep a key's TTL.
func TestStringsExpiry(t *testing.T) {
	tf := newTestFSM(t)
	tf.check([]replyCase{
		{cmd("set", "k", "v", "PX", "100"), okR()},
		{cmd("set", "s", "v", "EX", "1"), okR()},
		{cmd("setex", "x", "2", "v"), okR()},
		{cmd("psetex", "p", "150", "v"), okR()},
		{cmd("set", "a", "v", "PXAT", fmt.Sprint(tf.now+120)), okR()},
		{cmd("set", "b", "v", "EXAT", fmt.Sprint(tf.now/1000+3)), okR()},
		{cmd("pttl", "a"), intR(120)},
		{cmd("pttl", "b"), intR(3000)},
	})
	tf.now += 99
	tf.check([]replyCase{
		{cmd("get", "k"), bulkR("v")},
		{cmd("pttl", "k"), intR(1)},
	})
	tf.now++ // the deadline itself: expired
	tf.check([]replyCase{
		{cmd("get", "k"), nullR()},
		{cmd("mget", "k", "p", "a"), arrR(nullR(), bulkR("v"), bulkR("v"))},
		{cmd("strlen", "k"), intR(0)},
		{cmd("getrange", "k", "0", "-1"), strEmptyR},
		{cmd("exists", "k"), intR(0)},
	})
	tf.now += 50
	tf.check([]replyCase{
		{cmd("mget", "k", "p", "a", "s", "x", "b"), arrR(nullR(), nullR(), nullR(), bulkR("v"), bulkR("v"), bulkR("v"))},
	})
	tf.now += 1000
	tf.check([]replyCase{
		{cmd("mget", "s", "x", "b"), arrR(nullR(), bulkR("v"), bulkR("v"))},
	})
	tf.now += 2000
	tf.check([]replyCase{
		{cmd("mget", "s", "x", "b"), arrR(nullR(), nullR(), nullR())},
	})

	// A write meets an expired key as absent.
	tf = newTestFSM(t)
	tf.check([]replyCase{
		{cmd("mset", "a", "5", "b", "5", "c", "5", "d", "5", "e", "5", "f", "5", "g", "5", "h", "5", "i", "5"), okR()},
	})
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		tf.check([]replyCase{{cmd("getex", k, "PX", "10"), bulkR("5")}})
	}
	tf.now += 10
	tf.check([]replyCase{
		{cmd("incr", "a"), intR(1)},
		{cmd("pttl", "a"), intR(-1)},
		{cmd("incrbyfloat", "b", "1.5"), bulkR("1.5")},
		{cmd("append", "c", "x"), intR(1)},
		{cmd("setrange", "d", "1", "x"), intR(2)},
		{cmd("get", "d"), bulkR("\x00x")},
		{cmd("setnx", "e", "new"), intR(1)},
		{cmd("msetnx", "f", "new"), intR(1)},
		{cmd("getset", "g", "new"), nullR()},
		{cmd("set", "h", "new", "XX"), nullR()},
		{cmd("set", "h", "new", "KEEPTTL"), okR()},
		{cmd("pttl", "h"), intR(-1)},
		{cmd("getdel", "i"), nullR()},
		{cmd("getex", "i", "PERSIST"), nullR()},
		{cmd("strlen", "i"), intR(0)},
	})
}

// TestStringsTTL checks which commands keep a key's TTL: those that modify
// the value in place (INCR*, DECR*, APPEND, SETRANGE, SET KEEPTTL) keep it,
// those that replace it (SET, GETSET, MSET, SETEX) reset it.
func TestStringsTTL(t *testing.T) {
	tf := newTestFSM(t)
	const ttl = 100000
	keep := func(args ...string) {
		t.Helper()
		tf.write("set", "k", "10", "PX", fmt.Sprint(ttl))
		tf.now += 1000
		tf.write(args...)
		if got := tf.read("pttl", "k"); got != intR(ttl-1000) {
			t.Errorf("%v: pttl %q, want %d", args, got, ttl-1000)
		}
	}
	keep("incr", "k")
	keep("decr", "k")
	keep("incrby", "k", "5")
	keep("decrby", "k", "5")
	keep("incrbyfloat", "k", "0.5")
	keep("append", "k", "0")
	keep("setrange", "k", "0", "2")
	keep("set", "k", "v", "KEEPTTL")
	keep("set", "k", "v", "GET", "KEEPTTL")
	keep("getex", "k")
	keep("get", "k")
	keep("setnx", "k", "x")
	keep("msetnx", "k", "x")
	keep("set", "k", "v", "NX")
	keep("incrby", "k", "abc")
	keep("setrange", "k", "0", "")
	drop := func(args ...string) {
		t.Helper()
		tf.write("set", "k", "10", "PX", fmt.Sprint(ttl))
		tf.write(args...)
		if got := tf.read("pttl", "k"); got != intR(-1) {
			t.Errorf("%v: pttl %q, want -1", args, got)
		}
	}
	drop("set", "k", "v")
	drop("set", "k", "v", "XX")
	drop("set", "k", "v", "GET")
	drop("getset", "k", "v")
	drop("mset", "k", "v")
	drop("getex", "k", "PERSIST")
	tf.write("set", "k", "v", "PX", "5000")
	tf.write("setex", "k", "7", "w")
	if got := tf.read("pttl", "k"); got != intR(7000) {
		t.Errorf("setex after px: pttl %q", got)
	}
}

// TestStringsDontAlias checks that stored strings share no memory with the
// log entry they came from, and that a command changing a string never
// writes into bytes a snapshot may still read.
func TestStringsDontAlias(t *testing.T) {
	tf := newTestFSM(t)
	apply := func(args ...string) {
		t.Helper()
		tf.index++
		e := Entry{Type: EntryCommands, Time: tf.now, Seed: 1, Cmds: []Cmd{{Args: toArgs(args)}}}
		data := e.Encode(nil)
		tf.f.Apply(&raft.Log{Index: tf.index, Type: raft.LogCommand, Data: data})
		for i := range data {
			data[i] = '#' // Raft may reuse the entry's buffer
		}
	}
	apply("set", "a", "value-a")
	apply("setnx", "b", "value-b")
	apply("setex", "c", "100", "value-c")
	apply("psetex", "d", "100000", "value-d")
	apply("getset", "e", "value-e")
	apply("mset", "f", "value-f", "g", "value-g")
	apply("msetnx", "h", "value-h", "i", "value-i")
	apply("append", "j", "value-j")
	apply("setrange", "k", "0", "value-k")
	apply("set", "l", "value-l", "GET", "KEEPTTL")
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"} {
		if got := tf.read("get", k); got != bulkR("value-"+k) {
			t.Errorf("get %s = %q after the entry buffer changed", k, got)
		}
	}

	// A change must not touch the bytes of a value a snapshot may read
	// (stored in an older generation), even where the stored slice has
	// room to grow.
	if _, err := tf.f.Snapshot(); err != nil {
		t.Fatal(err)
	}
	db := tf.f.dbs[0]
	for _, tc := range [][]string{
		{"append", "k", "XYZ"},
		{"setrange", "k", "1", "XYZ"},
		{"setrange", "k", "3", "XYZ"},
		{"incr", "k"},
		{"incrby", "k", "100"},
		{"incrbyfloat", "k", "1.5"},
	} {
		backing := make([]byte, 3, 64)
		copy(backing, "123")
		db.set(item{key: "k", val: stringValue(backing)})
		before := string(backing[:cap(backing)])
		tf.write(tc...)
		if got := string(backing[:cap(backing)]); got != before {
			t.Errorf("%v wrote into the stored bytes: %q", tc, got[:8])
		}
	}

	// A snapshot taken before a change keeps the old value.
	tf.write("set", "s", "abc")
	snap, err := tf.f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	tf.write("append", "s", "def")
	tf.write("setrange", "s", "0", "X")
	tf.write("incrbyfloat", "n", "1")
	s, ok := snap.(*snapshot).dbs[0].Get(slot{hash: keyHash("s"), it: &item{key: "s"}})
	if !ok || string(s.it.val.(stringValue)) != "abc" {
		t.Errorf("snapshot sees %q, want abc", s.it.val)
	}
	if got := tf.read("get", "s"); got != bulkR("Xbcdef") {
		t.Errorf("get s = %q", got)
	}
}

// TestStringWritesAreDeterministic applies the same random command stream
// to two FSMs and checks they reply alike and hold the same data.
func TestStringWritesAreDeterministic(t *testing.T) {
	a, b := newTestFSM(t), newTestFSM(t)
	r := stringsRand(3)
	for i := range 5000 {
		args := r.randomStringCommand()
		if i%100 == 0 {
			a.now += 50000
			b.now += 50000
		}
		if ra, rb := a.write(args...), b.write(args...); ra != rb {
			t.Fatalf("%q: %q vs %q", args, ra, rb)
		}
	}
	for _, k := range []string{"a", "b", "c"} {
		if ga, gb := a.read("get", k)+a.read("pttl", k), b.read("get", k)+b.read("pttl", k); ga != gb {
			t.Errorf("%s: %q vs %q", k, ga, gb)
		}
	}
}

// BenchmarkIncrByFloat measures INCRBYFLOAT, which runs in Apply on every
// node, on common operands and on the costliest ones the 5119-byte limit
// allows (huge mantissas, exponents at the edges of the range, subnormals).
func BenchmarkIncrByFloat(b *testing.B) {
	for _, bc := range []struct{ name, stored, incr string }{
		{"simple", "10.5", "0.1"},
		{"ldbl-max", "0", "0x1.fffffffffffffffep16383"},
		{"subnormal", "0", "3.6e-4951"},
		{"long-mantissa", "0", "0." + strings.Repeat("7", 5000) + "e-4900"},
		{"long-integer", "0", strings.Repeat("9", 4932)},
		{"long-hex", "0", "0x" + strings.Repeat("f", 5000) + "p-16400"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tf := newTestFSM(&testing.T{})
			for b.Loop() {
				tf.write("set", "k", bc.stored)
				tf.write("incrbyfloat", "k", bc.incr)
			}
		})
	}
}
