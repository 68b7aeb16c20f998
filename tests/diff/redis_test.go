package diff

import (
	"testing"

	"github.com/raftis/raftis/internal/testredis"
)

// startRedis runs a private redis-server (no persistence) and returns its
// address. It is killed, by pid, when the test ends. Its timers run at
// 100 Hz instead of 10, so that a blocking command with a timeout of a few
// milliseconds on empty keys returns within about 10 ms, not 100.
func startRedis(t *testing.T) string {
	t.Helper()
	return testredis.Start(t, "", "--hz", "100")
}
