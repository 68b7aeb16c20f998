package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// A write through one follower is readable on the other, and INFO
// replication and ROLE describe the cluster in Redis's terms.
func TestReplicationWithRedisCLI(t *testing.T) {
	needTools(t, "redis-cli")
	c := startCluster(t, 3)
	leader, followers := c.leader()
	f1, f2 := followers[0], followers[1]

	if out := mustCLI(t, f1.port, "SET", "k", "v"); out != "OK" {
		t.Fatalf("SET k v on follower %s: %q, want OK", f1.id, out)
	}
	poll(t, 10*time.Second, "GET k on the other follower to return v", func() (bool, string) {
		out, err := cli(t, f2.port, "GET", "k")
		return err == nil && out == "v", fmt.Sprintf("%q, %v", out, err)
	})

	info := infoFields(mustCLI(t, leader.port, "INFO", "replication"))
	if info["role"] != "master" || info["connected_slaves"] != "2" {
		t.Errorf("INFO replication on the leader: role:%s connected_slaves:%s, want master and 2", info["role"], info["connected_slaves"])
	}
	for _, f := range followers {
		info := infoFields(mustCLI(t, f.port, "INFO", "replication"))
		if info["role"] != "slave" || info["master_host"] != "127.0.0.1" || info["master_port"] != strconv.Itoa(leader.port) ||
			info["master_link_status"] != "up" {
			t.Errorf("INFO replication on follower %s: %v, want role:slave master_host:127.0.0.1 master_port:%d master_link_status:up",
				f.id, info, leader.port)
		}
	}

	// ROLE, as redis-cli prints it without a terminal: one line per element.
	role := strings.Split(mustCLI(t, leader.port, "ROLE"), "\n")
	if len(role) != 2+3*2 || role[0] != "master" {
		t.Errorf("ROLE on the leader:\n%s\nwant master, offset and two (host, port, offset) replicas", strings.Join(role, "\n"))
	} else {
		ports := map[string]bool{role[3]: true, role[6]: true}
		if role[2] != "127.0.0.1" || role[5] != "127.0.0.1" || !ports[strconv.Itoa(f1.port)] || !ports[strconv.Itoa(f2.port)] {
			t.Errorf("ROLE on the leader lists %q, want both followers' ports %d and %d", role, f1.port, f2.port)
		}
	}
	for _, f := range followers {
		role := strings.Split(mustCLI(t, f.port, "ROLE"), "\n")
		if len(role) != 5 || role[0] != "slave" || role[1] != "127.0.0.1" || role[2] != strconv.Itoa(leader.port) || role[3] != "connected" {
			t.Errorf("ROLE on follower %s: %q, want [slave 127.0.0.1 %d connected <offset>]", f.id, role, leader.port)
		}
	}
}

// redis-benchmark stops with a non-zero status on the first error reply,
// so a clean run means every command it sent got a proper reply. Its
// default test set (no -t) covers every type's common commands; the same
// tests run again 16 to a pipeline.
func TestRedisBenchmark(t *testing.T) {
	needTools(t, "redis-benchmark")
	// 50 clients saturate a small machine's cores: with the fast test
	// timeouts (a 100ms leader lease) a starved leader steps down and the
	// writes in flight get -UNCERTAIN, which stops redis-benchmark. This
	// test is about replies, not failover, so it runs with the defaults.
	c := startCluster(t, 3, "--raft-heartbeat-timeout", "1s", "--raft-election-timeout", "1s")
	leader, followers := c.leader()
	targets := []struct {
		name string
		port int
	}{{"leader", leader.port}, {"follower", followers[0].port}}
	for _, target := range targets {
		t.Run(target.name+"/default", func(t *testing.T) {
			out := redisBenchmark(t, target.port, "-c", "50", "-n", "1000")
			checkBenchmarkTests(t, out, benchmarkDefaultTests)
		})
		t.Run(target.name+"/P16", func(t *testing.T) {
			out := redisBenchmark(t, target.port, "-c", "50", "-n", "4000", "-P", "16",
				"-t", "ping,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange,mset")
			checkBenchmarkTests(t, out, benchmarkDefaultTests)
		})
	}
}

// benchmarkDefaultTests are the rows redis-benchmark 7.0 prints for its
// default test set.
var benchmarkDefaultTests = []string{
	"PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP",
	"SADD", "HSET", "SPOP", "ZADD", "ZPOPMIN", "LPUSH (needed to benchmark LRANGE)",
	"LRANGE_100 (first 100 elements)", "LRANGE_300 (first 300 elements)",
	"LRANGE_500 (first 500 elements)", "LRANGE_600 (first 600 elements)", "MSET (10 keys)",
}

