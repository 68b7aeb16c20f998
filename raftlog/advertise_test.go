package raftlog

import (
	"strings"
	"testing"
)

// A member with RaftAdvertise tells peers that address (it bootstraps
// with it, and it is what RaftAddr reports for joins), while it listens
// on RaftAddr.
func TestRaftAdvertiseIsTheMembersAddress(t *testing.T) {
	cfg := testConfig(StoreWAL, t.TempDir(), true)
	cfg.RaftAdvertise = "127.0.0.1:1" // nothing listens there; a lone member never dials itself
	n, err := Open(cfg, &countFSM{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	waitLeader(t, n)
	if got := n.RaftAddr(); got != "127.0.0.1:1" {
		t.Errorf("RaftAddr() = %q, want the advertised 127.0.0.1:1", got)
	}
	servers, err := n.Servers()
	if err != nil || len(servers) != 1 || servers[0].RaftAddr != "127.0.0.1:1" {
		t.Errorf("Servers() = %v, %v; want n1 at 127.0.0.1:1", servers, err)
	}
}

func TestRaftAdvertiseMustBeDialable(t *testing.T) {
	for _, bad := range []string{"0.0.0.0:7000", "127.0.0.1:0", "nohost"} {
		cfg := testConfig(StoreWAL, t.TempDir(), true)
		cfg.RaftAdvertise = bad
		n, err := Open(cfg, &countFSM{})
		if err == nil {
			n.Close()
			t.Errorf("Open with RaftAdvertise %q succeeded, want an error", bad)
			continue
		}
		if !strings.Contains(err.Error(), "advertise") {
			t.Errorf("Open with RaftAdvertise %q: %v, want an error naming the advertise address", bad, err)
		}
	}
}
