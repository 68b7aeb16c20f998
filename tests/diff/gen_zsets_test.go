package diff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/raftis/raftis/internal/resp"
)

// The sorted-set family.
//
// Two things Redis itself does not answer the same way in its two
// encodings shape these generators:
//
//   - A lexicographical range over members of different scores: Redis's
//     listpack walks it from one end, its skiplist answers at random. So
//     the lex commands use lexKeys, whose members all have the score 0 (the
//     generators never give them another), and only meet the shared key
//     space with a range Redis refuses before it looks at the key.
//   - A stored score of -0: Redis keeps it in a skiplist and stores 0 in a
//     listpack; raftis stores 0 in both (its contents must not depend on
//     the encoding). zsetCompare shows -0 as 0 on both sides; the exact -0
//     replies are unit-tested in fsm.
var lexKeys = []string{"zlex:a", "zlex:b"}

func init() {
	register("zsets",
		cmdGen{name: "zadd", weight: 8, cmp: zsetCompare, gen: genZAdd},
		cmdGen{name: "zincrby", weight: 3, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"ZINCRBY", randKey(r, keys), randZScore(r), randMember(r)}
		}},
		cmdGen{name: "zrem", weight: 3, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			cmd := []string{"ZREM", randZKey(r, keys)}
			for range 1 + r.IntN(4) {
				cmd = append(cmd, randMember(r))
			}
			return cmd
		}},
		cmdGen{name: "zcard", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"ZCARD", randZKey(r, keys)}
		}},
		cmdGen{name: "zscore", weight: 3, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"ZSCORE", randZKey(r, keys), randMember(r)}
		}},
		cmdGen{name: "zmscore", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			cmd := []string{"ZMSCORE", randZKey(r, keys)}
			for range 1 + r.IntN(4) {
				cmd = append(cmd, randMember(r))
			}
			return cmd
		}},
		cmdGen{name: "zrank", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"ZRANK", randZKey(r, keys), randMember(r)}
		}},
		cmdGen{name: "zrevrank", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"ZREVRANK", randZKey(r, keys), randMember(r)}
		}},
		cmdGen{name: "zcount", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"ZCOUNT", randZKey(r, keys), randScoreBound(r), randScoreBound(r)}
		}},
		cmdGen{name: "zlexcount", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			key, lo, hi := randLexRange(r, keys)
			return []string{"ZLEXCOUNT", key, lo, hi}
		}},
		cmdGen{name: "zrange", weight: 6, cmp: zsetCompare, gen: genZRange},
		cmdGen{name: "zrangestore", weight: 3, cmp: zsetCompare, gen: genZRangeStore},
		cmdGen{name: "zrangebyscore", weight: 3, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZRangeByScore("ZRANGEBYSCORE", r, keys)
		}},
		cmdGen{name: "zrevrangebyscore", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZRangeByScore("ZREVRANGEBYSCORE", r, keys)
		}},
		cmdGen{name: "zrangebylex", weight: 3, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZRangeByLex("ZRANGEBYLEX", r, keys)
		}},
		cmdGen{name: "zrevrangebylex", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZRangeByLex("ZREVRANGEBYLEX", r, keys)
		}},
		cmdGen{name: "zrevrange", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			cmd := []string{"ZREVRANGE", randZKey(r, keys), randRank(r), randRank(r)}
			if chance(r, 1, 2) {
				cmd = append(cmd, kw(r, "WITHSCORES"))
			}
			return cmd
		}},
		cmdGen{name: "zremrangebyrank", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"ZREMRANGEBYRANK", randZKey(r, keys), randRank(r), randRank(r)}
		}},
		cmdGen{name: "zremrangebyscore", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"ZREMRANGEBYSCORE", randZKey(r, keys), randScoreBound(r), randScoreBound(r)}
		}},
		cmdGen{name: "zremrangebylex", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			key, lo, hi := randLexRange(r, keys)
			return []string{"ZREMRANGEBYLEX", key, lo, hi}
		}},
		cmdGen{name: "zpopmin", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZPop("ZPOPMIN", r, keys)
		}},
		cmdGen{name: "zpopmax", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZPop("ZPOPMAX", r, keys)
		}},
		cmdGen{name: "zmpop", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZMPop(false, r, keys)
		}},
		// The blocking pops use short timeouts (randTimeout): on empty
		// keys both servers wait that long, then answer a null.
		cmdGen{name: "bzpopmin", weight: 1, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genBZPop("BZPOPMIN", r, keys)
		}},
		cmdGen{name: "bzpopmax", weight: 1, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genBZPop("BZPOPMAX", r, keys)
		}},
		cmdGen{name: "bzmpop", weight: 1, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZMPop(true, r, keys)
		}},
		// ZRANDMEMBER: random picks, checked by their properties.
		cmdGen{name: "zrandmember", queries: true, weight: 2, cmp: zrandmemberCompare, gen: genZRandMember},
		cmdGen{name: "zunion", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZAlgebra("ZUNION", r, keys)
		}},
		cmdGen{name: "zinter", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZAlgebra("ZINTER", r, keys)
		}},
		cmdGen{name: "zdiff", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZAlgebra("ZDIFF", r, keys)
		}},
		cmdGen{name: "zunionstore", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZAlgebra("ZUNIONSTORE", r, keys)
		}},
		cmdGen{name: "zinterstore", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZAlgebra("ZINTERSTORE", r, keys)
		}},
		cmdGen{name: "zdiffstore", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZAlgebra("ZDIFFSTORE", r, keys)
		}},
		cmdGen{name: "zintercard", weight: 2, cmp: zsetCompare, gen: func(r *rand.Rand, keys []string) []string {
			return genZAlgebra("ZINTERCARD", r, keys)
		}},
		// ZSCAN: compared over a full iteration, as a set of pairs.
		cmdGen{name: "zscan", queries: true, weight: 2, cmp: zscanCompare, gen: genZScan},
	)
	knownCases = append(knownCases, zsetKnownCases...)
}

