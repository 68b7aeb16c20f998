package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/raftis/raftis/internal/testredis"
)

// runOnTargets starts a 3-node cluster and runs run in one subtest per
// target: its leader and a follower (which forwards the writes and serves
// the reads), each with the other as its peer, and a private redis-server
// (skipped locally when it is not installed), its own peer, which shows
// what Redis does. open makes the client run uses of an address, inside
// the subtest; target names the subtest.
func runOnTargets[C any](t *testing.T, open func(t testing.TB, addr string) C,
	run func(t *testing.T, target string, app, peer C)) {
	c := startCluster(t, 3)
	leader, followers := c.leader()
	for _, target := range []struct {
		name      string
		app, peer *node // nil: redis-server
	}{
		{"leader", leader, followers[0]},
		{"follower", followers[0], leader},
		{"redis-server", nil, nil},
	} {
		t.Run(target.name, func(t *testing.T) {
			var app, peer C
			if target.app == nil {
				app = open(t, testredis.Start(t, ""))
				peer = app
			} else {
				app = open(t, target.app.addr())
				peer = open(t, target.peer.addr())
			}
			run(t, target.name, app, peer)
		})
	}
}

// portOf is the port of addr, a host:port.
func portOf(t testing.TB, addr string) int {
	t.Helper()
	_, port, _ := strings.Cut(addr, ":")
	p, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
