package fsm

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/resp"
	"github.com/raftis/raftis/internal/testredis"
)

// The differential tests compare the FSM's replies byte for byte with a
// real redis-server (7.0, the version raftis follows), the oracle. Each
// test that needs one calls newOracle, which
//
//   - connects to $RAFTIS_REDIS_ORACLE (host:port) if it is set: a scratch
//     server, since every test flushes it; or else
//   - starts redis-server from PATH for the test alone, on a free loopback
//     port without persistence, and stops it when the test ends.
//
// Without redis-server the test is skipped, unless $CI is set: CI installs
// redis-server, so there a missing one fails the test.
//
// The randomized oracle tests run a few thousand rounds; set
// RAFTIS_ORACLE_ROUNDS to run more:
//
//	RAFTIS_ORACLE_ROUNDS=30000 go test -run AgainstRedis ./fsm
const (
	oracleAddrEnv   = "RAFTIS_REDIS_ORACLE"
	oracleRoundsEnv = "RAFTIS_ORACLE_ROUNDS"

	oracleDialTimeout  = 10 * time.Second // to reach $RAFTIS_REDIS_ORACLE
	oracleReplyTimeout = 30 * time.Second // for any one command
)

// oracle is a connection to a real redis-server.
type oracle struct {
	t testing.TB
	c *resp.Conn
}

// newOracle returns a connection to an empty redis-server, in database 0.
func newOracle(t testing.TB) *oracle {
	t.Helper()
	addr := os.Getenv(oracleAddrEnv)
	if addr == "" {
		addr = testredis.Start(t, "")
	}
	c, err := resp.DialTimeout(addr, oracleDialTimeout, resp.WithTimeout(oracleReplyTimeout))
	if err != nil {
		t.Fatalf("oracle %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	o := &oracle{t: t, c: c}
	if r := o.do("FLUSHALL"); r != okR() {
		t.Fatalf("oracle: FLUSHALL: %q", r)
	}
	return o
}

// do sends a command and returns the raw RESP reply.
func (o *oracle) do(args ...string) string {
	o.t.Helper()
	r, err := o.c.Do(args...)
	if err != nil {
		o.t.Fatalf("oracle: %q: %v", args, err)
	}
	return string(r)
}

// oracleRounds is how many rounds a randomized oracle test runs: def, a
// tenth of it with -short, or $RAFTIS_ORACLE_ROUNDS.
func oracleRounds(t testing.TB, def int) int {
	t.Helper()
	if s := os.Getenv(oracleRoundsEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive integer", oracleRoundsEnv, s)
		}
		return n
	}
	if testing.Short() {
		return max(def/10, 1)
	}
	return def
}

// checkLikeRedis runs cases in order on a fresh FSM, then on the oracle,
// comparing exact reply bytes with the expected ones. One command acts
// differently on the FSM: "SELECT n" switches the database the following
// cases run in (tf.db).
//
// The cases must not depend on the order of keys nor on the clock, beyond
// TTLs read right after they are set: TTL in whole seconds, and a positive
// PTTL, which the oracle may answer up to a second lower.
func checkLikeRedis(t *testing.T, cases []replyCase) {
	t.Helper()
	tf := newTestFSM(t)
	for _, c := range cases {
		var got string
		if strings.EqualFold(c.cmd[0], "select") {
			n, err := strconv.Atoi(c.cmd[1])
			if err != nil {
				t.Fatal(err)
			}
			tf.db, got = n, okR()
		} else {
			got = tf.do(c.cmd...)
		}
		if got != c.want {
			t.Errorf("%q\n got: %q\nwant: %q", c.cmd, got, c.want)
		}
	}

	o := newOracle(t)
	for _, c := range cases {
		got := o.do(c.cmd...)
		if got != c.want && !(strings.EqualFold(c.cmd[0], "pttl") && pttlClose(got, c.want)) {
			t.Errorf("%q\nredis: %q\n want: %q", c.cmd, got, c.want)
		}
	}
}

// lpushCase makes key a one-element list, for WRONGTYPE cases.
func lpushCase(key string) replyCase { return replyCase{cmd("lpush", key, "x"), intR(1)} }

// pttlClose reports whether got is a PTTL reply up to a second below the
// non-negative one in want: the oracle's clock runs.
func pttlClose(got, want string) bool {
	w, err1 := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(want, ":"), "\r\n"), 10, 64)
	g, err2 := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(got, ":"), "\r\n"), 10, 64)
	return err1 == nil && err2 == nil && w >= 0 && g <= w && g > w-1000
}