// big130 is ZADD of 130 members, past the listpack limit.
var big130 = func() string {
	var b strings.Builder
	b.WriteString("ZADD big")
	for i := range 130 {
		fmt.Fprintf(&b, " %d m%03d", i%9, i)
	}
	return b.String()
}()

var zsetKnownCases = []knownCase{
	{name: "zadd options and score text", cmds: cmds(
		"ZADD z 1 a 2 b 3 c", "ZADD z CH 5 a 2 b 7 new", "ZADD z NX XX 1 a", "ZADD z GT LT 1 a", "ZADD z NX GT 1 a",
		"ZADD z INCR 1 a 2 b", "ZADD z INCR GT -5 a", "ZADD z XX INCR 1 nope", "ZADD missing XX 1 a", "EXISTS missing",
		"ZADD z 1 a abc", "ZADD z abc a", "ZADD z NX", "ZINCRBY z NX m", "ZINCRBY z 1.5 a", "ZINCRBY z abc a",
		"ZADD z inf i -inf ni", "ZADD z INCR -inf i", "ZSCORE z i",
		"ZADD f 0 zero 1e308 big 1e-320 tiny 0.1 tenth 12345678901234567 d17 1e17 e17 0x10 hex -Infinity ninf 2.5e-310 sub",
		"ZRANGE f 0 -1 WITHSCORES", "ZSCAN f 0", "ZADD f -0 nz", "ZSCORE f nz", "ZADD f INCR -0 nz2", "ZINCRBY f -0 zero",
		`ZADD f "" x`, `ZADD f "\x201" x`, `ZADD f "1\x20" x`, "ZADD f 1e400 x", "ZADD f 1e-400 x", "ZADD f nan x", "EXISTS x",
	)},
	{name: "zrange forms and their errors", cmds: cmds(
		"ZADD z 1 a 2 b 3 c 4 d 5 e", "ZRANGE z 0 -1 WITHSCORES", "ZRANGE z 0 1 REV", "ZREVRANGE z 0 1 REV",
		"ZREVRANGE z 0 1 LIMIT 0 1", "ZRANGE z 0 1 LIMIT 0 -1", "ZRANGE z 0 1 LIMIT 0 -2", "ZRANGE z 0 1 BYSCORE BYLEX",
		"ZRANGE z (1 4 BYSCORE", "ZRANGE z 4 (1 BYSCORE REV WITHSCORES", "ZRANGE z [b [d BYLEX", "ZRANGE z [b [d BYLEX WITHSCORES",
		"ZRANGEBYSCORE z 2 4 LIMIT 1 -5", "ZRANGEBYSCORE z 2 4 LIMIT -1 5", "ZRANGEBYSCORE z 3 -8 LIMIT 9223372036854775807 -5",
		`ZRANGEBYSCORE z "\x202" 3`, `ZRANGEBYSCORE z "" 1`, "ZRANGEBYSCORE z ( 1", `ZRANGEBYSCORE z "4\x00junk" +inf`,
		"ZRANGEBYSCORE z nan 3", "ZRANGEBYSCORE z 2 4 REV", "ZREVRANGEBYSCORE z (4 -inf LIMIT 1 1",
		"ZRANGEBYLEX z (a [c LIMIT 1 5", "ZREVRANGEBYLEX z + - LIMIT 1 2", `ZRANGEBYLEX z "+\x00x" -`, "ZRANGEBYLEX z a [c",
		"ZCOUNT z (1 (5", "ZCOUNT z x 1", "ZLEXCOUNT z [b (d", "ZLEXCOUNT z x +",
		"ZRANGESTORE dst z 1 2", "ZRANGE dst 0 -1 WITHSCORES", "ZRANGESTORE dst z 0 -1 WITHSCORES", "ZRANGESTORE dst z [x + BYLEX", "EXISTS dst",
	)},
	{name: "zset lex ranges over different scores", cmds: cmds(
		"ZADD z 1 d 2 a 3 e 4 b 5 f", "ZRANGEBYLEX z [b [e", "ZRANGEBYLEX z [c [e LIMIT 2 5", "ZREVRANGEBYLEX z [e [b",
		"ZRANGEBYLEX z [e [z", "ZLEXCOUNT z [b [e", "ZREMRANGEBYLEX z [a [d", "ZRANGE z 0 -1",
	)},
	{name: "zset pops", cmds: cmds(
		"ZADD z 1 a 2 b 3 c 4 d", "ZADD w 10 x 20 y", "SET s v", "ZPOPMIN z 0", "ZPOPMIN z -1", "ZPOPMIN s x", "ZPOPMIN z 1 2",
		"ZPOPMIN missing", "ZPOPMIN s", "ZPOPMIN z", "ZPOPMAX z 2", "ZMPOP 1 z MIN", "EXISTS z", "ZMPOP 0 z MIN", "ZMPOP 5 z MIN",
		"ZMPOP 9223372036854775807 z MIN", "ZMPOP 1 z MAX COUNT 0", "ZMPOP 1 z MAX COUNT 1 COUNT 1", "ZMPOP 2 missing s MIN",
		"ZMPOP 2 missing z MIN", "ZMPOP 3 missing w s MAX COUNT 10", "ZADD z 1 a 2 b 3 c",
		"BZPOPMIN z -1", "BZPOPMIN z abc", "BZPOPMIN z inf", "BZPOPMIN missing s 0", "BZPOPMIN missing z 0.01", "BZPOPMAX missing z 0",
		"BZMPOP abc 0 z MIN", "BZMPOP abc 1 z FOO", "BZMPOP 0.01 2 missing z MAX COUNT 5", "BZPOPMIN missing 0.01", "BZMPOP 0.01 1 missing MIN",
	)},
	{name: "zset algebra", cmds: cmds(
		"ZADD z 1 a 2 b 3 c 4 d", "ZADD w 10 b 20 c 30 x", "SET s v",
		"ZUNION 2 z w WITHSCORES", "ZUNION 2 z w WEIGHTS 2 -1 WITHSCORES", "ZUNION 2 z w AGGREGATE MAX WITHSCORES",
		"ZINTER 2 z w AGGREGATE MIN WEIGHTS 1 0.5 WITHSCORES", "ZDIFF 2 z w WITHSCORES", "ZINTERCARD 2 z w LIMIT 1",
		"ZUNION abc z", "ZUNION 0 z", "ZINTERSTORE d -1 z", "ZUNION 3 z w", "ZUNION 2 z s WEIGHTS abc", "ZUNION 2 z w WEIGHTS 2 WITHSCORES",
		"ZUNION 2 z w AGGREGATE AVG", "ZDIFF 2 z w WEIGHTS 1 2", "ZINTERCARD 2 z w WITHSCORES", "ZINTERCARD 2 z w LIMIT -1",
		"ZUNIONSTORE s 2 z w WEIGHTS 1 2", "ZRANGE s 0 -1 WITHSCORES", "ZDIFFSTORE s 2 z z", "EXISTS s",
		"ZADD pinf inf m", "ZADD ninf -inf m 1 n", "ZUNION 2 pinf ninf WITHSCORES", "ZUNION 2 pinf ninf WEIGHTS 0 1 WITHSCORES",
		"ZINTER 2 pinf ninf WEIGHTS 1 0 AGGREGATE MIN WITHSCORES",
		"ZADD one 1e16 m 0 a 0 b", "ZADD two 1 m", "ZADD three 1 m 0 c", "ZUNION 3 one three two WITHSCORES",
	)},
	{name: "zset past the listpack limit", cmds: cmds(
		big130, "ZCARD big", "ZRANK big m127", "ZREVRANK big m000", "ZRANGE big 60 70 WITHSCORES", "ZREVRANGE big 0 3",
		"ZRANGEBYSCORE big (3 4 LIMIT 5 3", "ZCOUNT big 2 (5", "ZSCORE big m129", "ZPOPMIN big 2", "ZPOPMAX big",
		"ZREMRANGEBYRANK big 100 -1", "ZREMRANGEBYSCORE big 8 8", "ZCARD big", "ZRANGESTORE small big 0 9", "ZRANGE small 0 -1 WITHSCORES",
		"ZUNIONSTORE u 2 big small WEIGHTS 1 -1", "ZRANGE u 0 4 WITHSCORES", "ZINTER 2 big small WITHSCORES",
	)},
}

