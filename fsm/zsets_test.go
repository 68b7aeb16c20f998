package fsm

import (
	"fmt"
	"strings"
	"testing"
)

const (
	errZMinMaxFloatR = "ERR min or max is not a float"
	errZMinMaxLexR   = "ERR min or max not valid string range item"
)

// flatR is an array of bulk strings.
func flatR(items ...string) string { return arrR(bulkRs(items)...) }

func TestZAddAndScoresLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("zadd", "z", "1", "a", "2", "b", "3", "c"), intR(3)},
		{cmd("zadd", "z", "1", "a", "2", "b"), intR(0)},
		{cmd("zcard", "z"), intR(3)},
		{cmd("zadd", "z", "ch", "5", "a", "2", "b", "7", "new"), intR(2)},
		{cmd("zadd", "z", "CH", "NX", "6", "a", "8", "new2"), intR(1)},
		{cmd("zadd", "z", "xx", "9", "nope", "9", "new2"), intR(0)},
		{cmd("zscore", "z", "new2"), bulkR("9")},
		{cmd("zscore", "z", "nope"), nullR()},
		{cmd("zadd", "z", "gt", "ch", "1", "a", "10", "b"), intR(1)},
		{cmd("zadd", "z", "lt", "ch", "100", "a", "1", "b"), intR(1)},
		{cmd("zadd", "z", "xx", "gt", "1000", "a"), intR(0)},
		{cmd("zscore", "z", "a"), bulkR("1000")},
		{cmd("zadd", "z", "gt", "1", "fresh"), intR(1)},
		// INCR replies the new score, or nil when nothing was done.
		{cmd("zadd", "z", "incr", "1.5", "a"), bulkR("1001.5")},
		{cmd("zadd", "z", "incr", "gt", "-5", "a"), nullR()},
		{cmd("zadd", "z", "incr", "nx", "5", "a"), nullR()},
		{cmd("zadd", "z", "incr", "xx", "5", "absent"), nullR()},
		{cmd("zadd", "nokey", "xx", "1", "a"), intR(0)},
		{cmd("zadd", "nokey", "xx", "incr", "1", "a"), nullR()},
		{cmd("exists", "nokey"), intR(0)},
		{cmd("zincrby", "z", "2", "c"), bulkR("5")},
		{cmd("zincrby", "z", "-0.25", "newer"), bulkR("-0.25")},
		// ZINCRBY parses ZADD's options: "nx" is an option here.
		{cmd("zincrby", "z", "nx", "m"), errR(strSyntaxErr)},
		{cmd("zincrby", "z", "x", "m"), errR(strNotFloat)},
		// Option errors, in Redis's order.
		{cmd("zadd", "z", "nx", "xx", "1", "a"), errR("ERR XX and NX options at the same time are not compatible")},
		{cmd("zadd", "z", "gt", "lt", "1", "a"), errR("ERR GT, LT, and/or NX options at the same time are not compatible")},
		{cmd("zadd", "z", "nx", "gt", "1", "a"), errR("ERR GT, LT, and/or NX options at the same time are not compatible")},
		{cmd("zadd", "z", "nx", "xx", "gt", "1"), errR(strSyntaxErr)},
		{cmd("zadd", "z", "incr", "1", "a", "2", "b"), errR("ERR INCR option supports a single increment-element pair")},
		{cmd("zadd", "z", "1", "a", "abc"), errR(strSyntaxErr)},
		{cmd("zadd", "z", "1", "a", "abc", "b"), errR(strNotFloat)},
		{cmd("zadd", "z", "nx"), arityR("zadd")},
		{cmd("zadd", "z", "nx", "lt"), errR(strSyntaxErr)},
		// A bad score anywhere changes nothing.
		{cmd("zadd", "z", "1", "x", "nan", "y"), errR(strNotFloat)},
		{cmd("zscore", "z", "x"), nullR()},
		// NaN from inf + -inf.
		{cmd("zadd", "z", "inf", "i"), intR(1)},
		{cmd("zadd", "z", "incr", "-inf", "i"), errR("ERR resulting score is not a number (NaN)")},
		{cmd("zincrby", "z", "-inf", "i"), errR("ERR resulting score is not a number (NaN)")},
		{cmd("zscore", "z", "i"), bulkR("inf")},
		{cmd("zmscore", "z", "i", "nope", "c"), arrR(bulkR("inf"), nullR(), bulkR("5"))},
		{cmd("zmscore", "nokey", "a", "b"), arrR(nullR(), nullR())},
		{cmd("zrem", "z", "i", "nope", "c"), intR(2)},
		{cmd("zrem", "nokey", "a"), intR(0)},
		{cmd("zrank", "z", "b"), intR(1)},
		{cmd("zrevrank", "z", "b"), intR(4)},
		{cmd("zrank", "z", "nope"), nullR()},
		{cmd("zrank", "nokey", "a"), nullR()},
		{cmd("zrem", "z", "a", "b", "new", "new2", "fresh", "newer", "more"), intR(6)},
		{cmd("exists", "z"), intR(0)},
		{cmd("zcard", "z"), intR(0)},
	})
}

