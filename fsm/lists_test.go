package fsm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/raftis/raftis/fsm/rdb"
	"github.com/raftis/raftis/internal/resp"
)

func TestListSpecs(t *testing.T) {
	// COMMAND INFO of redis-server 7.0.15: arity, flags, first/last/step.
	want := map[string]string{
		"lpush":      "-3 [write denyoom fast] 1 1 1",
		"rpush":      "-3 [write denyoom fast] 1 1 1",
		"lpushx":     "-3 [write denyoom fast] 1 1 1",
		"rpushx":     "-3 [write denyoom fast] 1 1 1",
		"lpop":       "-2 [write fast] 1 1 1",
		"rpop":       "-2 [write fast] 1 1 1",
		"llen":       "2 [readonly fast] 1 1 1",
		"lrange":     "4 [readonly] 1 1 1",
		"lindex":     "3 [readonly] 1 1 1",
		"lset":       "4 [write denyoom] 1 1 1",
		"linsert":    "5 [write denyoom] 1 1 1",
		"lrem":       "4 [write] 1 1 1",
		"ltrim":      "4 [write] 1 1 1",
		"lpos":       "-3 [readonly] 1 1 1",
		"lmove":      "5 [write denyoom] 1 2 1",
		"rpoplpush":  "3 [write denyoom] 1 2 1",
		"lmpop":      "-4 [write movablekeys] 0 0 0",
		"blpop":      "-3 [write noscript blocking] 1 -2 1",
		"brpop":      "-3 [write noscript blocking] 1 -2 1",
		"blmove":     "6 [write denyoom noscript blocking] 1 2 1",
		"brpoplpush": "4 [write denyoom noscript blocking] 1 2 1",
		"blmpop":     "-5 [write blocking movablekeys] 0 0 0",
	}
	if len(listCommands) != len(want) {
		t.Errorf("%d list commands, want %d", len(listCommands), len(want))
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
		if cmd.Name != name || cmd.Group != "list" || !strings.HasSuffix(cmd.Summary, ".") {
			t.Errorf("%s: name %q group %q summary %q", name, cmd.Name, cmd.Group, cmd.Summary)
		}
		if blocking := cmd.Flags&FlagBlocking != 0; blocking != (cmd.block != nil) {
			t.Errorf("%s: blocking flag %v but argument parser %v", name, blocking, cmd.block != nil)
		}
	}
	// Movable keys: COMMAND GETKEYS finds them after numkeys.
	for _, tc := range []struct {
		args []string
		keys string
	}{
		{[]string{"lmpop", "2", "a", "b", "LEFT"}, "[a b]"},
		{[]string{"blmpop", "0", "1", "a", "LEFT", "COUNT", "2"}, "[a]"},
		{[]string{"lmpop", "3", "a", "b", "LEFT"}, "[a b LEFT]"}, // as Redis: no syntax check
		{[]string{"lmpop", "4", "a", "b", "LEFT"}, "[]"},
		{[]string{"lmpop", "0", "a", "LEFT"}, "[]"},
		{[]string{"lmpop", "x", "a", "LEFT"}, "[]"},
		{[]string{"blpop", "a", "b", "0"}, "[a b]"},
	} {
		cmd := Lookup([]byte(tc.args[0]))
		if got := fmt.Sprintf("%s", cmd.Keys(toArgs(tc.args))); got != tc.keys {
			t.Errorf("keys of %q = %s, want %s", tc.args, got, tc.keys)
		}
	}
}

func TestListCommandsLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("lpush", "l", "c", "b", "a"), intR(3)},
		{cmd("rpush", "l", "d", "e"), intR(5)},
		{cmd("lrange", "l", "0", "-1"), arrR(bulkRs([]string{"a", "b", "c", "d", "e"})...)},
		{cmd("lpush", "l"), arityR("lpush")},
		{cmd("lpushx", "nokey", "a", "b"), intR(0)},
		{cmd("rpushx", "nokey", "a"), intR(0)},
		{cmd("exists", "nokey"), intR(0)},
		{cmd("lpushx", "l", "z"), intR(6)},
		{cmd("rpushx", "l", "y", "x"), intR(8)},
		{cmd("llen", "l"), intR(8)},
		{cmd("llen", "nokey"), intR(0)},
		{cmd("lindex", "l", "0"), bulkR("z")},
		{cmd("lindex", "l", "-1"), bulkR("x")},
		{cmd("lindex", "l", "-8"), bulkR("z")},
		{cmd("lindex", "l", "8"), nullR()},
		{cmd("lindex", "l", "-9"), nullR()},
		{cmd("lindex", "l", "9223372036854775807"), nullR()},
		{cmd("lindex", "l", "-9223372036854775808"), nullR()},
		{cmd("lindex", "l", "abc"), errR(strNotInt)},
		{cmd("lindex", "nokey", "abc"), nullR()},
		// LRANGE: negative, reversed and huge ranges.
		{cmd("lrange", "l", "-3", "-2"), arrR(bulkR("e"), bulkR("y"))},
		{cmd("lrange", "l", "5", "2"), arrR()},
		{cmd("lrange", "l", "8", "100"), arrR()},
		{cmd("lrange", "l", "-100", "1"), arrR(bulkR("z"), bulkR("a"))},
		{cmd("lrange", "l", "-9223372036854775808", "9223372036854775807"), arrR(bulkRs([]string{"z", "a", "b", "c", "d", "e", "y", "x"})...)},
		{cmd("lrange", "l", "9223372036854775807", "-9223372036854775808"), arrR()},
		{cmd("lrange", "l", "0", "-9"), arrR()},
		{cmd("lrange", "l", "a", "1"), errR(strNotInt)},
		{cmd("lrange", "l", "0", "1.5"), errR(strNotInt)},
		{cmd("lrange", "nokey", "0", "-1"), arrR()},
		{cmd("lrange", "nokey", "x", "-1"), errR(strNotInt)},
		// LSET
		{cmd("lset", "l", "1", "A"), okR()},
		{cmd("lset", "l", "-1", "X"), okR()},
		{cmd("lset", "l", "8", "no"), errR("ERR index out of range")},
		{cmd("lset", "l", "-9", "no"), errR("ERR index out of range")},
		{cmd("lset", "l", "x", "no"), errR(strNotInt)},
		{cmd("lset", "nokey", "0", "no"), errR("ERR no such key")},
		{cmd("lset", "nokey", "x", "no"), errR("ERR no such key")},
		{cmd("lrange", "l", "0", "1"), arrR(bulkR("z"), bulkR("A"))},
		// LINSERT
		{cmd("linsert", "l", "before", "A", "p"), intR(9)},
		{cmd("linsert", "l", "AFTER", "X", "q"), intR(10)},
		{cmd("linsert", "l", "after", "nothere", "q"), intR(-1)},
		{cmd("linsert", "l", "middle", "A", "q"), errR(strSyntaxErr)},
		{cmd("linsert", "nokey", "before", "A", "q"), intR(0)},
		{cmd("linsert", "nokey", "middle", "A", "q"), errR(strSyntaxErr)},
		{cmd("lrange", "l", "0", "-1"), arrR(bulkRs([]string{"z", "p", "A", "b", "c", "d", "e", "y", "X", "q"})...)},
		// LPOP / RPOP with and without COUNT.
		{cmd("lpop", "l"), bulkR("z")},
		{cmd("rpop", "l"), bulkR("q")},
		{cmd("lpop", "l", "2"), arrR(bulkR("p"), bulkR("A"))},
		{cmd("rpop", "l", "2"), arrR(bulkR("X"), bulkR("y"))},
		{cmd("lpop", "l", "0"), arrR()},
		{cmd("lpop", "l", "-1"), errR("ERR value is out of range, must be positive")},
		{cmd("lpop", "l", "x"), errR("ERR value is out of range, must be positive")},
		{cmd("lpop", "l", "1", "2"), arityR("lpop")},
		{cmd("rpop", "l", "1", "2"), arityR("rpop")},
		{cmd("lpop", "nokey"), nullR()},
		{cmd("lpop", "nokey", "0"), "*-1\r\n"},
		{cmd("rpop", "nokey", "3"), "*-1\r\n"},
		{cmd("rpop", "nokey", "x"), errR("ERR value is out of range, must be positive")},
		{cmd("rpop", "l", "9223372036854775807"), arrR(bulkR("e"), bulkR("d"), bulkR("c"), bulkR("b"))},
		{cmd("exists", "l"), intR(0)},
		{cmd("rpush", "l", "only"), intR(1)},
		{cmd("lpop", "l", "9223372036854775807"), arrR(bulkR("only"))},
		{cmd("exists", "l"), intR(0)},
		// LTRIM
		{cmd("rpush", "t", "0", "1", "2", "3", "4", "5", "6"), intR(7)},
		{cmd("ltrim", "t", "1", "-2"), okR()},
		{cmd("lrange", "t", "0", "-1"), arrR(bulkRs([]string{"1", "2", "3", "4", "5"})...)},
		{cmd("ltrim", "t", "-100", "100"), okR()},
		{cmd("llen", "t"), intR(5)},
		{cmd("ltrim", "t", "x", "1"), errR(strNotInt)},
		{cmd("ltrim", "nokey", "0", "1"), okR()},
		{cmd("ltrim", "nokey", "x", "1"), errR(strNotInt)},
		{cmd("ltrim", "t", "3", "1"), okR()},
		{cmd("exists", "t"), intR(0)},
		{cmd("rpush", "t", "a", "b"), intR(2)},
		{cmd("ltrim", "t", "9223372036854775807", "-9223372036854775808"), okR()},
		{cmd("exists", "t"), intR(0)},
		// LREM
		{cmd("rpush", "r", "a", "b", "a", "c", "a", "b", "a"), intR(7)},
		{cmd("lrem", "r", "1", "a"), intR(1)},
		{cmd("lrem", "r", "-2", "a"), intR(2)},
		{cmd("lrange", "r", "0", "-1"), arrR(bulkRs([]string{"b", "a", "c", "b"})...)},
		{cmd("lrem", "r", "0", "b"), intR(2)},
		{cmd("lrem", "r", "0", "zz"), intR(0)},
		{cmd("lrem", "r", "x", "a"), errR(strNotInt)},
		{cmd("lrem", "nokey", "0", "a"), intR(0)},
		{cmd("lrem", "nokey", "x", "a"), errR(strNotInt)},
		{cmd("lrem", "r", "-9223372036854775808", "a"), intR(1)},
		{cmd("lrem", "r", "9223372036854775807", "c"), intR(1)},
		{cmd("exists", "r"), intR(0)},
		// Binary and empty elements.
		{cmd("rpush", "bin", "", "\x00\xff", "a\r\nb"), intR(3)},
		{cmd("lrange", "bin", "0", "-1"), arrR(bulkR(""), bulkR("\x00\xff"), bulkR("a\r\nb"))},
		{cmd("lrem", "bin", "0", ""), intR(1)},
		{cmd("lpos", "bin", "a\r\nb"), intR(1)},
		// Wrong types, both ways.
		{cmd("set", "s", "v"), okR()},
		{cmd("lpush", "s", "a"), errR(strWrongType)},
		{cmd("rpush", "s", "a"), errR(strWrongType)},
		{cmd("lpushx", "s", "a"), errR(strWrongType)},
		{cmd("rpushx", "s", "a"), errR(strWrongType)},
		{cmd("lpop", "s"), errR(strWrongType)},
		{cmd("rpop", "s", "0"), errR(strWrongType)},
		{cmd("rpop", "s", "x"), errR("ERR value is out of range, must be positive")},
		{cmd("llen", "s"), errR(strWrongType)},
		{cmd("lrange", "s", "0", "1"), errR(strWrongType)},
		{cmd("lindex", "s", "0"), errR(strWrongType)},
		{cmd("lindex", "s", "x"), errR(strWrongType)},
		{cmd("lset", "s", "0", "a"), errR(strWrongType)},
		{cmd("lset", "s", "x", "a"), errR(strWrongType)},
		{cmd("linsert", "s", "before", "a", "b"), errR(strWrongType)},
		{cmd("lrem", "s", "0", "a"), errR(strWrongType)},
		{cmd("ltrim", "s", "0", "1"), errR(strWrongType)},
		{cmd("lpos", "s", "a"), errR(strWrongType)},
		{cmd("lpos", "s", "a", "RANK", "0"), errR(errRankZero)},
		lpushCase("lst"),
		{cmd("get", "lst"), errR(strWrongType)},
		{cmd("hset", "lst", "f", "v"), errR(strWrongType)},
		{cmd("type", "lst"), statusR("list")},
	})
}

func TestListPosLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("rpush", "l", "a", "b", "c", "1", "2", "3", "c", "c"), intR(8)},
		{cmd("lpos", "l", "c"), intR(2)},
		{cmd("lpos", "l", "c", "RANK", "2"), intR(6)},
		{cmd("lpos", "l", "c", "RANK", "-1"), intR(7)},
		{cmd("lpos", "l", "c", "RANK", "-3"), intR(2)},
		{cmd("lpos", "l", "c", "RANK", "4"), nullR()},
		{cmd("lpos", "l", "c", "COUNT", "0"), arrR(intR(2), intR(6), intR(7))},
		{cmd("lpos", "l", "c", "COUNT", "2"), arrR(intR(2), intR(6))},
		{cmd("lpos", "l", "c", "COUNT", "2", "RANK", "-1"), arrR(intR(7), intR(6))},
		{cmd("lpos", "l", "c", "RANK", "2", "COUNT", "0"), arrR(intR(6), intR(7))},
		{cmd("lpos", "l", "c", "MAXLEN", "3"), intR(2)},
		{cmd("lpos", "l", "c", "MAXLEN", "2"), nullR()},
		{cmd("lpos", "l", "c", "COUNT", "0", "MAXLEN", "7"), arrR(intR(2), intR(6))},
		{cmd("lpos", "l", "c", "RANK", "-1", "MAXLEN", "1"), intR(7)},
		{cmd("lpos", "l", "zz", "COUNT", "0"), arrR()},
		{cmd("lpos", "l", "zz"), nullR()},
		// RANK's extremes: LONG_MIN stays negative when Redis negates it,
		// so the first match from the tail counts.
		{cmd("lpos", "l", "c", "RANK", "-9223372036854775808"), intR(7)},
		{cmd("lpos", "l", "c", "RANK", "-9223372036854775808", "COUNT", "1"), arrR(intR(7), intR(6), intR(2))},
		{cmd("lpos", "l", "c", "RANK", "-9223372036854775807"), nullR()},
		{cmd("lpos", "l", "c", "RANK", "9223372036854775807"), nullR()},
		{cmd("lpos", "l", "c", "RANK", "0"), errR(errRankZero)},
		{cmd("lpos", "l", "c", "RANK", "x"), errR(strNotInt)},
		{cmd("lpos", "l", "c", "COUNT", "-1"), errR("ERR COUNT can't be negative")},
		{cmd("lpos", "l", "c", "COUNT", "x"), errR("ERR COUNT can't be negative")},
		{cmd("lpos", "l", "c", "MAXLEN", "-1"), errR("ERR MAXLEN can't be negative")},
		{cmd("lpos", "l", "c", "MAXLEN", "9223372036854775808"), errR("ERR MAXLEN can't be negative")},
		{cmd("lpos", "l", "c", "RANK"), errR(strSyntaxErr)},
		{cmd("lpos", "l", "c", "FOO", "1"), errR(strSyntaxErr)},
		{cmd("lpos", "l", "c", "RANK", "1", "RANK", "0"), errR(errRankZero)},
		{cmd("lpos", "l", "c", "RANK", "0", "FOO"), errR(errRankZero)},
		{cmd("lpos", "l", "c", "FOO", "RANK", "0"), errR(strSyntaxErr)},
		{cmd("lpos", "nokey", "c"), nullR()},
		{cmd("lpos", "nokey", "c", "COUNT", "1"), arrR()},
		{cmd("lpos", "nokey", "c", "RANK", "0"), errR(errRankZero)},
		{cmd("lpos", "l"), arityR("lpos")},
	})
}

func TestListMoveLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("rpush", "a", "1", "2", "3"), intR(3)},
		{cmd("lmove", "a", "b", "LEFT", "RIGHT"), bulkR("1")},
		{cmd("lmove", "a", "b", "right", "left"), bulkR("3")},
		{cmd("lrange", "b", "0", "-1"), arrR(bulkR("3"), bulkR("1"))},
		{cmd("rpoplpush", "a", "b"), bulkR("2")},
		{cmd("exists", "a"), intR(0)},
		{cmd("lrange", "b", "0", "-1"), arrR(bulkR("2"), bulkR("3"), bulkR("1"))},
		{cmd("rpoplpush", "a", "b"), nullR()},
		{cmd("lmove", "a", "b", "LEFT", "LEFT"), nullR()},
		// A list onto itself rotates, even with one element.
		{cmd("rpoplpush", "b", "b"), bulkR("1")},
		{cmd("lmove", "b", "b", "LEFT", "RIGHT"), bulkR("1")},
		{cmd("lrange", "b", "0", "-1"), arrR(bulkR("2"), bulkR("3"), bulkR("1"))},
		{cmd("rpush", "one", "x"), intR(1)},
		{cmd("lmove", "one", "one", "LEFT", "LEFT"), bulkR("x")},
		{cmd("lrange", "one", "0", "-1"), arrR(bulkR("x"))},
		// Errors, in Redis's order: directions, source, then destination.
		{cmd("set", "s", "v"), okR()},
		{cmd("lmove", "b", "s", "LEFT", "RIGHT"), errR(strWrongType)},
		{cmd("llen", "b"), intR(3)},
		{cmd("lmove", "s", "b", "LEFT", "RIGHT"), errR(strWrongType)},
		{cmd("lmove", "nokey", "s", "LEFT", "RIGHT"), nullR()},
		{cmd("lmove", "s", "b", "UP", "RIGHT"), errR(strSyntaxErr)},
		{cmd("lmove", "b", "c", "LEFT", "DOWN"), errR(strSyntaxErr)},
		{cmd("rpoplpush", "b", "s"), errR(strWrongType)},
		{cmd("rpoplpush", "nokey", "s"), nullR()},
		{cmd("rpoplpush", "s", "b"), errR(strWrongType)},
		// LMPOP
		{cmd("lmpop", "2", "nokey", "b", "LEFT"), arrR(bulkR("b"), arrR(bulkR("2")))},
		{cmd("lmpop", "2", "nokey", "b", "right", "COUNT", "10"), arrR(bulkR("b"), arrR(bulkR("1"), bulkR("3")))},
		{cmd("exists", "b"), intR(0)},
		{cmd("lmpop", "2", "nokey", "b", "LEFT"), "*-1\r\n"},
		{cmd("lmpop", "1", "s", "LEFT"), errR(strWrongType)},
		{cmd("rpush", "c", "1", "2"), intR(2)},
		{cmd("lmpop", "2", "c", "s", "LEFT"), arrR(bulkR("c"), arrR(bulkR("1")))},
		{cmd("lmpop", "2", "s", "c", "LEFT"), errR(strWrongType)},
		{cmd("lmpop", "0", "c", "LEFT"), errR("ERR numkeys should be greater than 0")},
		{cmd("lmpop", "-1", "c", "LEFT"), errR("ERR numkeys should be greater than 0")},
		{cmd("lmpop", "x", "c", "LEFT"), errR("ERR numkeys should be greater than 0")},
		{cmd("lmpop", "2", "c", "LEFT"), errR(strSyntaxErr)},
		{cmd("lmpop", "9223372036854775807", "c", "LEFT"), errR(strSyntaxErr)},
		{cmd("lmpop", "1", "c", "UP"), errR(strSyntaxErr)},
		{cmd("lmpop", "1", "c", "LEFT", "COUNT"), errR(strSyntaxErr)},
		{cmd("lmpop", "1", "c", "LEFT", "COUNT", "0"), errR("ERR count should be greater than 0")},
		{cmd("lmpop", "1", "c", "LEFT", "COUNT", "-5"), errR("ERR count should be greater than 0")},
		{cmd("lmpop", "1", "nokey", "LEFT", "COUNT", "x"), errR("ERR count should be greater than 0")},
		{cmd("lmpop", "1", "c", "LEFT", "COUNT", "1", "COUNT", "1"), errR(strSyntaxErr)},
		{cmd("lmpop", "1", "c", "LEFT", "FOO"), errR(strSyntaxErr)},
		{cmd("lmpop", "1", "c", "LEFT", "COUNT", "9223372036854775807"), arrR(bulkR("c"), arrR(bulkR("2")))},
		{cmd("lmpop", "1", "c"), arityR("lmpop")},
	})
}