// randZKey is a key of the shared key space, or now and then a lex key.
func randZKey(r *rand.Rand, keys []string) string {
	if chance(r, 1, 6) {
		return pickOne(r, lexKeys...)
	}
	return randKey(r, keys)
}

// randMember is a member: mostly from a small pool, so that commands meet
// each other's members; sometimes from a large one (sets pass 128
// members), long (past 64 bytes), empty or binary.
func randMember(r *rand.Rand) string {
	switch r.IntN(20) {
	case 0:
		return "long:" + strings.Repeat("x", 58+r.IntN(12))
	case 1:
		return pickOne(r, "", "\x00", "a\x00b", "\xff", "M", "-", "+", "[a", "(a")
	case 2, 3, 4:
		return "n" + strconv.Itoa(r.IntN(400))
	}
	return "m" + strconv.Itoa(r.IntN(16))
}

var zscoreValues = []string{
	"0", "1", "-1", "2.5", "-2.5", "0.1", "1e308", "-1e308", "1.7976931348623157e308", "1e-320", "2.5e-310",
	"12345678901234567", "1e17", "123456789.123456789", "inf", "-inf", "+inf", "Infinity", "0x10", "0x1p-1074",
	"3.0e3", ".5", "5.",
}

var badZScores = []string{"nan", "NaN", "abc", "", " 1", "1 ", "1e400", "-1e400", "1e-400", "1.5.5", "1e", "0x", "inf0", "1\x00"}