// TestZSetScoreFormatting checks how scores parse and print: "%.17g",
// integers without a point, inf, the strtod syntax Redis accepts (hex,
// "infinity", subnormals) and what it refuses.
func TestZSetScoreFormatting(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("zadd", "z", "0", "zero", "1e308", "big", "1e-320", "tiny", "0.1", "tenth",
			"12345678901234567", "d17", "1e17", "e17", "-1.5", "neg", "0x10", "hex", "+inf", "inf", "-Infinity", "ninf",
			"123456789.123456789", "mixed", "2.2250738585072014e-308", "minnormal", "4.9e-324", "minsub"), intR(13)},
		{cmd("zrange", "z", "0", "-1", "withscores"), flatR(
			"ninf", "-inf", "neg", "-1.5", "zero", "0", "minsub", "4.9406564584124654e-324", "tiny", "9.9998886718268301e-321",
			"minnormal", "2.2250738585072014e-308", "tenth", "0.10000000000000001", "hex", "16", "mixed", "123456789.12345679",
			"d17", "12345678901234568", "e17", "1e+17", "big", "1e+308", "inf", "inf")},
		// A packed sorted set holds a -0 score as the integer 0; a
		// reply computed by the command keeps the sign.
		{cmd("zadd", "z", "-0", "negzero"), intR(1)},
		{cmd("zscore", "z", "negzero"), bulkR("0")},
		{cmd("zadd", "z", "incr", "-0", "nz2"), bulkR("-0")},
		{cmd("zscore", "z", "nz2"), bulkR("0")},
		{cmd("zincrby", "z", "-0", "zero"), bulkR("0")},
		{cmd("zadd", "z", "1e400", "x"), errR(strNotFloat)},
		{cmd("zadd", "z", "1e-400", "x"), errR(strNotFloat)},
		{cmd("zadd", "z", " 1", "x"), errR(strNotFloat)},
		{cmd("zadd", "z", "1 ", "x"), errR(strNotFloat)},
		{cmd("zadd", "z", "", "x"), errR(strNotFloat)},
		{cmd("zadd", "z", "1\x00", "x"), errR(strNotFloat)},
		{cmd("zadd", "z", "nan(1)", "x"), errR(strNotFloat)},
		{cmd("zadd", "z", "0x1p-1074", "hexsub"), intR(1)},
		{cmd("zscore", "z", "hexsub"), bulkR("4.9406564584124654e-324")},
		// ZSCAN returns a packed set's scores as its listpack stores them:
		// integers in ±2^62 in full.
		{cmd("zscan", "z", "0", "match", "e17"), arrR(bulkR("0"), flatR("e17", "100000000000000000"))},
		{cmd("zscan", "z", "0", "match", "*zero*"), arrR(bulkR("0"), flatR("negzero", "0", "zero", "0"))},
	})
}

func TestZRangeLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"), intR(5)},
		{cmd("zrange", "z", "0", "-1"), flatR("a", "b", "c", "d", "e")},
		{cmd("zrange", "z", "-2", "100", "withscores"), flatR("d", "4", "e", "5")},
		{cmd("zrange", "z", "3", "1"), arrR()},
		{cmd("zrange", "z", "-100", "-6"), arrR()},
		{cmd("zrange", "z", "0", "1", "rev"), flatR("e", "d")},
		{cmd("zrevrange", "z", "0", "1", "WITHSCORES"), flatR("e", "5", "d", "4")},
		{cmd("zrevrange", "z", "0", "1", "rev"), errR(strSyntaxErr)},
		{cmd("zrevrange", "z", "0", "1", "limit", "0", "1"), errR("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")},
		// Redis marks "no LIMIT" as -1.
		{cmd("zrange", "z", "0", "1", "limit", "0", "-1"), flatR("a", "b")},
		{cmd("zrange", "z", "0", "1", "limit", "0", "-2"), errR("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")},
		{cmd("zrange", "z", "0", "1", "limit", "x", "1"), errR(strNotInt)},
		{cmd("zrange", "z", "0", "1", "limit", "1"), errR(strSyntaxErr)},
		{cmd("zrange", "z", "0", "1", "byscore", "bylex"), errR(strSyntaxErr)},
		{cmd("zrange", "z", "a", "b"), errR(strNotInt)},
		{cmd("zrange", "z", "(1", "4", "byscore"), flatR("b", "c", "d")},
		{cmd("zrange", "z", "4", "(1", "byscore", "rev", "withscores"), flatR("d", "4", "c", "3", "b", "2")},
		{cmd("zrange", "z", "-inf", "+inf", "byscore", "limit", "1", "2"), flatR("b", "c")},
		{cmd("zrange", "z", "+inf", "-inf", "byscore", "rev", "limit", "1", "2"), flatR("d", "c")},
		{cmd("zrange", "z", "[b", "[d", "bylex"), flatR("b", "c", "d")},
		{cmd("zrange", "z", "[b", "[d", "bylex", "withscores"), errR("ERR syntax error, WITHSCORES not supported in combination with BYLEX")},
		{cmd("zrangebyscore", "z", "2", "4", "withscores", "limit", "1", "5"), flatR("c", "3", "d", "4")},
		{cmd("zrangebyscore", "z", "2", "4", "limit", "-1", "5"), arrR()},
		{cmd("zrangebyscore", "z", "2", "4", "limit", "1", "-5"), flatR("c", "d")},
		{cmd("zrangebyscore", "z", "2", "4", "limit", "1", "0"), arrR()},
		{cmd("zrangebyscore", "z", "2", "4", "limit", "9223372036854775807", "1"), arrR()},
		{cmd("zrangebyscore", "z", "3", "-8", "limit", "9223372036854775807", "-5"), arrR()},
		{cmd("zrevrangebyscore", "z", "1", "3", "limit", "9223372036854775807", "-5"), arrR()},
		{cmd("zrangebylex", "z", "[c", "[a", "limit", "9223372036854775807", "-5"), arrR()},
		{cmd("zrangebyscore", "z", "2", "4", "rev"), errR(strSyntaxErr)},
		{cmd("zrevrangebyscore", "z", "4", "2"), flatR("d", "c", "b")},
		{cmd("zrevrangebyscore", "z", "(4", "-inf", "limit", "1", "1"), flatR("b")},
		// strtod reads range ends as C strings: leading spaces, "" as 0,
		// a NUL ends the number.
		{cmd("zrangebyscore", "z", " 2", "3"), flatR("b", "c")},
		{cmd("zrangebyscore", "z", "", "1"), flatR("a")},
		{cmd("zrangebyscore", "z", "(", "1"), flatR("a")},
		{cmd("zrangebyscore", "z", "4\x00junk", "+inf"), flatR("d", "e")},
		{cmd("zrangebyscore", "z", "1e400", "inf"), arrR()},
		{cmd("zrangebyscore", "z", "2 ", "3"), errR(errZMinMaxFloatR)},
		{cmd("zrangebyscore", "z", "nan", "3"), errR(errZMinMaxFloatR)},
		{cmd("zrangebyscore", "z", "((1", "3"), errR(errZMinMaxFloatR)},
		{cmd("zrangebylex", "z", "-", "+"), flatR("a", "b", "c", "d", "e")},
		{cmd("zrangebylex", "z", "(a", "[c", "limit", "1", "5"), flatR("c")},
		{cmd("zrevrangebylex", "z", "+", "-", "limit", "1", "2"), flatR("d", "c")},
		{cmd("zrevrangebylex", "z", "[c", "(a"), flatR("c", "b")},
		{cmd("zrangebylex", "z", "+\x00x", "-"), arrR()},
		{cmd("zrangebylex", "z", "a", "[c"), errR(errZMinMaxLexR)},
		{cmd("zrangebylex", "z", "", "[c"), errR(errZMinMaxLexR)},
		{cmd("zrangebylex", "z", "-x", "[c"), errR(errZMinMaxLexR)},
		{cmd("zrangebylex", "z", "[c", "[a"), arrR()},
		{cmd("zrangebylex", "z", "(c", "[c"), arrR()},
		{cmd("zrangebylex", "z", "[c", "[c"), flatR("c")},
		{cmd("zrangebylex", "nokey", "-", "+"), arrR()},
		{cmd("zcount", "z", "-inf", "+inf"), intR(5)},
		{cmd("zcount", "z", "(1", "(5"), intR(3)},
		{cmd("zcount", "z", "5", "1"), intR(0)},
		{cmd("zcount", "z", "x", "1"), errR(errZMinMaxFloatR)},
		{cmd("zcount", "nokey", "0", "1"), intR(0)},
		{cmd("zlexcount", "z", "-", "+"), intR(5)},
		{cmd("zlexcount", "z", "[b", "(d"), intR(2)},
		{cmd("zlexcount", "z", "x", "+"), errR(errZMinMaxLexR)},
		{cmd("zrangestore", "dst", "z", "1", "2"), intR(2)},
		{cmd("zrange", "dst", "0", "-1", "withscores"), flatR("b", "2", "c", "3")},
		{cmd("zrangestore", "dst", "z", "5", "(1", "byscore", "rev", "limit", "0", "2"), intR(2)},
		{cmd("zrange", "dst", "0", "-1"), flatR("d", "e")},
		{cmd("zrangestore", "dst", "z", "0", "-1", "withscores"), errR(strSyntaxErr)},
		{cmd("zrangestore", "dst", "z", "[x", "+", "bylex"), intR(0)},
		{cmd("exists", "dst"), intR(0)},
		{cmd("set", "dst", "string"), okR()},
		{cmd("zrangestore", "dst", "nokey", "0", "-1"), intR(0)},
		{cmd("exists", "dst"), intR(0)},
		{cmd("set", "str", "v"), okR()},
		{cmd("zrangestore", "str", "z", "0", "0"), intR(1)},
		{cmd("type", "str"), statusR("zset")},
	})
}