// TestBlockingCommandsLikeRedis checks the blocking commands on keys that
// hold lists, where Redis does not block either.
func TestBlockingCommandsLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("rpush", "a", "1", "2", "3"), intR(3)},
		{cmd("rpush", "b", "x"), intR(1)},
		{cmd("set", "s", "v"), okR()},
		{cmd("blpop", "nokey", "a", "b", "0"), arrR(bulkR("a"), bulkR("1"))},
		{cmd("brpop", "nokey", "a", "b", "0.01"), arrR(bulkR("a"), bulkR("3"))},
		{cmd("brpop", "b", "s", "0"), arrR(bulkR("b"), bulkR("x"))},
		{cmd("exists", "b"), intR(0)},
		{cmd("blpop", "s", "a", "0"), errR(strWrongType)},
		{cmd("blpop", "a", "-1"), errR("ERR timeout is negative")},
		{cmd("blpop", "a", "x"), errR("ERR timeout is not a float or out of range")},
		{cmd("blpop", "s", "x"), errR("ERR timeout is not a float or out of range")},
		{cmd("blpop", "a"), arityR("blpop")},
		{cmd("rpush", "a", "4", "5"), intR(3)},
		{cmd("blmove", "a", "b", "LEFT", "RIGHT", "0"), bulkR("2")},
		{cmd("blmove", "a", "b", "RIGHT", "LEFT", "1.5"), bulkR("5")},
		{cmd("lrange", "b", "0", "-1"), arrR(bulkR("5"), bulkR("2"))},
		{cmd("blmove", "a", "s", "LEFT", "RIGHT", "0"), errR(strWrongType)},
		{cmd("blmove", "s", "b", "LEFT", "RIGHT", "0"), errR(strWrongType)},
		{cmd("blmove", "a", "b", "UP", "RIGHT", "-1"), errR(strSyntaxErr)},
		{cmd("blmove", "a", "b", "LEFT", "UP", "x"), errR(strSyntaxErr)},
		{cmd("blmove", "a", "b", "LEFT", "RIGHT", "-1"), errR("ERR timeout is negative")},
		{cmd("brpoplpush", "a", "b", "0"), bulkR("4")},
		{cmd("brpoplpush", "b", "s", "0"), errR(strWrongType)},
		{cmd("brpoplpush", "nokey", "b", "x"), errR("ERR timeout is not a float or out of range")},
		{cmd("blmpop", "0", "2", "nokey", "b", "LEFT", "COUNT", "5"), arrR(bulkR("b"), arrR(bulkR("4"), bulkR("5"), bulkR("2")))},
		{cmd("exists", "b"), intR(0)},
		{cmd("rpush", "b", "y"), intR(1)},
		{cmd("blmpop", "0", "2", "s", "b", "LEFT"), errR(strWrongType)},
		{cmd("blmpop", "-1", "0", "b", "LEFT"), errR("ERR numkeys should be greater than 0")},
		{cmd("blmpop", "x", "1", "b", "UP"), errR(strSyntaxErr)},
		{cmd("blmpop", "x", "1", "b", "LEFT", "COUNT", "0"), errR("ERR count should be greater than 0")},
		{cmd("blmpop", "x", "1", "b", "LEFT"), errR("ERR timeout is not a float or out of range")},
		{cmd("blmpop", "-1", "1", "b", "LEFT"), errR("ERR timeout is negative")},
		{cmd("blmpop", "0", "2", "b", "LEFT"), errR(strSyntaxErr)},
		{cmd("blmpop", "0", "1", "b", "RIGHT"), arrR(bulkR("b"), arrR(bulkR("y")))},
		{cmd("blmpop", "0", "1", "b"), arityR("blmpop")},
	})
}

// TestBlockingCommandsOnEmptyKeys checks the replies when every key is
// empty, against Redis running the same commands inside MULTI, where it
// does not block either.
func TestBlockingCommandsOnEmptyKeys(t *testing.T) {
	cases := [][]string{
		{"blpop", "nokey", "0"},
		{"brpop", "nokey", "other", "0"},
		{"blmove", "nokey", "dst", "LEFT", "RIGHT", "0"},
		{"brpoplpush", "nokey", "dst", "0"},
		{"blmpop", "0", "2", "nokey", "other", "LEFT", "COUNT", "3"},
		// The destination is not looked at while the source is empty.
		{"set", "s", "v"},
		{"blmove", "nokey", "s", "LEFT", "RIGHT", "0"},
		{"brpoplpush", "nokey", "s", "0"},
		// Arguments are still checked.
		{"blpop", "nokey", "-1"},
		{"blmpop", "0", "0", "nokey", "LEFT"},
		{"exists", "dst", "nokey"},
	}
	tf := newTestFSM(t)
	o := newOracle(t)
	for _, args := range cases {
		got := tf.do(args...)
		if r := o.do("MULTI"); r != okR() {
			t.Fatalf("MULTI: %q", r)
		}
		if r := o.do(args...); r != statusR("QUEUED") {
			t.Fatalf("%q queued as %q", args, r)
		}
		want := strings.TrimPrefix(o.do("EXEC"), "*1\r\n")
		if got != want {
			t.Errorf("%q\n got: %q\nwant: %q", args, got, want)
		}
		if isBlocking(args) && got[0] != '-' && !WouldBlock([]byte(got)) {
			t.Errorf("%q: WouldBlock(%q) = false", args, got)
		}
	}
}

func isBlocking(args []string) bool {
	cmd := Lookup([]byte(args[0]))
	return cmd != nil && cmd.Flags&FlagBlocking != 0
}

