package integration

import (
	"bytes"
	"fmt"
	"testing"

	tc "github.com/raftis/raftis/internal/testcluster"
	"github.com/raftis/raftis/raftlog"
)

// A write over 1 MiB travels as several log entries (raftlog's chunks)
// that every node applies as one, on the leader or through a follower; a
// restart of every node, whose replay collects the chunks again, keeps it.
// (tests/e2e writes values of up to 100 MiB with the real binary.)
func TestChunkedWrites(t *testing.T) { forEachStore(t, testChunkedWrites) }

func testChunkedWrites(t *testing.T, store raftlog.StoreKind) {
	c := tc.Start(t, 3, tc.Options{Store: store})
	leader, follower := c.Leader(), c.Followers()[0]
	want := map[string]string{}
	for i, via := range []*tc.Node{leader, follower, leader} {
		key := fmt.Sprintf("big%d", i)
		val := string(bytes.Repeat([]byte{byte('a' + i)}, (3+i)<<20+i))
		before := c.Leader().Raft.Status().LastIndex
		setVia(t, c, via, key, val)
		if entries := c.Leader().Raft.Status().LastIndex - before; entries < 4 {
			t.Fatalf("a %d-byte SET took %d log entries, want one per MiB", len(val), entries)
		}
		want[key] = val
		small := fmt.Sprintf("small%d", i)
		setVia(t, c, via, small, small)
		want[small] = small
	}
	for _, nd := range c.Running() {
		assertHas(t, nd, want)
	}
	digest := c.WaitConverged()
	waitDurable(t, c, c.Leader().FSM.AppliedIndex())
	c.RestartAll()
	c.Leader()
	for _, nd := range c.Running() {
		assertHas(t, nd, want)
	}
	if got := c.WaitConverged(); got != digest {
		t.Fatalf("data set digest %x after the restart, want %x", got, digest)
	}
}
