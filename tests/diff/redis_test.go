package diff

import (
	"testing"

	"github.com/raftis/raftis/internal/testredis"
)

// startRedis runs a private redis-server (no persistence) and returns its
// address. It is killed, by pid, when the test ends.
func startRedis(t *testing.T) string {
	t.Helper()
	return testredis.Start(t, "")
}
