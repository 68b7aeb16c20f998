package integration

import (
	"strconv"
	"strings"
	"testing"
	"time"

	tc "github.com/raftis/raftis/internal/testcluster"
)

// Blocking pops on a real three-node cluster: clients blocked on the
// leader and on a follower, woken by pushes sent to other nodes.

func TestBlockedClientsOnAnyNodeAreServed(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	leader, follower := c.Leader(), c.Followers()[0]
	onLeader := dialRaw(t, leader.RedisAddr)
	onFollower := dialRaw(t, follower.RedisAddr)
	pusher := dialRaw(t, c.Followers()[1].RedisAddr)

	// Each blocks first; the replies come only once the pushes land.
	for _, cl := range []rawConn{onLeader, onFollower} {
		cl.Send("BLPOP", "queue", "0")
		if err := cl.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	waitBlocked(t, leader.RedisAddr, 1)
	waitBlocked(t, follower.RedisAddr, 1)
	if got := pusher.do("RPUSH", "queue", "a", "b", "c"); got != ":3\r\n" {
		t.Fatalf("rpush: %q", got)
	}
	got := []string{onLeader.read(), onFollower.read()}
	var elems []string
	for _, g := range got {
		if !strings.HasPrefix(g, "*2\r\n$5\r\nqueue\r\n$1\r\n") {
			t.Fatalf("blpop replied %q", g)
		}
		elems = append(elems, g[len(g)-3:len(g)-2])
	}
	if elems[0] == elems[1] {
		t.Fatalf("both clients got %q", elems[0])
	}
	// Exactly one element is left, on every node.
	c.WaitConverged()
	for _, nd := range c.Running() {
		if got := dialRaw(t, nd.RedisAddr).do("LLEN", "queue"); got != ":1\r\n" {
			t.Fatalf("%s: llen = %q", nd.ID, got)
		}
	}
}

func TestBlockingTimeoutAndCloseLeaveNothingBehind(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	follower := c.Followers()[0]
	cl := dialRaw(t, follower.RedisAddr)
	start := time.Now()
	if got := cl.do("BRPOP", "none", "0.2"); got != "*-1\r\n" {
		t.Fatalf("brpop timeout: %q", got)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Fatalf("timed out after %v, before its 0.2 s", d)
	}
	if got := cl.do("BLMOVE", "none", "dst", "LEFT", "RIGHT", "0.05"); got != "*-1\r\n" {
		t.Fatalf("blmove timeout: %q", got)
	}
	// Errors come at once, without blocking.
	for _, tcase := range []struct {
		args []string
		want string
	}{
		{[]string{"BLPOP", "k", "-1"}, "-ERR timeout is negative\r\n"},
		{[]string{"BLPOP", "k", "x"}, "-ERR timeout is not a float or out of range\r\n"},
		{[]string{"BLPOP", "k"}, "-ERR wrong number of arguments for 'blpop' command\r\n"},
	} {
		if got := cl.do(tcase.args...); got != tcase.want {
			t.Fatalf("%v: %q, want %q", tcase.args, got, tcase.want)
		}
	}
	cl.do("SET", "str", "v")
	if got := cl.do("BLPOP", "none", "str", "0"); !strings.HasPrefix(got, "-WRONGTYPE") {
		t.Fatalf("blpop on a string: %q", got)
	}

	// A client that goes away while blocked unblocks cleanly: nothing is
	// popped for it later.
	gone := dialRaw(t, follower.RedisAddr)
	gone.Send("BLPOP", "later", "0")
	if err := gone.Flush(); err != nil {
		t.Fatal(err)
	}
	waitBlocked(t, follower.RedisAddr, 1)
	gone.Close()
	waitBlocked(t, follower.RedisAddr, 0)
	cl.do("RPUSH", "later", "x")
	c.WaitConverged()
	if got := cl.do("LLEN", "later"); got != ":1\r\n" {
		t.Fatalf("llen later = %q: an element was popped for a closed client", got)
	}
}

// waitBlocked waits until INFO clients on addr reports n blocked clients.
func waitBlocked(t *testing.T, addr string, n int) {
	t.Helper()
	want := "blocked_clients:" + strconv.Itoa(n) + "\r\n"
	cl := dialRaw(t, addr)
	tc.Poll(t, 10*time.Second, addr+" to report "+want, func() bool {
		return strings.Contains(cl.do("INFO", "clients"), want)
	})
}
