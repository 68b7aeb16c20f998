package fsm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// zsetGen draws random sorted-set commands over a few keys. Members come
// from a small pool (so commands meet each other's members) and now and
// then from a large one or as long strings (so sets cross the encoding
// limits); scores mix integers, fractions, infinities and invalid text.
//
// Redis answers lexicographical ranges over members of different scores
// differently in its two encodings (its skiplist gives a random answer),
// so, against Redis, lex commands only use the keys lkeys, whose members
// all have the score 0: no command gives them another score. With
// lexOnMixed they use every key, for comparing raftis with itself.
type zsetGen struct {
	r          *rand.Rand
	zkeys      []string // any scores
	lkeys      []string // score 0 only
	lexOnMixed bool
}

func newZSetGen(seed uint64) *zsetGen {
	return &zsetGen{
		r:          rand.New(rand.NewPCG(seed, seed+1)),
		zkeys:      []string{"z1", "z2", "z3", "zd"},
		lkeys:      []string{"l1", "l2"},
		lexOnMixed: true,
	}
}

func (g *zsetGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *zsetGen) chance(n, d int) bool     { return g.r.IntN(d) < n }

// zkey is a key holding any scores, sometimes a string or "absent",
// which no command creates.
func (g *zsetGen) zkey() string {
	switch g.r.IntN(12) {
	case 0:
		return "str"
	case 1:
		return "absent"
	}
	return g.pick(g.zkeys...)
}

// writeKey is a key ZADD and ZINCRBY may create.
func (g *zsetGen) writeKey() string {
	if g.chance(1, 12) {
		return "str"
	}
	return g.pick(g.zkeys...)
}

// lexKey is a key lex commands may use.
func (g *zsetGen) lexKey() string {
	if g.lexOnMixed && g.chance(1, 2) {
		return g.zkey()
	}
	if g.chance(1, 12) {
		// Not "str": stores may make that a sorted set of any scores.
		return g.pick("s", "absent")
	}
	return g.pick(g.lkeys...)
}

func (g *zsetGen) member() string {
	switch g.r.IntN(20) {
	case 0:
		return "long" + strings.Repeat("x", 60+g.r.IntN(10))
	case 1:
		return g.pick("", "\x00", "a\x00b", "\xff", "M")
	case 2, 3, 4:
		return "n" + strconv.Itoa(g.r.IntN(300))
	}
	return "m" + strconv.Itoa(g.r.IntN(12))
}

func (g *zsetGen) score() string {
	switch g.r.IntN(16) {
	case 0:
		return g.pick("inf", "-inf", "+inf", "1e308", "-1e308", "1e-320", "0.1", "1.7976931348623157e308", "12345678901234567", "1e17", "0x10", "-0", "2.5e-310")
	case 1:
		return g.pick("nan", "abc", "", " 1", "1 ", "1e400", "1e-400", "1.5.5", "inf0")
	case 2, 3:
		return strconv.FormatFloat(float64(g.r.IntN(2001)-1000)/100, 'f', -1, 64)
	}
	return strconv.Itoa(g.r.IntN(11) - 5)
}

func (g *zsetGen) validScore() string {
	for {
		s := g.score()
		if _, ok := parseDouble([]byte(s)); ok {
			return s
		}
	}
}

func (g *zsetGen) scoreBound() string {
	switch g.r.IntN(10) {
	case 0:
		return g.pick("-inf", "+inf", "(-inf", "(inf", "", "(", "nan", "x", "((1", " 2", "2 ", "1e400", "(-0")
	case 1, 2:
		return "(" + strconv.Itoa(g.r.IntN(11)-5)
	case 3:
		return strconv.FormatFloat(float64(g.r.IntN(201)-100)/20, 'f', -1, 64)
	}
	return strconv.Itoa(g.r.IntN(11) - 5)
}

func (g *zsetGen) lexBound() string {
	switch g.r.IntN(10) {
	case 0:
		return g.pick("-", "+", "[", "(", "m3", "", "-x", "+\x00")
	case 1:
		return g.pick("-", "+")
	case 2:
		return g.pick("[", "(") + "n" + strconv.Itoa(g.r.IntN(300))
	}
	return g.pick("[", "(") + "m" + strconv.Itoa(g.r.IntN(12))
}