// randZScore is a score: integers, fractions, extremes; sometimes invalid.
func randZScore(r *rand.Rand) string {
	switch r.IntN(14) {
	case 0:
		return pickOne(r, badZScores...)
	case 1, 2:
		return pickOne(r, zscoreValues...)
	case 3, 4:
		return strconv.FormatFloat(float64(r.IntN(2001)-1000)/100, 'f', -1, 64)
	}
	return strconv.Itoa(r.IntN(21) - 10)
}

// validZScore is a score ZADD accepts.
func validZScore(r *rand.Rand) string {
	if chance(r, 1, 8) {
		return pickOne(r, zscoreValues...)
	}
	return strconv.Itoa(r.IntN(21) - 10)
}

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member ...: options in any
// number and order (conflicts included); now and then a hundred members
// at once, all valid so that the set grows past the listpack limit. On a
// lex key every score is 0.
func genZAdd(r *rand.Rand, keys []string) []string {
	key := randKey(r, keys)
	lex := chance(r, 1, 5)
	if lex {
		key = pickOne(r, lexKeys...)
	}
	cmd := []string{"ZADD", key}
	for range r.IntN(3) {
		cmd = append(cmd, kw(r, pickOne(r, "NX", "XX", "GT", "LT", "CH", "INCR")))
	}
	n, big := 1+r.IntN(3), chance(r, 1, 6)
	if big {
		n = 50 + r.IntN(120)
	}
	for range n {
		score := randZScore(r)
		switch {
		case lex:
			score = "0"
		case big:
			score = validZScore(r)
		}
		cmd = append(cmd, score, randMember(r))
	}
	if chance(r, 1, 25) {
		cmd = cmd[:len(cmd)-1] // a score without its member
	}
	return cmd
}

