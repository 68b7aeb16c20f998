package fsm

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/raftis/raftis/fsm/rdb"
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

	oracleStartTimeout = 10 * time.Second // until a started server answers PING
	oracleReplyTimeout = 30 * time.Second // for any one command
)

// oracleSysProcAttr, if set (on Linux), returns the attributes a started
// redis-server runs with, so that it dies with the test binary even when
// the binary ends without running its cleanups (a panic, a timeout).
var oracleSysProcAttr func() *syscall.SysProcAttr

// oracle is a connection to a real redis-server.
type oracle struct {
	t       testing.TB
	conn    net.Conn
	br      *bufio.Reader
	timeout time.Duration // for each command
}

// newOracle returns a connection to an empty redis-server, in database 0.
func newOracle(t testing.TB) *oracle {
	t.Helper()
	var o *oracle
	if addr := os.Getenv(oracleAddrEnv); addr != "" {
		conn, err := net.DialTimeout("tcp", addr, oracleStartTimeout)
		if err != nil {
			t.Fatalf("oracle %s=%s: %v", oracleAddrEnv, addr, err)
		}
		o = &oracle{t: t, conn: conn, br: bufio.NewReader(conn), timeout: oracleReplyTimeout}
	} else {
		o = startOracle(t)
	}
	t.Cleanup(func() { o.conn.Close() })
	if r := o.do("FLUSHALL"); r != okR() {
		t.Fatalf("oracle: FLUSHALL: %q", r)
	}
	return o
}

// startOracle starts a redis-server for t and returns a connection to it.
// It tries a few ports: between choosing a free port and redis-server
// binding it, another process may take it.
func startOracle(t testing.TB) *oracle {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("oracle: %v (CI must compare with a real redis-server)", err)
		}
		t.Skipf("oracle: %v; install redis-server or set %s to compare with Redis", err, oracleAddrEnv)
	}
	var errs []error
	for range 3 {
		o, err := tryStartOracle(t, bin)
		if err == nil {
			return o
		}
		errs = append(errs, err)
	}
	t.Fatalf("oracle: could not start redis-server:\n%v", errors.Join(errs...))
	return nil
}

// tryStartOracle starts redis-server on a free port and connects to it,
// making sure the server that answers is the one it started.
func tryStartOracle(t testing.TB, bin string) (*oracle, error) {
	dir := t.TempDir()
	port, err := freeLoopbackPort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	// The server's log and start-up errors, read if it fails.
	logFile := filepath.Join(dir, "redis.log")
	logw, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	defer logw.Close() // the server has its own copy
	cmd := exec.Command(bin,
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir)
	cmd.Stdout, cmd.Stderr = logw, logw
	if oracleSysProcAttr != nil {
		cmd.SysProcAttr = oracleSysProcAttr()
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pid := cmd.Process.Pid
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	stop := func() {
		cmd.Process.Kill()
		select {
		case <-exited:
		case <-time.After(oracleStartTimeout):
			t.Errorf("oracle: redis-server (pid %d) did not exit after SIGKILL", pid)
		}
	}
	fail := func(format string, args ...any) (*oracle, error) {
		stop()
		out, _ := os.ReadFile(logFile)
		return nil, fmt.Errorf("redis-server (pid %d) on %s: %s\n%s", pid, addr, fmt.Sprintf(format, args...), bytes.TrimSpace(out))
	}

	deadline := time.Now().Add(oracleStartTimeout)
	for {
		select {
		case <-exited:
			return fail("exited: %v", waitErr)
		default:
		}
		if time.Now().After(deadline) {
			return fail("no PONG within %v", oracleStartTimeout)
		}
		o, err := dialOracle(t, addr)
		if err != nil {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		// Something answers PING on the port. Before any other command,
		// make sure it is our server, not another process's.
		got, err := o.processID()
		if err != nil {
			o.conn.Close()
			return fail("INFO server: %v", err)
		}
		if got != pid {
			o.conn.Close()
			return fail("another redis-server (process_id %d) answers on the port", got)
		}
		t.Cleanup(stop)
		o.timeout = oracleReplyTimeout
		return o, nil
	}
}

// dialOracle connects to addr and checks that it answers PING, waiting
// for each step at most a second.
func dialOracle(t testing.TB, addr string) (*oracle, error) {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return nil, err
	}
	o := &oracle{t: t, conn: conn, br: bufio.NewReader(conn), timeout: time.Second}
	if r, err := o.try("PING"); err != nil || r != "+PONG\r\n" {
		conn.Close()
		return nil, fmt.Errorf("PING: %q, %v", r, err)
	}
	return o, nil
}

// processID returns the process_id field of INFO server.
func (o *oracle) processID() (int, error) {
	r, err := o.try("INFO", "server")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(r, "\r\n") {
		if v, ok := strings.CutPrefix(line, "process_id:"); ok {
			return strconv.Atoi(v)
		}
	}
	return 0, fmt.Errorf("no process_id in INFO server: %.100q", r)
}

// freeLoopbackPort returns a TCP port that was free on 127.0.0.1 a moment
// ago.
func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// do sends a command and returns the raw RESP reply.
func (o *oracle) do(args ...string) string {
	o.t.Helper()
	r, err := o.try(args...)
	if err != nil {
		o.t.Fatalf("oracle: %q: %v", args, err)
	}
	return r
}

// try sends a command and returns the raw RESP reply, or an error if the
// connection fails or the reply is not RESP2.
func (o *oracle) try(args ...string) (string, error) {
	var req strings.Builder
	fmt.Fprintf(&req, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&req, "$%d\r\n%s\r\n", len(a), a)
	}
	if err := o.conn.SetDeadline(time.Now().Add(o.timeout)); err != nil {
		return "", err
	}
	if _, err := io.WriteString(o.conn, req.String()); err != nil {
		return "", err
	}
	var out strings.Builder
	err := o.readReply(&out)
	return out.String(), err
}