func (g *zsetGen) index() string {
	if g.chance(1, 10) {
		return g.pick("x", "9223372036854775807", "-9223372036854775808", "1.5", "")
	}
	return strconv.Itoa(g.r.IntN(41) - 20)
}

// limit is a LIMIT option, often none.
func (g *zsetGen) limit() []string {
	if g.chance(2, 3) {
		return nil
	}
	return []string{"LIMIT", g.pick("0", "1", "3", "-1", "100", "x"), g.pick("0", "1", "2", "5", "-1", "-5", "x")}
}

// zadd is ZADD on a key of any scores, or, with score 0, on a lex key.
func (g *zsetGen) zadd() []string {
	lex := g.chance(1, 4)
	key := g.writeKey()
	if lex {
		key = g.pick(g.lkeys...)
	}
	args := []string{"zadd", key}
	for range g.r.IntN(3) {
		args = append(args, g.pick("NX", "XX", "GT", "LT", "CH", "INCR", "ch"))
	}
	n := 1 + g.r.IntN(4)
	if g.chance(1, 5) {
		n = 20 + g.r.IntN(150)
	}
	for range n {
		s := g.score()
		switch {
		case lex:
			s = "0"
		case n > 4:
			// One bad score fails the whole command.
			s = g.validScore()
		}
		args = append(args, s, g.member())
	}
	if g.chance(1, 30) {
		args = args[:len(args)-1]
	}
	return args
}

// store picks the destination and sources of a store: sources of any
// scores go to a key of any scores; lex keys may be combined into lex
// keys without weights.
func (g *zsetGen) store() (dst string, srcs []string, lex bool) {
	lex = g.chance(1, 4)
	n := 1 + g.r.IntN(3)
	for range n {
		if lex {
			srcs = append(srcs, g.pick(append(g.lkeys, "absent")...))
		} else {
			srcs = append(srcs, g.zkey())
		}
	}
	if lex {
		return g.pick(g.lkeys...), srcs, true
	}
	return g.storeKey(), srcs, false
}

// storeKey is the destination of a store from keys of any scores: mostly
// "zd", so that stores do not keep emptying the other keys.
func (g *zsetGen) storeKey() string {
	if g.chance(3, 4) {
		return "zd"
	}
	return g.pick(append(g.zkeys, "str")...)
}

func (g *zsetGen) algebraOptions(op string, n int, lex bool) []string {
	var opts []string
	if op != "zdiff" && !lex && g.chance(1, 3) {
		opts = append(opts, "WEIGHTS")
		for range n {
			opts = append(opts, g.pick("1", "2", "-1", "0", "0.5", "inf", "-inf", "x"))
		}
	}
	if op != "zdiff" && g.chance(1, 3) {
		opts = append(opts, "AGGREGATE", g.pick("SUM", "MIN", "MAX", "avg"))
	}
	if g.chance(1, 20) {
		opts = append(opts, g.pick("WITHSCORES", "foo", "WEIGHTS"))
	}
	return opts
}

