package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	tc "github.com/raftis/raftis/internal/testcluster"
	"github.com/raftis/raftis/server"
)

// GET /digest reports each node's data set digest: equal on every node of
// a converged cluster (the FSM's own digest), different once a write has
// changed the data set.
func TestHTTPDigest(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	ctx := tc.Ctx(t)
	if err := c.Leader().Client().Set(ctx, "k", "v1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%016x", c.WaitConverged())
	for _, nd := range c.Running() {
		d := getDigest(t, nd)
		if d.ID != nd.ID || d.Digest != want || d.AppliedIndex != nd.FSM.AppliedIndex() {
			t.Errorf("GET /digest on %s = %+v, want id %s, digest %s, applied index %d", nd.ID, d, nd.ID, want, nd.FSM.AppliedIndex())
		}
	}
	if err := c.Followers()[0].Client().Set(ctx, "k", "v2", 0).Err(); err != nil {
		t.Fatal(err)
	}
	c.WaitConverged()
	if d := getDigest(t, c.Leader()); d.Digest == want {
		t.Errorf("GET /digest after SET k v2 = %s, the digest from before the write", d.Digest)
	}
}

func getDigest(t *testing.T, nd *tc.Node) server.Digest {
	t.Helper()
	resp, err := http.Get("http://" + nd.HTTPAddr + "/digest")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d server.Digest
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /digest on %s: %s", nd.ID, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	return d
}
