package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/raftis/raftis/internal/testcluster"
)

// knownCase is a fixed command sequence, run from empty servers on DB 0.
type knownCase struct {
	name string
	// timing: the case sets relative expiries, so TTL & co. get their
	// tolerance; otherwise every reply is compared exactly (but KEYS, SCAN
	// and RANDOMKEY keep their order-free comparers).
	timing bool
	cmds   [][]string
}

// cmds parses one command per string: words separated by single spaces; a
// word in double quotes is a Go string literal (use \x20 for a space, ""
// for the empty string).
func cmds(lines ...string) [][]string {
	out := make([][]string, 0, len(lines))
	for _, line := range lines {
		var cmd []string
		for _, w := range strings.Split(line, " ") {
			if strings.HasPrefix(w, `"`) {
				u, err := strconv.Unquote(w)
				if err != nil {
					panic(fmt.Sprintf("bad literal %s in %q", w, line))
				}
				w = u
			}
			cmd = append(cmd, w)
		}
		out = append(out, cmd)
	}
	return out
}

var long200 = strings.Repeat("abcdefghij", 20)

var knownCases = []knownCase{
	{name: "incrbyfloat formatting", cmds: cmds(
		"INCRBYFLOAT f 0.1", "INCRBYFLOAT f 0.2", "GET f",
		"INCRBYFLOAT g 1e10", "GET g", "INCRBYFLOAT g 0.5",
		"INCRBYFLOAT h -0", "GET h", "INCRBYFLOAT h2 -0.0",
		"INCRBYFLOAT i 5.0e3", "INCRBYFLOAT i 3.0", "INCRBYFLOAT i -5003",
		"SET j 1.5", "INCRBYFLOAT j 1.5", "INCRBYFLOAT j 0x10", "INCRBYFLOAT j .5",
		"INCRBYFLOAT l 1e-20", "INCRBYFLOAT m 0.0000001", "INCRBYFLOAT n 123456789012345678",
		"INCRBYFLOAT o 1.7976931348623157e308", "INCRBYFLOAT o 1e308",
		"INCRBYFLOAT p 1e400", "INCRBYFLOAT p inf", "INCRBYFLOAT p -inf", "INCRBYFLOAT p nan",
		"INCRBYFLOAT p abc", `INCRBYFLOAT p ""`, `INCRBYFLOAT p "\x201"`, `INCRBYFLOAT p "1\x20"`, "INCRBYFLOAT p 1e", "EXISTS p",
		"SET s hello", "INCRBYFLOAT s 1", `SET sp "\x201"`, "INCRBYFLOAT sp 1",
		"SET q 10", "INCRBYFLOAT q -10", "GET q", "SET r 3", "INCRBYFLOAT r 0", "GET r",
	)},
	{name: "incr limits and parsing", cmds: cmds(
		"SET n 9223372036854775807", "INCR n", "INCRBY n 0", "DECR n", "GET n",
		"SET m -9223372036854775808", "DECR m", "DECRBY m 1", "INCRBY m -1",
		"DECRBY z -9223372036854775808", "INCRBY x 9223372036854775807", "INCRBY x 1",
		"INCRBY y 9223372036854775808", "INCRBY y abc", "INCRBY y 1.5", `INCRBY y ""`, "INCRBY y +1", "INCRBY y 01",
		"SET a 01", "INCR a", `SET b "\x201"`, "INCR b", "SET c 1e3", "INCR c", "SET d -0", "INCR d",
		"SET e 12345678901234567890", "INCR e", "SET f 007", "DECR f", `SET g ""`, "INCR g",
		"DECR w", "DECR w", "INCR w", "GET w", "SET v 1.0", "INCR v", "INCRBYFLOAT v 1", "INCR v",
	)},
	{name: "set options and conflicts", cmds: cmds(
		"SET k v NX XX", "SET k v XX NX", "SET k v EX 100 PX 100", "SET k v EX 100 KEEPTTL", "SET k v KEEPTTL EX 100",
		"SET k v EX 100 EX 100", "SET k v EXAT 4102444800 PXAT 4102444800000",
		"SET k v EX 0", "SET k v EX -1", "SET k v PX 0", "SET k v EXAT 0", "SET k v PXAT -1", "SET k v EX abc", "SET k v EX", "SET k v PX",
		"SET k v PX 9223372036854775807", "SET k v EX 9223372036854775", "SET k v EX 9223372036854776", "SET k v EXAT 9223372036854776",
		"SET k v FOO", "SET k v GET FOO", "EXISTS k",
		"SET k v nx", "SET k v2 nx", "SET k v2 xx get", "SET k v3 NX GET", "SET k v4 GET GET", "GET k",
		"SET new v XX GET", "SET new v NX GET", "GET new",
		"SET k v EXAT 4102444800", "EXPIRETIME k", "PEXPIRETIME k", "SET k v2 KEEPTTL", "EXPIRETIME k",
		"SET k v PXAT 4102444800123", "PEXPIRETIME k", "EXPIRETIME k", "SET k v3", "TTL k", "EXPIRETIME k",
		"SET k v KEEPTTL GET", "SET k v GET KEEPTTL XX", "SET k v ex 100000000000000000", "SET k v Ex 100 nX",
		`SET "" ""`, `GET ""`, `SET "\x00" "\x00\r\n"`, `GET "\x00"`,
	)},
	{name: "setnx setex psetex getset getdel", cmds: cmds(
		"SETNX a 1", "SETNX a 2", "GET a", "SETEX b 0 v", "SETEX b -1 v", "SETEX b abc v", "SETEX b 9223372036854775807 v",
		"PSETEX b 0 v", "PSETEX b -5 v", "PSETEX b 1.5 v", "EXISTS b",
		"SETEX b 100000 v", "GET b", "PSETEX c 100000000 w", "GET c",
		"GETSET a 3", "GETSET missing x", "GET missing", "GETDEL a", "GETDEL a", "EXISTS a",
		"SET e \"\"", "GETDEL e", "EXISTS e",
	)},
	{name: "getex", timing: true, cmds: cmds(
		"SET g v EX 1000", "GETEX g", "TTL g", "GETEX g PERSIST", "TTL g", "GETEX g EX 2000", "TTL g",
		"GETEX g PX 3000000", "PTTL g", "GETEX g EXAT 4102444800", "EXPIRETIME g", "GETEX g PXAT 4102444800999", "PEXPIRETIME g",
		"GETEX g EX 0", "GETEX g PX -1", "GETEX g EX abc", "GETEX g EXAT 0", "GETEX g EX 9223372036854775807",
		"GETEX g PERSIST EX 100", "GETEX g EX 100 PX 100", "GETEX g EX 100 EX 100", "GETEX g FOO", "GETEX g KEEPTTL", "GETEX g EX",
		"GETEX g EXAT 1", "EXISTS g", "DBSIZE", "SET h v", "GETEX h PXAT 1", "EXISTS h", "DBSIZE",
		"GETEX missing EX 100", "GETEX missing PERSIST",
	)},
	{name: "getrange negative ranges", cmds: cmds(
		"SET s Hello,World", "GETRANGE s 0 -1", "GETRANGE s -3 -1", "GETRANGE s -100 2", "GETRANGE s 5 3", "GETRANGE s -1 -5",
		"GETRANGE s 0 100", "GETRANGE s 100 200", "GETRANGE s -100 -100", "GETRANGE s 10 10", "GETRANGE s 11 11", "GETRANGE s -11 -11",
		"GETRANGE s 9223372036854775807 -9223372036854775808", "GETRANGE s -9223372036854775808 9223372036854775807",
		"GETRANGE missing 0 -1", "GETRANGE missing 5 1", "GETRANGE s a 1", "GETRANGE s 1 a", "GETRANGE s 1.5 2",
		"SUBSTR s 1 3", "SUBSTR s -5 -1", `SET e ""`, "GETRANGE e 0 -1", "GETRANGE e -1 -1", "GETRANGE e 0 0",
		"SET n 12345", "GETRANGE n 1 2", "INCR n", "GETRANGE n -2 -1",
	)},
	{name: "setrange padding", cmds: cmds(
		"SETRANGE p 5 abc", "GET p", "STRLEN p", "SETRANGE p 0 X", "GET p", `SETRANGE p 20 ""`, "GET p",
		`SETRANGE q 3 ""`, "EXISTS q", `SETRANGE q 536870912 ""`, "EXISTS q", `SETRANGE p 536870912 ""`,
		"SETRANGE p -1 x", "SETRANGE p abc x", "SETRANGE p 536870912 x", "SETRANGE p 536870911 xy", "SETRANGE p 9223372036854775807 x",
		"SETRANGE p 2 Y", "GET p", "SETRANGE p 8 tail", "GET p", `SETRANGE r 0 "\x00\xff"`, "GET r",
		"SET n 10", "SETRANGE n 1 5", "INCR n", "SET big 12", "SETRANGE big 0 99", "INCR big",
	)},
	{name: "append strlen", cmds: cmds(
		"APPEND a x", `APPEND a ""`, "STRLEN a", "STRLEN nokey", `APPEND b ""`, "EXISTS b", "GET b",
		"SET n 42", "APPEND n 1", "INCR n", "GET n", `APPEND n "\x00\r\n"`, "STRLEN n", "GET n",
		"SET f 1.5", "APPEND f 0", "INCRBYFLOAT f 0.25", "STRLEN f",
	)},
	{name: "mget mset msetnx", cmds: cmds(
		"MSET a 1 b 2", "MGET a b c", "MSET a", "MSET a 1 b", "MSET a 9 a 10", "GET a",
		"MSETNX a 1 c 3", "EXISTS c", "MSETNX c 3 d 4", "MGET a b c d", "MSETNX x 1 x 2", "GET x", "MSETNX y", "MSETNX y 1 z",
		"MGET", "MGET missing", `MSET "" empty`, `MGET ""`,
	)},
	// No GT or LT compares a relative expiry with an equal one set by the
	// command before: whether a millisecond passed between the two would
	// decide the reply (it failed a run that way).
	{name: "expire nx xx gt lt", timing: true, cmds: cmds(
		"SET k v", "EXPIRE k 1000 XX", "EXPIRE k 1000 GT", "TTL k", "EXPIRE k 1000 LT", "TTL k",
		"EXPIRE k 2000 NX", "EXPIRE k 2000 GT", "TTL k", "EXPIRE k 500 GT", "EXPIRE k 1500 LT XX", "TTL k",
		"EXPIRE k 3000 XX GT", "TTL k", "EXPIRE k 1000 NX XX", "EXPIRE k 1000 GT LT", "EXPIRE k 1000 NX GT", "EXPIRE k 1000 NX LT",
		"EXPIRE k 1000 FOO", "EXPIRE k 1000 nx", "EXPIRE k 1000 gt", "EXPIRE k 1000 XX XX", "EXPIRE k 999 GT GT",
		"PEXPIRE k 1000000 LT", "PTTL k", "PEXPIRE k 2000000 NX", "PEXPIRE k 900000 GT",
		"PERSIST k", "PERSIST k", "TTL k", "PTTL k", "PERSIST missing",
		"EXPIRE missing 100", "EXPIRE missing 100 NX", "EXPIRE k abc", "EXPIRE k 1.5", `EXPIRE k ""`,
		"EXPIRE k 9223372036854775807", "EXPIRE k 9223372036854775", "EXPIRE k -9223372036854775808", "PEXPIRE k 9223372036854775807",
		"PEXPIRE k -9223372036854775808", "EXPIREAT k 9223372036854775807", "TTL k",
		"SET k2 v EX 1000", "EXPIRE k2 -5 GT", "EXISTS k2", "EXPIRE k2 -5 LT", "EXISTS k2",
		"SET k3 v", "EXPIRE k3 -1 GT", "EXISTS k3", "EXPIRE k3 0 XX", "EXISTS k3", "EXPIRE k3 0", "EXISTS k3",
		"SET k4 v", "PEXPIRE k4 0", "EXISTS k4", "SET k5 v", "EXPIREAT k5 1", "EXISTS k5", "SET k6 v", "PEXPIREAT k6 1000", "EXISTS k6",
		"DBSIZE", "TTL missing", "PTTL missing", "EXPIRETIME missing", "PEXPIRETIME missing",
	)},
	{name: "expiretime absolute", cmds: cmds(
		"SET a 1", "EXPIRETIME a", "PEXPIRETIME a", "EXPIREAT a 4102444800", "EXPIRETIME a", "PEXPIRETIME a",
		"PEXPIREAT a 4102444800499", "EXPIRETIME a", "PEXPIREAT a 4102444800500", "EXPIRETIME a", "PEXPIRETIME a",
		"EXPIREAT a 4102444801 GT", "EXPIREAT a 4102444700 GT", "EXPIREAT a 4102444700 LT", "EXPIRETIME a",
		"PEXPIREAT a 4102444700001 NX", "PEXPIREAT a 4102444700001 XX", "PEXPIRETIME a",
		"EXPIREAT a 9223372036854775", "PEXPIRETIME a", "EXPIREAT a 9223372036854776", "PEXPIREAT a 9223372036854775807", "PEXPIRETIME a",
		"EXPIREAT a abc", "EXPIREAT a 4102444800 FOO",
	)},
	{name: "rename", timing: true, cmds: cmds(
		"SET a 1", "RENAME a a", "RENAMENX a a", "GET a", "RENAME missing missing", "RENAMENX missing missing",
		"RENAME missing b", "RENAMENX missing b", "SET b 2", "RENAMENX a b", "RENAME a b", "GET b", "EXISTS a",
		"SET t v EX 5000", "RENAME t u", "TTL u", "EXISTS t", "SET w x", "RENAME w u", "TTL u", "GET u",
		"SET v 1", "RENAMENX v nv", "GET nv", `RENAME nv ""`, `GET ""`,
	)},
	{name: "move", cmds: cmds(
		"SET a 1", "MOVE a 0", "MOVE a 1", "MOVE a 1", "EXISTS a", "SELECT 1", "GET a", "SET a 2", "MOVE a 0",
		"SELECT 0", "GET a", "SELECT 1", "SET a 4", "MOVE a 0", "GET a", "SELECT 0",
		"MOVE a 16", "MOVE a -1", "MOVE a abc", `MOVE a ""`, "MOVE a 1.5", "MOVE missing 1", "MOVE missing 0", "MOVE missing 16",
		"SET e v EXAT 4102444800", "MOVE e 1", "SELECT 1", "EXPIRETIME e", "SELECT 0",
	)},
	{name: "copy", cmds: cmds(
		"SET a 1", "COPY a a", "COPY a b", "COPY a b", "SET a 2", "COPY a b REPLACE", "GET b",
		"COPY a a DB 1", "COPY a a DB 0", "COPY a b DB 1", "COPY a b DB 1 REPLACE", "SELECT 1", "GET a", "GET b", "SELECT 0",
		"COPY missing b", "COPY missing missing", "COPY a b DB 16", "COPY a b DB -1", "COPY a b DB abc", "COPY a b FOO",
		"COPY a b DB", "COPY a b REPLACE REPLACE", "COPY a b DB 1 DB 0", "COPY a c replace db 1",
		"SET t v EXAT 4102444800", "COPY t t2", "EXPIRETIME t2", "COPY a t2 REPLACE", "EXPIRETIME t2",
	)},
	{name: "swapdb", cmds: cmds(
		"SET a 0", "SELECT 1", "SET b 1", "SWAPDB 0 1", "GET a", "GET b", "SELECT 0", "GET b", "GET a",
		"SWAPDB 0 0", "SWAPDB 1 1", "SWAPDB 0 16", "SWAPDB 16 0", "SWAPDB a 0", "SWAPDB 0 b", "SWAPDB -1 0", "SWAPDB 0 -1",
		"SWAPDB 1.5 0", `SWAPDB "" 0`, "DBSIZE", "SWAPDB 0", "SWAPDB 1 0", "DBSIZE", "GET a",
	)},
	{name: "del exists touch unlink type", cmds: cmds(
		"SET a 1", "EXISTS a a", "EXISTS a a missing", "TOUCH a a missing", "DEL a a", "EXISTS a",
		"MSET a 1 b 2 c 3", "UNLINK a b missing", "DEL c c c", "DBSIZE", "TYPE missing", "SET s v", "TYPE s",
	)},
	{name: "keys patterns", cmds: cmds(
		"MSET k0 a k1 b k2 c k3 d foo e foo:bar f a*b g h?llo h hello i hallo j",
		"KEYS *", "KEYS k*", "KEYS k?", "KEYS k[0-2]", "KEYS k[^0]", "KEYS k[!1]", "KEYS *:*", `KEYS a\*b`, "KEYS a*b",
		"KEYS h?llo", `KEYS h\?llo`, "KEYS h[ae]llo", "KEYS h[a-e]llo", "KEYS FOO*", `KEYS ""`, "KEYS [", "KEYS k[1-]", "KEYS k[]1]",
		`KEYS \`, "KEYS ?", "KEYS *bar", "KEYS *o*", "SELECT 1", "KEYS *", "SELECT 0",
	)},
	{name: "scan", cmds: cmds(
		"MSET k0 a k1 b k2 c k3 d foo e foo:bar f",
		"SCAN 0", "SCAN 0 MATCH k*", "SCAN 0 COUNT 1", "SCAN 0 MATCH *o* COUNT 2", "SCAN 0 TYPE string", "SCAN 0 TYPE list",
		"SCAN 0 TYPE STRING", "SCAN 0 TYPE foo", "SCAN 0 COUNT 0", "SCAN 0 COUNT -1", "SCAN 0 COUNT abc", "SCAN 0 MATCH",
		"SCAN 0 FOO bar", "SCAN abc", "SCAN -abc", "SCAN 18446744073709551616", `SCAN ""`, "SCAN 1.5", "SCAN 0 NOVALUES",
		"SCAN 0 match k? count 100 type string",
	)},
	{name: "randomkey dbsize flushdb", cmds: cmds(
		"RANDOMKEY", "DBSIZE", "SET a 1", "RANDOMKEY", "SELECT 1", "SET b 1", "SET c 1", "DBSIZE", "FLUSHDB", "DBSIZE",
		"SELECT 0", "DBSIZE", "RANDOMKEY", "FLUSHDB ASYNC", "FLUSHDB SYNC", "FLUSHDB FOO", "FLUSHDB ASYNC SYNC",
		"DBSIZE", "RANDOMKEY",
	)},
	{name: "select", cmds: cmds(
		"SELECT 1", "SELECT 15", "SELECT 16", "SELECT -1", "SELECT abc", `SELECT ""`, "SELECT 1.5", "SELECT 2147483647",
		"SELECT 2147483648", "SELECT -2147483649", "SELECT 99999999999", "SELECT 01", "SELECT +1", `SELECT "\x201"`, "SELECT 0",
	)},
	{name: "ping echo", cmds: cmds(
		"PING", "PING hello", `PING ""`, "PING a b", "ECHO hi", `ECHO ""`, `ECHO "\x00\r\n"`, "ECHO a b",
	)},
	{name: "arity errors", cmds: cmds(
		"GET", "GET a b", "SET a", "SETNX a", "SETEX a 100", "PSETEX a", "GETSET a", "GETDEL", "GETDEL a b", "GETEX",
		"MGET", "MSET", "MSETNX", "INCR", "INCR a b", "DECR", "INCRBY a", "DECRBY a", "INCRBYFLOAT a", "APPEND a",
		"STRLEN", "GETRANGE a 0", "SUBSTR a", "SETRANGE a 0", "DEL", "UNLINK", "EXISTS", "TYPE", "TYPE a b", "KEYS",
		"KEYS a b", "SCAN", "RANDOMKEY x", "RENAME a", "RENAMENX a", "MOVE a", "COPY a", "TOUCH", "EXPIRE a", "PEXPIRE a",
		"EXPIREAT a", "PEXPIREAT a", "TTL", "PTTL a b", "EXPIRETIME", "PEXPIRETIME", "PERSIST", "DBSIZE x", "SWAPDB 0",
		"SELECT", "SELECT 0 1", "ECHO", "get", "gEt a b", "FLUSHDB a b c",
	)},
	{name: "bitmaps", cmds: cmds(
		"SETBIT b 7 1", "SETBIT b 100 1", "GET b", "GETBIT b 100", "GETBIT b 4294967295", "SETBIT b 4294967296 1", "SETBIT b 0 2",
		`SET f "\xff\xf0\x00"`, "BITPOS f 0", "BITPOS f 0 0 -1", "BITPOS f 1 2", "BITPOS f 0 8 -1 BIT", "BITPOS missing 1 a",
		"BITCOUNT f", "BITCOUNT f 1 1", "BITCOUNT f 5 30 BIT", "BITCOUNT f -1 -5 FOO", "BITCOUNT f 0", "BITCOUNT missing x y",
		"SET a foobar", "SET c abcdef", "BITOP AND d a c", "GET d", "BITOP NOT d a c", "BITOP AND d missing", "EXISTS d",
		"BITFIELD bf SET i64 0 9223372036854775807 INCRBY i64 0 1 OVERFLOW SAT INCRBY i64 0 -1 OVERFLOW FAIL INCRBY i64 0 -9223372036854775808",
		"BITFIELD bf SET u63 #1 -1 GET u63 #1 GET u64 0", "BITFIELD_RO bf GET i8 0", "BITFIELD_RO bf SET i8 0 1", "BITFIELD bf OVERFLOW X",
	)},
	{name: "hyperloglog", cmds: cmds(
		"PFADD h a b c", "PFADD h a", "PFCOUNT h", "GET h", "PFADD h2 c d", "PFCOUNT h h2 missing", "PFMERGE m h h2", "PFCOUNT m",
		"GET m", "SET s abc", "PFADD s x", "PFCOUNT h s", "PFMERGE m s", `SET bad "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe"`,
		"PFCOUNT bad", "PFADD bad foo", "PFMERGE m2", "GET m2",
	)},
	{name: "unknown commands", cmds: [][]string{
		{"NOSUCH"}, {"NOSUCH", "a", "b"}, {"nosuch", ""}, {"NoSuch", "x y"},
		{"NOSUCH", long200}, {"NOSUCH", "a", long200, "b"}, {strings.Repeat("X", 200), "a"},
		{"NOSUCH", "a\r\nb"}, {"bad\r\nname"}, {"GETT", "k"}, {"HGET2", "k", "f"},
	}},
	// Redis formats the name and arguments with %s: they end at a NUL.
	{name: "unknown commands with NUL bytes", cmds: [][]string{
		{"NOSUCH", "\x00"}, {"NOSUCH", "a\x00b", "c"}, {"SET\x00"}, {"\x00\x00x", "a"},
	}},
}

// TestDiffKnownCases runs the fixed cases on the leader and on a follower,
// each from empty servers, and reports every case whose replies differ.
func TestDiffKnownCases(t *testing.T) {
	redisAddr := startRedis(t)
	c := testcluster.Start(t, 3, testcluster.Options{})
	for _, via := range []string{"leader", "follower"} {
		t.Run(via, func(t *testing.T) {
			nd := c.Leader()
			if via == "follower" {
				nd = c.Followers()[0]
			}
			p := dialPair(t, redisAddr, nd.RedisAddr)
			for _, kc := range knownCases {
				t.Run(strings.ReplaceAll(kc.name, " ", "_"), func(t *testing.T) {
					ms := runKnownCase(t, p, kc)
					if len(ms) == 0 {
						return
					}
					var b strings.Builder
					fmt.Fprintf(&b, "raftis (%s %s) and redis-server disagree in case %q:\n", via, nd.ID, kc.name)
					for _, m := range ms {
						b.WriteString(m.String())
					}
					t.Error(b.String())
					// A bad reply may have left bytes unread.
					if err := p.reconnect(); err != nil {
						t.Fatalf("reconnect: %v", err)
					}
				})
			}
		})
	}
}

// runKnownCase resets both servers and runs kc. It returns the mismatches,
// each with the case's commands before it. It goes on after a mismatch only
// if both replies were errors (neither server changed anything, so they
// still agree); otherwise it stops there.
func runKnownCase(t *testing.T, p *pair, kc knownCase) []*mismatch {
	t.Helper()
	if note, err := p.reset(); err != nil {
		t.Fatalf("reset: %v", err)
	} else if note != "" {
		t.Log(note)
	}
	var (
		history []sent
		found   []*mismatch
	)
	for i, cmd := range kc.cmds {
		want, got, err := p.both(cmd)
		if err != nil {
			t.Fatalf("command #%d %s: %v", i, quoteCmd(cmd, 64), err)
		}
		why := compare(comparerFor(cmd[0], kc.timing), p, cmd, want, got)
		if why != "" && availabilityError(got) && !availabilityError(want) {
			why = "raftis could not run the command (overloaded machine? elections?): not a compatibility verdict"
		}
		if why != "" {
			found = append(found, &mismatch{index: i, cmd: cmd, want: want, got: got, why: why, history: slices.Clone(history)})
			if want[0] != '-' || got[0] != '-' {
				return found
			}
			history = nil // shown once, with the first mismatch
			continue
		}
		history = append(history, sent{index: i, cmd: cmd, want: want})
	}
	return found
}