// TestBlockingTimeout checks the timeouts BlockingTimeout accepts, with
// the milliseconds Redis computes, and the errors, also against Redis
// (on a list, so that it does not block).
func TestBlockingTimeout(t *testing.T) {
	cases := []struct {
		timeout string
		ms      int64
		err     string
	}{
		{"0", 0, ""},
		{"1", 1000, ""},
		{"0.01", 10, ""},
		{"1.5", 1500, ""},
		{"0.0001", 1, ""},   // rounded up to a millisecond
		{"-0.0001", 0, ""},  // rounded up to zero
		{"1e-400", 1, ""},   // a long double, not a double: not zero
		{"0x10", 16000, ""}, // strtold reads hex
		{".5", 500, ""},     //
		{"1.", 1000, ""},    //
		{"+1", 1000, ""},    //
		{"-0", 0, ""},       //
		{"9223372036854775", 9223372036854775000, ""},
		{"9223372036854775.807", 9223372036854775807, ""},
		{"9223372036854775.808", 0, errTimeoutNegative}, // past LLONG_MAX ms
		{"1e16", 0, errTimeoutNegative},
		{"1e300", 0, errTimeoutNegative},
		{"inf", 0, errTimeoutNegative},
		{"-inf", 0, errTimeoutNegative},
		{"-1", 0, errTimeoutNegative},
		{"-0.002", 0, errTimeoutNegative},
		{"nan", 0, errTimeoutNotFloat},
		{"abc", 0, errTimeoutNotFloat},
		{"", 0, errTimeoutNotFloat},
		{" 1", 0, errTimeoutNotFloat},
		{"1 ", 0, errTimeoutNotFloat},
		{"1e5000", 0, errTimeoutNotFloat}, // strtold overflows
	}
	o := newOracle(t)
	for _, tc := range cases {
		ms, errMsg := BlockingTimeout(toArgs([]string{"BLPOP", "k", tc.timeout}))
		if ms != tc.ms || errMsg != tc.err {
			t.Errorf("timeout %q: %d %q, want %d %q", tc.timeout, ms, errMsg, tc.ms, tc.err)
		}
		o.do("RPUSH", "k", "v")
		want := arrR(bulkR("k"), bulkR("v"))
		if tc.err != "" {
			want = errR(tc.err)
			o.do("DEL", "k")
		}
		if got := o.do("BLPOP", "k", tc.timeout); got != want {
			t.Errorf("redis: BLPOP k %q = %q, want %q", tc.timeout, got, want)
		}
	}
}

// TestBlockingParseOrder checks which error wins when several arguments
// are bad, and what BlockingKeys returns.
func TestBlockingParseOrder(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
		keys string
	}{
		{[]string{"blpop", "a", "b", "5"}, "", "[a b]"},
		{[]string{"BRPOP", "a", "x"}, errTimeoutNotFloat, "[]"},
		{[]string{"blmove", "a", "b", "UP", "RIGHT", "x"}, ErrSyntax, "[]"},
		{[]string{"blmove", "a", "b", "LEFT", "RIGHT", "x"}, errTimeoutNotFloat, "[]"},
		{[]string{"blmove", "a", "b", "LEFT", "RIGHT", "0"}, "", "[a]"},
		{[]string{"brpoplpush", "a", "b", "0"}, "", "[a]"},
		{[]string{"brpoplpush", "a", "b", "-1"}, errTimeoutNegative, "[]"},
		{[]string{"blmpop", "x", "0", "a", "UP"}, "ERR numkeys should be greater than 0", "[]"},
		{[]string{"blmpop", "x", "1", "a", "UP"}, ErrSyntax, "[]"},
		{[]string{"blmpop", "x", "1", "a", "LEFT", "COUNT", "0"}, "ERR count should be greater than 0", "[]"},
		{[]string{"blmpop", "x", "1", "a", "LEFT"}, errTimeoutNotFloat, "[]"},
		{[]string{"blmpop", "1", "2", "a", "b", "LEFT", "COUNT", "3"}, "", "[a b]"},
		{[]string{"blpop", "a"}, ErrArity("blpop"), "[]"},
		{[]string{"lpop", "a"}, errNotBlocking, "[]"},
		{[]string{"nosuch"}, errNotBlocking, "[]"},
		{nil, errNotBlocking, "[]"},
	} {
		args := toArgs(tc.args)
		if _, errMsg := BlockingTimeout(args); errMsg != tc.err {
			t.Errorf("BlockingTimeout(%q): %q, want %q", tc.args, errMsg, tc.err)
		}
		if keys := fmt.Sprintf("%s", BlockingKeys(args)); keys != tc.keys {
			t.Errorf("BlockingKeys(%q) = %s, want %s", tc.args, keys, tc.keys)
		}
	}
	const now = 1_700_000_000_000
	for _, tc := range []struct{ timeout, want int64 }{
		{0, 0}, {1, now + 1}, {1500, now + 1500},
		{9223372036854775000, 0}, // overflows: Redis waits for ever
	} {
		if got := BlockingDeadline(tc.timeout, now); got != tc.want {
			t.Errorf("BlockingDeadline(%d) = %d, want %d", tc.timeout, got, tc.want)
		}
	}
}

// TestListEncoding: Redis 7.0 reports every list as a quicklist.
func TestListEncoding(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("rpush", "small", "a")
	for i := range 2000 {
		tf.write("rpush", "big", strings.Repeat("x", i%50))
	}
	for _, key := range []string{"small", "big"} {
		it, _ := tf.f.dbs[0].get(key)
		if e := it.val.Encoding(); e != "quicklist" {
			t.Errorf("%s: encoding %s", key, e)
		}
	}
}