// next draws one command.
func (g *zsetGen) next() []string {
	switch g.r.IntN(40) {
	case 0, 1, 2, 3, 4, 5:
		return g.zadd()
	case 6:
		return []string{"zincrby", g.writeKey(), g.score(), g.member()}
	case 7, 8:
		args := []string{"zrem", g.pick(append(g.zkeys, g.lkeys...)...)}
		for range 1 + g.r.IntN(5) {
			args = append(args, g.member())
		}
		return args
	case 9:
		return []string{"zcard", g.zkey()}
	case 10:
		return []string{"zscore", g.zkey(), g.member()}
	case 11:
		return []string{"zmscore", g.zkey(), g.member(), g.member(), g.member()}
	case 12:
		return []string{g.pick("zrank", "zrevrank"), g.zkey(), g.member()}
	case 13:
		return []string{"zcount", g.zkey(), g.scoreBound(), g.scoreBound()}
	case 14:
		return []string{"zlexcount", g.lexKey(), g.lexBound(), g.lexBound()}
	case 15, 16:
		args := []string{g.pick("zrange", "zrevrange"), g.zkey(), g.index(), g.index()}
		if g.chance(1, 2) {
			args = append(args, "WITHSCORES")
		}
		if g.chance(1, 10) {
			args = append(args, g.pick("REV", "LIMIT", "BYSCORE"))
		}
		return args
	case 17, 18:
		name := g.pick("zrangebyscore", "zrevrangebyscore")
		args := []string{name, g.zkey(), g.scoreBound(), g.scoreBound()}
		if g.chance(1, 2) {
			args = append(args, "WITHSCORES")
		}
		return append(args, g.limit()...)
	case 19, 20:
		args := []string{g.pick("zrangebylex", "zrevrangebylex"), g.lexKey(), g.lexBound(), g.lexBound()}
		return append(args, g.limit()...)
	case 21, 22:
		return g.zrangeAny()
	case 23:
		return g.zrangestore()
	case 24:
		// Mostly narrow: removing whole ranges would keep the sets small.
		key := g.pick(append(g.zkeys, g.lkeys...)...)
		if g.chance(1, 4) {
			return []string{"zremrangebyrank", key, g.index(), g.index()}
		}
		start := g.r.IntN(41) - 20
		return []string{"zremrangebyrank", key, strconv.Itoa(start), strconv.Itoa(start + g.r.IntN(3))}
	case 25:
		if g.chance(1, 4) {
			return []string{"zremrangebyscore", g.zkey(), g.scoreBound(), g.scoreBound()}
		}
		lo := g.r.IntN(11) - 5
		return []string{"zremrangebyscore", g.zkey(), "(" + strconv.Itoa(lo), strconv.Itoa(lo + 1)}
	case 26:
		return []string{"zremrangebylex", g.lexKey(), g.lexBound(), g.lexBound()}
	case 27:
		args := []string{g.pick("zpopmin", "zpopmax"), g.pick(append(g.zkeys, g.lkeys...)...)}
		if g.chance(1, 2) {
			args = append(args, g.pick("0", "1", "2", "5", "-1", "x", "100"))
		}
		return args
	case 28:
		return g.zmpop()
	case 29:
		keys := []string{g.zkey()}
		if g.chance(1, 2) {
			keys = append(keys, g.pick(g.lkeys...))
		}
		return append(append([]string{g.pick("bzpopmin", "bzpopmax")}, keys...), g.pick("0.01", "0.01", "0.01", "x", "-1"))
	case 30:
		args := []string{"zrandmember", g.zkey()}
		if g.chance(2, 3) {
			args = append(args, g.pick("0", "1", "3", "-3", "200", "-200", "x"))
			if g.chance(1, 2) {
				args = append(args, "WITHSCORES")
			}
		}
		return args
	case 31, 32:
		return g.algebra(false)
	case 33, 34:
		return g.algebra(true)
	case 35:
		args := []string{"zintercard", strconv.Itoa(1 + g.r.IntN(3))}
		for range 1 + g.r.IntN(3) {
			args = append(args, g.zkey())
		}
		if g.chance(1, 2) {
			args = append(args, "LIMIT", g.pick("0", "1", "2", "-1", "x"))
		}
		return args
	case 36:
		args := []string{"zscan", g.zkey(), "0"}
		if g.chance(1, 2) {
			args = append(args, "MATCH", g.pick("m*", "n1*", "*", "long*", "?"))
		}
		if g.chance(1, 3) {
			args = append(args, "COUNT", g.pick("1", "5", "100", "0"))
		}
		return args
	case 37:
		if g.chance(1, 4) {
			return []string{"del", g.pick(append(g.zkeys, g.lkeys...)...)}
		}
		return []string{"exists", g.zkey()}
	case 38:
		return []string{"set", g.pick("str", "s"), "v"}
	}
	return []string{"type", g.zkey()}
}

