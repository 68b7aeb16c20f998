package integration

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	tc "github.com/raftis/raftis/internal/testcluster"
	"github.com/raftis/raftis/server"
)

var levels = []string{server.ReadStale, server.ReadLeader, server.ReadLinearizable}

// at dials nd with a connection set to read at level.
func at(t *testing.T, nd *tc.Node, level string) rawConn {
	t.Helper()
	r := dialRaw(t, nd.RedisAddr)
	if got := r.do("RAFT", "CONSISTENCY", level); got != "+OK\r\n" {
		t.Fatalf("RAFT CONSISTENCY %s on %s: %q", level, nd.ID, got)
	}
	return r
}

func TestReadConsistencyCommand(t *testing.T) {
	c := tc.Start(t, 1, tc.Options{ReadConsistency: server.ReadLeader})
	r := dialRaw(t, c.Leader().RedisAddr)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"RAFT", "CONSISTENCY"}, bulk("leader")}, // the node's --read-consistency
		{[]string{"RAFT", "CONSISTENCY", "LINEARIZABLE"}, "+OK\r\n"},
		{[]string{"raft", "consistency"}, bulk("linearizable")},
		{[]string{"RAFT", "CONSISTENCY", "strong"}, "-ERR unknown read consistency level 'strong', use stale, leader or linearizable\r\n"},
		{[]string{"RAFT", "CONSISTENCY", "stale", "x"}, "-ERR syntax error\r\n"},
		{[]string{"RAFT", "CONSISTENCY", "stale"}, "+OK\r\n"},
	}
	for _, tt := range cases {
		if got := r.do(tt.args...); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.args, got, tt.want)
		}
	}
	if info := r.do("CLIENT", "INFO"); !strings.HasSuffix(info, " resp=2 read-consistency=stale\n\r\n") {
		t.Errorf("CLIENT INFO = %q, want Redis's fields then read-consistency=stale", info)
	}
	other := dialRaw(t, c.Leader().RedisAddr)
	if list := other.do("CLIENT", "LIST"); !strings.Contains(list, "read-consistency=leader\n") || !strings.Contains(list, "read-consistency=stale\n") {
		t.Errorf("CLIENT LIST = %q, want each connection's level", list)
	}
	// CONFIG SET changes the level of the connections opened afterwards.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"CONFIG", "GET", "read-consistency"}, "*2\r\n" + bulk("read-consistency") + bulk("leader")},
		{[]string{"CONFIG", "SET", "read-consistency", "strong"}, "-ERR CONFIG SET failed (possibly related to argument 'read-consistency') - argument(s) must be one of the following: stale, leader, linearizable\r\n"},
		{[]string{"CONFIG", "SET", "read-consistency", "Linearizable"}, "+OK\r\n"},
		{[]string{"RAFT", "CONSISTENCY"}, bulk("leader")},
	} {
		if got := other.do(tt.args...); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.args, got, tt.want)
		}
	}
	if got := dialRaw(t, c.Leader().RedisAddr).do("RAFT", "CONSISTENCY"); got != bulk("linearizable") {
		t.Errorf("a connection opened after CONFIG SET read-consistency linearizable reads at %q", got)
	}
}

// At every level, on every node, a read issued after a write was
// acknowledged (to another client, through any node) sees it: the leader
// and linearizable levels by their promise; the stale level only by
// waiting, which shows what the other two spare the client.
func TestFreshLevelsSeeEveryAcknowledgedWrite(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	leader := c.Leader()
	writers := map[string]rawConn{}
	readers := map[string]rawConn{}
	for _, nd := range c.Running() {
		writers[nd.ID] = dialRaw(t, nd.RedisAddr)
		for _, level := range levels[1:] {
			readers[nd.ID+"/"+level] = at(t, nd, level)
		}
	}
	for i := range 30 {
		via := c.Running()[i%3]
		value := fmt.Sprintf("v%d", i)
		if got := writers[via.ID].do("SET", "k", value); got != "+OK\r\n" {
			t.Fatalf("SET through %s: %q", via.ID, got)
		}
		for name, r := range readers {
			if got := r.do("GET", "k"); got != bulk(value) {
				t.Fatalf("write %d through %s, then GET on %s (leader %s): %q, want %q", i, via.ID, name, leader.ID, got, value)
			}
		}
	}
}