// randScoreBound is one end of a score range.
func randScoreBound(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0:
		return pickOne(r, "-inf", "+inf", "(-inf", "(+inf", "inf", "", "(", "nan", "abc", "((1", " 2", "2 ", "1e400", "(-0", "-0", "2\x00x", "0x10")
	case 1, 2:
		return "(" + strconv.Itoa(r.IntN(21)-10)
	case 3:
		return strconv.FormatFloat(float64(r.IntN(201)-100)/20, 'f', -1, 64)
	}
	return strconv.Itoa(r.IntN(21) - 10)
}

// randLexBound is one end of a lex range.
func randLexBound(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0:
		return pickOne(r, "-", "+", "[", "(", "[\x00", "+\x00x")
	case 1:
		return pickOne(r, "-", "+")
	case 2:
		return pickOne(r, "[", "(") + "n" + strconv.Itoa(r.IntN(400))
	}
	return pickOne(r, "[", "(") + "m" + strconv.Itoa(r.IntN(16))
}

// badLexBound is a lex range end Redis refuses.
func badLexBound(r *rand.Rand) string { return pickOne(r, "m1", "", "-x", "++", "a", "1") }

// randLexRange is a key and a lex range: a lex key (same scores), or a key
// of the shared space with a range Redis refuses before the lookup.
func randLexRange(r *rand.Rand, keys []string) (key, lo, hi string) {
	if chance(r, 1, 8) {
		lo, hi = randLexBound(r), badLexBound(r)
		if chance(r, 1, 2) {
			lo, hi = hi, lo
		}
		return randKey(r, keys), lo, hi
	}
	return pickOne(r, lexKeys...), randLexBound(r), randLexBound(r)
}

// randRank is a rank: mostly small, sometimes far out or not an integer.
func randRank(r *rand.Rand) string {
	if chance(r, 1, 8) {
		return pickOne(r, "abc", "1.5", "", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "+1")
	}
	return strconv.Itoa(r.IntN(61) - 30)
}

// randLimit is a LIMIT option, often none.
func randLimit(r *rand.Rand) []string {
	if chance(r, 2, 3) {
		return nil
	}
	offset := pickOne(r, "0", "1", "3", "-1", "100", "abc", "9223372036854775807")
	count := pickOne(r, "0", "1", "2", "5", "-1", "-5", "abc", "9223372036854775807")
	return []string{kw(r, "LIMIT"), offset, count}
}

// ZRANGE key min max [BYSCORE|BYLEX] [REV] [LIMIT o c] [WITHSCORES],
// options shuffled, now and then a stray or repeated one.
func genZRange(r *rand.Rand, keys []string) []string {
	key, lo, hi, opts := zrangeArgs(r, keys)
	if chance(r, 1, 3) {
		opts = append(opts, []string{kw(r, "WITHSCORES")})
	}
	return zrangeCmd("ZRANGE", []string{key}, lo, hi, opts, r)
}

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT o c]: a lex
// key's range goes to a lex key, so that lex keys keep scores of 0.
func genZRangeStore(r *rand.Rand, keys []string) []string {
	src, lo, hi, opts := zrangeArgs(r, keys)
	dst := randKey(r, keys)
	if slices.Contains(lexKeys, src) {
		dst = pickOne(r, lexKeys...)
	}
	if chance(r, 1, 20) {
		opts = append(opts, []string{kw(r, "WITHSCORES")})
	}
	return zrangeCmd("ZRANGESTORE", []string{dst, src}, lo, hi, opts, r)
}

