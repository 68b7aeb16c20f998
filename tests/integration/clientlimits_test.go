package integration

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tc "github.com/raftis/raftis/internal/testcluster"
)

// The texts are redis-server 7.0.15's.
func TestClientLimitsConfig(t *testing.T) {
	c := tc.Start(t, 1, tc.Options{})
	r := dialRaw(t, c.Leader().RedisAddr)
	const failed = "-ERR CONFIG SET failed (possibly related to argument '"
	exact := []struct {
		args []string
		want string
	}{
		{[]string{"CONFIG", "GET", "timeout"}, "*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n"},
		{[]string{"CONFIG", "GET", "client-output-buffer-limit"}, "*2\r\n$26\r\nclient-output-buffer-limit\r\n$67\r\nnormal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\r\n"},
		{[]string{"CONFIG", "SET", "timeout", "-1"}, failed + "timeout') - argument must be between 0 and 2147483647 inclusive\r\n"},
		{[]string{"CONFIG", "SET", "timeout", "2147483648"}, failed + "timeout') - argument must be between 0 and 2147483647 inclusive\r\n"},
		{[]string{"CONFIG", "SET", "timeout", "abc"}, failed + "timeout') - argument couldn't be parsed into an integer\r\n"},
		{[]string{"CONFIG", "SET", "client-output-buffer-limit", "normal 1"}, failed + "client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.\r\n"},
		{[]string{"CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"}, failed + "client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.\r\n"},
		{[]string{"CONFIG", "SET", "client-output-buffer-limit", "normal x 2 3"}, failed + "client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration.\r\n"},
		{[]string{"CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 2kb 3"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "client-output-buffer-limit"}, "*2\r\n$26\r\nclient-output-buffer-limit\r\n$76\r\nnormal 1048576 2048 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60\r\n"},
		{[]string{"CONFIG", "SET", "timeout", "30"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "timeout"}, "*2\r\n$7\r\ntimeout\r\n$2\r\n30\r\n"},
	}
	for _, e := range exact {
		if got := r.do(e.args...); got != e.want {
			t.Errorf("%q: %q, want %q", e.args, got, e.want)
		}
	}
}

// closedWithin reports whether the server closes conn within d.
func closedWithin(conn net.Conn, d time.Duration) bool {
	_ = conn.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 64<<10)
	for {
		if _, err := conn.Read(buf); err != nil {
			ne, ok := err.(net.Error)
			return !ok || !ne.Timeout()
		}
	}
}

// CONFIG SET timeout closes idle clients, not blocked ones nor active ones.
func TestIdleTimeout(t *testing.T) {
	c := tc.Start(t, 1, tc.Options{})
	addr := c.Leader().RedisAddr
	admin := dialRaw(t, addr)
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	blocked := dialRaw(t, addr)
	blocked.Send("BLPOP", "queue", "0")
	if err := blocked.Flush(); err != nil {
		t.Fatal(err)
	}
	waitBlocked(t, addr, 1)
	// A member's connection (here one that forwarded writes) is spared.
	member := dialRaw(t, addr)
	if got := member.do("RAFT", "FORWARD", "x"); got != "-ERR invalid forwarded entry\r\n" {
		t.Fatalf("RAFT FORWARD: %q", got)
	}
	if got := admin.do("CONFIG", "SET", "timeout", "1"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET timeout: %q", got)
	}
	start := time.Now()
	if !closedWithin(idle, 10*time.Second) {
		t.Fatal("an idle client was not closed within 10 s of a 1 s timeout")
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("idle client closed after %v, before its 1 s timeout", d)
	}
	if got := member.do("PING"); got != "+PONG\r\n" {
		t.Errorf("a member's connection after the timeout: %q", got)
	}
	// admin was idle as long: send from a fresh connection.
	pusher := dialRaw(t, addr)
	if got := pusher.do("RPUSH", "queue", "job"); got != ":1\r\n" {
		t.Fatalf("RPUSH: %q", got)
	}
	if got := blocked.read(); got != "*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n" {
		t.Errorf("the blocked client, past the timeout: %q", got)
	}
	// A client that keeps talking stays.
	for range 8 {
		if got := pusher.do("PING"); got != "+PONG\r\n" {
			t.Fatalf("an active client: %q", got)
		}
		time.Sleep(300 * time.Millisecond) // the client's pace, not a wait for the server
	}
	pusher.do("CONFIG", "SET", "timeout", "0")
}

// A client that sends requests and never reads the replies blocks no one:
// other clients keep writing and reading at their usual pace. With an
// output limit it is disconnected; without one it just waits.
func TestSlowClientBlocksNobody(t *testing.T) {
	c := tc.Start(t, 1, tc.Options{})
	addr := c.Leader().RedisAddr
	admin := dialRaw(t, addr)
	value := strings.Repeat("x", 16<<10)
	admin.do("SET", "big", value)

	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	slowAddr := slow.LocalAddr().String()
	// The slow client floods GETs of 16 KiB until its own writes block
	// (the server stopped reading it) or the connection is closed.
	var sent atomic.Int64
	go func() {
		w := bufio.NewWriter(slow)
		for i := 0; i < 2000; i++ {
			_ = slow.SetWriteDeadline(time.Now().Add(30 * time.Second))
			if _, err := w.WriteString("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n"); err != nil {
				return
			}
			if i%100 == 99 && w.Flush() != nil {
				return
			}
			sent.Add(1)
		}
	}()
	tc.Poll(t, 10*time.Second, "the slow client to have sent more than the socket buffers hold", func() bool {
		return sent.Load() > 1000 // 16 MiB of replies asked for
	})

	// Others are not held up, on this node and through the log.
	writer := dialRaw(t, addr)
	start := time.Now()
	for i := range 200 {
		if got := writer.do("SET", fmt.Sprint("k", i), "v"); got != "+OK\r\n" {
			t.Fatalf("SET beside the slow client: %q", got)
		}
		if got := writer.do("GET", fmt.Sprint("k", i)); got != "$1\r\nv\r\n" {
			t.Fatalf("GET beside the slow client: %q", got)
		}
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("200 SET+GET beside the slow client took %v", d)
	}
	if !strings.Contains(admin.do("CLIENT", "LIST"), "addr="+slowAddr) {
		t.Fatal("with no output limit (normal 0 0 0) the slow client was disconnected")
	}

	// A soft limit of 1 MiB for 1 s: the slow client has left more unread.
	if got := admin.do("CONFIG", "SET", "client-output-buffer-limit", "normal 0 1mb 1"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET client-output-buffer-limit: %q", got)
	}
	tc.Poll(t, 10*time.Second, "the slow client to be disconnected", func() bool {
		return !strings.Contains(admin.do("CLIENT", "LIST"), "addr="+slowAddr)
	})
	if got := writer.do("SET", "after", "v"); got != "+OK\r\n" {
		t.Errorf("SET after the slow client left: %q", got)
	}
}