// zrangeAny is ZRANGE with its options in any order.
func (g *zsetGen) zrangeAny() []string {
	kind := g.pick("rank", "rank", "score", "lex")
	key := g.zkey()
	var lo, hi string
	var opts [][]string
	switch kind {
	case "rank":
		lo, hi = g.index(), g.index()
	case "score":
		lo, hi = g.scoreBound(), g.scoreBound()
		opts = append(opts, []string{"BYSCORE"})
	case "lex":
		key = g.lexKey()
		lo, hi = g.lexBound(), g.lexBound()
		opts = append(opts, []string{"BYLEX"})
	}
	if g.chance(1, 3) {
		opts = append(opts, []string{"REV"})
	}
	if g.chance(1, 3) {
		opts = append(opts, []string{"WITHSCORES"})
	}
	if l := g.limit(); l != nil {
		opts = append(opts, l)
	}
	if g.chance(1, 15) {
		opts = append(opts, []string{g.pick("BYSCORE", "BYLEX", "REV", "LIMIT", "foo")})
	}
	g.r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	args := []string{"zrange", key, lo, hi}
	for _, o := range opts {
		args = append(args, o...)
	}
	return args
}

// zrangestore copies a range of a key of any scores into one, or of a lex
// key into a lex key.
func (g *zsetGen) zrangestore() []string {
	args := g.zrangeAny()
	if slices.Contains(args, "BYLEX") || g.chance(1, 4) {
		args[1] = g.lexKey()
	}
	src := args[1]
	dst := g.storeKey()
	if slices.Contains(g.lkeys, src) {
		dst = g.pick(g.lkeys...)
	}
	args = slices.DeleteFunc(args[1:], func(s string) bool { return s == "WITHSCORES" })
	return append([]string{"zrangestore", dst}, args...)
}

func (g *zsetGen) zmpop() []string {
	name := g.pick("zmpop", "bzmpop")
	args := []string{name}
	if name == "bzmpop" {
		args = append(args, g.pick("0.01", "0.01", "x", "-1"))
	}
	n := 1 + g.r.IntN(3)
	numKeys := strconv.Itoa(n)
	if g.chance(1, 10) {
		numKeys = g.pick("0", "-1", "x", "9")
	}
	args = append(args, numKeys)
	for range n {
		args = append(args, g.pick(append(g.zkeys, g.lkeys...)...))
	}
	args = append(args, g.pick("MIN", "MAX", "min", "foo"))
	if g.chance(1, 2) {
		args = append(args, "COUNT", g.pick("1", "2", "10", "0", "x"))
	}
	return args
}

// algebra is ZUNION/ZINTER/ZDIFF or, with store, their STORE forms.
func (g *zsetGen) algebra(store bool) []string {
	op := g.pick("zunion", "zinter", "zdiff")
	dst, srcs, lex := g.store()
	numKeys := strconv.Itoa(len(srcs))
	if g.chance(1, 15) {
		numKeys = g.pick("0", "x", "5", "-1")
	}
	var args []string
	if store {
		args = []string{op + "store", dst, numKeys}
	} else {
		args = []string{op, numKeys}
	}
	args = append(args, srcs...)
	args = append(args, g.algebraOptions(op, len(srcs), lex)...)
	if !store && g.chance(1, 2) {
		args = append(args, "WITHSCORES")
	}
	return args
}

// TestZSetAgainstRedis runs random sorted-set commands against a real
// Redis and compares every reply byte for byte, at Redis's default limits
// and at small ones that make sets change encoding often; every few
// rounds it also compares each key's encoding with OBJECT ENCODING.
// ZRANDMEMBER is compared by shape only, and a ZSCAN that pages is
// finished on both sides and compared as a set.
func TestZSetAgainstRedis(t *testing.T) {
	for _, lim := range []struct {
		name           string
		entries, value int64
	}{{"default-limits", 128, 64}, {"small-limits", 6, 8}} {
		t.Run(lim.name, func(t *testing.T) {
			o := newOracle(t)
			setOracleLimits(t, o, lim.entries, lim.value)
			tf := newTestFSM(t)
			l := DefaultLimits
			l.ZSetMaxListpackEntries, l.ZSetMaxListpackValue = lim.entries, lim.value
			tf.f.SetLimits(l)
			g := newZSetGen(uint64(lim.entries))
			g.lexOnMixed = false
			runZSetOracle(t, o, tf, g, oracleRounds(t, 6000))
		})
	}
}

