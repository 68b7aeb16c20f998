package integration

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	tc "github.com/raftis/raftis/internal/testcluster"
)

func TestTransferAndRemove(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	ctx := tc.Ctx(t)
	old := c.Leader()
	target := c.Followers()[0]

	// RAFT TRANSFER sent to a follower is passed to the leader.
	if err := target.Client().Do(ctx, "raft", "transfer", target.ID).Err(); err != nil {
		t.Fatalf("RAFT TRANSFER %s: %v", target.ID, err)
	}
	tc.Poll(t, 10*time.Second, target.ID+" leads after the transfer", func() bool { return c.Leader() == target })
	if err := old.Client().Set(ctx, "after-transfer", "1", 0).Err(); err != nil {
		t.Fatalf("write through the old leader after the transfer: %v", err)
	}

	// POST /remove on a follower is passed to the leader.
	victim := old
	body, _ := json.Marshal(map[string]string{"id": victim.ID})
	var via *tc.Node
	for _, nd := range c.Followers() {
		if nd != victim {
			via = nd
		}
	}
	resp, err := http.Post("http://"+via.HTTPAddr+"/remove", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /remove: %s", resp.Status)
	}
	tc.Poll(t, 10*time.Second, "the leader's status without "+victim.ID, func() bool {
		for _, m := range target.Server.Status().Nodes {
			if m.ID == victim.ID {
				return false
			}
		}
		return len(target.Server.Status().Nodes) == 2
	})
	// Removing it again is a no-op, and the two left still take writes.
	if err := target.Client().Do(ctx, "raft", "remove", victim.ID).Err(); err != nil {
		t.Fatalf("second RAFT REMOVE: %v", err)
	}
	c.Kill(victim)
	if err := target.Client().Set(ctx, "after-remove", "1", 0).Err(); err != nil {
		t.Fatalf("write on the 2-node cluster: %v", err)
	}
}