// checkBenchmarkTests fails the test unless redis-benchmark's CSV output
// has a row with a positive rate for each of tests.
func checkBenchmarkTests(t *testing.T, csv string, tests []string) {
	t.Helper()
	rates := map[string]float64{}
	for _, line := range strings.Split(csv, "\n") {
		fields := strings.Split(strings.TrimSpace(line), `","`)
		if len(fields) < 2 {
			continue
		}
		rate, err := strconv.ParseFloat(strings.Trim(fields[1], `"`), 64)
		if err == nil {
			rates[strings.Trim(fields[0], `"`)] = rate
		}
	}
	for _, test := range tests {
		if rates[test] <= 0 {
			t.Errorf("redis-benchmark printed no rate for %s:\n%s", test, csv)
		}
	}
}

// redisBenchmark runs redis-benchmark against port with --csv and args,
// fails the test on an error reply, and returns its output.
func redisBenchmark(t *testing.T, port int, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args = append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(port), "--csv"}, args...)
	out, err := exec.CommandContext(ctx, "redis-benchmark", args...).CombinedOutput()
	// It asks for CONFIG GET save and appendonly first, and only warns if
	// that fails.
	if err != nil || strings.Contains(string(out), "Error") || strings.Contains(string(out), "Could not fetch server CONFIG") {
		t.Fatalf("redis-benchmark %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("redis-benchmark %s\n%s", strings.Join(args, " "), out)
	return string(out)
}

// SIGKILL the leader while clients write through the followers: a new
// leader takes over, no acknowledged write is lost, and the killed node,
// restarted from its directory, catches up.
func TestKillLeaderKeepsAcknowledgedWrites(t *testing.T) {
	c := startCluster(t, 3)
	leader, followers := c.leader()
	w := startWriter([]*redis.Client{client(t, followers[0]), client(t, followers[1])}, "kill", 4, 5000, time.Minute)
	defer w.stop()
	w.waitAcked(t, 200, 20*time.Second, "writes acknowledged before the kill")

	// Kill whoever leads now: under load, leadership may have moved since.
	var term uint64
	poll(t, 20*time.Second, "the leader to kill", func() (bool, string) {
		leader, _ = c.leader()
		st, err := leader.status()
		if err != nil || st.State != "leader" {
			return false, fmt.Sprintf("%s: %s, %v", leader.id, st.State, err)
		}
		term = st.Term
		return true, ""
	})
	leader.kill()
	before, _ := w.count()
	newLeader, _ := c.leader()
	if st := mustStatus(t, newLeader); st.Term <= term {
		t.Errorf("new leader %s has term %d, want more than the killed leader's %d", newLeader.id, st.Term, term)
	}
	w.waitAcked(t, before+200, 30*time.Second, "writes acknowledged after the failover")
	acked := w.stop()
	t.Logf("%d writes acknowledged, %d of them before the kill; %s leads now", len(acked), before, newLeader.id)

	for _, n := range c.running() {
		waitKeys(t, n, acked, 20*time.Second)
	}
	leader.start()
	leader.waitReady()
	waitKeys(t, leader, acked, 30*time.Second)
}

// SIGKILL all three nodes while writes go on, start them again from their
// directories with the same flags: every acknowledged write is there.
func TestRestartAllNodesFromDisk(t *testing.T) {
	c := startCluster(t, 3)
	leader, followers := c.leader()
	var clients []*redis.Client
	for _, n := range append([]*node{leader}, followers...) {
		clients = append(clients, client(t, n))
	}
	w := startWriter(clients, "disk", 3, 5000, time.Minute)
	defer w.stop()
	w.waitAcked(t, 300, 20*time.Second, "writes acknowledged before the crash")

	for _, n := range c.nodes {
		cmd, _ := n.process()
		_ = cmd.Process.Kill()
	}
	for _, n := range c.nodes {
		n.kill()
	}
	acked := w.stop()
	t.Logf("%d writes acknowledged before all nodes were killed", len(acked))

	for _, n := range c.nodes {
		n.start()
	}
	for _, n := range c.nodes {
		n.waitReady()
	}
	c.leader()
	for _, n := range c.nodes {
		waitKeys(t, n, acked, 30*time.Second)
	}
}

// kill -9 every node of a young cluster, then start one alone: with no
// quorum it never hears from a leader, yet redis-cli reads from it every
// write it had applied. Without the replay of its own log it would serve
// the data set of its last snapshot, if any (here none: empty). The
// replay runs past the membership changes of the cluster's forming, which
// raft keeps.
func TestNodeRestartedAloneServesItsWrites(t *testing.T) {
	needTools(t, "redis-cli")
	c := startCluster(t, 3)
	leader, followers := c.leader()
	f := followers[0]
	raftInfo := func(n *node, field string) uint64 {
		v, _ := strconv.ParseUint(infoFields(mustCLI(t, n.port, "INFO", "raft"))[field], 10, 64)
		return v
	}
	lc := client(t, leader)
	ctx := context.Background()
	keys := make([]string, 50)
	for round := range 3 {
		for i := range keys {
			keys[i] = fmt.Sprintf("alone:%d", i)
			if err := lc.Set(ctx, keys[i], fmt.Sprintf("v%d", round), 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	last := raftInfo(leader, "raft_applied_index")
	poll(t, 10*time.Second, fmt.Sprintf("%s to record index %d as committed", f.id, last), func() (bool, string) {
		durable := raftInfo(f, "raft_durable_commit_index")
		return durable >= last, fmt.Sprintf("durable %d", durable)
	})

	for _, n := range c.nodes {
		cmd, _ := n.process()
		_ = cmd.Process.Kill()
	}
	for _, n := range c.nodes {
		n.kill()
	}
	f.start()
	poll(t, 20*time.Second, f.id+" to answer PING", func() (bool, string) {
		out, err := cli(t, f.port, "PING")
		return err == nil && out == "PONG", out
	})
	for _, k := range keys {
		if v := mustCLI(t, f.port, "GET", k); v != "v2" {
			t.Fatalf("%s restarted alone: GET %s = %q, want %q", f.id, k, v, "v2")
		}
	}
	if role := mustCLI(t, f.port, "ROLE"); !strings.Contains(role, "slave") {
		t.Fatalf("ROLE of a node alone without quorum: %q", role)
	}
}

// A 4th node joins through a follower after the leader compacted its log:
// it gets the data set as a snapshot and serves keys written before it
// joined.
func TestJoinFourthNodeInstallsSnapshot(t *testing.T) {
	needTools(t, "redis-cli")
	// raft-wal drops the log's head a whole segment at a time: with 1 MiB
	// segments, two 1 MiB values fill the first ones, which compaction
	// then removes, so that n4 cannot be sent the log from its start.
	c := startCluster(t, 3, "--snapshot-threshold", "64", "--trailing-logs", "16", "--raft-wal-segment-mb", "1")
	leader, followers := c.leader()
	for i := range 2 {
		if err := client(t, leader).Set(context.Background(), fmt.Sprintf("pad%d", i), strings.Repeat("x", 1<<20), 0).Err(); err != nil {
			t.Fatalf("SET pad%d: %v", i, err)
		}
	}
	w := startWriter([]*redis.Client{client(t, leader)}, "before", 8, 500, 30*time.Second)
	w.waitAcked(t, 400, 30*time.Second, "400 writes before the join")
	written := w.stop()

	// Snapshot on every node, so that whichever leads when n4 joins has
	// compacted its log and must send n4 a snapshot.
	for _, n := range c.nodes {
		poll(t, 10*time.Second, n.id+" to apply every write", n.ready)
		if out := mustCLI(t, n.port, "RAFT", "SNAPSHOT"); out != "OK" && !strings.Contains(out, "nothing new to snapshot") {
			t.Fatalf("RAFT SNAPSHOT on %s: %q", n.id, out)
		}
		if st := mustStatus(t, n); st.LastSnapshotIndex == 0 {
			t.Fatalf("%s's last_snapshot_index is 0 after RAFT SNAPSHOT", n.id)
		}
	}

	n4 := c.addNode(followers[0])
	leader, _ = c.leader()
	poll(t, 20*time.Second, "the leader to list 4 voters", func() (bool, string) {
		st, err := leader.status()
		if err != nil {
			return false, err.Error()
		}
		var ids []string
		for _, m := range st.Nodes {
			ids = append(ids, m.ID+"/"+m.Suffrage)
		}
		return len(st.Nodes) == 4 && strings.Contains(strings.Join(ids, " "), n4.id+"/Voter"), fmt.Sprint(ids)
	})
	waitKeys(t, n4, written, 30*time.Second)
	if st := mustStatus(t, n4); st.LastSnapshotIndex == 0 {
		t.Errorf("%s's last_snapshot_index is 0: it did not get the data set as a snapshot", n4.id)
	}
	for key, val := range written {
		if out := mustCLI(t, n4.port, "GET", key); out != val {
			t.Errorf("redis-cli GET %s on %s: %q, want %q", key, n4.id, out, val)
		}
		break
	}
}

func mustStatus(t testing.TB, n *node) status {
	t.Helper()
	st, err := n.status()
	if err != nil {
		t.Fatalf("GET /status on %s: %v", n.id, err)
	}
	return st
}
