// Package e2e holds end-to-end tests of the raftis binary: TestMain builds
// cmd/raftis once, and the tests start real raftis processes on free
// loopback ports, each in its own temporary directory, and talk to them the
// way users do: the real redis-cli and redis-benchmark, go-redis, raw TCP,
// the HTTP API, and scripts/cluster.sh.
//
//	go test -count=1 ./tests/e2e/
//
// When redis-cli, redis-benchmark, redis-server or python3 with the redis
// module (Debian's python3-redis) is not installed the tests that need
// them are skipped, unless the CI environment variable is set: then they
// fail. Every process a test starts is stopped by pid in t.Cleanup; when a
// test fails, the tail of each node's log is printed.
package e2e
