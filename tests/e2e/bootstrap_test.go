package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// startExpecting prepares size nodes that all run the same kind of command
// line: --bootstrap-expect size, --join the others, and the cluster
// secret in a file, then starts them all at once.
func startExpecting(t *testing.T, size int) *cluster {
	t.Helper()
	c := &cluster{t: t, dir: t.TempDir(), extra: fastRaft}
	secretFile := c.dir + "/secret"
	if err := os.WriteFile(secretFile, []byte("e2e-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range size {
		c.nodes = append(c.nodes, newNode(t, fmt.Sprintf("n%d", i+1), c.dir, fastRaft...))
	}
	for i, n := range c.nodes {
		var others []string
		for j, o := range c.nodes {
			if j != i {
				others = append(others, o.httpAddr())
			}
		}
		n.args = append(n.args, "--bootstrap-expect", fmt.Sprint(size), "--join", strings.Join(others, ","),
			"--cluster-secret-file", secretFile)
	}
	// The last first: no node is special.
	for i := len(c.nodes) - 1; i >= 0; i-- {
		c.nodes[i].start()
	}
	for _, n := range c.nodes {
		n.waitReady()
	}
	return c
}

// checkOneCluster waits until every running node sees the same leader and
// all size members with their client addresses.
func checkOneCluster(t *testing.T, c *cluster, size int) *node {
	t.Helper()
	leader, _ := c.leader()
	poll(t, 30*time.Second, "every node to list every member with its client address", func() (bool, string) {
		for _, n := range c.running() {
			st, err := n.status()
			if err != nil {
				return false, err.Error()
			}
			if len(st.Nodes) != size {
				return false, fmt.Sprintf("%s lists %d members", n.id, len(st.Nodes))
			}
			for _, m := range st.Nodes {
				if m.RedisAddr == "" || m.Suffrage != "Voter" {
					return false, fmt.Sprintf("%s lists %+v", n.id, m)
				}
			}
		}
		return true, ""
	})
	return leader
}

// Three nodes started alike, with --bootstrap-expect 3 and --join naming
// each other, form one cluster; one of them wiped and restarted with the
// same command line rejoins it (and gets its data) instead of forming a
// cluster of its own.
func TestBootstrapExpect(t *testing.T) {
	c := startExpecting(t, 3)
	leader := checkOneCluster(t, c, 3)
	term := mustStatus(t, leader).Term
	ctx := context.Background()
	var follower *node
	for _, n := range c.nodes {
		if n != leader {
			follower = n
		}
	}
	// A write through a follower: forwarding presents the secret.
	if err := client(t, follower).Set(ctx, "before", "wipe", 0).Err(); err != nil {
		t.Fatalf("SET through %s: %v", follower.id, err)
	}

	follower.kill()
	if err := os.RemoveAll(follower.dir); err != nil {
		t.Fatal(err)
	}
	follower.start()
	follower.waitReady()
	if got := checkOneCluster(t, c, 3); got != leader || mustStatus(t, follower).Term != term {
		t.Errorf("after the wipe: leader %s in term %d, want %s still in term %d",
			got.id, mustStatus(t, follower).Term, leader.id, term)
	}
	poll(t, 30*time.Second, follower.id+" to have the data written before the wipe", func() (bool, string) {
		v, err := client(t, follower).Get(ctx, "before").Result()
		return v == "wipe", fmt.Sprintf("GET before: %q %v", v, err)
	})
	if err := client(t, follower).Set(ctx, "after", "rejoin", 0).Err(); err != nil {
		t.Fatalf("SET through the rejoined %s: %v", follower.id, err)
	}
}

// A node started with --join and no cluster to join never bootstraps
// alone, with or without --bootstrap-expect.
func TestJoinNeverBootstrapsAlone(t *testing.T) {
	dir := t.TempDir()
	for _, extra := range [][]string{nil, {"--bootstrap-expect", "2"}} {
		args := append(append([]string{}, fastRaft...), extra...)
		n := newNode(t, fmt.Sprintf("alone%d", len(extra)), dir, append(args, "--join", "127.0.0.1:1")...)
		n.start()
		// Two rounds of join attempts: long enough for an election.
		poll(t, 30*time.Second, n.id+" to try joining twice", func() (bool, string) {
			log, _ := os.ReadFile(n.logPath)
			count := strings.Count(string(log), "join attempt failed")
			return count >= 2, fmt.Sprintf("%d attempts", count)
		})
		st, err := n.status()
		if err != nil {
			t.Fatalf("%v: GET /status: %v", extra, err)
		}
		if st.State == "leader" || st.Leader != "" || len(st.Nodes) != 0 {
			t.Errorf("%v: a node with --join and nobody to join formed a cluster: %+v", extra, st)
		}
		n.stop()
	}
}