func zrangeArgs(r *rand.Rand, keys []string) (key, lo, hi string, opts [][]string) {
	switch r.IntN(4) {
	case 0:
		key, lo, hi = randZKey(r, keys), randScoreBound(r), randScoreBound(r)
		opts = append(opts, []string{kw(r, "BYSCORE")})
	case 1:
		key, lo, hi = randLexRange(r, keys)
		opts = append(opts, []string{kw(r, "BYLEX")})
	default:
		key, lo, hi = randZKey(r, keys), randRank(r), randRank(r)
	}
	if chance(r, 1, 3) {
		opts = append(opts, []string{kw(r, "REV")})
	}
	if l := randLimit(r); l != nil {
		opts = append(opts, l)
	}
	return key, lo, hi, opts
}

func zrangeCmd(name string, keys []string, lo, hi string, opts [][]string, r *rand.Rand) []string {
	if chance(r, 1, 15) {
		opts = append(opts, []string{pickOne(r, "BYSCORE", "BYLEX", "REV", "LIMIT", "FOO")})
	}
	r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	cmd := append(append([]string{name}, keys...), lo, hi)
	for _, o := range opts {
		cmd = append(cmd, o...)
	}
	return cmd
}

// Z[REV]RANGEBYSCORE key min max [WITHSCORES] [LIMIT o c]
func genZRangeByScore(name string, r *rand.Rand, keys []string) []string {
	cmd := []string{name, randZKey(r, keys), randScoreBound(r), randScoreBound(r)}
	if chance(r, 1, 2) {
		cmd = append(cmd, kw(r, "WITHSCORES"))
	}
	return append(cmd, randLimit(r)...)
}

// Z[REV]RANGEBYLEX key min max [LIMIT o c]
func genZRangeByLex(name string, r *rand.Rand, keys []string) []string {
	key, lo, hi := randLexRange(r, keys)
	cmd := []string{name, key, lo, hi}
	if chance(r, 1, 20) {
		cmd = append(cmd, kw(r, "WITHSCORES"))
	}
	return append(cmd, randLimit(r)...)
}

// ZPOPMIN/ZPOPMAX key [count]
func genZPop(name string, r *rand.Rand, keys []string) []string {
	cmd := []string{name, randZKey(r, keys)}
	if chance(r, 2, 3) {
		cmd = append(cmd, pickOne(r, "0", "1", "2", "3", "10", "-1", "abc", "9223372036854775807"))
	}
	return cmd
}

// BZPOPMIN/BZPOPMAX key [key ...] timeout
func genBZPop(name string, r *rand.Rand, keys []string) []string {
	cmd := []string{name}
	for range 1 + r.IntN(3) {
		cmd = append(cmd, randZKey(r, keys))
	}
	return append(cmd, randTimeout(r))
}

// [B]ZMPOP [timeout] numkeys key [key ...] MIN|MAX [COUNT count]
func genZMPop(block bool, r *rand.Rand, keys []string) []string {
	cmd := []string{"ZMPOP"}
	if block {
		cmd = []string{"BZMPOP", randTimeout(r)}
	}
	n := 1 + r.IntN(3)
	numKeys := strconv.Itoa(n)
	if chance(r, 1, 10) {
		numKeys = pickOne(r, "0", "-1", "abc", "9", "9223372036854775807")
	}
	cmd = append(cmd, numKeys)
	for range n {
		cmd = append(cmd, randZKey(r, keys))
	}
	cmd = append(cmd, kw(r, pickOne(r, "MIN", "MAX", "MIN", "MAX", "FOO")))
	if chance(r, 1, 2) {
		cmd = append(cmd, kw(r, "COUNT"), pickOne(r, "1", "2", "5", "100", "0", "-1", "abc", "9223372036854775807"))
	}
	return cmd
}

// ZRANDMEMBER key [count [WITHSCORES]]. Counts stay moderate: a huge
// negative count makes Redis build a reply of that many members.
func genZRandMember(r *rand.Rand, keys []string) []string {
	cmd := []string{"ZRANDMEMBER", randZKey(r, keys)}
	if chance(r, 2, 3) {
		cmd = append(cmd, pickOne(r, "0", "1", "2", "5", "50", "300", "-1", "-5", "-300", "9223372036854775807", "abc",
			"-9223372036854775808", "4611686018427387904"))
		if chance(r, 1, 2) {
			cmd = append(cmd, kw(r, pickOne(r, "WITHSCORES", "WITHSCORES", "WITHSCORE")))
		}
	}
	return cmd
}