// readReply copies one RESP2 reply to out.
func (o *oracle) readReply(out *strings.Builder) error {
	line, err := o.br.ReadString('\n')
	if err != nil {
		return err
	}
	out.WriteString(line)
	if len(line) < 3 || !strings.HasSuffix(line, "\r\n") {
		return fmt.Errorf("bad reply line %q", line)
	}
	switch line[0] {
	case '+', '-', ':':
		return nil
	case '$', '*':
	default:
		return fmt.Errorf("unexpected reply type in %q", line)
	}
	n, err := strconv.Atoi(line[1 : len(line)-2])
	if err != nil {
		return fmt.Errorf("bad length in %q", line)
	}
	if line[0] == '$' {
		if n >= 0 {
			buf := make([]byte, n+2)
			if _, err := io.ReadFull(o.br, buf); err != nil {
				return err
			}
			out.Write(buf)
		}
		return nil
	}
	for range max(n, 0) {
		if err := o.readReply(out); err != nil {
			return err
		}
	}
	return nil
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
// comparing exact reply bytes with the expected ones. Two commands act
// differently on the FSM: "SELECT n" switches the database the following
// cases run in (tf.db), and "lpush key x" makes key hold a non-string (a
// listStub; the oracle runs the real LPUSH).
//
// The cases must not depend on the order of keys nor on the clock, beyond
// TTLs read right after they are set: TTL in whole seconds, and a positive
// PTTL, which the oracle may answer up to a second lower.
func checkLikeRedis(t *testing.T, cases []replyCase) {
	t.Helper()
	tf := newTestFSM(t)
	for _, c := range cases {
		var got string
		switch strings.ToLower(c.cmd[0]) {
		case "select":
			n, err := strconv.Atoi(c.cmd[1])
			if err != nil {
				t.Fatal(err)
			}
			tf.db, got = n, okR()
		case "lpush":
			tf.f.dbs[tf.db].set(item{key: c.cmd[1], val: listStub{}})
			got = intR(1)
		default:
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

// listStub stands in for a list, a type the FSM does not have yet, in
// WRONGTYPE tests.
type listStub struct{}

func (listStub) Type() string                              { return "list" }
func (listStub) clone() Value                              { return listStub{} }
func (listStub) writeRDB(*rdb.Writer, []byte, int64) error { return nil }

// lpushCase is a case that makes key hold a non-string: a listStub on the
// FSM, a real LPUSH on the oracle.
func lpushCase(key string) replyCase { return replyCase{cmd("lpush", key, "x"), intR(1)} }

// pttlClose reports whether got is a PTTL reply up to a second below the
// non-negative one in want: the oracle's clock runs.
func pttlClose(got, want string) bool {
	w, err1 := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(want, ":"), "\r\n"), 10, 64)
	g, err2 := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(got, ":"), "\r\n"), 10, 64)
	return err1 == nil && err2 == nil && w >= 0 && g <= w && g > w-1000
}