// TestListAgainstRedis runs random list commands against a real Redis,
// with chunks far smaller than Redis's so that every command meets chunk
// boundaries, splits and merges; the replies must not depend on them.
// After each command the lists' invariants are checked.
func TestListAgainstRedis(t *testing.T) {
	for _, fill := range []int64{3, -1} {
		t.Run("fill"+strconv.FormatInt(fill, 10), func(t *testing.T) {
			listAgainstRedis(t, fill, oracleRounds(t, 4000))
		})
	}
}

func listAgainstRedis(t *testing.T, fill int64, rounds int) {
	o := newOracle(t)
	tf := newTestFSM(t)
	lim := DefaultLimits
	lim.ListMaxListpackSize = fill
	tf.f.SetLimits(lim)
	r := rand.New(rand.NewPCG(uint64(fill+100), 3))
	keys := []string{"l1", "l2", "l3", "s"}
	elem := func() string {
		switch r.IntN(10) {
		case 0:
			return strings.Repeat("big", 300+r.IntN(1200))
		case 1:
			return ""
		}
		return "e" + strconv.Itoa(r.IntN(12))
	}
	index := func() string {
		if r.IntN(10) == 0 {
			return pickString(r, "9223372036854775807", "-9223372036854775808", "x", "1.5")
		}
		return strconv.Itoa(r.IntN(80) - 40)
	}
	var history []string
	maxLen, maxChunks := 0, 0
	for i := range rounds {
		key, other := keys[r.IntN(len(keys))], keys[r.IntN(len(keys))]
		var args []string
		op := r.IntN(22)
		// Phases of growth, where removals are rare, let lists reach
		// hundreds of elements and many chunks.
		if growing := i/500%2 == 0; growing && !slices.Contains([]int{4, 5, 6, 7, 8, 9, 12}, op) && r.IntN(5) != 0 {
			op = 0
		}
		switch op {
		case 0, 1, 2:
			args = []string{pickString(r, "lpush", "rpush", "lpushx", "rpushx"), key}
			for range 1 + r.IntN(20) {
				args = append(args, elem())
			}
		case 3:
			args = []string{pickString(r, "lpop", "rpop"), key}
			if r.IntN(2) == 0 {
				args = append(args, pickString(r, "0", "1", "3", "50", "-1", "9223372036854775807"))
			}
		case 4:
			args = []string{"llen", key}
		case 5, 6:
			args = []string{"lrange", key, index(), index()}
		case 7:
			args = []string{"lindex", key, index()}
		case 8:
			args = []string{"lset", key, index(), elem()}
		case 9:
			args = []string{"linsert", key, pickString(r, "before", "AFTER", "x"), elem(), elem()}
		case 10:
			args = []string{"lrem", key, strconv.Itoa(r.IntN(7) - 3), elem()}
		case 11:
			args = []string{"ltrim", key, index(), index()}
		case 12:
			args = []string{"lpos", key, elem()}
			for range r.IntN(3) {
				switch r.IntN(3) {
				case 0:
					args = append(args, "RANK", pickString(r, "1", "2", "-1", "-2", "0", "-9223372036854775808"))
				case 1:
					args = append(args, "COUNT", pickString(r, "0", "1", "2", "-1"))
				default:
					args = append(args, "MAXLEN", pickString(r, "0", "1", "5", "20"))
				}
			}
		case 13:
			args = []string{"lmove", key, other, pickString(r, "LEFT", "RIGHT"), pickString(r, "LEFT", "RIGHT")}
		case 14:
			args = []string{"rpoplpush", key, other}
		case 15:
			args = []string{"lmpop", "2", key, other, pickString(r, "LEFT", "RIGHT")}
			if r.IntN(2) == 0 {
				args = append(args, "COUNT", strconv.Itoa(1+r.IntN(30)))
			}
		case 16:
			// Blocking commands on keys that may be empty: inside MULTI on
			// Redis, as the state machine runs them.
			args = []string{"multi:" + pickString(r, "blpop", "brpop"), key, other, "0"}
		case 17:
			args = []string{"multi:blmove", key, other, pickString(r, "LEFT", "RIGHT"), pickString(r, "LEFT", "RIGHT"), "0"}
		case 18:
			args = []string{"multi:blmpop", "0", "2", key, other, pickString(r, "LEFT", "RIGHT"), "COUNT", strconv.Itoa(1 + r.IntN(5))}
		case 19:
			args = []string{"set", "s", elem()}
		case 20:
			args = []string{"del", key}
		case 21:
			args = []string{"rename", key, other}
		}
		history = append(history, fmt.Sprintf("%q", args))
		var want, got string
		if name, ok := strings.CutPrefix(args[0], "multi:"); ok {
			args[0] = name
			o.do("MULTI")
			o.do(args...)
			want = strings.TrimPrefix(o.do("EXEC"), "*1\r\n")
		} else {
			want = o.do(args...)
		}
		got = tf.do(args...)
		if got != want {
			from := max(0, len(history)-10)
			t.Fatalf("after\n%s\n got: %q\nwant: %q", strings.Join(history[from:], "\n"), got, want)
		}
		for _, k := range keys {
			if it, ok := tf.f.dbs[0].get(k); ok {
				if l, isList := it.val.(*listValue); isList {
					checkList(t, l, l.lrangeAll(), strings.Join(args, " "))
					maxLen, maxChunks = max(maxLen, l.count), max(maxChunks, l.nchunks())
				}
			}
		}
	}
	t.Logf("lists reached %d elements, %d chunks", maxLen, maxChunks)
	if maxChunks < 20 && rounds >= 1000 {
		t.Errorf("the lists never had more than %d chunks", maxChunks)
	}
}