// TestZSetLexOnMixedScores checks the lexicographical ranges on a sorted
// set whose scores differ, where Redis walks its listpack from one end.
func TestZSetLexOnMixedScores(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("zadd", "z", "1", "d", "2", "a", "3", "e", "4", "b", "5", "f"), intR(5)},
		// The walk starts at d, the first member not below "b", and
		// takes members while they are not above "e".
		{cmd("zrangebylex", "z", "[b", "[e"), flatR("d", "a", "e", "b")},
		{cmd("zrangebylex", "z", "[a", "[z"), flatR("d", "a", "e", "b", "f")},
		{cmd("zrangebylex", "z", "[a", "[d", "limit", "1", "5"), flatR("a")},
		{cmd("zrangebylex", "z", "[a", "[d", "limit", "2", "5"), arrR()},
		{cmd("zrangebylex", "z", "[c", "[e", "limit", "2", "5"), flatR("e", "b")},
		{cmd("zrevrangebylex", "z", "[e", "[b"), flatR("b", "e")},
		{cmd("zrevrangebylex", "z", "[e", "[b", "limit", "2", "2"), arrR()},
		{cmd("zrangebylex", "z", "[e", "[z"), flatR("e", "b", "f")},
		{cmd("zlexcount", "z", "[a", "[d"), intR(2)},
		{cmd("zlexcount", "z", "[b", "[e"), intR(4)},
		{cmd("zremrangebylex", "z", "[a", "[d"), intR(2)},
		{cmd("zrange", "z", "0", "-1"), flatR("e", "b", "f")},
	})
}

func TestZRemRangeLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"), intR(5)},
		{cmd("zremrangebyrank", "z", "x", "1"), errR(strNotInt)},
		{cmd("zremrangebyrank", "z", "3", "1"), intR(0)},
		{cmd("zremrangebyrank", "z", "-1", "-1"), intR(1)},
		{cmd("zremrangebyscore", "z", "(1", "2"), intR(1)},
		{cmd("zremrangebyscore", "z", "x", "2"), errR(errZMinMaxFloatR)},
		{cmd("zremrangebylex", "z", "[c", "+"), intR(2)},
		{cmd("zremrangebylex", "z", "c", "+"), errR(errZMinMaxLexR)},
		{cmd("zrange", "z", "0", "-1"), flatR("a")},
		{cmd("zremrangebyrank", "z", "0", "100"), intR(1)},
		{cmd("exists", "z"), intR(0)},
		{cmd("zremrangebyrank", "nokey", "0", "1"), intR(0)},
		{cmd("set", "str", "v"), okR()},
		// Ranges are checked before the key's type.
		{cmd("zremrangebyrank", "str", "x", "1"), errR(strNotInt)},
		{cmd("zremrangebyscore", "str", "x", "1"), errR(errZMinMaxFloatR)},
		{cmd("zremrangebylex", "str", "x", "1"), errR(errZMinMaxLexR)},
		{cmd("zremrangebyrank", "str", "0", "1"), errR(strWrongType)},
		{cmd("zremrangebyscore", "str", "0", "1"), errR(strWrongType)},
		{cmd("zremrangebylex", "str", "-", "+"), errR(strWrongType)},
	})
}

func TestZPopLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d"), intR(4)},
		{cmd("zadd", "w", "10", "x", "20", "y"), intR(2)},
		{cmd("set", "str", "v"), okR()},
		{cmd("zpopmin", "z", "0"), arrR()},
		{cmd("zpopmin", "z", "-1"), errR("ERR value is out of range, must be positive")},
		{cmd("zpopmin", "z", "x"), errR("ERR value is out of range, must be positive")},
		{cmd("zpopmin", "str", "x"), errR("ERR value is out of range, must be positive")},
		{cmd("zpopmin", "z", "1", "2"), errR(strSyntaxErr)},
		{cmd("zpopmin", "nokey"), arrR()},
		{cmd("zpopmin", "str"), errR(strWrongType)},
		{cmd("zpopmin", "str", "0"), errR(strWrongType)},
		{cmd("zpopmin", "z"), flatR("a", "1")},
		{cmd("zpopmax", "z", "2"), flatR("d", "4", "c", "3")},
		{cmd("zmpop", "1", "z", "min"), arrR(bulkR("z"), arrR(flatR("b", "2")))},
		{cmd("exists", "z"), intR(0)},
		{cmd("zmpop", "0", "z", "min"), errR("ERR numkeys should be greater than 0")},
		{cmd("zmpop", "x", "z", "min"), errR("ERR numkeys should be greater than 0")},
		{cmd("zmpop", "5", "z", "min"), errR(strSyntaxErr)},
		{cmd("zmpop", "9223372036854775807", "z", "min"), errR(strSyntaxErr)},
		{cmd("zmpop", "1", "z", "foo"), errR(strSyntaxErr)},
		{cmd("zmpop", "1", "z", "max", "count", "0"), errR("ERR count should be greater than 0")},
		{cmd("zmpop", "1", "z", "max", "count", "x"), errR("ERR count should be greater than 0")},
		{cmd("zmpop", "1", "z", "max", "count", "1", "count", "1"), errR(strSyntaxErr)},
		{cmd("zmpop", "1", "z", "max", "count"), errR(strSyntaxErr)},
		{cmd("zmpop", "2", "nokey", "str", "min"), errR(strWrongType)},
		{cmd("zmpop", "2", "nokey", "z", "min"), "*-1\r\n"},
		{cmd("zmpop", "3", "nokey", "w", "str", "max", "COUNT", "10"), arrR(bulkR("w"), arrR(flatR("y", "20"), flatR("x", "10")))},
		{cmd("zadd", "z", "1", "a", "2", "b", "3", "c"), intR(3)},
		{cmd("bzpopmin", "z", "-1"), errR("ERR timeout is negative")},
		{cmd("bzpopmin", "z", "x"), errR("ERR timeout is not a float or out of range")},
		{cmd("bzpopmin", "z", "inf"), errR("ERR timeout is negative")},
		{cmd("bzpopmin", "z", "1e30"), errR("ERR timeout is negative")},
		{cmd("bzpopmin", "nokey", "str", "0"), errR(strWrongType)},
		{cmd("bzpopmin", "nokey", "z", "-0.0001"), flatR("z", "a", "1")},
		{cmd("bzpopmax", "nokey", "z", "0"), flatR("z", "c", "3")},
		{cmd("bzmpop", "x", "1", "z", "min"), errR("ERR timeout is not a float or out of range")},
		{cmd("bzmpop", "-1", "1", "z", "min"), errR("ERR timeout is negative")},
		{cmd("bzmpop", "x", "0", "z", "min"), errR("ERR numkeys should be greater than 0")},
		{cmd("bzmpop", "x", "1", "z", "foo"), errR(strSyntaxErr)},
		{cmd("bzmpop", "x", "1", "z", "min", "count", "0"), errR("ERR count should be greater than 0")},
		{cmd("bzmpop", "0.5", "2", "nokey", "z", "max", "count", "5"), arrR(bulkR("z"), arrR(flatR("b", "2")))},
		{cmd("exists", "z"), intR(0)},
	})
}

// TestBlockingPopsWithoutData checks the reply of the blocking pops when
// every key is empty: Redis's null array, as inside MULTI (the oracle
// would block, so the FSM alone is checked).
func TestBlockingPopsWithoutData(t *testing.T) {
	tf := newTestFSM(t)
	tf.check([]replyCase{
		{cmd("bzpopmin", "a", "b", "0"), "*-1\r\n"},
		{cmd("bzpopmax", "a", "1.5"), "*-1\r\n"},
		{cmd("bzmpop", "0", "2", "a", "b", "min", "count", "3"), "*-1\r\n"},
	})
	for _, name := range []string{"bzpopmin", "bzpopmax", "bzmpop"} {
		if c := Lookup([]byte(name)); c.Flags&(FlagBlocking|FlagWrite) != FlagBlocking|FlagWrite {
			t.Errorf("%s: flags %v, want blocking and write", name, c.Flags.Names())
		}
	}
}

func TestZSetAlgebraLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d"), intR(4)},
		{cmd("zadd", "w", "10", "b", "20", "c", "30", "x"), intR(3)},
		{cmd("set", "str", "v"), okR()},
		{cmd("zunion", "2", "z", "w", "withscores"), flatR("a", "1", "d", "4", "b", "12", "c", "23", "x", "30")},
		{cmd("zunion", "2", "z", "w", "weights", "2", "-1", "withscores"), flatR("x", "-30", "c", "-14", "b", "-6", "a", "2", "d", "8")},
		{cmd("zunion", "2", "z", "w", "aggregate", "max", "withscores"), flatR("a", "1", "d", "4", "b", "10", "c", "20", "x", "30")},
		{cmd("zunion", "2", "z", "w", "aggregate", "MIN", "aggregate", "sum"), flatR("a", "d", "b", "c", "x")},
		{cmd("zinter", "2", "z", "w", "withscores"), flatR("b", "12", "c", "23")},
		{cmd("zinter", "2", "z", "w", "aggregate", "min", "weights", "1", "0.5", "withscores"), flatR("b", "2", "c", "3")},
		{cmd("zinter", "2", "z", "nokey"), arrR()},
		{cmd("zdiff", "2", "z", "w", "withscores"), flatR("a", "1", "d", "4")},
		{cmd("zdiff", "2", "z", "z"), arrR()},
		{cmd("zdiff", "1", "nokey"), arrR()},
		{cmd("zintercard", "2", "z", "w"), intR(2)},
		{cmd("zintercard", "2", "z", "w", "limit", "1"), intR(1)},
		{cmd("zintercard", "2", "z", "w", "limit", "0"), intR(2)},
		// Argument errors, in Redis's order.
		{cmd("zunion", "x", "z"), errR(strNotInt)},
		{cmd("zunion", "0", "z"), errR("ERR at least 1 input key is needed for 'zunion' command")},
		{cmd("ZINTERSTORE", "d", "-1", "z"), errR("ERR at least 1 input key is needed for 'zinterstore' command")},
		{cmd("zunion", "3", "z", "w"), errR(strSyntaxErr)},
		{cmd("zunion", "2", "z", "str", "weights", "x"), errR(strWrongType)},
		{cmd("zunion", "2", "z", "w", "weights", "2", "withscores"), errR("ERR weight value is not a float")},
		{cmd("zunion", "2", "z", "w", "weights", "2", "nan"), errR("ERR weight value is not a float")},
		{cmd("zunion", "2", "z", "w", "weights", "2"), errR(strSyntaxErr)},
		{cmd("zunion", "2", "z", "w", "aggregate", "avg"), errR(strSyntaxErr)},
		{cmd("zunion", "2", "z", "w", "aggregate"), errR(strSyntaxErr)},
		{cmd("zdiff", "2", "z", "w", "weights", "1", "2"), errR(strSyntaxErr)},
		{cmd("zdiff", "2", "z", "w", "aggregate", "sum"), errR(strSyntaxErr)},
		{cmd("zintercard", "2", "z", "w", "withscores"), errR(strSyntaxErr)},
		{cmd("zintercard", "2", "z", "w", "limit", "-1"), errR("ERR LIMIT can't be negative")},
		{cmd("zintercard", "2", "z", "w", "limit", "x"), errR("ERR LIMIT can't be negative")},
		{cmd("zintercard", "2", "z", "w", "limit"), errR(strSyntaxErr)},
		{cmd("zinterstore", "d", "2", "z", "w", "withscores"), errR(strSyntaxErr)},
		// Stores replace any value, and delete the destination for an
		// empty result.
		{cmd("zunionstore", "str", "2", "z", "w", "weights", "1", "2"), intR(5)},
		{cmd("zrange", "str", "0", "-1", "withscores"), flatR("a", "1", "d", "4", "b", "22", "c", "43", "x", "60")},
		{cmd("zinterstore", "str", "2", "z", "w"), intR(2)},
		{cmd("zdiffstore", "str", "2", "z", "z"), intR(0)},
		{cmd("exists", "str"), intR(0)},
		{cmd("zunionstore", "z", "2", "z", "w"), intR(5)},
		{cmd("zscore", "z", "b"), bulkR("12")},
		// inf + -inf is 0, and so is 0 × inf; MIN and MAX skip the NaN
		// of a weight of 0 after the first input.
		{cmd("zadd", "pinf", "inf", "m"), intR(1)},
		{cmd("zadd", "ninf", "-inf", "m", "1", "n"), intR(2)},
		{cmd("zunion", "2", "pinf", "ninf", "withscores"), flatR("m", "0", "n", "1")},
		{cmd("zunion", "2", "pinf", "ninf", "weights", "0", "1", "withscores"), flatR("m", "-inf", "n", "1")},
		{cmd("zinter", "2", "pinf", "ninf", "withscores"), flatR("m", "0")},
		{cmd("zinter", "2", "pinf", "ninf", "weights", "1", "0", "aggregate", "min", "withscores"), flatR("m", "inf")},
		{cmd("zinter", "2", "pinf", "ninf", "weights", "1", "0", "aggregate", "max", "withscores"), flatR("m", "inf")},
		// A computed -0 shows as such; stored, it is 0.
		{cmd("zadd", "zero", "0", "m"), intR(1)},
		{cmd("zunion", "1", "zero", "weights", "-1", "withscores"), flatR("m", "-0")},
		{cmd("zunionstore", "neg", "1", "zero", "weights", "-1"), intR(1)},
		{cmd("zscore", "neg", "m"), bulkR("0")},
	})
}

// TestZSetSumOrder checks that sums add up in Redis's order (inputs from
// the smallest), which floating point makes visible.
func TestZSetSumOrder(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("zadd", "big", "1e16", "m", "0", "a", "0", "b"), intR(3)},
		{cmd("zadd", "one", "1", "m"), intR(1)},
		{cmd("zadd", "two", "1", "m", "0", "c"), intR(2)},
		// Order by size: one (1), two (2), big (3): (1 + 1) + 1e16.
		{cmd("zunion", "3", "big", "two", "one", "withscores"), flatR("a", "0", "b", "0", "c", "0", "m", "10000000000000002")},
		{cmd("zinter", "3", "big", "one", "two", "withscores"), flatR("m", "10000000000000002")},
		{cmd("zunion", "2", "big", "one", "withscores"), flatR("a", "0", "b", "0", "m", "10000000000000000")},
	})
}

func TestZSetMiscLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("zadd", "z", "1", "a", "2", "b"), intR(2)},
		{cmd("set", "str", "v"), okR()},
		{cmd("zrandmember", "nokey"), nullR()},
		{cmd("zrandmember", "nokey", "5"), arrR()},
		{cmd("zrandmember", "z", "x"), errR(strNotInt)},
		{cmd("zrandmember", "z", "1", "withscore"), errR(strSyntaxErr)},
		{cmd("zrandmember", "z", "1", "withscores", "x"), errR(strSyntaxErr)},
		{cmd("zrandmember", "z", "-9223372036854775808"), errR("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")},
		{cmd("zrandmember", "z", "4611686018427387904", "withscores"), errR("ERR value is out of range")},
		{cmd("zrandmember", "z", "0"), arrR()},
		// The whole set comes from the highest score down.
		{cmd("zrandmember", "z", "5", "withscores"), flatR("b", "2", "a", "1")},
		{cmd("zrandmember", "str"), errR(strWrongType)},
		{cmd("zrandmember", "str", "1"), errR(strWrongType)},
		{cmd("zscan", "z", "x"), errR("ERR invalid cursor")},
		{cmd("zscan", "nokey", "0"), arrR(bulkR("0"), arrR())},
		{cmd("zscan", "z", "0", "count", "0"), errR(strSyntaxErr)},
		{cmd("zscan", "z", "0", "type", "zset"), errR(strSyntaxErr)},
		{cmd("zscan", "z", "0", "match", "a*", "count", "1"), arrR(bulkR("0"), flatR("a", "1"))},
		{cmd("zscan", "str", "0"), errR(strWrongType)},
		{cmd("zscan", "str", "x"), errR("ERR invalid cursor")},
		// Wrong types, both ways.
		{cmd("zadd", "str", "1", "a"), errR(strWrongType)},
		{cmd("zadd", "str", "x", "a"), errR(strNotFloat)},
		{cmd("zincrby", "str", "1", "a"), errR(strWrongType)},
		{cmd("zrem", "str", "a"), errR(strWrongType)},
		{cmd("zcard", "str"), errR(strWrongType)},
		{cmd("zscore", "str", "a"), errR(strWrongType)},
		{cmd("zmscore", "str", "a"), errR(strWrongType)},
		{cmd("zrank", "str", "a"), errR(strWrongType)},
		{cmd("zrevrank", "str", "a"), errR(strWrongType)},
		{cmd("zcount", "str", "0", "1"), errR(strWrongType)},
		{cmd("zlexcount", "str", "-", "+"), errR(strWrongType)},
		{cmd("zrange", "str", "0", "1"), errR(strWrongType)},
		{cmd("zrange", "str", "0", "1", "foo"), errR(strSyntaxErr)},
		{cmd("zrangestore", "d", "str", "0", "1"), errR(strWrongType)},
		{cmd("get", "z"), errR(strWrongType)},
		{cmd("hget", "z", "a"), errR(strWrongType)},
		{cmd("type", "z"), statusR("zset")},
	})
}

