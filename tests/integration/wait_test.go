package integration

import (
	"testing"
	"time"

	tc "github.com/raftis/raftis/internal/testcluster"
)

// WAIT counts the other members that hold the connection's last write, on
// the leader and through a follower, and never more than hold it.
func TestWaitCountsMembersThatStoredTheWrite(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	leader := c.Leader()
	followers := c.Followers()
	onLeader := dialRaw(t, leader.RedisAddr)
	onFollower := dialRaw(t, followers[0].RedisAddr)

	if got := onLeader.do("WAIT", "0", "0"); got != ":2\r\n" {
		t.Fatalf("WAIT 0 0 on a leader with two followers, no write yet: %q, want :2", got)
	}
	onLeader.do("SET", "a", "1")
	if got := onLeader.do("WAIT", "2", "5000"); got != ":2\r\n" {
		t.Fatalf("WAIT 2 5000 after a write on the leader: %q, want :2", got)
	}
	onFollower.do("SET", "b", "1")
	if got := onFollower.do("WAIT", "2", "5000"); got != ":2\r\n" {
		t.Fatalf("WAIT 2 5000 after a write through a follower: %q, want :2 (the leader and the other follower)", got)
	}

	stopped := followers[1]
	c.Kill(stopped)
	onLeader.do("SET", "a", "2")
	start := time.Now()
	if got := onLeader.do("WAIT", "2", "300"); got != ":1\r\n" {
		t.Fatalf("WAIT 2 300 with one follower stopped: %q, want :1", got)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Fatalf("WAIT 2 300 answered after %v, before its timeout", waited)
	}
	if got := onLeader.do("WAIT", "1", "0"); got != ":1\r\n" {
		t.Fatalf("WAIT 1 0 with one follower stopped: %q, want :1 at once", got)
	}
	onFollower.do("SET", "b", "2")
	if got := onFollower.do("WAIT", "2", "300"); got != ":1\r\n" {
		t.Fatalf("WAIT 2 300 through the live follower with the other stopped: %q, want :1 (the leader)", got)
	}

	// A WAIT with no timeout returns once the stopped follower, restarted,
	// has caught up.
	onLeader.Send("WAIT", "2", "0")
	if err := onLeader.Flush(); err != nil {
		t.Fatal(err)
	}
	c.Restart(stopped)
	if got := onLeader.read(); got != ":2\r\n" {
		t.Fatalf("WAIT 2 0 once the follower is back: %q, want :2", got)
	}
}
