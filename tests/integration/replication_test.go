package integration

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	tc "github.com/raftis/raftis/internal/testcluster"
)

// replicationInfo is INFO replication of nd, and its slaveN lines by port.
func replicationInfo(t *testing.T, ctx context.Context, nd *tc.Node) (fields map[string]string, slaves map[string]map[string]string) {
	t.Helper()
	info, err := nd.Client().Info(ctx, "replication").Result()
	if err != nil {
		t.Fatal(err)
	}
	fields, slaves = map[string]string{}, map[string]map[string]string{}
	for _, line := range strings.Split(info, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fields[k] = v
		if strings.HasPrefix(k, "slave") && strings.Contains(v, "offset=") {
			kv := map[string]string{}
			for _, part := range strings.Split(v, ",") {
				name, val, _ := strings.Cut(part, "=")
				kv[name] = val
			}
			slaves[kv["port"]] = kv
		}
	}
	return fields, slaves
}

func port(nd *tc.Node) string { return nd.RedisAddr[strings.LastIndexByte(nd.RedisAddr, ':')+1:] }

// INFO replication and ROLE give Raft log indexes as offsets: the leader's
// master_repl_offset is its last index, each follower's offset its match
// index; a follower that stopped falls behind and drops out, and once back
// it catches up to the same offset.
func TestReplicationOffsetsFollowTheLog(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	ctx := tc.Ctx(t)
	leader := c.Leader()
	for i := range 10 {
		if err := leader.Client().Set(ctx, fmt.Sprint("k", i), i, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	caughtUp := func(nd *tc.Node) func() bool {
		return func() bool {
			fields, slaves := replicationInfo(t, ctx, leader)
			master := fields["master_repl_offset"]
			s, ok := slaves[port(nd)]
			if !ok || s["offset"] != master || s["lag"] != "0" {
				return false
			}
			own, _ := replicationInfo(t, ctx, nd)
			return own["slave_repl_offset"] == master && own["slave_read_repl_offset"] == master && own["master_repl_offset"] == master
		}
	}
	for _, f := range c.Followers() {
		tc.Poll(t, 10*time.Second, f.ID+"'s offsets to equal the leader's", caughtUp(f))
	}
	// Once writes pause the leader may still append (a barrier, an
	// address announcement), so INFO and ROLE are compared on a quiet log:
	// ROLE's offsets must match INFO's and the leader's last index, and
	// every replica must reach it.
	var fields map[string]string
	var role []interface{}
	tc.Poll(t, 10*time.Second, "ROLE and INFO to agree on the leader's last log index", func() bool {
		fields, _ = replicationInfo(t, ctx, leader)
		last := strconv.FormatUint(leader.Raft.Status().LastIndex, 10)
		var err error
		role, err = leader.Client().Do(ctx, "ROLE").Slice()
		if err != nil {
			t.Fatal(err)
		}
		if fields["master_repl_offset"] != last || role[1] != mustInt(t, last) {
			return false
		}
		replicas := role[2].([]interface{})
		for _, r := range replicas {
			if r.([]interface{})[2] != last {
				return false
			}
		}
		return len(replicas) == 2
	})

	stopped := c.Followers()[0]
	c.Kill(stopped)
	for i := range 10 {
		if err := leader.Client().Set(ctx, fmt.Sprint("k", i), "again", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	tc.Poll(t, 10*time.Second, "the stopped follower to drop out", func() bool {
		_, slaves := replicationInfo(t, ctx, leader)
		_, listed := slaves[port(stopped)]
		return !listed
	})
	c.Restart(stopped)
	tc.Poll(t, 10*time.Second, "the restarted follower to catch up", caughtUp(stopped))
	role, err := stopped.Client().Do(ctx, "ROLE").Slice()
	if err != nil {
		t.Fatal(err)
	}
	own, _ := replicationInfo(t, ctx, stopped)
	if len(role) != 5 || role[4] != mustInt(t, own["slave_repl_offset"]) {
		t.Fatalf("ROLE on the follower %v, want its slave_repl_offset %s", role, own["slave_repl_offset"])
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
