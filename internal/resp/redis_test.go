package resp_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/resp"
	"github.com/raftis/raftis/internal/testredis"
)

// dialRedis starts a redis-server that has DEBUG PROTOCOL, which answers
// with a reply of any type, and connects to it.
func dialRedis(t *testing.T) *resp.Conn {
	t.Helper()
	addr := testredis.Start(t, "", "--enable-debug-command", "yes")
	c, err := resp.Dial(addr, resp.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// do runs a command and fails the test unless the reply is want.
func do(t *testing.T, c *resp.Conn, want string, args ...string) {
	t.Helper()
	if got, err := c.Do(args...); err != nil || string(got) != want {
		t.Fatalf("%q = %q, %v; want %q", args, got, err, want)
	}
}

// redisTypes are DEBUG PROTOCOL's replies from redis-server 7.0.15, after
// HELLO 3 and after HELLO 2. Push is followed by a second, ordinary reply.
var redisTypes = []struct {
	name         string
	kind         resp.Kind
	resp3, resp2 string
}{
	{"string", resp.BulkString, "$11\r\nHello World\r\n", "$11\r\nHello World\r\n"},
	{"integer", resp.Integer, ":12345\r\n", ":12345\r\n"},
	{"double", resp.Double, ",3.141\r\n", "$5\r\n3.141\r\n"},
	{"bignum", resp.BigNumber, "(1234567999999999999999999999999999999\r\n", "$37\r\n1234567999999999999999999999999999999\r\n"},
	{"null", resp.Null, "_\r\n", "$-1\r\n"},
	{"array", resp.Array, "*3\r\n:0\r\n:1\r\n:2\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n"},
	{"set", resp.Set, "~3\r\n:0\r\n:1\r\n:2\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n"},
	{"map", resp.Map, "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n", "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n"},
	{"attrib", resp.BulkString, "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n",
		"$39\r\nSome real reply following the attribute\r\n"},
	{"push", resp.Push, ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n", "-ERR RESP2 is not supported by this command\r\n"},
	{"verbatim", resp.Verbatim, "=29\r\ntxt:This is a verbatim\nstring\r\n", "$25\r\nThis is a verbatim\nstring\r\n"},
	{"true", resp.Boolean, "#t\r\n", ":1\r\n"},
	{"false", resp.Boolean, "#f\r\n", ":0\r\n"},
}

// Every reply type a real server sends, RESP3 included, is read whole:
// the reply after it is the answer to the next command.
func TestEveryRedisReplyTypeKeepsTheStreamInStep(t *testing.T) {
	c := dialRedis(t)
	hello, err := c.Do("HELLO", "3")
	if err != nil {
		t.Fatal(err)
	}
	v, err := resp.Parse(hello)
	if err != nil || v.Kind != resp.Map || len(v.Elems) < 6 || v.Elems[4].Str != "proto" || v.Elems[5].Int != 3 {
		t.Fatalf("HELLO 3 = %q (%+v, %v), want a map with proto 3", hello, v, err)
	}
	for _, rt := range redisTypes {
		do(t, c, rt.resp3, "DEBUG", "PROTOCOL", rt.name)
		if rt.name == "push" {
			got, err := c.Receive()
			if want := "$40\r\nSome real reply following the push reply\r\n"; err != nil || string(got) != want {
				t.Fatalf("the reply after the push = %q, %v; want %q", got, err, want)
			}
		}
		v, err := resp.Parse([]byte(rt.resp3))
		if err != nil || v.Kind != rt.kind {
			t.Errorf("DEBUG PROTOCOL %s parses as %+v, %v; want a %s", rt.name, v, err, rt.kind)
		}
		do(t, c, "+PONG\r\n", "PING")
	}
	hello, err = c.Do("HELLO", "2")
	if v, perr := resp.Parse(hello); err != nil || perr != nil || v.Kind != resp.Array || len(v.Elems) != 14 {
		t.Fatalf("HELLO 2 = %q, %v, want an array of 14", hello, err)
	}
	for _, rt := range redisTypes {
		do(t, c, rt.resp2, "DEBUG", "PROTOCOL", rt.name)
	}
	do(t, c, "+PONG\r\n", "PING")
}

// Pipelined commands, binary arguments, an inline command, and a malformed
// request after which the server closes the connection.
func TestRedisPipelineAndRawRequests(t *testing.T) {
	c := dialRedis(t)
	c.SendBytes([]byte("SET"), []byte("k\x00"), []byte("a\r\nb"))
	c.Send("HELLO", "3")
	c.Send("GET", "nokey")
	c.Send("HELLO", "2")
	c.Send("GET", "nokey")
	c.SendBytes([]byte("GET"), []byte("k\x00"))
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	// The HELLO replies are checked by their first line only.
	for i, want := range []string{"+OK\r\n", "%7\r\n", "_\r\n", "*14\r\n", "$-1\r\n", "$4\r\na\r\nb\r\n"} {
		got, err := c.Receive()
		if err != nil || !(string(got) == want || (want[0] == '%' || want[0] == '*') && strings.HasPrefix(string(got), want)) {
			t.Fatalf("reply %d = %q, %v; want %q", i, got, err, want)
		}
	}
	if err := c.WriteRaw([]byte("PING\r\n")); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Receive(); err != nil || string(got) != "+PONG\r\n" {
		t.Fatalf("inline PING = %q, %v", got, err)
	}
	if err := c.WriteRaw([]byte("*1\r\n$x\r\n")); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Receive(); err != nil || string(got) != "-ERR Protocol error: invalid bulk length\r\n" {
		t.Fatalf("malformed request = %q, %v", got, err)
	}
	if got, err := c.Receive(); !errors.Is(err, io.EOF) {
		t.Fatalf("after a protocol error = %q, %v; want the connection closed", got, err)
	}
}
