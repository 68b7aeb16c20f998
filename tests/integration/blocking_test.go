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

// TestBlockedSortedSetPopsOnAnyNodeAreServed blocks BZPOPMIN on the
// leader and BZMPOP on a follower; one ZADD through the other follower
// serves both, in block order, and what they popped is gone on every node.
func TestBlockedSortedSetPopsOnAnyNodeAreServed(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	leader, follower := c.Leader(), c.Followers()[0]
	onLeader := dialRaw(t, leader.RedisAddr)
	onFollower := dialRaw(t, follower.RedisAddr)
	adder := dialRaw(t, c.Followers()[1].RedisAddr)

	onLeader.Send("BZPOPMIN", "board", "0")
	if err := onLeader.Flush(); err != nil {
		t.Fatal(err)
	}
	waitBlocked(t, leader.RedisAddr, 1)
	onFollower.Send("BZMPOP", "0", "1", "board", "MAX", "COUNT", "2")
	if err := onFollower.Flush(); err != nil {
		t.Fatal(err)
	}
	waitBlocked(t, follower.RedisAddr, 1)
	if got := adder.do("ZADD", "board", "1", "a", "2", "b", "3", "c", "4", "d"); got != ":4\r\n" {
		t.Fatalf("zadd: %q", got)
	}
	if got := onLeader.read(); got != "*3\r\n$5\r\nboard\r\n$1\r\na\r\n$1\r\n1\r\n" {
		t.Fatalf("bzpopmin replied %q", got)
	}
	if got := onFollower.read(); got != "*2\r\n$5\r\nboard\r\n*2\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n" {
		t.Fatalf("bzmpop replied %q", got)
	}
	c.WaitConverged()
	for _, nd := range c.Running() {
		if got := dialRaw(t, nd.RedisAddr).do("ZRANGE", "board", "0", "-1"); got != "*1\r\n$1\r\nb\r\n" {
			t.Fatalf("%s: zrange = %q", nd.ID, got)
		}
	}
	// A timeout on an empty key answers a null array, as Redis does.
	if got := onFollower.do("BZPOPMAX", "none", "0.05"); got != "*-1\r\n" {
		t.Fatalf("bzpopmax timeout: %q", got)
	}
}