// ZUNION/ZINTER/ZDIFF numkeys key ... [WEIGHTS w ...] [AGGREGATE a]
// [WITHSCORES], their STORE forms and ZINTERCARD [LIMIT l]. Stores of lex
// keys into lex keys are unweighted (their scores stay 0).
func genZAlgebra(name string, r *rand.Rand, keys []string) []string {
	store := strings.HasSuffix(name, "STORE")
	lex := store && chance(r, 1, 4)
	var srcs []string
	for range 1 + r.IntN(3) {
		if lex {
			srcs = append(srcs, pickOne(r, lexKeys...))
		} else {
			srcs = append(srcs, randZKey(r, keys))
		}
	}
	numKeys := strconv.Itoa(len(srcs))
	if chance(r, 1, 15) {
		numKeys = pickOne(r, "0", "-1", "abc", "5", "9223372036854775807")
	}
	cmd := []string{name}
	if store {
		dst := randKey(r, keys)
		if lex {
			dst = pickOne(r, lexKeys...)
		}
		cmd = append(cmd, dst)
	}
	cmd = append(append(cmd, numKeys), srcs...)
	scored := !strings.HasPrefix(name, "ZDIFF") && name != "ZINTERCARD"
	var opts [][]string
	if (scored || chance(r, 1, 10)) && !lex && chance(r, 1, 3) {
		w := []string{kw(r, "WEIGHTS")}
		for range len(srcs) {
			w = append(w, pickOne(r, "1", "2", "-1", "0", "0.5", "1.5", "inf", "-inf", "1e308", "abc", "nan"))
		}
		opts = append(opts, w)
	}
	if (scored || chance(r, 1, 10)) && chance(r, 1, 3) {
		opts = append(opts, []string{kw(r, "AGGREGATE"), kw(r, pickOne(r, "SUM", "MIN", "MAX", "AVG"))})
	}
	if !store && chance(r, 1, 2) {
		opts = append(opts, []string{kw(r, "WITHSCORES")})
	}
	if name == "ZINTERCARD" && chance(r, 1, 2) {
		opts = append(opts, []string{kw(r, "LIMIT"), pickOne(r, "0", "1", "2", "-1", "abc")})
	}
	if chance(r, 1, 20) {
		opts = append(opts, []string{pickOne(r, "WEIGHTS", "AGGREGATE", "LIMIT", "FOO")})
	}
	r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		cmd = append(cmd, o...)
	}
	return cmd
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]
func genZScan(r *rand.Rand, keys []string) []string {
	cursor := "0"
	if chance(r, 1, 10) {
		cursor = pickOne(r, "abc", "1.5", "", " 0", "18446744073709551616")
	}
	cmd := []string{"ZSCAN", randZKey(r, keys), cursor}
	if chance(r, 1, 2) {
		cmd = append(cmd, kw(r, "MATCH"), pickOne(r, "*", "m*", "n1*", "long:*", "?", "[mn]1", "\\*"))
	}
	if chance(r, 1, 3) {
		cmd = append(cmd, kw(r, "COUNT"), pickOne(r, "1", "5", "100", "0", "-1", "abc"))
	}
	if chance(r, 1, 20) {
		cmd = append(cmd, pickOne(r, "TYPE", "MATCH", "FOO"))
	}
	return cmd
}

// zsetCompare compares exactly once a stored score of -0 shows as 0 on
// both sides (see the family's comment).
func zsetCompare(_ *pair, _ []string, want, got []byte) string {
	return exactCompare(positiveZero(want), positiveZero(got))
}

func positiveZero(reply []byte) []byte {
	return bytes.ReplaceAll(reply, []byte("$2\r\n-0\r\n"), []byte("$1\r\n0\r\n"))
}

// zrandmemberCompare checks ZRANDMEMBER by its properties: the same
// shape on both sides, and each pick a member of its server's set (with
// its score, ZSCORE): without a count one member or nil; with count
// c >= 0, min(c, size) distinct members; with c < 0, exactly -c picks.
func zrandmemberCompare(p *pair, cmd []string, want, got []byte) string {
	return randPicksCompare("ZSCORE", p, cmd, want, got)
}