func pickString(r *rand.Rand, xs ...string) string { return xs[r.IntN(len(xs))] }

// lrangeAll is every element of l, read through ascend.
func (l *listValue) lrangeAll() [][]byte {
	var out [][]byte
	for e := range l.elements() {
		out = append(out, e)
	}
	return out
}

// TestListSnapshotIsolation checks that a snapshot taken before changes to
// lists, small and large, still writes them as they were, while the
// changes show in the live data.
func TestListSnapshotIsolation(t *testing.T) {
	tf := newTestFSM(t)
	for i := range 3000 {
		tf.write("rpush", "big", "v"+strconv.Itoa(i))
	}
	tf.write("rpush", "small", "a", "b")
	want, err := tf.f.Digest()
	if err != nil {
		t.Fatal(err)
	}
	snap, err := tf.f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	tf.write("lpush", "big", "head")
	tf.write("lset", "big", "1500", "changed")
	tf.write("lrem", "big", "0", "v7")
	tf.write("ltrim", "big", "0", "2000")
	tf.write("rpop", "small")
	tf.write("linsert", "small", "before", "a", "z")
	if got := digestOfSnapshot(t, snap); got != want {
		t.Fatal("the snapshot saw changes made after it was taken")
	}
	for args, want := range map[string]string{
		"lindex big 0":      bulkR("head"),
		"lindex big 1499":   bulkR("changed"), // v7 is gone
		"llen big":          intR(2001),
		"lrange small 0 -1": arrR(bulkR("z"), bulkR("a")),
	} {
		if got := tf.read(strings.Fields(args)...); got != want {
			t.Errorf("%s = %q, want %q", args, got, want)
		}
	}
}

// TestListCopyThenChangeBoth: COPY leaves two live lists that share
// chunks; changing either must not change the other.
func TestListCopyThenChangeBoth(t *testing.T) {
	tf := newTestFSM(t)
	for i := range 3000 {
		tf.write("rpush", "src", "v"+strconv.Itoa(i))
	}
	tf.write("copy", "src", "dst")
	tf.write("lset", "src", "10", "src-only")
	tf.write("lset", "dst", "20", "dst-only")
	tf.write("rpush", "src", "src-tail")
	tf.write("lpop", "dst")
	tf.write("copy", "dst", "dst2", "db", "1")
	tf.write("lrem", "dst", "0", "v2999")
	for args, want := range map[string]string{
		"lindex src 10":  bulkR("src-only"),
		"lindex src 20":  bulkR("v20"),
		"lindex src -1":  bulkR("src-tail"),
		"llen src":       intR(3001),
		"lindex dst 9":   bulkR("v10"),
		"lindex dst 19":  bulkR("dst-only"),
		"lindex dst -1":  bulkR("v2998"),
		"llen dst":       intR(2998),
		"lindex src 0":   bulkR("v0"),
		"lpos src v2999": intR(2999),
	} {
		if got := tf.read(strings.Fields(args)...); got != want {
			t.Errorf("%s = %q, want %q", args, got, want)
		}
	}
	tf.db = 1
	if got := tf.read("lindex", "dst2", "-1"); got != bulkR("v2999") {
		t.Errorf("copy in db 1: lindex -1 = %q", got)
	}
}

// TestListRestore round-trips lists through a snapshot, and loads the
// quicklist a real Redis dumps.
func TestListRestore(t *testing.T) {
	tf := newTestFSM(t)
	for i := range 3000 {
		tf.write("rpush", "big", strconv.Itoa(i))
	}
	tf.write("rpush", "small", "a", "", "\x00\xff")
	tf.write("pexpireat", "small", "4102444800000")
	restored := restoreCopy(t, tf.f)
	for _, args := range [][]string{{"lrange", "big", "0", "-1"}, {"lrange", "small", "0", "-1"}, {"pttl", "small"}, {"type", "big"}} {
		if got, want := string(restored.Read(nil, 0, tf.now, 1, toArgs(args))), tf.read(args...); got != want {
			t.Errorf("%v after restore = %q, want %q", args, got, want)
		}
	}
	it, _ := restored.dbs[0].get("big")
	checkList(t, it.val.(*listValue), it.val.(*listValue).lrangeAll(), "restore")

	// What a real Redis writes (a quicklist of listpacks), through the
	// same path a snapshot load takes.
	o := newOracle(t)
	want := []string{"a", "12", "-7", strings.Repeat("z", 5000), ""}
	o.do(append([]string{"RPUSH", "l"}, want...)...)
	reply := o.do("DUMP", "l")
	dump, err := resp.Parse([]byte(reply))
	if err != nil || dump.Kind != resp.BulkString || dump.Null {
		t.Fatalf("DUMP reply %q (%v)", reply, err)
	}
	rec, err := rdb.DecodeDump([]byte(dump.Str))
	if err != nil {
		t.Fatal(err)
	}
	v, err := valueFromRecord(&DefaultLimits, rec)
	if err != nil {
		t.Fatal(err)
	}
	l := v.(*listValue)
	var got []string
	for _, e := range l.lrangeAll() {
		got = append(got, string(e))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("loaded %q, want %q", got, want)
	}
}