func setOracleLimits(t *testing.T, o *oracle, entries, value int64) {
	t.Helper()
	old := []string{o.do("config", "get", "zset-max-listpack-entries"), o.do("config", "get", "zset-max-listpack-value")}
	for _, kv := range [][2]string{{"zset-max-listpack-entries", strconv.FormatInt(entries, 10)}, {"zset-max-listpack-value", strconv.FormatInt(value, 10)}} {
		if r := o.do("config", "set", kv[0], kv[1]); r != okR() {
			t.Fatalf("config set %s: %q", kv[0], r)
		}
	}
	t.Cleanup(func() {
		for _, r := range old {
			if items := strings.Split(r, "\r\n"); len(items) >= 5 {
				o.do("config", "set", items[2], items[4])
			}
		}
	})
}

func runZSetOracle(t *testing.T, o *oracle, tf *testFSM, g *zsetGen, rounds int) {
	var history []string
	fail := func(format string, args ...any) {
		t.Helper()
		from := max(0, len(history)-12)
		t.Fatalf("after\n%s\n%s", strings.Join(history[from:], "\n"), fmt.Sprintf(format, args...))
	}
	for i := range rounds {
		args := g.next()
		history = append(history, fmt.Sprintf("%d %q", i, args))
		want, got := o.do(args...), tf.do(args...)
		want, got = positiveZero(want), positiveZero(got)
		switch {
		case args[0] == "zrandmember" && want[0] != '-':
			if !sameShape(want, got) {
				fail("got: %q\nwant the shape of: %q", got, want)
			}
		case args[0] == "zscan" && want[0] == '*' && got[0] == '*':
			if w, g := zscanAll(t, o.do, args, want), zscanAll(t, tf.read, args, got); !slices.Equal(positiveZeros(w), positiveZeros(g)) {
				fail("full ZSCAN:\n got: %q\nwant: %q", g, w)
			}
		case got != want:
			fail("got: %q\nwant: %q", got, want)
		}
		if i%10 == 0 {
			for _, key := range append(slices.Clone(g.zkeys), g.lkeys...) {
				it, ok := tf.f.dbs[0].get(key)
				enc := "(nil)"
				if ok {
					enc = it.val.Encoding()
				}
				if r := o.do("object", "encoding", key); r != bulkR(enc) && !(r == nullR() && !ok) {
					fail("OBJECT ENCODING %s: redis %q, raftis %s", key, r, enc)
				}
			}
		}
	}
}

// positiveZero shows a score of -0 as 0. Redis keeps a -0 score in its
// skiplist encoding and stores 0 in its listpack; raftis stores 0 in
// both (see zsetValue), so the sign of a stored zero is not compared.
func positiveZero(reply string) string {
	return strings.ReplaceAll(reply, "$2\r\n-0\r\n", "$1\r\n0\r\n")
}

func positiveZeros(pairs []string) []string {
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = strings.TrimSuffix(p, "=-0")
		if out[i] != p {
			out[i] += "=0"
		}
	}
	slices.Sort(out)
	return out
}

// sameShape reports whether two replies are arrays of the same length, or
// both nil, or both bulk strings.
func sameShape(a, b string) bool {
	if a == "" || b == "" || a[0] != b[0] {
		return false
	}
	if a[0] == '*' {
		return strings.SplitN(a, "\r\n", 2)[0] == strings.SplitN(b, "\r\n", 2)[0]
	}
	return (a == nullR()) == (b == nullR())
}

// zscanAll finishes the ZSCAN that args started (first is its reply) and
// returns every "member=score" seen, sorted.
func zscanAll(t *testing.T, do func(...string) string, args []string, first string) []string {
	t.Helper()
	var out []string
	reply := first
	for calls := 0; ; calls++ {
		if calls > 10000 {
			t.Fatal("ZSCAN does not end")
		}
		cursor, items := scanItems(t, reply)
		for i := 0; i+1 < len(items); i += 2 {
			out = append(out, items[i]+"="+items[i+1])
		}
		if cursor == "0" {
			break
		}
		next := slices.Clone(args)
		next[2] = cursor
		reply = do(next...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
