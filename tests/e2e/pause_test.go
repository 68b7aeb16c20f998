package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/resp"
)

// pause freezes the process with SIGSTOP, as a long GC pause, a VM
// migration or a debugger would; resume lets it run on. The test's
// cleanup resumes it so that it can be stopped.
func (n *node) pause() {
	n.t.Helper()
	cmd, _ := n.process()
	if cmd == nil {
		n.t.Fatalf("%s is not running", n.id)
	}
	if err := cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		n.t.Fatalf("SIGSTOP %s: %v", n.id, err)
	}
	n.t.Cleanup(n.resume)
}

func (n *node) resume() {
	if cmd, _ := n.process(); cmd != nil {
		_ = cmd.Process.Signal(syscall.SIGCONT)
	}
}

// leaderAmong waits until the given nodes agree on a leader among them
// and returns it (the others may be paused: their /status would hang).
func leaderAmong(t *testing.T, nodes ...*node) *node {
	t.Helper()
	var leader *node
	poll(t, 30*time.Second, "a leader among the running nodes", func() (bool, string) {
		leader = nil
		ids := map[string]bool{}
		for _, n := range nodes {
			st, err := n.status()
			if err != nil {
				return false, err.Error()
			}
			ids[st.Leader] = true
			if st.State == "leader" {
				leader = n
			}
		}
		if leader == nil || len(ids) != 1 || !ids[leader.id] {
			return false, fmt.Sprintf("leaders seen: %v", ids)
		}
		return true, ""
	})
	return leader
}

func dialResp(t *testing.T, n *node) *resp.Conn {
	t.Helper()
	c, err := resp.Dial(n.addr(), resp.WithTimeout(20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func mustDo(t *testing.T, c *resp.Conn, args ...string) string {
	t.Helper()
	reply, err := c.Do(args...)
	if err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	return string(reply)
}

// A leader frozen with SIGSTOP while a new one is elected and takes a
// write never serves a leader or linearizable read of the old value once
// it runs again: reads sent to it while frozen, which it handles the
// moment it wakes, and reads sent after, get the new value or an error.
// The new leader is frozen in turn before the old one wakes, so that
// nothing it sends tells the old one of the new term first.
func TestPausedLeaderNeverServesAnOldValue(t *testing.T) {
	c := startCluster(t, 3)
	for round := range 3 {
		old, _ := c.leader()
		var others []*node
		for _, n := range c.nodes {
			if n != old {
				others = append(others, n)
			}
		}
		oldValue, newValue := fmt.Sprintf("old%d", round), fmt.Sprintf("new%d", round)
		if got := mustDo(t, dialResp(t, old), "SET", "k", oldValue); got != "+OK\r\n" {
			t.Fatalf("SET on the leader: %q", got)
		}
		// Connections at each fresh level, opened while it runs.
		readers := map[string]*resp.Conn{}
		for _, level := range []string{"leader", "linearizable"} {
			r := dialResp(t, old)
			if got := mustDo(t, r, "RAFT", "CONSISTENCY", level); got != "+OK\r\n" {
				t.Fatal(got)
			}
			readers[level] = r
		}

		old.pause()
		next := leaderAmong(t, others...)
		if got := mustDo(t, dialResp(t, next), "SET", "k", newValue); got != "+OK\r\n" {
			t.Fatalf("SET on the new leader %s: %q", next.id, got)
		}
		for _, r := range readers {
			r.Send("GET", "k") // waits in the frozen leader's socket
			if err := r.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		next.pause()
		old.resume()
		check := func(level, when string, reply []byte, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("round %d, %s read on the old leader %s: %v", round, level, when, err)
			}
			switch got := string(reply); {
			case got == fmt.Sprintf("$%d\r\n%s\r\n", len(newValue), newValue):
			case strings.HasPrefix(got, "-"):
				t.Logf("round %d, %s read on the old leader %s: %q", round, level, when, got)
			default:
				t.Fatalf("round %d, %s read on the old leader %s: %q, want %q or an error (never %q)", round, level, when, got, newValue, oldValue)
			}
		}
		for level, r := range readers {
			reply, err := r.Receive()
			check(level, "sent while it was frozen", reply, err)
		}
		for range 5 {
			for level, r := range readers {
				reply, err := r.Do("GET", "k")
				check(level, "after it woke", reply, err)
			}
		}
		next.resume()
	}
}

// A follower frozen with SIGSTOP falls behind in INFO replication (its
// offset stays, its lag grows) and WAIT does not count it; once it runs
// again it catches up.
func TestPausedFollowerLagsAndCatchesUp(t *testing.T) {
	c := startCluster(t, 3)
	leader, followers := c.leader()
	frozen, live := followers[0], followers[1]
	w := dialResp(t, leader)
	mustDo(t, w, "SET", "a", "1")
	if got := mustDo(t, w, "WAIT", "2", "5000"); got != ":2\r\n" {
		t.Fatalf("WAIT 2 5000 with every follower running: %q", got)
	}
	replica := func() (offset, lag int, master int) {
		info := infoFields(mustCLI(t, leader.port, "INFO", "replication"))
		master, _ = strconv.Atoi(info["master_repl_offset"])
		for k, v := range info {
			if strings.HasPrefix(k, "slave") && strings.Contains(v, "port="+strconv.Itoa(frozen.port)+",") {
				for _, part := range strings.Split(v, ",") {
					name, val, _ := strings.Cut(part, "=")
					switch name {
					case "offset":
						offset, _ = strconv.Atoi(val)
					case "lag":
						lag, _ = strconv.Atoi(val)
					}
				}
				return offset, lag, master
			}
		}
		return -1, -1, master
	}

	frozen.pause()
	for i := range 20 {
		mustDo(t, w, "SET", fmt.Sprint("k", i), "v")
	}
	if got := mustDo(t, w, "WAIT", "2", "300"); got != ":1\r\n" {
		t.Fatalf("WAIT 2 300 with a follower frozen: %q, want :1", got)
	}
	if got := mustDo(t, dialResp(t, live), "SET", "b", "1"); got != "+OK\r\n" {
		t.Fatal(got)
	}
	// The transport's timeout (10s) is far off: the frozen follower is
	// still listed, with its lag growing and its offset behind.
	poll(t, 8*time.Second, "the frozen follower's lag to reach 2s", func() (bool, string) {
		offset, lag, master := replica()
		return lag >= 2 && offset >= 0 && offset < master, fmt.Sprintf("offset %d lag %d master %d", offset, lag, master)
	})
	frozen.resume()
	poll(t, 10*time.Second, "the follower to catch up once it runs", func() (bool, string) {
		offset, lag, master := replica()
		own := infoFields(mustCLI(t, frozen.port, "INFO", "replication"))
		return offset == master && lag <= 1 && own["slave_repl_offset"] == strconv.Itoa(master),
			fmt.Sprintf("offset %d lag %d master %d, its own slave_repl_offset %s", offset, lag, master, own["slave_repl_offset"])
	})
	if got := mustDo(t, w, "WAIT", "2", "5000"); got != ":2\r\n" {
		t.Fatalf("WAIT 2 5000 once the follower caught up: %q", got)
	}
}