// A follower that has not applied what the leader committed serves its old
// copy at the stale level, and makes fresh reads wait until it has applied
// it.
func TestFreshReadOnALaggingFollowerWaits(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{GateApply: true})
	leader, f := c.Leader(), c.Followers()[0]
	w := dialRaw(t, leader.RedisAddr)
	w.do("SET", "k", "old")
	stale := at(t, f, server.ReadStale)
	tc.Poll(t, 5*time.Second, "the follower to apply the first write", func() bool { return stale.do("GET", "k") == bulk("old") })

	f.PauseApply(t)
	if got := w.do("SET", "k", "new"); got != "+OK\r\n" {
		t.Fatalf("SET on the leader: %q", got)
	}
	if got := stale.do("GET", "k"); got != bulk("old") {
		t.Fatalf("stale GET on a follower whose applies are held: %q, want the old value", got)
	}
	for _, level := range levels[1:] {
		r := at(t, f, level)
		id := strings.Trim(r.do("CLIENT", "ID"), ":\r\n")
		r.Send("GET", "k")
		if err := r.Flush(); err != nil {
			t.Fatal(err)
		}
		// The read is under way (its command is resolved) and cannot
		// finish while the follower applies nothing.
		lister := dialRaw(t, f.RedisAddr)
		tc.Poll(t, 5*time.Second, level+" GET waiting on the follower", func() bool {
			return strings.Contains(lister.do("CLIENT", "LIST", "ID", id), " cmd=get ")
		})
		f.ResumeApply()
		if got := r.read(); got != bulk("new") {
			t.Fatalf("%s GET on a follower that was behind: %q, want the new value", level, got)
		}
		f.PauseApply(t)
		w.do("SET", "k", "new")
	}
}

// A key a read once hid stays hidden on a node whose clock is slower: reads
// expire keys by the later of the node's clock and the latest entry time
// it has applied.
func TestExpiredKeyStaysHiddenAfterFailoverToASlowerClock(t *testing.T) {
	// No expiry sweeps: the key stays in the data set, hidden by time only.
	c := tc.Start(t, 3, tc.Options{ExpireInterval: time.Hour})
	leader := c.Leader()
	for _, f := range c.Followers() {
		f.SetClockOffset(-time.Hour)
	}
	w := dialRaw(t, leader.RedisAddr)
	if got := w.do("SET", "k", "v", "PX", "200"); got != "+OK\r\n" {
		t.Fatal(got)
	}
	tc.Poll(t, 5*time.Second, "the key to expire on the leader", func() bool { return w.do("GET", "k") == "$-1\r\n" })
	w.do("SET", "later", "x") // an entry stamped after the deadline
	c.WaitConverged()
	c.Kill(leader)
	newLeader := c.Leader()
	for _, nd := range c.Running() {
		for _, level := range levels {
			if got := at(t, nd, level).do("GET", "k"); got != "$-1\r\n" {
				t.Fatalf("GET k at %s on %s (clock an hour slow, leader %s): %q, want the key hidden", level, nd.ID, newLeader.ID, got)
			}
		}
	}
	// The slow leader's own writes count time from the same clock.
	r := dialRaw(t, newLeader.RedisAddr)
	r.do("SET", "t", "v", "PX", "100000")
	got := r.do("PTTL", "t")
	if ttl, err := strconv.Atoi(strings.Trim(got, ":\r\n")); err != nil || ttl <= 0 || ttl > 100000 {
		t.Fatalf("PTTL on the slow leader: %q, want (0, 100000]", got)
	}
}