// TestZSetCommandSpecs checks the table against COMMAND INFO of
// redis-server 7.0.15 (arity, flags, first/last/step) and COMMAND
// GETKEYS, and that the blocking commands parse for the server.
func TestZSetCommandSpecs(t *testing.T) {
	want := map[string]string{
		"zadd":             "-4 [write denyoom fast] 1 1 1",
		"zincrby":          "4 [write denyoom fast] 1 1 1",
		"zrem":             "-3 [write fast] 1 1 1",
		"zcard":            "2 [readonly fast] 1 1 1",
		"zcount":           "4 [readonly fast] 1 1 1",
		"zlexcount":        "4 [readonly fast] 1 1 1",
		"zscore":           "3 [readonly fast] 1 1 1",
		"zmscore":          "-3 [readonly fast] 1 1 1",
		"zrank":            "3 [readonly fast] 1 1 1",
		"zrevrank":         "3 [readonly fast] 1 1 1",
		"zrange":           "-4 [readonly] 1 1 1",
		"zrangestore":      "-5 [write denyoom] 1 2 1",
		"zrangebyscore":    "-4 [readonly] 1 1 1",
		"zrevrangebyscore": "-4 [readonly] 1 1 1",
		"zrangebylex":      "-4 [readonly] 1 1 1",
		"zrevrangebylex":   "-4 [readonly] 1 1 1",
		"zrevrange":        "-4 [readonly] 1 1 1",
		"zremrangebyrank":  "4 [write] 1 1 1",
		"zremrangebyscore": "4 [write] 1 1 1",
		"zremrangebylex":   "4 [write] 1 1 1",
		"zpopmin":          "-2 [write fast] 1 1 1",
		"zpopmax":          "-2 [write fast] 1 1 1",
		"zmpop":            "-4 [write movablekeys] 0 0 0",
		"bzpopmin":         "-3 [write noscript blocking fast] 1 -2 1",
		"bzpopmax":         "-3 [write noscript blocking fast] 1 -2 1",
		"bzmpop":           "-5 [write blocking movablekeys] 0 0 0",
		"zrandmember":      "-2 [readonly] 1 1 1",
		"zunion":           "-3 [readonly movablekeys] 0 0 0",
		"zinter":           "-3 [readonly movablekeys] 0 0 0",
		"zdiff":            "-3 [readonly movablekeys] 0 0 0",
		"zunionstore":      "-4 [write denyoom movablekeys] 1 1 1",
		"zinterstore":      "-4 [write denyoom movablekeys] 1 1 1",
		"zdiffstore":       "-4 [write denyoom movablekeys] 1 1 1",
		"zintercard":       "-3 [readonly movablekeys] 0 0 0",
		"zscan":            "-3 [readonly] 1 1 1",
	}
	if len(zsetCommands) != len(want) {
		t.Errorf("%d sorted-set commands, want %d", len(zsetCommands), len(want))
	}
	for name, w := range want {
		cmd := Lookup([]byte(strings.ToUpper(name)))
		if cmd == nil {
			t.Errorf("%s: not in the command table", name)
			continue
		}
		got := fmt.Sprintf("%d %v %d %d %d", cmd.Arity, cmd.Flags.Names(), cmd.FirstKey, cmd.LastKey, cmd.KeyStep)
		if got != w {
			t.Errorf("%s: got %s, want %s", name, got, w)
		}
		if cmd.Name != name || cmd.Group != "sorted-set" || cmd.Summary == "" {
			t.Errorf("%s: name %q group %q summary %q", name, cmd.Name, cmd.Group, cmd.Summary)
		}
		if blocking := cmd.Flags&FlagBlocking != 0; blocking != (cmd.block != nil) {
			t.Errorf("%s: blocking flag %v but argument parser %v", name, blocking, cmd.block != nil)
		}
	}
	// COMMAND GETKEYS, as redis-server answers it.
	for _, tc := range []struct {
		args []string
		keys string
	}{
		{[]string{"zunionstore", "dst", "2", "a", "b"}, "[dst a b]"},
		{[]string{"zunionstore", "dst", "3", "a", "b"}, "[]"},
		{[]string{"zdiffstore", "d", "1", "a"}, "[d a]"},
		{[]string{"zunion", "2", "a", "b", "withscores"}, "[a b]"},
		{[]string{"zintercard", "2", "a", "b"}, "[a b]"},
		{[]string{"zmpop", "2", "a", "b", "min"}, "[a b]"},
		{[]string{"bzmpop", "0", "1", "a", "max"}, "[a]"},
		{[]string{"zrangestore", "d", "s", "0", "1"}, "[d s]"},
		{[]string{"bzpopmin", "a", "b", "0"}, "[a b]"},
	} {
		cmd := Lookup([]byte(tc.args[0]))
		if got := fmt.Sprintf("%s", cmd.Keys(toArgs(tc.args))); got != tc.keys {
			t.Errorf("keys of %q = %s, want %s", tc.args, got, tc.keys)
		}
	}
	// What the server learns before it blocks a client.
	for _, tc := range []struct {
		args    []string
		ms      int64
		errMsg  string
		waitsOn string
	}{
		{[]string{"bzpopmin", "a", "b", "1.5"}, 1500, "", "[a b]"},
		{[]string{"bzpopmax", "a", "0"}, 0, "", "[a]"},
		{[]string{"bzpopmax", "a", "-1"}, 0, "ERR timeout is negative", "[]"},
		{[]string{"bzmpop", "0.001", "2", "a", "b", "min", "count", "3"}, 1, "", "[a b]"},
		{[]string{"bzmpop", "x", "2", "a", "b", "foo"}, 0, "ERR syntax error", "[]"},
		{[]string{"bzmpop", "x", "1", "a", "min"}, 0, "ERR timeout is not a float or out of range", "[]"},
		{[]string{"bzpopmin", "a"}, 0, "ERR wrong number of arguments for 'bzpopmin' command", "[]"},
	} {
		ms, errMsg := BlockingTimeout(toArgs(tc.args))
		keys := fmt.Sprintf("%s", BlockingKeys(toArgs(tc.args)))
		if ms != tc.ms || errMsg != tc.errMsg || keys != tc.waitsOn {
			t.Errorf("%q: timeout %d %q, keys %s; want %d %q, %s", tc.args, ms, errMsg, keys, tc.ms, tc.errMsg, tc.waitsOn)
		}
	}
}