// randPicksCompare checks a random-pick reply (ZRANDMEMBER, HRANDFIELD
// key [count [WITH...]]) by its properties, looking each pick up with
// lookup key pick on its own server (ZSCORE, HGET), whose reply must be
// the value paired with the pick when the command asked for values.
func randPicksCompare(lookup string, p *pair, cmd []string, want, got []byte) string {
	w, errw := resp.Parse(want)
	g, errg := resp.Parse(got)
	if errw != nil || errg != nil || w.Kind != g.Kind || w.Null != g.Null || w.Kind == resp.Error {
		return exactCompare(want, got)
	}
	if len(cmd) == 2 {
		if w.Null {
			return ""
		}
		return checkPicks(lookup, p, cmd[1], []resp.Value{w}, []resp.Value{g}, false, false)
	}
	count, _ := strconv.ParseInt(cmd[2], 10, 64)
	withValues := len(cmd) == 4
	if len(w.Elems) != len(g.Elems) {
		return fmt.Sprintf("%d items, Redis has %d", len(g.Elems), len(w.Elems))
	}
	per := 1
	if withValues {
		per = 2
	}
	if count < 0 && len(w.Elems) > 0 && int64(len(w.Elems)) != -count*int64(per) {
		return fmt.Sprintf("%d items for a count of %d", len(w.Elems), count)
	}
	return checkPicks(lookup, p, cmd[1], w.Elems, g.Elems, withValues, count > 0)
}

// checkPicks checks on each server that the picks are in key (lookup
// finds them), with their values if withValues, distinct if asked.
func checkPicks(lookup string, p *pair, key string, want, got []resp.Value, withValues, distinct bool) string {
	per := 1
	if withValues {
		per = 2
	}
	for _, side := range []struct {
		s     *side
		picks []resp.Value
	}{{p.redis, want}, {p.raftis, got}} {
		seen := map[string]bool{}
		for i := 0; i+per <= len(side.picks); i += per {
			m := side.picks[i].Str
			if distinct && seen[m] {
				return fmt.Sprintf("%s picked %q twice", side.s.name, m)
			}
			seen[m] = true
			reply, err := side.s.do(lookup, key, m)
			if err != nil {
				return err.Error()
			}
			v, err := resp.Parse(reply)
			if err != nil || v.Kind != resp.BulkString || v.Null {
				return fmt.Sprintf("%s picked %q, which %s does not find: %s", side.s.name, m, lookup, quoteReply(reply, 80))
			}
			if withValues && v.Str != side.picks[i+1].Str {
				return fmt.Sprintf("%s picked %q with %q, %s says %q", side.s.name, m, side.picks[i+1].Str, lookup, v.Str)
			}
		}
	}
	return ""
}

// zscanCompare is SCAN's comparer for ZSCAN: each side's iteration is
// finished with its own cursors and the member=score pairs compared as
// sets. Cursors and the split into pages differ between implementations.
func zscanCompare(p *pair, cmd []string, want, got []byte) string {
	w, errw := zscanAll(p.redis, cmd, want)
	g, errg := zscanAll(p.raftis, cmd, got)
	switch {
	case errw != nil && errg != nil:
		return exactCompare(want, got)
	case errw != nil:
		return "Redis: " + errw.Error()
	case errg != nil:
		if why := exactCompare(want, got); why != "" {
			return why
		}
		return "raftis: " + errg.Error()
	}
	if why := compareSets(w, g, true); why != "" {
		return "full ZSCAN iteration: " + why
	}
	return ""
}

// zscanAll finishes the ZSCAN that first answered and returns its pairs.
func zscanAll(s *side, cmd []string, first []byte) ([]string, error) {
	reply := first
	var pairs []string
	for calls := 1; ; calls++ {
		cursor, items, err := parseScanReply(reply)
		if err != nil {
			return nil, err
		}
		if len(items)%2 != 0 {
			return nil, fmt.Errorf("odd ZSCAN reply: %s", quoteReply(reply, 200))
		}
		for i := 0; i < len(items); i += 2 {
			score := items[i+1]
			if score == "-0" {
				score = "0"
			}
			pairs = append(pairs, items[i]+"="+score)
		}
		if cursor == "0" {
			return pairs, nil
		}
		if calls >= 10000 {
			return nil, fmt.Errorf("ZSCAN did not finish after %d calls", calls)
		}
		next := slices.Clone(cmd)
		next[2] = cursor
		if reply, err = s.do(next...); err != nil {
			return nil, err
		}
	}
}
