package integration

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/resp"
	tc "github.com/raftis/raftis/internal/testcluster"
)

// rawConn sends commands and returns raw replies, for byte-exact checks;
// a failed write or read fails the test.
type rawConn struct {
	t *testing.T
	*resp.Conn
}

func dialRaw(t *testing.T, addr string) rawConn {
	t.Helper()
	c, err := resp.Dial(addr, resp.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return rawConn{t: t, Conn: c}
}

// do sends args and returns the raw reply.
func (c rawConn) do(args ...string) string {
	c.t.Helper()
	reply, err := c.Do(args...)
	if err != nil {
		c.t.Fatal(err)
	}
	return string(reply)
}

// read returns the next raw reply.
func (c rawConn) read() string {
	c.t.Helper()
	reply, err := c.Receive()
	if err != nil {
		c.t.Fatalf("read reply: %v", err)
	}
	return string(reply)
}

func TestConnectionAndServerCommands(t *testing.T) {
	c := tc.Start(t, 1, tc.Options{})
	nd := c.Leader()
	r := dialRaw(t, nd.RedisAddr)
	exact := []struct {
		args []string
		want string
	}{
		{[]string{"PING"}, "+PONG\r\n"},
		{[]string{"PING", "hi"}, "$2\r\nhi\r\n"},
		{[]string{"PING", "a", "b"}, "-ERR wrong number of arguments for 'ping' command\r\n"},
		{[]string{"ECHO", "x y"}, "$3\r\nx y\r\n"},
		{[]string{"SELECT", "15"}, "+OK\r\n"},
		{[]string{"SELECT", "16"}, "-ERR DB index is out of range\r\n"},
		{[]string{"SELECT", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"SELECT", "0"}, "+OK\r\n"},
		{[]string{"HELLO", "3"}, "-NOPROTO unsupported protocol version\r\n"},
		{[]string{"HELLO", "x"}, "-ERR Protocol version is not an integer or out of range\r\n"},
		{[]string{"CLIENT", "SETNAME", "my-app"}, "+OK\r\n"},
		{[]string{"CLIENT", "GETNAME"}, "$6\r\nmy-app\r\n"},
		{[]string{"CLIENT", "SETNAME", "a b"}, "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"},
		{[]string{"CLIENT", "NOPE"}, "-ERR unknown subcommand 'NOPE'. Try CLIENT HELP.\r\n"},
		{[]string{"CONFIG", "GET", "save"}, "*2\r\n$4\r\nsave\r\n$0\r\n\r\n"},
		{[]string{"CONFIG", "GET", "databases"}, "*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n"},
		{[]string{"CONFIG", "GET", "nosuchparam"}, "*0\r\n"},
		{[]string{"CONFIG", "NOPE"}, "-ERR unknown subcommand 'NOPE'. Try CONFIG HELP.\r\n"},
		{[]string{"COMMAND", "INFO", "nosuchcommand"}, "*1\r\n$-1\r\n"},
		{[]string{"COMMAND", "GETKEYS", "SET", "k", "v"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"RAFT", "NOPE"}, "-ERR unknown subcommand 'NOPE'. Try RAFT HELP.\r\n"},
	}
	for _, tt := range exact {
		if got := r.do(tt.args...); got != tt.want {
			t.Errorf("%q\n got %q\nwant %q", tt.args, got, tt.want)
		}
	}

	hello := r.do("HELLO", "2")
	for _, want := range []string{"*14\r\n", "$6\r\nserver\r\n$5\r\nredis\r\n", "$5\r\nproto\r\n:2\r\n", "$4\r\nrole\r\n$6\r\nmaster\r\n"} {
		if !strings.Contains(hello, want) {
			t.Errorf("HELLO 2 reply %q lacks %q", hello, want)
		}
	}
	id := r.do("CLIENT", "ID")
	client := r.do("CLIENT", "INFO")
	if !strings.Contains(client, "id="+strings.Trim(id, ":\r\n")+" ") {
		t.Errorf("CLIENT INFO does not show this connection's id %s", id)
	}
	// The socket's own local address and file descriptor, as Redis shows.
	if !strings.Contains(client, " laddr="+nd.RedisAddr+" ") || strings.Contains(client, " fd=0 ") || !strings.Contains(client, " fd=") {
		t.Errorf("CLIENT INFO = %q, want laddr=%s and the socket's fd", client, nd.RedisAddr)
	}
	// COMMAND COUNT counts top-level commands, COMMAND LIST names the
	// subcommands too, as in Redis 7.
	count, _ := strconv.Atoi(strings.Trim(r.do("COMMAND", "COUNT"), ":\r\n"))
	all, err := parseStrings(r.do("COMMAND", "LIST"))
	if err != nil {
		t.Fatal(err)
	}
	top := 0
	for _, name := range all {
		if !strings.Contains(name, "|") {
			top++
		}
	}
	if count == 0 || top != count || !slices.Contains(all, "config|get") {
		t.Errorf("COMMAND COUNT %d, COMMAND LIST %d names of which %d top-level: %q", count, len(all), top, all)
	}
	want := "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
	if got := r.do("COMMAND", "INFO", "get"); !strings.HasPrefix(got, want) {
		t.Errorf("COMMAND INFO get = %q, want prefix %q", got, want)
	}
	info := r.do("INFO")
	for _, section := range []string{"# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# CPU", "# Keyspace", "# Raft", "role:master", "raft_state:leader"} {
		if !strings.Contains(info, section) {
			t.Errorf("INFO lacks %q", section)
		}
	}
	if got := r.do("ROLE"); !strings.HasPrefix(got, "*3\r\n$6\r\nmaster\r\n:") {
		t.Errorf("ROLE = %q, want a master reply", got)
	}
	if got := r.do("RAFT", "LEADER"); got != fmt.Sprintf("*2\r\n$2\r\nn1\r\n$%d\r\n%s\r\n", len(nd.RedisAddr), nd.RedisAddr) {
		t.Errorf("RAFT LEADER = %q", got)
	}
	if got := r.do("QUIT"); got != "+OK\r\n" {
		t.Errorf("QUIT = %q", got)
	}
}

// A pipeline mixing writes, reads and SELECT gets its replies in order, and
// each read sees the writes before it.
func TestPipelineKeepsOrder(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	for _, nd := range []*tc.Node{c.Leader(), c.Followers()[0]} {
		r := dialRaw(t, nd.RedisAddr)
		k := "k-via-" + nd.ID
		cmds := [][]string{
			{"SET", k, "1"}, {"GET", k}, {"SET", k, "2"}, {"SELECT", "1"}, {"GET", k},
			{"SET", k, "db1"}, {"SELECT", "0"}, {"GET", k}, {"NOPE"}, {"INCR", k},
		}
		for _, args := range cmds {
			r.Send(args...)
		}
		if err := r.Flush(); err != nil {
			t.Fatal(err)
		}
		want := []string{"+OK\r\n", "$1\r\n1\r\n", "+OK\r\n", "+OK\r\n", "$-1\r\n", "+OK\r\n", "+OK\r\n", "$1\r\n2\r\n",
			"-ERR unknown command 'NOPE', with args beginning with: \r\n", ":3\r\n"}
		for i, w := range want {
			if got := r.read(); got != w {
				t.Errorf("%s: reply %d to %q = %q, want %q", nd.ID, i, cmds[i], got, w)
			}
		}
	}
}

// A request over --proto-max-bulk-len gets Redis's protocol error and its
// connection is closed; the node, other connections and the data are fine.
func TestOversizedBulkIsRefused(t *testing.T) {
	const limit = 1 << 20
	c := tc.Start(t, 1, tc.Options{ProtoMaxBulkLen: limit})
	nd := c.Leader()
	ok := dialRaw(t, nd.RedisAddr)
	if got := ok.do("SET", "k", strings.Repeat("x", limit)); got != "+OK\r\n" {
		t.Fatalf("SET of exactly the limit = %q", got)
	}
	bad := dialRaw(t, nd.RedisAddr)
	if err := bad.WriteRaw(fmt.Appendf(nil, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$%d\r\n", limit+1)); err != nil {
		t.Fatal(err)
	}
	if got := bad.read(); got != "-ERR Protocol error: invalid bulk length\r\n" {
		t.Fatalf("oversized bulk = %q", got)
	}
	if got, err := bad.Receive(); !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("connection still open after a protocol error (read %q, %v)", got, err)
	}
	if got := ok.do("STRLEN", "k"); got != fmt.Sprintf(":%d\r\n", limit) {
		t.Fatalf("STRLEN after the refused request = %q, want the first value intact", got)
	}
}
